"""claims-screen: the medical smart monitoring (S6) — every rule and the isolation forest — over
N settlements (N = the scale's persons: 100,000 small, 1,000,000 large), against one plain
aggregate pass over the same claims.

For each database: a fresh migrated database and ``hrss synth --steps persons`` for the insured.
Then, inside Django (not timed): designated institutions of the bench, N settlements with one
to three lines each written in bulk — ordinary ones that break no rule (drugs a day's supply,
no limited item, no one after death) — and planted anomalies of every kind, their labels kept
in this process only, never in a table the monitoring reads: early refills, items of the other
sex, duplicate bills, readmissions within 15 days, quantities over the limit, settlements
after death, one card in two cities the same day, an institution whose billing jumps, and one
whose profile is an outlier (few patients, heavy in drugs).

Figures, ``repeat`` times on the same data (the cases of the run before removed):

- ``services.monitoring_run``: one query of the window's lines, every rule set-based in polars,
  the isolation forest over the institutions' profiles, the cases written in bulk;
- precision and recall of the cases against the planted labels, per rule and overall.

Baseline, in the same run: one ``SELECT person, code, COUNT(*), SUM(quantity), SUM(amount)``
over the same lines joined to their claims (a single aggregate pass). Ratio: the monitoring
run / the pass. Target (issue #19): 1,000,000 claims in under 60 s at the large scale.

Inside Django: ``python -m bench.claims_screen measure --claims N --seed S``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bench.common import PYTHON, Database, Scale, hrss, median, run, run_json

NAME = "claims-screen"
TARGET_SECONDS = 60.0
PREFIX = "BENCH-"
NORMAL_CODES = (("110200001", 1, "25"), ("250101001", 1, "25"), ("220600001", 1, "120"), ("210300001", 1, "300"))
DAY_SUPPLY = (("C10AA05", 1, "5"), ("A10BA02", 3, "0.5"), ("B01AC06", 1, "0.3"))  # a day's supply only


def measure(db: Database, scale: Scale, say: Callable[[str], None]) -> dict[str, Any]:
    say(f"{NAME} {db.kind}: hrss synth --steps persons --persons {scale.persons:,}")
    db.reset()
    args = hrss("synth", "--persons", str(scale.persons), "--employers", str(scale.employers))
    args += ["--months", str(scale.months), "--seed", str(scale.seed), "--steps", "persons", "--no-progress"]
    run(args, env=db.env(), timeout=7200)
    runs = []
    for attempt in range(scale.repeat):
        say(f"{NAME} {db.kind}: {scale.persons:,} claims screened ({attempt + 1}/{scale.repeat})")
        inside = [PYTHON, "-m", "bench.claims_screen", "measure", "--claims", str(scale.persons)]
        runs.append(run_json([*inside, "--seed", str(scale.seed)], env=db.env(), timeout=7200))
    screen = median([r["screen_s"] for r in runs])
    baseline = median([r["pass_s"] for r in runs])
    last = runs[-1]
    return {
        "name": NAME,
        "database": db.kind,
        "figure": {"label": f"monitoring run over {last['claims']:,} claims", "value": screen, "unit": "s"},
        "baseline": {"label": "one aggregate pass over the same lines", "value": baseline, "unit": "s"},
        "ratio": screen / baseline,
        "extra": {
            "claims": last["claims"],
            "lines": last["lines"],
            "cases raised": last["cases"],
            "precision": last["precision"],
            "recall": last["recall"],
            "per rule (planted, raised, true)": last["per_rule"],
            "target, seconds": TARGET_SECONDS,
        },
    }


def _institution(code: str, name: str, district: str, region: str = "120100") -> Any:
    from hrss.medical.models import Institution

    institution, _created = Institution.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": "hospital",
            "level": "2",
            "region": region,
            "district": district,
            "source": "bench",
        },
    )
    return institution


class _Writer:
    """Settlements and their lines, written in bulk."""

    def __init__(self, policy: Any):
        self.policy = policy
        self.claims: list[Any] = []
        self.lines: list[Any] = []

    def add(
        self,
        institution: Any,
        person_id: Any,
        day: dt.date,
        rows: list[tuple[str, float, str]],
        pooling: str = "outpatient",
    ) -> Any:
        from hrss.medical.models import Claim, ClaimLine

        claim_id = uuid.uuid4()
        total = Decimal(0)
        for number, (code, quantity, price) in enumerate(rows, start=1):
            amount = (Decimal(str(quantity)) * Decimal(price)).quantize(Decimal("0.01"))
            total += amount
            self.lines.append(
                ClaimLine(
                    claim_id=claim_id,
                    line_no=number,
                    code=code,
                    name=code,
                    klass="A",
                    quantity=Decimal(str(quantity)),
                    unit_price=Decimal(price),
                    amount=amount,
                    out_of_catalogue=0,
                    class_b_self_pay=0,
                )
            )
        fund = (total * Decimal("0.7")).quantize(Decimal("0.01"))
        self.claims.append(
            Claim(
                id=claim_id,
                institution=institution,
                transaction_id=f"{PREFIX}{claim_id.hex[:20]}",
                request_hash="bench",
                person_id=person_id,
                policy=self.policy,
                pooling=pooling,
                visit_date=day,
                total=total,
                out_of_catalogue=0,
                class_b_self_pay=0,
                scope=total,
                deductible_applied=0,
                fund=fund,
                over_cap=0,
                patient=total - fund,
                account=0,
                cash=total - fund,
            )
        )
        return claim_id

    def flush(self) -> None:
        from hrss.medical.models import Claim, ClaimLine

        Claim.objects.bulk_create(self.claims, batch_size=5000)
        ClaimLine.objects.bulk_create(self.lines, batch_size=10000)
        self.claims, self.lines = [], []


def _populate(claims: int, rng: random.Random, on: dt.date) -> tuple[dict[str, set[str]], int]:
    """Write the settlements (if not there yet); the planted labels, ``rule -> {key}``: the
    person for person rules, the first claim for claim rules, the institution for the others."""
    from django.db import transaction

    from hrss.medical.models import Claim, Institution, Policy
    from hrss.registry.models import Person

    living = list(Person.objects.filter(death_date__isnull=True).values_list("pk", "sex").order_by("pk"))
    planted: dict[str, set[str]] = defaultdict(set)
    districts = ["120101", "120102", "120103", "120104", "120105", "120106"]
    institutions = [
        _institution(f"BH{n:05d}", f"基准医院{n}", districts[n % len(districts)])
        for n in range(max(40, claims // 2000))
    ]
    jump = _institution("BH-JUMP", "基准医院（费用突增）", "120101")
    outlier = _institution("BH-ODD", "基准医院（画像离群）", "120102")
    beijing = Institution.objects.get(code="H11010100001")
    Claim.objects.filter(transaction_id__startswith=PREFIX).delete()  # lines go with them (CASCADE)
    writer = _Writer(Policy.objects.order_by("pk").first())
    k = max(5, claims // 10000)
    planted_claims = 0

    def day(low: int = 20, high: int = 330) -> dt.date:
        return on - dt.timedelta(days=rng.randrange(low, high))

    # The planted ones, on persons of their own (the first 8k of the living).
    reserved = living[-12 * k :]  # planted ones only on these; the ordinary ones on the others
    people = iter(rng.sample(reserved, len(reserved)))
    for _ in range(k):
        person, _sex = next(people)
        place, first = rng.choice(institutions), day(40)
        writer.add(place, person, first, [("C10AA05", 28, "5")])
        writer.add(place, person, first + dt.timedelta(days=10), [("C10AA05", 28, "5")])  # 18 days left
        planted["early_refill"].add(str(person))
        person, sex = next(people)
        item = "311201001" if sex == "M" else "311000017"
        planted["sex_age"].add(str(writer.add(rng.choice(institutions), person, day(), [(item, 1, "30")])))
        person, _sex = next(people)
        place, when = rng.choice(institutions), day()
        writer.add(place, person, when, [("250101001", 1, "25")])
        writer.add(place, person, when, [("250101001", 1, "25")])
        planted["duplicate_billing"].add(str(person))
        person, _sex = next(people)
        place, when = rng.choice(institutions), day(40)
        writer.add(place, person, when, [("120100001", 5, "100")], pooling="inpatient")
        writer.add(place, person, when + dt.timedelta(days=9), [("120100001", 5, "100")], pooling="inpatient")
        planted["readmission"].add(str(person))
        person, _sex = next(people)
        planted["quantity_limit"].add(
            str(writer.add(rng.choice(institutions), person, day(), [("J01CA04", 100, "0.5")]))
        )
        person, _sex = next(people)
        when = day()
        writer.add(rng.choice(institutions), person, when, [("110200001", 1, "25")])
        writer.add(beijing, person, when, [("110200001", 1, "25")])
        planted["two_places"].add(str(person))
        planted_claims += 10
    dead = [next(people)[0] for _ in range(k)]
    for person in dead:
        planted["after_death"].add(
            str(writer.add(rng.choice(institutions), person, day(20, 60), [("110200001", 1, "25")]))
        )
        planted_claims += 1
    # The institution whose billing jumps: steady, then four times as much in the last month.
    normal = [p for p, _sex in living[: max(1, len(living) - 12 * k)]]  # never a planted one
    for months_ago, count in ((4, 40), (3, 40), (2, 40), (1, 160)):
        for _ in range(count):
            when = on.replace(day=1) - dt.timedelta(days=30 * months_ago - 5 - rng.randrange(20))
            writer.add(jump, rng.choice(normal), when, [("210300001", 1, "300"), ("220600001", 1, "120")])
            planted_claims += 1
    planted["billing_jump"].add(str(jump.pk))
    # The outlier: few patients, each settled often (never twice a day), heavy in drugs and in amount.
    for regular in rng.sample(normal, 20):
        for days_ago in rng.sample(range(1, 300), 8):
            drugs: list[tuple[str, float, str]] = [("C10AA05", 1, "900"), ("A10BA02", 3, "300")]
            writer.add(outlier, regular, on - dt.timedelta(days=days_ago), drugs)
            planted_claims += 1
    planted["outlier_institution"].add(str(outlier.pk))
    # The ordinary settlements.
    for _ in range(max(0, claims - planted_claims)):
        rows = [NORMAL_CODES[0], *rng.sample([*NORMAL_CODES[1:], *DAY_SUPPLY], rng.randrange(0, 3))]
        inpatient = rng.random() < 0.05
        writer.add(
            rng.choice(institutions),
            rng.choice(normal),
            day(1, 360),
            [(c, q, p) for c, q, p in rows],
            pooling="inpatient" if inpatient else "outpatient",
        )
        if len(writer.claims) >= 20000:
            with transaction.atomic():
                writer.flush()
    with transaction.atomic():
        writer.flush()
        Person.objects.filter(pk__in=dead).update(death_date=on - dt.timedelta(days=90))
    return planted, Claim.objects.filter(transaction_id__startswith=PREFIX).count()


def _found() -> dict[str, set[str]]:
    from hrss.medical.models import MonitoringFlag

    found: dict[str, set[str]] = defaultdict(set)
    for rule, person, institution, evidence in MonitoringFlag.objects.values_list(
        "rule", "person_id", "institution_id", "evidence"
    ).iterator():
        if rule in ("sex_age", "quantity_limit", "after_death"):
            found[rule].add(str(uuid.UUID(evidence["claims"][0])))
        elif rule in ("billing_jump", "outlier_institution"):
            found[rule].add(str(institution))
        else:
            found[rule].add(str(person))
    return found


def _pass(start: dt.date, end: dt.date) -> float:
    """The baseline: one aggregate pass over the window's lines joined to their claims."""
    from django.db import connection

    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            "SELECT c.person_id, l.code, COUNT(*), SUM(l.quantity), SUM(l.amount) FROM medical_claimline l"
            " JOIN medical_claim c ON c.id = l.claim_id WHERE c.kind = 'settlement'"
            " AND c.visit_date BETWEEN %s AND %s GROUP BY c.person_id, l.code",
            [start, end],
        )
        rows = cursor.fetchall()
        elapsed = time.perf_counter() - started
    if not rows:
        raise RuntimeError("the aggregate pass found no lines")
    return elapsed


