-- wrk script: rotate through a file of request paths, each with the bearer token.
-- Usage: BENCH_TOKEN=... wrk -s bench/wrk_paths.lua http://127.0.0.1:PORT -- paths.txt
local paths = {}
local token = os.getenv("BENCH_TOKEN") or ""
local position = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  position = math.random(#paths)
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position], { ["Authorization"] = "Bearer " .. token })
end
