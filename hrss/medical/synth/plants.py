"""Who visits where and when in the ``visits`` step, and the anomalies it plants (with their labels).

``Planter.person`` decides each person's part: a carrier of one planted anomaly (and nothing
else), a patient kept for the jump institution's last month, or an ordinary patient (whose
visits are drawn so that no rule fires on them: one visit a day, refills on time, quantities
within the limits, items of their sex and age, nothing after death, one admission at most).
The labels are the subjects the monitoring's findings would carry, ids as 32-digit hex.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np

from hrss.medical.synth import bills
from hrss.medical.synth.visits import (
    AFTER_DEATH_SHARE,
    ELSEWHERE_SHARE,
    JUMP_RESERVE_SHARE,
    PERSON_PLANTS,
    PLANT_SHARE,
    REGION,
    STEP,
    Holder,
    Place,
    Settler,
)
from hrss.synth.public import SynthContext, districts

JUMP_RATIO = 2.5  # the jump month's fund, of the three months before (the rule's limit is 2)
JUMP_EXTRA = 15000  # yuan above that (the rule's minimum increase is 10,000)


def _pick(rng: np.random.Generator, options: list[Place]) -> Place:
    return options[int(rng.integers(len(options)))]


class Planter:
    def __init__(self, ctx: SynthContext, settler: Settler, places: list[Place], synthetic: set[str]) -> None:
        self.ctx, self.settler = ctx, settler
        self.start = ctx.params.window_start
        self.as_of = ctx.params.as_of
        rng = ctx.rng(STEP, 0, 3)
        # the city's patients go to its synthetic institutions (the reference ones are the demo's)
        city = [p for p in places if p.region == REGION and p.id in synthetic]
        self.elsewhere = [p for p in places if p.region != REGION and p.kind == "hospital"]
        self.home: dict[str, list[Place]] = defaultdict(list)
        self.wards: dict[str, list[Place]] = defaultdict(list)
        self.pharmacies = [p for p in city if p.kind == "pharmacy"]
        for place in city:
            if place.kind == "hospital":
                self.home[place.district].append(place)
            if place.kind == "hospital" and place.level in ("2", "3"):
                self.wards[place.district].append(place)
        self.all_home = [p for ps in self.home.values() for p in ps]
        self.all_wards = [p for ps in self.wards.values() for p in ps]
        ones = sorted((p for p in city if p.level == "1"), key=lambda p: p.id)
        twos = sorted((p for p in city if p.level == "2"), key=lambda p: p.id)
        self.outlier = _pick(rng, ones) if ones else None
        self.jumper = _pick(rng, twos) if twos else None
        others = [p for p in ones + twos if p not in (self.outlier, self.jumper) and p.doctors]
        self.padder = _pick(rng, others) if others else None  # one doctor there pads every bill
        self.reserve: list[Holder] = []
        self.labels: dict[str, list[str]] = {rule: [] for rule in (*PERSON_PLANTS, "after_death", "billing_jump")}
        self.labels["outlier_institution"] = [self.outlier.id] if self.outlier else []
        self.labels["outlier_doctor"] = [f"{self.padder.id}|{self.padder.doctors[0]}"] if self.padder else []
        if self.outlier:  # the outlier institution's doctors pad their bills too
            self.labels["outlier_doctor"] += [f"{self.outlier.id}|{doctor}" for doctor in self.outlier.doctors]
        self.codes = districts().codes

    # --- places ----------------------------------------------------------------------------------

    def _home(self, rng: np.random.Generator, district: str) -> Place:
        return _pick(rng, self.home.get(district) or self.all_home)

    def _ward(self, rng: np.random.Generator, district: str) -> Place:
        options = [p for p in (self.wards.get(district) or self.all_wards) if p != self.jumper] or self.all_wards
        return _pick(rng, options)

    def _date(self, rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=int(rng.integers((last - first).days + 1)))

    # --- a person ----------------------------------------------------------------------------------

    def person(self, rng: np.random.Generator, holder: Holder, age: float, residence: int, death: Any) -> None:
        died = None if np.isnat(death) else dt.date.fromisoformat(str(death))
        born = holder.patient.birth
        first = max(self.start, born)
        last = min(self.as_of, died - dt.timedelta(days=1)) if died else self.as_of
        district = self.codes[int(residence)]
        u = rng.random()
        whole = died is None and born < self.start - dt.timedelta(days=365 * 20) and age <= 80
        if whole and (self.as_of - self.start).days >= 40:
            if u < PLANT_SHARE * len(PERSON_PLANTS):
                getattr(self, f"_plant_{PERSON_PLANTS[int(u / PLANT_SHARE)]}")(rng, holder, district)
                return
            if u < (PLANT_SHARE * len(PERSON_PLANTS) + JUMP_RESERVE_SHARE):
                self.reserve.append(holder)
                return
        if last >= first:
            away = self.elsewhere and age >= 18 and rng.random() < ELSEWHERE_SHARE
            self._ordinary(rng, holder, age, district, first, last, away=bool(away))
        if died and self.start < died < self.as_of and rng.random() < AFTER_DEATH_SHARE:
            day = died + dt.timedelta(days=int(rng.integers(1, min(30, (self.as_of - died).days) + 1)))
            claim = self.settler.settle(
                rng, holder, self._home(rng, district), "outpatient", day, bills.outpatient(rng, holder.patient, day)
            )
            if claim:
                self.labels["after_death"].append(claim)

    def _ordinary(
        self,
        rng: np.random.Generator,
        holder: Holder,
        age: float,
        district: str,
        first: dt.date,
        last: dt.date,
        *,
        away: bool,
    ) -> None:
        span = (last - first).days + 1
        months = span / 30.44
        home = _pick(rng, self.elsewhere) if away else self._home(rng, district)
        favourite = home.doctors[int(rng.integers(len(home.doctors)))] if home.doctors else ""
        visits: dict[dt.date, tuple[Place, str, bills.Bill, str, str]] = {}
        for _ in range(int(rng.poisson((0.2 + age / 150) * months))):
            day = self._date(rng, first, last)
            if day in visits:
                continue
            place = home
            if not away and rng.random() < 0.2:
                place = (
                    _pick(rng, self.pharmacies) if self.pharmacies and rng.random() < 0.5 else self._home(rng, district)
                )
            bill = bills.outpatient(rng, holder.patient, day, pharmacy=place.kind == "pharmacy")
            doctor = self._doctor(rng, place, favourite if place == home else "")
            if place == self.outlier or (self.padder and place == self.padder and doctor == place.doctors[0]):
                bill = bills.padded(rng, bill)
            visits[day] = (place, "outpatient", bill, doctor, "")
        if rng.random() < min(0.6, max(0.0, (age - 40) / 80)):
            drugs = list(rng.choice(list(bills.CHRONIC), size=int(rng.integers(1, 4)), replace=False))
            disease = next((bills.DISEASES[d] for d in drugs if d in bills.DISEASES), "")
            since = last + dt.timedelta(days=1)
            if disease and home.kind == "hospital" and not away and rng.random() < bills.RECOGNISED_SHARE:
                since = self.settler.recognise(rng, holder, disease, first - dt.timedelta(days=int(rng.integers(365))))
            day = first + dt.timedelta(days=int(rng.integers(0, 30)))
            while day <= last:
                if day >= since:  # a 门特 visit is a bill of its own
                    while day in visits:
                        day += dt.timedelta(days=1)
                    if day > last:
                        break
                place, pooling, bill, doctor, _none = visits.get(day, (home, "outpatient", {}, favourite, ""))
                bill = bills.refill(rng, drugs, bill, consult=place.kind != "pharmacy")
                visits[day] = (place, pooling, bill, doctor, disease if day >= since else "")
                day += dt.timedelta(days=int(rng.integers(*bills.REFILL_GAP)))
        if rng.random() < (0.03 + age / 600) * months / 12:
            day = self._date(rng, first, last)
            place = home if away else self._ward(rng, district)
            bill = bills.inpatient(rng, holder.patient, day)
            visits[day] = (place, "inpatient", bill, self._doctor(rng, place, ""), "")
        for day in sorted(visits):
            place, pooling, bill, doctor, disease = visits[day]
            self.settler.settle(rng, holder, place, pooling, day, bill, doctor, disease)

    def _doctor(self, rng: np.random.Generator, place: Place, favourite: str) -> str:
        """The patient's own doctor most times, else one of the place's (the padding doctor only
        by chance, so their profile is theirs)."""
        if not place.doctors:
            return ""
        if favourite and rng.random() < 0.7:
            return favourite
        return place.doctors[int(rng.integers(len(place.doctors)))]

    # --- planted anomalies, one kind per carrier -----------------------------------------------

    def _plant_early_refill(self, rng: np.random.Generator, holder: Holder, district: str) -> None:
        drug = list(bills.CHRONIC)[int(rng.integers(len(bills.CHRONIC)))]
        place = self._home(rng, district)
        day = self._date(rng, self.start, self.as_of - dt.timedelta(days=12))
        again = day + dt.timedelta(days=int(rng.integers(3, 11)))
        self.settler.settle(rng, holder, place, "outpatient", day, bills.refill(rng, [drug]))
        if self.settler.settle(rng, holder, place, "outpatient", again, bills.refill(rng, [drug])):
            self.labels["early_refill"].append(f"{holder.id}|{drug}|{again}")

    def _plant_sex_age(self, rng: np.random.Generator, holder: Holder, district: str) -> None:
        code = bills.GYNAECOLOGY if holder.patient.male else bills.PROSTATE
        day = self._date(rng, self.start, self.as_of)
        bill: bills.Bill = {}
        bills.add(bill, rng, bills.CONSULTATION, 1)
        bills.add(bill, rng, code, 1)
        claim = self.settler.settle(rng, holder, self._home(rng, district), "outpatient", day, bill)
        if claim:
            self.labels["sex_age"].append(f"{claim}|{code}")

    def _plant_duplicate_billing(self, rng: np.random.Generator, holder: Holder, district: str) -> None:
        place = self._home(rng, district)
        day = self._date(rng, self.start, self.as_of)
        bill: bills.Bill = {}
        bills.add(bill, rng, bills.CONSULTATION, 1)
        bills.add(bill, rng, bills.BLOOD, 1)
        if self.settler.settle(rng, holder, place, "outpatient", day, bill) and self.settler.settle(
            rng, holder, place, "outpatient", day, dict(bill)
        ):
            self.labels["duplicate_billing"] += [f"{holder.id}|{place.id}|{code}|{day}" for code in bill]

    def _plant_readmission(self, rng: np.random.Generator, holder: Holder, district: str) -> None:
        place = self._ward(rng, district)
        day = self._date(rng, self.start, self.as_of - dt.timedelta(days=14))
        again = day + dt.timedelta(days=int(rng.integers(2, 14)))
        self.settler.settle(rng, holder, place, "inpatient", day, bills.inpatient(rng, holder.patient, day))
        bill = bills.inpatient(rng, holder.patient, again)
        if self.settler.settle(rng, holder, place, "inpatient", again, bill):
            self.labels["readmission"].append(f"{holder.id}|{place.id}|{again}")

    def _plant_quantity_limit(self, rng: np.random.Generator, holder: Holder, district: str) -> None:
        day = self._date(rng, self.start, self.as_of)
        bill: bills.Bill = {}
        bills.add(bill, rng, bills.CONSULTATION, 1)
        bills.add(bill, rng, "J01CA04", int(rng.integers(60, 121)))  # the limit is 42
        claim = self.settler.settle(rng, holder, self._home(rng, district), "outpatient", day, bill)
        if claim:
            self.labels["quantity_limit"].append(f"{claim}|J01CA04")

    def _plant_two_places(self, rng: np.random.Generator, holder: Holder, district: str) -> None:
        if not self.elsewhere:
            return
        day = self._date(rng, self.start, self.as_of)
        here = self.settler.settle(
            rng, holder, self._home(rng, district), "outpatient", day, bills.outpatient(rng, holder.patient, day)
        )
        there = self.settler.settle(
            rng, holder, _pick(rng, self.elsewhere), "outpatient", day, bills.outpatient(rng, holder.patient, day)
        )
        if here and there:
            self.labels["two_places"].append(f"{holder.id}|{day}")

    def _plant_outlier_person(self, rng: np.random.Generator, holder: Holder, district: str) -> None:
        """A patient shopping for drugs: many visits on separate days at many places."""
        places = [*self.all_home, *self.pharmacies]
        days = sorted({self._date(rng, self.start, self.as_of) for _ in range(int(rng.integers(30, 46)))})
        for day in days:
            place = _pick(rng, places)
            bill = bills.outpatient(rng, holder.patient, day, pharmacy=True)
            self.settler.settle(rng, holder, place, "outpatient", day, bill)
        self.labels["outlier_person"] = [*self.labels.get("outlier_person", []), holder.id]

    def jump(self) -> None:
        """The jump institution's last month: admissions of the kept patients until its fund is
        well above the rule's limit over its three months before (when the history has them)."""
        if self.jumper is None:
            return
        month = self.as_of.replace(day=1)
        before = [(month - dt.timedelta(days=1)).replace(day=1)]
        for _ in range(2):
            before.append((before[-1] - dt.timedelta(days=1)).replace(day=1))
        if before[-1] < self.start:
            return
        average = sum(self.settler.monthly[(self.jumper.id, f"{m:%Y-%m}")] for m in before) / 3
        target = JUMP_RATIO * average + JUMP_EXTRA
        rng = self.ctx.rng(STEP, 0, 4)
        for holder in self.reserve:
            if self.settler.monthly[(self.jumper.id, f"{month:%Y-%m}")] >= target:
                break
            day = self._date(rng, month, self.as_of)
            bill = bills.inpatient(rng, holder.patient, day, stents=2)
            doctor = self.jumper.doctors[0] if self.jumper.doctors else ""
            self.settler.settle(rng, holder, self.jumper, "inpatient", day, bill, doctor)
        if average > 0 and self.settler.monthly[(self.jumper.id, f"{month:%Y-%m}")] >= target:
            self.labels["billing_jump"].append(self.jumper.id)
            if self.jumper.doctors:  # the doctor of the jump's admissions stands out too
                self.labels["outlier_doctor"].append(f"{self.jumper.id}|{self.jumper.doctors[0]}")