def measure_inside(claims: int, seed: int) -> dict[str, Any]:
    from django.utils import timezone

    from hrss.core.scope import Scope
    from hrss.medical import services
    from hrss.medical.models import MonitoringFlag, MonitoringRun

    rng = random.Random(seed)
    on = timezone.localdate()
    planted, written = _populate(claims, rng, on)
    MonitoringFlag.objects.all().delete()
    MonitoringRun.objects.all().delete()
    started = time.perf_counter()
    done = services.monitoring_run(scope=Scope.system("bench"), on=on)
    screen_s = time.perf_counter() - started
    pass_s = _pass(done.window_from, done.window_to)
    found = _found()
    per_rule, hits, raised, expected = {}, 0, 0, 0
    for rule in sorted(set(planted) | set(found)):
        true = len(planted[rule] & found[rule])
        per_rule[rule] = f"{len(planted[rule])}, {len(found[rule])}, {true}"
        hits, raised, expected = hits + true, raised + len(found[rule]), expected + len(planted[rule])
    return {
        "claims": written,
        "lines": done.lines,
        "cases": done.new_flags,
        "screen_s": screen_s,
        "pass_s": pass_s,
        "precision": round(hits / raised, 4) if raised else 0.0,
        "recall": round(hits / expected, 4) if expected else 0.0,
        "per_rule": json.dumps(per_rule, ensure_ascii=False),
    }


def main(argv: list[str]) -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrss.settings")
    import django

    django.setup()
    parser = argparse.ArgumentParser(prog="python -m bench.claims_screen")
    parser.add_argument("action", choices=["measure"])
    parser.add_argument("--claims", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2020)
    options = parser.parse_args(argv)
    print(json.dumps(measure_inside(options.claims, options.seed)))


if __name__ == "__main__":
    main(sys.argv[1:])
