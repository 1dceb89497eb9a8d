"""The synthetic city's reference tables (``hrss/synth/data``), read once into arrays.

Everything the generator draws from is here and in the CSV files, with sources in
``data/README.md``; the generator modules hold no figures of their own.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from stdnum.cn import ric

DATA_DIR = Path(__file__).resolve().parent / "data"

# First resident identity cards were issued in 1984; a number carries the address code of
# the household registration when it was issued (at birth for anyone born since).
FIRST_ISSUE_YEAR = 1984

# Tianjin's current districts and the codes their residents' ID numbers may carry,
# by the year the number was issued: (first year, last year, code). The retired codes
# are in ``hrss/codes/data/districts.csv`` with their successors.
ADDRESS_CODE_HISTORY: dict[str, tuple[tuple[int, int, str], ...]] = {
    "120114": ((0, 1999, "120222"), (2000, 9999, "120114")),  # 武清县 -> 武清区 2000
    "120115": ((0, 2000, "120224"), (2001, 9999, "120115")),  # 宝坻县 -> 宝坻区 2001
    "120116": ((0, 2008, "120107|120108|120109"), (2009, 9999, "120116")),  # 塘沽/汉沽/大港 -> 滨海新区 2009
    "120117": ((0, 2014, "120221"), (2015, 9999, "120117")),  # 宁河县 -> 宁河区 2015
    "120118": ((0, 2014, "120223"), (2015, 9999, "120118")),  # 静海县 -> 静海区 2015
    "120119": ((0, 2015, "120225"), (2016, 9999, "120119")),  # 蓟县 -> 蓟州区 2016
}
# Population weights of the three coastal districts merged into 滨海新区 (2009 yearbook: 塘沽
# 53.67, 汉沽 17.40, 大港 38.86 万 registered residents).
BINHAI_PREDECESSOR_WEIGHTS = {"120107": 53.67, "120108": 17.40, "120109": 38.86}
MIGRANT_COUNTIES_PER_PROVINCE = 8


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _normalised(weights: list[float] | np.ndarray) -> np.ndarray:
    array = np.asarray(weights, dtype=np.float64)
    return array / array.sum()


@dataclass(frozen=True)
class Districts:
    codes: list[str]  # the 16 current districts
    names: list[str]
    shares: np.ndarray  # of residents, 2020 census


@dataclass(frozen=True)
class AgePyramid:
    age_from: np.ndarray
    age_to: np.ndarray
    shares: np.ndarray
    male_share: np.ndarray
    migrant_share: np.ndarray


@dataclass(frozen=True)
class Names:
    surnames: list[str]
    surname_p: np.ndarray
    # per sex ("M"/"F") and era ("old"/"mid"/"young"): characters and probabilities
    given: dict[tuple[str, str], tuple[list[str], np.ndarray]]


@dataclass(frozen=True)
class AddressCodes:
    """Every address code a synthetic ID number may carry, with an integer index each."""

    codes: list[str]
    index: dict[str, int]
    migrant_codes: list[str]
    migrant_p: np.ndarray


@dataclass(frozen=True)
class IndustryProfile:
    sections: list[str]
    employer_share: np.ndarray
    employee_share: np.ndarray
    median_wage: np.ndarray
    wage_sigma: np.ndarray
    divisions: list[list[str]]
    occupations: list[tuple[list[str], np.ndarray]]


@dataclass(frozen=True)
class Education:
    born_from: np.ndarray
    born_to: np.ndarray
    codes: list[str]
    shares: np.ndarray  # cohorts x codes
    # log-wage premium per code (returns to schooling, a model figure)
    wage_premium: np.ndarray


@cache
def districts() -> Districts:
    rows = _rows("districts_2020.csv")
    return Districts(
        codes=[r["code"] for r in rows],
        names=[r["name"] for r in rows],
        shares=_normalised([float(r["population"]) for r in rows]),
    )


@cache
def age_pyramid() -> AgePyramid:
    rows = _rows("age_pyramid.csv")
    return AgePyramid(
        age_from=np.array([int(r["age_from"]) for r in rows]),
        age_to=np.array([int(r["age_to"]) for r in rows]),
        shares=_normalised([float(r["weight"]) for r in rows]),
        male_share=np.array([float(r["male_share"]) for r in rows]),
        migrant_share=np.array([float(r["migrant_share"]) for r in rows]),
    )


@cache
def names() -> Names:
    surname_rows = _rows("surnames.csv")
    given: dict[tuple[str, str], tuple[list[str], np.ndarray]] = {}
    rows = _rows("given_names.csv")
    for sex in ("M", "F"):
        for era in ("old", "mid", "young"):
            picked = [(r["char"], float(r[era])) for r in rows if r["sex"] == sex and float(r[era]) > 0]
            given[(sex, era)] = ([c for c, _ in picked], _normalised([w for _, w in picked]))
    return Names(
        surnames=[r["surname"] for r in surname_rows],
        surname_p=_normalised([float(r["per_mille"]) for r in surname_rows]),
        given=given,
    )


def _counties_always_valid(province: str, first: int, last: int) -> list[str]:
    """County codes of a province that were valid in every year from ``first`` to ``last``.

    Read from python-stdnum's GB/T 2260 history, the table ``parse_id_number`` checks against.
    """
    found = []
    in_province = False
    with Path(ric.__file__).with_name("loc.dat").open(encoding="utf-8") as handle:
        for line in handle:
            head = re.match(r"^(\d\d) province=", line)
            if head:
                in_province = head.group(1) == province
                continue
            match = re.match(r'^  (\d{4}) county="(.*)"', line) if in_province else None
            if not match or match.group(1).endswith("00") or "市辖区" in match.group(2):
                continue
            spans = []
            for entry in match.group(2).split(","):
                if not entry.startswith("["):
                    spans.append((0, 9999))
                    continue
                start, end = entry[1:].split("]")[0].split("-")
                spans.append((int(start or 0), int(end or 9999)))
            if all(any(s <= year <= e for s, e in spans) for year in range(first, last + 1)):
                found.append(province + match.group(1))
    return found


@cache
def address_codes(last_year: int = 2030) -> AddressCodes:
    tianjin: list[str] = list(districts().codes)
    for spans in ADDRESS_CODE_HISTORY.values():
        for _first, _last, codes in spans:
            tianjin.extend(c for c in codes.split("|") if c not in tianjin)
    migrant_codes: list[str] = []
    migrant_weights: list[float] = []
    for row in _rows("migrant_origins.csv"):
        counties = _counties_always_valid(row["province"], FIRST_ISSUE_YEAR, last_year)
        if not counties:
            continue
        step = max(1, len(counties) // MIGRANT_COUNTIES_PER_PROVINCE)
        chosen = counties[::step][:MIGRANT_COUNTIES_PER_PROVINCE]
        migrant_codes.extend(chosen)
        migrant_weights.extend([float(row["weight"]) / len(chosen)] * len(chosen))
    every_code = tianjin + migrant_codes
    return AddressCodes(
        codes=every_code,
        index={code: i for i, code in enumerate(every_code)},
        migrant_codes=migrant_codes,
        migrant_p=_normalised(migrant_weights),
    )


@cache
def industries() -> IndustryProfile:
    rows = _rows("industries.csv")
    occupations = []
    for r in rows:
        pairs = [item.split(":") for item in r["occupations"].split()]
        occupations.append(([code for code, _ in pairs], _normalised([float(w) for _, w in pairs])))
    return IndustryProfile(
        sections=[r["section"] for r in rows],
        employer_share=_normalised([float(r["employer_share"]) for r in rows]),
        employee_share=_normalised([float(r["employee_share"]) for r in rows]),
        median_wage=np.array([float(r["median_wage"]) for r in rows]),
        wage_sigma=np.array([float(r["wage_sigma"]) for r in rows]),
        divisions=[r["divisions"].split() for r in rows],
        occupations=occupations,
    )


@cache
def education() -> Education:
    rows = _rows("education.csv")
    codes = [c for c in rows[0] if c not in ("born_from", "born_to")]
    premium = {
        "11": 0.55,
        "14": 0.45,
        "21": 0.30,
        "31": 0.15,
        "41": 0.05,
        "61": 0.0,
        "71": -0.08,
        "81": -0.15,
        "90": -0.2,
    }
    return Education(
        born_from=np.array([int(r["born_from"]) for r in rows]),
        born_to=np.array([int(r["born_to"]) for r in rows]),
        codes=codes,
        shares=np.vstack([_normalised([float(r[c]) for c in codes]) for r in rows]),
        wage_premium=np.array([premium.get(c, 0.0) for c in codes]),
    )


@cache
def phone_prefixes() -> tuple[np.ndarray, np.ndarray]:
    rows = _rows("phone_prefixes.csv")
    return np.array([int(r["prefix"]) for r in rows]), _normalised([float(r["weight"]) for r in rows])


@cache
def employer_words() -> dict[str, list[str]]:
    return {r["kind"]: r["words"].split() for r in _rows("employer_words.csv")}
