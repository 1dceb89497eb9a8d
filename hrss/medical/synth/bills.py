"""The bills of the synthetic city's medical visits, pure: which catalogue items a visit holds,
in what quantity and at what price, consistent with the patient's age and sex (a gynaecological
examination only for women, a prostate massage only for men of forty and over, newborn care
only in the first year), and drug quantities within the monitoring's limits (an acute drug at
most seven days, a chronic one four weeks, refilled when the last supply is nearly used).

Prices are synthetic (yuan, a range per item), not tariffs; the codes are the catalogue's
(``data/catalogue.csv``) and the limits its monitoring data (``data/monitoring_items.csv``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

# Unit prices of the synthetic bills, (low, high) yuan.
PRICES: dict[str, tuple[float, float]] = {
    "110200001": (10, 30),  # 普通门诊诊查费
    "120100001": (40, 80),  # 普通病房床位费 per day
    "250101001": (20, 30),  # 血常规
    "210300001": (200, 400),  # CT 平扫
    "220600001": (120, 200),  # 彩超
    "120100015": (200, 400),  # 特需病房床位费 (丙类)
    "HC-031": (5, 10),  # 输液器
    "HC-C-0201": (8000, 12000),  # 药物洗脱支架
    "311201001": (15, 30),  # 妇科检查
    "311000017": (30, 60),  # 前列腺按摩
    "120400005": (30, 50),  # 新生儿护理
    "J01CA04": (0.3, 0.6),
    "A10BA02": (0.1, 0.3),
    "B01AC06": (0.2, 0.5),
    "C08CA05": (0.5, 1.5),
    "M01AE01": (0.5, 1.0),
    "C10AA05": (1.0, 3.0),
    "A10AE04": (60, 90),
    "C09CA01": (1.0, 3.0),
    "J01MA12": (10, 30),
    "ZC-MR-001": (1.0, 3.0),  # 保健品 (丙类)
}
# Chronic drugs and a four-week supply of each (quantity / daily dose of monitoring_items.csv).
CHRONIC: dict[str, tuple[int, int]] = {
    "A10BA02": (84, 28),
    "B01AC06": (28, 28),
    "C08CA05": (28, 28),
    "C10AA05": (28, 28),
    "C09CA01": (28, 28),
    "A10AE04": (3, 30),
}
# Acute drugs and their daily dose: at most seven days' supply, so a repeat never looks early.
ACUTE: dict[str, int] = {"J01CA04": 6, "M01AE01": 2, "J01MA12": 1}
# The recognised disease (门特) a chronic drug treats, where the list has one.
DISEASES = {"C08CA05": "M03900", "C09CA01": "M03900", "A10BA02": "M01600", "A10AE04": "M01600"}
RECOGNISED_SHARE = 0.5  # of the patients on such a drug
REFILL_GAP = (26, 36)  # days between chronic refills (the supply lasts 28-30)
GYNAECOLOGY, PROSTATE, NEWBORN = "311201001", "311000017", "120400005"
CONSULTATION, BLOOD, CT, ULTRASOUND = "110200001", "250101001", "210300001", "220600001"
BED, SPECIAL_BED, INFUSION, STENT, SUPPLEMENT = "120100001", "120100015", "HC-031", "HC-C-0201", "ZC-MR-001"

Bill = dict[str, tuple[float, float]]  # code -> (quantity, unit price)


@dataclass(frozen=True)
class Patient:
    male: bool
    birth: dt.date


def price(rng: np.random.Generator, code: str) -> float:
    low, high = PRICES[code]
    return round(float(low + (high - low) * rng.random()), 2)


def add(bill: Bill, rng: np.random.Generator, code: str, quantity: float) -> None:
    """Add a line, or raise the quantity of the one there (a bill holds each code once)."""
    if code in bill:
        bill[code] = (bill[code][0] + quantity, bill[code][1])
    else:
        bill[code] = (quantity, price(rng, code))


def age_on(patient: Patient, day: dt.date) -> float:
    return (day - patient.birth).days / 365.2425


def outpatient(rng: np.random.Generator, patient: Patient, day: dt.date, *, pharmacy: bool = False) -> Bill:
    """An ordinary outpatient visit: the consultation, perhaps a test, perhaps an acute drug."""
    bill: Bill = {}
    age = age_on(patient, day)
    if not pharmacy:
        add(bill, rng, CONSULTATION, 1)
        if rng.random() < 0.35:
            add(bill, rng, BLOOD, 1)
        if rng.random() < 0.08:
            add(bill, rng, ULTRASOUND, 1)
        if rng.random() < 0.04:
            add(bill, rng, CT, 1)
        if (day - patient.birth).days < 365 and rng.random() < 0.5:
            add(bill, rng, NEWBORN, 1)
        elif not patient.male and age >= 18 and rng.random() < 0.06:
            add(bill, rng, GYNAECOLOGY, 1)
        elif patient.male and age >= 40 and rng.random() < 0.03:
            add(bill, rng, PROSTATE, 1)
    if pharmacy or rng.random() < 0.45:
        code = list(ACUTE)[int(rng.integers(len(ACUTE)))]
        add(bill, rng, code, ACUTE[code] * int(rng.integers(3, 8)))
    if pharmacy and rng.random() < 0.3:
        add(bill, rng, SUPPLEMENT, 7)  # a week's pack: never more than the refill grace
    return bill


def refill(rng: np.random.Generator, drugs: list[str], bill: Bill | None = None, *, consult: bool = True) -> Bill:
    """A chronic refill: the consultation (at a hospital) and four weeks of each drug."""
    bill = {} if bill is None else bill
    if consult and CONSULTATION not in bill:
        add(bill, rng, CONSULTATION, 1)
    for code in drugs:
        add(bill, rng, code, CHRONIC[code][0])
    return bill


def inpatient(rng: np.random.Generator, patient: Patient, day: dt.date, *, stents: int = 0) -> Bill:
    """An admission: bed days, tests, infusions, an injected antibiotic (at most seven days)."""
    bill: Bill = {}
    days = int(rng.integers(3, 15))
    add(bill, rng, BED, days)
    add(bill, rng, BLOOD, max(1, days // 3))
    add(bill, rng, INFUSION, days)
    add(bill, rng, "J01MA12", min(days, 7))
    if rng.random() < 0.5:
        add(bill, rng, CT, 1)
    if rng.random() < 0.4:
        add(bill, rng, ULTRASOUND, 1)
    if rng.random() < 0.1:
        add(bill, rng, SPECIAL_BED, min(days, 3))
    if stents or (age_on(patient, day) > 50 and rng.random() < 0.05):
        add(bill, rng, STENT, stents or 1)
    return bill


def padded(rng: np.random.Generator, bill: Bill) -> Bill:
    """A visit of the planted outlier institution: tests and supplements on every bill."""
    for code in (CT, ULTRASOUND, BLOOD):
        if code not in bill:
            add(bill, rng, code, 1)
    add(bill, rng, SUPPLEMENT, 7)
    add(bill, rng, INFUSION, int(rng.integers(2, 5)))
    return bill
