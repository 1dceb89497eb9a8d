"""claim-settle: medical settlements per second through the API, against a bare endpoint.

What a designated hospital's system does at every cashier's window (issue #19):
``POST /api/v1/medical/institution/settlements`` with the patient's electronic card code and a
bill, authenticated by the hospital's agency client (grant ``medical:settle``, bound to the
institution) with an OAuth2 access token it takes from ``/o/token/`` (client credentials) of
the server under test. Every request carries a new ``transaction_id`` (the Python load
generator's ``fresh`` ids: ``<prefix><connection>-<n>``), so every answer is a settlement
written, never a replay; each bill has one to three lines of catalogue items.

For each database: a fresh database at the scale (``hrss synth --steps cards,visits``:
persons, their cards and electronic cards, their medical insurance, the synthetic city's
designated institutions and earlier visits), then a bench hospital of level two in the city's
pooling region with its client. ``hrss serve`` serves it as in production (granian WSGI,
2 workers x 4 blocking threads, DEBUG off; ``--no-worker --no-scheduler``: a settlement
enqueues nothing, and neither process may take the machine from the figures), with
``bench.settings_bench`` for the bare endpoint. Electronic card codes live 60 s: a sample of
insured persons' active electronic cards gets fresh codes before every run.

Load: ``bench.loadgen``'s Python client (8 keep-alive connections, closed loop) for the
settlements and for the bare endpoint alike (``wrk`` cannot make each body new), alternating
runs of ``lookup_seconds``. Every answer must be a 200 with ``"kind": "settlement"``.

Afterwards, inside Django (``python -m bench.claim_settle check``): every transaction id the
load generator sent is in the database exactly once and no other claim carries the run's
prefix; each claim's split adds up (fund + patient = total, account + cash = patient, the
lines' amounts = total; every line's amount = quantity x price); the personal accounts fell
by exactly the claims' account payments; and the day's settlement file of the bench hospital
(the selector institutions reconcile against) totals the same as the claims.

Target (issue #19): throughput >= 0.2 x the bare endpoint's, p99 < 50 ms.

Inside Django: ``python -m bench.claim_settle prepare|codes|check|counts|clean ...``.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.common import PYTHON, REPO, WORK, Database, Scale, free_port, hrss, median, run, run_json
from bench.loadgen import FRESH, run_python
from bench.person_lookup import BLOCKING_THREADS, WARM_UP_SECONDS, WORKERS, _wait_ready

NAME = "claim-settle"
TARGET_RATIO = 0.2
TARGET_P99_MS = 50.0
SAMPLE = 5000  # insured persons whose electronic card codes rotate in the bodies
PATH = "/api/v1/medical/institution/settlements"
GRANT = "medical:settle"
HOSPITAL_CODE = "H120101BENCH"
CLIENT_NAME = "基准医院结算系统（claim-settle）"
INSTITUTION_SOURCE = "bench (claim-settle)"
PREFIX = "BCS-"  # transaction ids of the benchmark's settlements
# Catalogue items of an ordinary outpatient bill (code, quantity, unit price): a consultation,
# treatments, a few drugs; a bill takes one to three, each code once.
ITEMS = (
    ("110200001", "1", "25.00"),
    ("250101001", "1", "25.00"),
    ("220600001", "1", "120.00"),
    ("210300001", "1", "300.00"),
    ("C10AA05", "28", "5.00"),
    ("A10BA02", "60", "0.50"),
    ("B01AC06", "30", "0.30"),
)


def bill(rng: random.Random) -> list[dict[str, str]]:
    """One to three distinct catalogue lines (a third of the bills each)."""
    chosen = rng.sample(ITEMS, rng.randint(1, 3))
    return [{"code": code, "quantity": quantity, "unit_price": price} for code, quantity, price in chosen]


def _inside(db: Database, *args: str, timeout: float = 3600) -> Any:
    return run_json([PYTHON, "-m", "bench.claim_settle", *args], env=db.env(), timeout=timeout)


def _start_server(db: Database, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``hrss serve`` (production: granian WSGI, DEBUG off) with the bench URLs, no task worker or scheduler."""
    args = hrss("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS))
    args += ["--no-worker", "--no-scheduler"]
    env = db.env(DJANGO_SETTINGS_MODULE="bench.settings_bench", HRSS_DEBUG="0")
    with log.open("wb") as handle:
        # its own process group: stopping it stops granian's workers with it
        return subprocess.Popen(
            args, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # hrss serve stops granian and waits for it
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _token(base: str, client_id: str, secret: str) -> str:
    """The hospital's access token from the server's own token endpoint (client credentials)."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base}/o/token/",
        data=urllib.parse.urlencode({"grant_type": "client_credentials", "scope": GRANT}).encode(),
        headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return str(json.loads(response.read())["access_token"])


def _settle_load(
    *, base: str, bodies: Path, token: str, connections: int, seconds: float, fresh: str
) -> dict[str, Any]:
    return run_python(
        base=base,
        post_path=PATH,
        bodies=bodies,
        token=token,
        connections=connections,
        seconds=seconds,
        expect=("kind", "settlement"),
        fresh=fresh,
    )


def _sent_ids(runs: list[dict[str, Any]]) -> list[str]:
    return [f"{r['fresh']}{i}-{n}" for r in runs for i, count in enumerate(r["sent"]) for n in range(count)]


def measure(db: Database, scale: Scale, say: Callable[[str], None]) -> dict[str, Any]:
    WORK.mkdir(parents=True, exist_ok=True)
    say(f"{NAME} {db.kind}: a fresh city of {scale.persons:,} persons with cards and medical insurance")
    if db.kind == "postgresql":
        _inside(db, "clean")  # the synthetic institutions would clash with the new city's
    db.reset()
    args = hrss("synth", "--persons", str(scale.persons), "--employers", str(scale.employers))
    args += ["--months", str(scale.months), "--seed", str(scale.seed), "--steps", "cards,visits", "--no-progress"]
    run(args, env=db.env(), timeout=7200)
    ready = _inside(db, "prepare")
    bodies = WORK / f"settle-bodies-{db.kind}.txt"
    bare_paths = WORK / "bare-paths.txt"
    bare_paths.write_text("/bench/bare\n")
    stamp = f"{PREFIX}{dt.datetime.now(dt.UTC):%H%M%S}-"

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = WORK / f"serve-settle-{db.kind}.log"
    server = _start_server(db, port, log)
    runs: list[dict[str, Any]] = []
    warm: list[dict[str, Any]] = []
    bare_runs: list[dict[str, Any]] = []
    load: dict[str, Any] = {"base": base, "connections": scale.lookup_connections}
    loads: list[tuple[float, float, float]] = []
    try:
        _wait_ready(base, server, log)
        token = _token(base, ready["client_id"], ready["secret"])
        say(f"{NAME} {db.kind}: warming up")
        codes = _inside(db, "codes", "--count", str(SAMPLE), "--seed", str(scale.seed), "--out", str(bodies))
        if not codes["bodies"]:
            raise RuntimeError("the database holds no insured person with an active electronic card")
        warm.append(_settle_load(bodies=bodies, token=token, seconds=WARM_UP_SECONDS, fresh=f"{stamp}w-", **load))
        warm[-1]["fresh"] = f"{stamp}w-"
        run_python(paths=bare_paths, token="", seconds=WARM_UP_SECONDS, **load)
        for attempt in range(scale.repeat):
            say(
                f"{NAME} {db.kind}: {scale.lookup_seconds} s of settlements, then of the bare endpoint ({attempt + 1}/{scale.repeat})"
            )
            seed = str(scale.seed + attempt + 1)
            _inside(db, "codes", "--count", str(SAMPLE), "--seed", seed, "--out", str(bodies))  # codes live 60 s
            loads.append(os.getloadavg())
            fresh = f"{stamp}{attempt}-"
            runs.append(_settle_load(bodies=bodies, token=token, seconds=scale.lookup_seconds, fresh=fresh, **load))
            runs[-1]["fresh"] = fresh
            bare_runs.append(run_python(paths=bare_paths, token="", seconds=scale.lookup_seconds, **load))
            loads.append(os.getloadavg())
    finally:
        _stop(server)
    failed = sum(r["non_2xx"] + r["socket_errors"] + r["invalid"] for r in warm + runs)
    failed += sum(r["non_2xx"] + r["socket_errors"] for r in bare_runs)
    if failed:
        raise RuntimeError(f"{failed} requests failed or were not settlements during {NAME} on {db.kind}: see {log}")
    sent = WORK / f"settle-sent-{db.kind}.txt"
    sent.write_text("".join(f"{tid}\n" for tid in _sent_ids(warm + runs)))
    say(f"{NAME} {db.kind}: checking every settlement and the fund totals")
    checked = _inside(db, "check", "--prefix", stamp, "--sent", str(sent), "--balance", ready["balance"])
    if checked["problems"]:
        raise RuntimeError(f"{NAME} on {db.kind}: the settlements do not add up: {checked['problems'][:5]}")
    figure = median([r["rps"] for r in runs])
    baseline = median([r["rps"] for r in bare_runs])
    ratio = figure / baseline if baseline else float("nan")
    p99 = median([r["p99_ms"] for r in runs])
    met = ratio >= TARGET_RATIO and p99 < TARGET_P99_MS
    return {
        "name": NAME,
        "database": db.kind,
        "figure": {
            "label": "settlements /s (1-3 bill lines, new transaction id each)",
            "value": figure,
            "unit": "req/s",
        },
        "baseline": {"label": "bare endpoint /s (same server, same middleware)", "value": baseline, "unit": "req/s"},
        "ratio": ratio,
        "extra": {
            "target": f">= {TARGET_RATIO} x bare and p99 < {TARGET_P99_MS:.0f} ms: {'met' if met else 'NOT met'}",
            "p50 latency, ms": median([r["p50_ms"] for r in runs]),
            "p95 latency, ms": median([r["p95_ms"] for r in runs]),
            "p99 latency, ms": p99,
            "bare endpoint p99 latency, ms": median([r["p99_ms"] for r in bare_runs]),
            "settlements checked (each in the database once, splits, accounts, settlement file)": checked["claims"],
            "bill lines checked": checked["lines"],
            "fund paid by the settlements checked": checked["fund"],
            "insured persons with electronic card codes in rotation": codes["bodies"],
            "load average during the runs (1 min, min-max)": (
                f"{min(x[0] for x in loads):.2f}-{max(x[0] for x in loads):.2f}" if loads else "-"
            ),
            "server": f"hrss serve: granian wsgi, {WORKERS} workers x {BLOCKING_THREADS} threads, DEBUG off, no task worker",
            "load": f"python, {scale.lookup_connections} connections, {scale.lookup_seconds} s per run, OAuth2 client-credentials token",
        },
        "runs": runs,
        "baseline_runs": bare_runs,
    }


# --- inside Django ----------------------------------------------------------------------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrss.settings")
    import django

    django.setup()


def prepare() -> dict[str, Any]:
    """The bench hospital (level two, the city's pooling region) and its agency client with
    ``medical:settle``, bound to it; a new client secret; the personal accounts' sum before."""
    from django.db.models import Sum
    from oauth2_provider.generators import generate_client_secret
    from oauth2_provider.models import get_application_model

    from hrss.identity.clients import agency_client_create
    from hrss.medical.models import Institution, Insured

    Institution.objects.update_or_create(
        code=HOSPITAL_CODE,
        defaults={
            "name": "基准医院（结算吞吐）",
            "kind": "hospital",
            "level": "2",
            "region": "120100",
            "district": "120101",
            "client_name": CLIENT_NAME,
            "source": INSTITUTION_SOURCE,
        },
    )
    Application = get_application_model()
    application = Application.objects.filter(name=CLIENT_NAME).first()
    if application is None:
        agency_client_create(name=CLIENT_NAME, scopes=[GRANT], actor="bench")
        application = Application.objects.get(name=CLIENT_NAME)
    secret = generate_client_secret()
    application.client_secret = secret  # hashed when saved
    application.save()
    balance = Insured.objects.aggregate(total=Sum("account_balance"))["total"] or Decimal(0)
    return {"client_id": application.client_id, "secret": secret, "balance": str(balance)}


def codes(count: int, seed: int, out: Path) -> dict[str, Any]:
    """A body per insured person with an active electronic card (up to ``count``): a fresh code
    and a bill of one to three lines, the transaction id left for the load generator."""
    import time as clock

    from hrss.card import services, tokens
    from hrss.card.models import Card
    from hrss.medical.models import Insured

    insured = Insured.objects.values("person_id")
    cards = list(
        Card.objects.filter(status="active", ecard_issued_at__isnull=False, person_id__in=insured)
        .order_by("pk")
        .values_list("pk", "ecard_epoch")
    )
    rng = random.Random(seed)
    cards = rng.sample(cards, min(count, len(cards)))
    key, now = services.ecard_token_key(), clock.time()
    lines = []
    for pk, epoch in cards:
        code, _claims = tokens.token_sign(
            key=key, card_id=pk, epoch=epoch, now=now, ttl_seconds=services.CODE_TTL_SECONDS
        )
        body = {"transaction_id": FRESH, "ecard_code": code, "pooling": "outpatient", "lines": bill(rng)}
        lines.append(json.dumps(body, ensure_ascii=False))
    out.write_text("".join(f"{line}\n" for line in lines))
    return {"bodies": len(lines)}


def check(prefix: str, sent: list[str], balance_before: Decimal) -> dict[str, Any]:
    """What the run wrote, against what was sent: the problems found (none when it adds up)."""
    from collections import Counter

    from django.db.models import Sum
    from django.utils import timezone

    from hrss.core.scope import Scope
    from hrss.medical import selectors
    from hrss.medical.models import Claim, ClaimLine, Institution, Insured

    problems: list[str] = []
    institution = Institution.objects.get(code=HOSPITAL_CODE)
    rows = list(
        Claim.objects.filter(institution=institution, transaction_id__startswith=prefix).values_list(
            "id", "transaction_id", "kind", "total", "fund", "patient", "account", "cash"
        )
    )
    stored = Counter(row[1] for row in rows)
    twice = [tid for tid, n in stored.items() if n > 1]
    if twice:
        problems.append(f"{len(twice)} transaction ids stored more than once, e.g. {twice[:3]}")
    wanted = Counter(sent)
    if any(n > 1 for n in wanted.values()):
        problems.append("the load generator sent a transaction id twice")
    missing, extra = set(wanted) - set(stored), set(stored) - set(wanted)
    if missing:
        problems.append(f"{len(missing)} settlements sent and answered are not stored, e.g. {sorted(missing)[:3]}")
    if extra:
        problems.append(f"{len(extra)} settlements stored were never sent, e.g. {sorted(extra)[:3]}")
    lines: dict[Any, list[tuple[Decimal, Decimal, Decimal]]] = {}
    for claim_id, quantity, price, amount in ClaimLine.objects.filter(
        claim__institution=institution, claim__transaction_id__startswith=prefix
    ).values_list("claim_id", "quantity", "unit_price", "amount"):
        lines.setdefault(claim_id, []).append((quantity, price, amount))
    fund = account = Decimal(0)
    for pk, tid, kind, total, paid_fund, patient, paid_account, cash in rows:
        bill_lines = lines.get(pk, [])
        if kind != Claim.Kind.SETTLEMENT:
            problems.append(f"{tid}: kind {kind}")
        if not 1 <= len(bill_lines) <= 3:
            problems.append(f"{tid}: {len(bill_lines)} lines")
        if any((q * p).quantize(Decimal("0.01")) != a for q, p, a in bill_lines):
            problems.append(f"{tid}: a line's amount is not quantity x price")
        if sum((a for _q, _p, a in bill_lines), Decimal(0)) != total:
            problems.append(f"{tid}: lines {sum(a for _q, _p, a in bill_lines)} != total {total}")
        if paid_fund + patient != total or paid_account + cash != patient or min(paid_fund, paid_account, cash) < 0:
            problems.append(f"{tid}: fund {paid_fund} + account {paid_account} + cash {cash} != total {total}")
        fund += paid_fund
        account += paid_account
    balance_after = Insured.objects.aggregate(total=Sum("account_balance"))["total"] or Decimal(0)
    if balance_before - balance_after != account:
        problems.append(f"personal accounts fell by {balance_before - balance_after}, the settlements paid {account}")
    # The settlement files of the bench hospital (what it reconciles against) total the same:
    # the days on which the run's claims were settled (one, unless the run crossed midnight).
    scope = Scope(actor=CLIENT_NAME, roles=frozenset({"agency_client"}), grants=frozenset({GRANT}), districts=None)
    days = {
        timezone.localdate(at)
        for at in Claim.objects.filter(institution=institution).values_list("created_at", flat=True).distinct()
    }
    file_lines, file_fund = 0, Decimal(0)
    for day in sorted(days):
        data, _digest = selectors.settlement_file(scope=scope, day=day)
        totals = _file_totals(data.decode())
        if totals is None:
            problems.append(f"the settlement file of {day} has no totals line with a fund column")
            continue
        file_lines, file_fund = file_lines + totals[0], file_fund + totals[1]
    if (file_lines, file_fund) != (len(rows), fund):
        problems.append(
            f"the settlement files total {file_lines} lines, fund {file_fund}; the claims {len(rows)}, {fund}"
        )
    return {
        "claims": len(rows),
        "lines": sum(len(v) for v in lines.values()),
        "fund": float(fund),
        "account": float(account),
        "problems": problems,
    }


def _file_totals(text: str) -> tuple[int, Decimal] | None:
    """The settlement file's totals line (its last): the number of lines and the fund column."""
    import csv
    import io

    table = [row for row in csv.reader(io.StringIO(text)) if row]
    if len(table) < 2 or "fund" not in table[0]:
        return None
    try:
        return int(table[-1][1]), Decimal(table[-1][table[0].index("fund")])
    except (ArithmeticError, IndexError, ValueError):
        return None


def counts() -> dict[str, int]:
    from hrss.card.models import Card
    from hrss.medical.models import Insured
    from hrss.registry.models import Person

    return {
        "persons": Person.objects.count(),
        "insured": Insured.objects.count(),
        "ecards": Card.objects.filter(status="active", ecard_issued_at__isnull=False).count(),
    }


def clean() -> dict[str, int]:
    """Before a new city on PostgreSQL (emptied by TRUNCATE, not re-created): the synthetic and
    bench institutions and what refers to them, which the person TRUNCATE does not reach."""
    from hrss.medical.models import (
        BankPayment,
        Claim,
        Institution,
        MonitoringFlag,
        SettlementReconciliation,
    )
    from hrss.medical.synth.visits import SOURCE

    sources = [SOURCE, INSTITUTION_SOURCE]
    Claim.objects.filter(institution__source__in=sources, original__isnull=False).delete()
    removed = Claim.objects.filter(institution__source__in=sources).delete()[0]
    for model in (MonitoringFlag, SettlementReconciliation, BankPayment):
        model.objects.filter(institution__source__in=sources).delete()  # type: ignore[attr-defined]
    removed += Institution.objects.filter(source__in=sources).delete()[0]
    return {"removed": removed}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.claim_settle")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("prepare")
    made = sub.add_parser("codes")
    made.add_argument("--count", type=int, default=SAMPLE)
    made.add_argument("--seed", type=int, default=2020)
    made.add_argument("--out", type=Path, required=True)
    checking = sub.add_parser("check")
    checking.add_argument("--prefix", required=True)
    checking.add_argument("--sent", type=Path, required=True)
    checking.add_argument("--balance", required=True)
    sub.add_parser("counts")
    sub.add_parser("clean")
    options = parser.parse_args(argv)
    _setup()
    started = time.perf_counter()
    if options.action == "prepare":
        result: dict[str, Any] = prepare()
    elif options.action == "codes":
        result = codes(options.count, options.seed, options.out)
    elif options.action == "check":
        sent = [line.strip() for line in options.sent.read_text().splitlines() if line.strip()]
        result = check(options.prefix, sent, Decimal(options.balance))
    elif options.action == "counts":
        result = counts()
    else:
        result = clean()
    result["seconds"] = round(time.perf_counter() - started, 3)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
