-- wrk script: POST a rotating file of JSON bodies with the bearer token; count answers that are not "valid".
-- Usage: BENCH_TOKEN=... wrk -s bench/wrk_post.lua http://127.0.0.1:PORT/api/v1/card/verify-code -- bodies.txt
local bodies = {}
local token = os.getenv("BENCH_TOKEN") or ""
local position = 0
local threads = {}
invalid = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  position = math.random(#bodies)
end

function request()
  position = position % #bodies + 1
  return wrk.format("POST", nil, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, bodies[position])
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"result": "valid"', 1, true) then
    invalid = invalid + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("invalid") or 0)
  end
  io.write(string.format("invalid answers: %d\n", total))
end
