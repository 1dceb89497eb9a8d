"""The ``visits`` step: the synthetic city's insured persons and their settled medical visits.

Every person of the city is insured (``Insured``: employees and retirees with a personal
account, children and the rest as residents) in the city's pooling region. Designated
institutions are added to the reference ones, in each district by its population (community
hospitals, level two and three hospitals, pharmacies). Over the history each person visits
(more often with age): outpatient visits at a home institution, chronic refills every four weeks
or so, now and then an admission, all before their death; a small share live in another region
and are treated there (cross-region, at the reduced ratio). Each visit is settled by the
settlement rule (``rules.settle``) under the policy in force, with the person's deductible and
cap used so far in the year and their account, and loaded set-based (``ctx.loader``) with its
bill lines.

Planted anomalies, a known number of each monitoring rule's kind, on persons reserved for them
(so nothing else they do looks like an anomaly): an early refill, an item of the other sex, a
duplicate bill, a readmission, too large a quantity, a visit in two cities on one day, a visit
after death; an institution whose bills are padded (the isolation forest's outlier) and one
whose last month jumps. What was planted is only in the run's report (``ctx.labels["medical"]``:
the findings' subjects by rule, ids as 32-digit hex), never in a table the monitoring reads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from hrss.medical import rules
from hrss.medical.models import (
    CatalogueItem,
    ChronicDisease,
    Claim,
    ClaimLine,
    DiseaseRecognition,
    Institution,
    Insured,
    Policy,
)
from hrss.medical.synth import bills
from hrss.synth.public import Advance, PersonCore, Step, SynthContext, districts, person_core, register, uuid4_hex

STEP = "visits"
LABELS = "medical"
REGION = "120100"  # the city's pooling region (the reference institutions' and policies')
INSTITUTIONS_PER_PERSON = 1 / 250
MIN_INSTITUTIONS = 30
PLANT_SHARE = 0.002  # of the persons, per person-level rule
AFTER_DEATH_SHARE = 0.8  # of the persons who die within the history
JUMP_RESERVE_SHARE = 0.004  # persons kept for the jump institution's last month
ELSEWHERE_SHARE = 0.01  # persons living in another region, treated there
PERSON_PLANTS = (
    "early_refill",
    "sex_age",
    "duplicate_billing",
    "readmission",
    "quantity_limit",
    "two_places",
    "outlier_person",
)
DOCTORS = {"3": 8, "2": 6, "1": 3, "": 0}  # practitioners per institution, by level (none at a pharmacy)
SOURCE = "synthetic city (hrss synth): a demo designation, not a real institution"

INSTITUTION_COLUMNS = (
    "id", "created_at", "updated_at", "code", "name", "kind", "level", "region", "district", "client_name", "source",
)  # fmt: skip
RECOGNITION_COLUMNS = (
    "id", "created_at", "updated_at", "person_id", "disease_id", "valid_from", "valid_to", "diagnosed_by",
    "recognised_by", "note",
)  # fmt: skip
INSURED_COLUMNS = ("id", "created_at", "updated_at", "person_id", "category_id", "region", "account_balance", "since")
CLAIM_COLUMNS = (
    "id", "created_at", "updated_at", "institution_id", "transaction_id", "request_hash", "kind", "original_id",
    "person_id", "policy_id", "pooling", "visit_date", "disease", "doctor", "cross_region", "referred", "total", "out_of_catalogue",
    "class_b_self_pay", "scope", "deductible_applied", "fund", "over_cap", "patient", "account", "cash",
    "reversed_at",
)  # fmt: skip
LINE_COLUMNS = (
    "claim_id", "line_no", "code", "name", "klass", "quantity", "unit_price", "amount", "out_of_catalogue",
    "class_b_self_pay",
)  # fmt: skip


@dataclass(frozen=True)
class Place:
    id: str  # 32-digit hex
    kind: str
    level: str
    region: str
    district: str
    doctors: tuple[str, ...]  # the practitioner codes of its doctors


@dataclass
class Holder:
    """An insured person as the step settles their visits: category, account, the year's totals."""

    id: str
    patient: bills.Patient
    category: str
    has_account: bool
    balance: Decimal
    deductible: dict[tuple[str, int], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    fund: dict[tuple[str, int], Decimal] = field(default_factory=lambda: defaultdict(Decimal))


@dataclass(frozen=True)
class Terms:
    id: str
    valid_from: dt.date
    valid_to: dt.date | None
    deductible: Decimal
    per_visit: bool
    bands: list[rules.Band]
    cap: Decimal
    outing_reduction: Decimal


class Settler:
    """Settles the step's visits as the settlement service would, into rows for the loader."""

    def __init__(self, ctx: SynthContext) -> None:
        self.ctx = ctx
        self.stamp = ctx.loader.timestamp(ctx.now)
        self.policies: dict[tuple[str, str, str], list[Terms]] = defaultdict(list)
        for p in Policy.objects.filter(region=REGION).order_by("-valid_from"):
            self.policies[(p.category_id, p.pooling, p.level)].append(
                Terms(
                    p.pk.hex,
                    p.valid_from,
                    p.valid_to,
                    p.deductible,
                    p.deductible_per_visit,
                    rules.bands_check(p.bands),
                    p.annual_cap,
                    p.outing_reduction,
                )
            )
        self.catalogue: dict[str, tuple[str, str, Decimal]] = {}
        for item in CatalogueItem.objects.filter(region__in=(REGION, "100000")).order_by("code", "region"):
            self.catalogue.setdefault(item.code, (item.name, item.klass, item.self_pay_share))
        self.diseases = dict(ChronicDisease.objects.values_list("code", "valid_from"))
        self.claims: list[tuple[Any, ...]] = []
        self.recognitions: list[tuple[Any, ...]] = []
        self.lines: list[tuple[Any, ...]] = []
        self.monthly: dict[tuple[str, str], float] = defaultdict(float)
        self.count = self.line_count = self.recognitions_count = 0

    def terms(self, category: str, pooling: str, level: str, day: dt.date) -> Terms | None:
        for terms in self.policies.get((category, pooling, level), ()):
            if terms.valid_from <= day and (terms.valid_to is None or day <= terms.valid_to):
                return terms
        return None

    def settle(
        self,
        rng: np.random.Generator,
        holder: Holder,
        place: Place,
        pooling: str,
        day: dt.date,
        bill: bills.Bill,
        doctor: str | None = None,
        disease: str = "",
    ) -> str | None:
        """Settle one visit (by ``doctor``, else one of the place's); its claim's id (hex), or None
        where no policy is in force. A visit for a recognised ``disease`` settles as 门特."""
        if disease:
            pooling = "chronic"
        terms = self.terms(holder.category, pooling, "" if disease else place.level, day)
        if terms is None or not bill:
            return None
        claim_id = uuid4_hex(rng, 1)[0]
        total = outside = class_b = rules.ZERO
        for number, (code, (quantity, unit_price)) in enumerate(bill.items(), start=1):
            name, klass, share = self.catalogue.get(code, (code, "C", rules.ZERO))
            q, p = Decimal(str(quantity)), Decimal(str(unit_price))
            split = rules.line_split(quantity=q, unit_price=p, klass=klass, self_pay_share=share)
            total += split.amount
            outside += split.out_of_catalogue
            class_b += split.class_b_self_pay
            self.lines.append(
                (claim_id, number, code, name, klass, str(q), str(p), str(split.amount),
                 str(split.out_of_catalogue), str(split.class_b_self_pay))
            )  # fmt: skip
        cross = place.region != REGION
        bands = rules.bands_reduce(terms.bands, terms.outing_reduction) if cross else terms.bands
        key = (pooling, day.year)
        deductible = terms.deductible if terms.per_visit else max(rules.ZERO, terms.deductible - holder.deductible[key])
        result = rules.settle(
            total=total,
            out_of_catalogue=outside,
            class_b_self_pay=class_b,
            deductible=deductible,
            bands=bands,
            cap_remaining=max(rules.ZERO, terms.cap - holder.fund[key]),
        )
        applied = rules.money(min(result.scope, deductible))
        holder.deductible[key] += applied
        holder.fund[key] += result.fund
        paid = rules.payment_split(
            patient=result.patient, account_balance=holder.balance, use_account=holder.has_account
        )
        holder.balance -= paid.account
        self.count += 1
        if doctor is None:
            doctor = place.doctors[int(rng.integers(len(place.doctors)))] if place.doctors else ""
        self.claims.append(
            (claim_id, self.stamp, self.stamp, place.id, f"SYN{self.ctx.params.seed}-{self.count}", "",
             Claim.Kind.SETTLEMENT.value, None, holder.id, terms.id, pooling, day.isoformat(), disease, doctor, cross, False,
             str(total), str(outside), str(class_b), str(result.scope), str(applied), str(result.fund),
             str(result.over_cap), str(result.patient), str(paid.account), str(paid.cash), None)
        )  # fmt: skip
        self.monthly[(place.id, f"{day:%Y-%m}")] += float(result.fund)
        return claim_id

    def recognise(self, rng: np.random.Generator, holder: Holder, disease: str, since: dt.date) -> dt.date:
        """A recognition of the person's chronic disease (门特认定), in force from ``since`` (not
        before the disease is on the list); the day it is in force from."""
        since = max(since, self.diseases[disease])
        self.recognitions.append(
            (uuid4_hex(rng, 1)[0], self.stamp, self.stamp, holder.id, disease, since.isoformat(), None, "",
             "synth", "")
        )  # fmt: skip
        return since

    def flush(self) -> None:
        """Load what was settled since the last flush (one table at a time: a COPY holds the connection)."""
        for model, columns, rows in (
            (DiseaseRecognition, RECOGNITION_COLUMNS, self.recognitions),
            (Claim, CLAIM_COLUMNS, self.claims),
            (ClaimLine, LINE_COLUMNS, self.lines),
        ):
            if rows:
                with self.ctx.loader.copy(model, columns) as write:
                    write(rows)
        self.line_count += len(self.lines)
        self.recognitions_count += len(self.recognitions)
        self.claims, self.lines, self.recognitions = [], [], []


def _institutions(ctx: SynthContext) -> list[tuple[Any, ...]]:
    """The synthetic city's designated institutions, in each district by its population."""
    rng = ctx.rng(STEP, 0, 1)
    city = districts()
    count = max(MIN_INSTITUTIONS, round(ctx.params.persons * INSTITUTIONS_PER_PERSON))
    per_district = np.maximum(1, np.round(city.shares * count)).astype(int)
    stamp = ctx.loader.timestamp(ctx.now)
    rows, serial = [], 0
    for code, name, n in zip(city.codes, city.names, per_district.tolist(), strict=True):
        for k in range(n):
            serial += 1
            u = rng.random()
            # the first of each district is a level-two hospital, so every district can admit
            kind, level = ("hospital", "2") if k == 0 else ("pharmacy", "") if u < 0.15 else ("hospital", "1")
            if k and kind == "hospital" and u > 0.85:
                level = "3"
            prefix = "P" if kind == "pharmacy" else "H"
            title = f"{name}{'医药连锁药房' if kind == 'pharmacy' else '医院'}第{k + 1}号"
            rows.append(
                (uuid4_hex(rng, 1)[0], stamp, stamp, f"{prefix}{code}9{serial:04d}", title[:120], kind, level,
                 REGION, code, None, SOURCE)
            )  # fmt: skip
    return rows


def _category(rng: np.random.Generator, age: float, male: bool) -> tuple[str, Decimal]:
    """Category and opening account balance: retirees from 60 (men) or 55, most adults employed."""
    if age >= (60 if male else 55) and rng.random() < 0.85:
        return "retiree", Decimal(int(rng.integers(1000, 6000)))
    if 18 <= age < 60 and rng.random() < 0.65:
        return "employee", Decimal(int(rng.integers(500, 4000)))
    return "resident", rules.ZERO


def _day(value: np.datetime64) -> dt.date:
    return dt.date.fromisoformat(str(value.astype("datetime64[D]")))


@register
class VisitsStep(Step):
    name = STEP
    label = "Medical visits"
    requires = ("persons",)

    def total(self, ctx: SynthContext) -> int:
        return ctx.params.persons

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        from hrss.medical.synth.plants import Planter

        with ctx.loader.copy(Institution, INSTITUTION_COLUMNS) as write:
            synthetic = _institutions(ctx)
            write(synthetic)
        places = [
            Place(
                pk.hex,
                kind,
                level,
                region,
                district,
                tuple(f"D{district}{n:03d}{k:02d}" for k in range(DOCTORS.get(level, 0))),
            )
            for n, (pk, kind, level, region, district) in enumerate(
                Institution.objects.order_by("code").values_list("pk", "kind", "level", "region", "district")
            )
        ]
        settler = Settler(ctx)
        planter = Planter(ctx, settler, places, {row[0] for row in synthetic})
        stamp = ctx.loader.timestamp(ctx.now)
        insured = 0
        for block in ctx.blocks(ctx.params.persons):
            core = person_core(ctx, block)
            rng = ctx.rng(STEP, block.index, 2)
            rows = [self._person(ctx, rng, core, i, planter, stamp) for i in range(core.size)]
            with ctx.loader.copy(Insured, INSURED_COLUMNS) as write:
                write(rows)
            insured += len(rows)
            settler.flush()
            advance(block.size)
        planter.jump()
        settler.flush()
        ctx.labels[LABELS] = planter.labels
        return {
            Institution._meta.db_table: len(synthetic),
            Insured._meta.db_table: insured,
            Claim._meta.db_table: settler.count,
            ClaimLine._meta.db_table: settler.line_count,
            DiseaseRecognition._meta.db_table: settler.recognitions_count,
        }

    def _person(
        self, ctx: SynthContext, rng: np.random.Generator, core: PersonCore, i: int, planter: Any, stamp: str
    ) -> tuple[Any, ...]:
        age, male = float(core.age[i]), bool(core.male[i])
        category, balance = _category(rng, age, male)
        holder = Holder(
            core.uuid_hex[i], bills.Patient(male, _day(core.birth[i])), category, category != "resident", balance
        )
        planter.person(rng, holder, age, core.residence[i], core.death[i])
        since = max(_day(core.birth[i]), dt.date(2000, 1, 1))
        return (uuid4_hex(rng, 1)[0], stamp, stamp, holder.id, category, REGION, str(holder.balance), since.isoformat())
