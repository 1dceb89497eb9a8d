"""card-verify: electronic-card code verifications per second through the API, against a bare endpoint.

What a hospital's or pharmacy's system does at every counter: ``POST /api/v1/card/verify-code``
with a code a holder shows, authenticated by an agency client's OAuth2 access token with the
grant ``card:verify``. The city is loaded (``hrss synth --steps cards`` at the scale's size:
persons and their cards) unless the database already holds them; a sample of active electronic
cards gets fresh codes before every run (codes live 60 s). granian serves hrss as in
person-lookup (WSGI, 2 workers, DEBUG off); the load generator of ``bench.loadgen`` (``wrk``
with ``bench/wrk_post.lua`` when installed, else its Python client, which ``make install``
provides) keeps ``connections`` requests in flight and counts every answer that is not
``"valid"``, so a run that verified nothing cannot pass as fast. Baseline: ``/bench/bare`` in the same run.

The target (issue A5): at least 1,000 verifications/s on this machine with 2 workers.

Extra figure: the same verifications by a client that may also see the holder's name,
which makes every verification an audited disclosure (an entry in the audit hash chain).

The access token is written straight into the token table for the benchmark client rather
than fetched from ``/o/token/``: what is measured is the verification path, which checks
the token the same way. Inside Django: ``python -m bench.card_verify prepare ...``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import PYTHON, WORK, Database, Scale, free_port, hrss, median, run, run_json
from bench.loadgen import run_load, run_post_load
from bench.person_lookup import WARM_UP_SECONDS, WORKERS, _start_server, _stop, _wait_ready

NAME = "card-verify"
TARGET_RPS = 1000
SAMPLE = 5000
PATH = "/api/v1/card/verify-code"
VERIFY_ONLY = "card:verify"
WITH_NAME = "card:verify,card:holder_name"


def _prepare(db: Database, grants: str, bodies: Path) -> dict[str, Any]:
    args = [
        PYTHON,
        "-m",
        "bench.card_verify",
        "prepare",
        "--grants",
        grants,
        "--codes",
        str(SAMPLE),
        "--out",
        str(bodies),
    ]
    result: dict[str, Any] = run_json(args, env=db.env())
    if not result["codes"]:
        raise RuntimeError("the database holds no active electronic card to show codes of")
    return result


def _post_load(*, base: str, bodies: Path, token: str, connections: int, seconds: float) -> dict[str, Any]:
    """POSTing the bodies in turn; the figures plus how many answers were not "valid"."""
    return run_post_load(
        base=base, post_path=PATH, bodies=bodies, token=token, connections=connections, seconds=seconds
    )


def _synth_cards(db: Database, scale: Scale) -> None:
    """``hrss synth --steps cards`` (persons come with it) at this scale into ``db``."""
    args = hrss("synth", "--persons", str(scale.persons), "--employers", str(scale.employers))
    args += ["--months", str(scale.months), "--seed", str(scale.seed), "--steps", "cards", "--no-progress"]
    run(args, env=db.env())


def _counts(db: Database) -> dict[str, int]:
    try:
        result: dict[str, int] = run_json([PYTHON, "-m", "bench.card_verify", "counts"], env=db.env())
        return result
    except RuntimeError:  # not migrated yet
        return {"persons": 0, "ecards": 0}


def measure(db: Database, scale: Scale, say: Callable[[str], None]) -> dict[str, Any]:
    WORK.mkdir(parents=True, exist_ok=True)
    counts = _counts(db)
    if counts["persons"] != scale.persons or counts["ecards"] < SAMPLE // 10:
        say(f"{NAME} {db.kind}: loading a city of {scale.persons:,} persons with their cards")
        db.reset()
        _synth_cards(db, scale)
        counts = _counts(db)
    bodies = WORK / f"card-codes-{db.kind}.txt"
    bare_paths = WORK / "bare-paths.txt"
    bare_paths.write_text("/bench/bare\n")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = WORK / f"granian-card-{db.kind}.log"
    server = _start_server(db, port, log)
    runs: list[dict[str, Any]] = []
    bare_runs: list[dict[str, Any]] = []
    disclosing: list[dict[str, Any]] = []
    load: dict[str, Any] = {"base": base, "connections": scale.lookup_connections}
    try:
        _wait_ready(base, server, log)
        token = _prepare(db, VERIFY_ONLY, bodies)["token"]
        say(f"{NAME} {db.kind}: warming up")
        _post_load(bodies=bodies, token=token, seconds=WARM_UP_SECONDS, **load)
        run_load(paths=bare_paths, token="", seconds=WARM_UP_SECONDS, **load)
        for attempt in range(scale.repeat):
            say(
                f"{NAME} {db.kind}: {scale.lookup_seconds} s of code verifications, then of the bare endpoint ({attempt + 1}/{scale.repeat})"
            )
            token = _prepare(db, VERIFY_ONLY, bodies)["token"]  # fresh codes: they live 60 s
            runs.append(_post_load(bodies=bodies, token=token, seconds=scale.lookup_seconds, **load))
            bare_runs.append(run_load(paths=bare_paths, token="", seconds=scale.lookup_seconds, **load))
        say(f"{NAME} {db.kind}: verifications that disclose the holder's name (audited)")
        token = _prepare(db, WITH_NAME, bodies)["token"]
        disclosing.append(_post_load(bodies=bodies, token=token, seconds=scale.lookup_seconds, **load))
    finally:
        _stop(server)
    failed = sum(r["non_2xx"] + r["socket_errors"] + r["invalid"] for r in runs + disclosing)
    failed += sum(r["non_2xx"] + r["socket_errors"] for r in bare_runs)
    if failed:
        raise RuntimeError(f"{failed} requests failed or were not valid during {NAME} on {db.kind}: see {log}")
    figure = median([r["rps"] for r in runs])
    baseline = median([r["rps"] for r in bare_runs])
    return {
        "name": NAME,
        "database": db.kind,
        "figure": {"label": "electronic-card code verifications /s", "value": figure, "unit": "req/s"},
        "baseline": {"label": "bare endpoint /s (same middleware)", "value": baseline, "unit": "req/s"},
        "ratio": figure / baseline if baseline else float("nan"),
        "extra": {
            "target": f"{TARGET_RPS:,} verifications/s with {WORKERS} workers: {'met' if figure >= TARGET_RPS else 'NOT met'}",
            "p50 latency, ms": median([r["p50_ms"] for r in runs]),
            "p99 latency, ms": median([r["p99_ms"] for r in runs]),
            "verifications disclosing the holder's name (audited) /s": median([r["rps"] for r in disclosing]),
            "cards with an electronic card": counts["ecards"],
            "codes in rotation": SAMPLE,
            "load": f"{runs[0]['tool'] if runs else '-'}, {scale.lookup_connections} connections, {scale.lookup_seconds} s per run, OAuth2 agency token",
        },
        "runs": runs,
        "baseline_runs": bare_runs,
    }


# --- inside Django ----------------------------------------------------------------------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrss.settings")
    import django

    django.setup()


def prepare(grants: list[str], codes: int, out: Path) -> dict[str, Any]:
    """An agency client with ``grants`` and an access token; fresh codes of random electronic cards."""
    import datetime as dt
    import secrets
    import time

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model, get_application_model

    from hrss.card import services, tokens
    from hrss.card.models import Card
    from hrss.identity.clients import agency_client_create

    name = "bench-card-verifier " + "+".join(sorted(grants))
    application = get_application_model().objects.filter(name=name).first()
    if application is None:
        credentials = agency_client_create(name=name, scopes=grants, actor="bench")
        application = get_application_model().objects.get(client_id=credentials.client_id)
    token = "bench-" + secrets.token_urlsafe(32)
    get_access_token_model().objects.create(
        application=application,
        token=token,
        scope=" ".join(sorted(grants)),
        expires=timezone.now() + dt.timedelta(hours=2),
    )
    cards = list(
        Card.objects.filter(status="active", ecard_issued_at__isnull=False)
        .order_by("?")
        .values_list("pk", "ecard_epoch")[:codes]
    )
    key, now = services.ecard_token_key(), time.time()
    lines = []
    for pk, epoch in cards:
        code, _claims = tokens.token_sign(
            key=key, card_id=pk, epoch=epoch, now=now, ttl_seconds=services.CODE_TTL_SECONDS
        )
        lines.append(json.dumps({"code": code}))
    out.write_text("\n".join(lines) + "\n")
    return {"token": token, "codes": len(lines)}


def counts() -> dict[str, int]:
    from hrss.card.models import Card
    from hrss.registry.models import Person

    return {
        "persons": Person.objects.count(),
        "ecards": Card.objects.filter(status="active", ecard_issued_at__isnull=False).count(),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.card_verify")
    sub = parser.add_subparsers(dest="action", required=True)
    ready = sub.add_parser("prepare")
    ready.add_argument("--grants", default=VERIFY_ONLY)
    ready.add_argument("--codes", type=int, default=SAMPLE)
    ready.add_argument("--out", type=Path, required=True)
    sub.add_parser("counts")
    options = parser.parse_args(argv)
    _setup()
    if options.action == "prepare":
        result: dict[str, Any] = prepare(options.grants.split(","), options.codes, options.out)
    else:
        result = counts()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
