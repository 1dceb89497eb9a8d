"""Employers: credit codes, names, industries, districts and heavy-tailed sizes.

The employer table is small next to the persons (hundreds of thousands at most), so it is
generated whole and kept in memory for the employment step (``employer_table``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import numpy as np

from hrss.registry.models import Employer, Source
from hrss.synth import reference
from hrss.synth.crypto import BulkCipher
from hrss.synth.generators.persons import _choice, uuid4_hex
from hrss.synth.identifiers import credit_code, organisation_bodies
from hrss.synth.steps import Advance, Step, SynthContext, register

STEP = "employers"
# Firm sizes follow a power law (Axtell 2001: Zipf, tail exponent close to 1).
SIZE_TAIL_EXPONENT = 1.1
SIZE_CAP = 50_000  # relative weight cap: no single employer takes a whole city
EMPLOYED_SHARE = 0.45  # of all persons, at any moment: sizes the size classes
# Size classes by head count (simplified from 统计上大中小微型企业划分办法, which varies by industry).
SIZE_CLASSES = ((10, "micro"), (100, "small"), (1000, "medium"), (10**12, "large"))
CITY_REGISTERED = 0.10  # registered with the municipal authority: district part 120000
REFORM_DATE = dt.date(2015, 10, 1)  # credit codes with "MA" organisation codes from here on
CONTACT_PHONE_SHARE = 0.7
FOUNDED_MEDIAN_AGE_YEARS = 8.0

# (authority, category, share) of registrants per industry section; the rest are enterprises (9, 1).
REGISTRANTS = {
    "S": (("1", "1", 0.45), ("1", "3", 0.15), ("5", "1", 0.25), ("5", "2", 0.15)),
    "P": (("1", "2", 0.45), ("5", "2", 0.25)),
    "Q": (("1", "2", 0.35), ("5", "2", 0.15)),
    "M": (("1", "2", 0.05),),
    "R": (("1", "2", 0.10), ("5", "1", 0.10)),
    "A": (("9", "3", 0.35),),
    "F": (("9", "2", 0.10),),
    "H": (("9", "2", 0.12),),
    "O": (("9", "2", 0.15),),
}

COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "credit_code",
    "name",
    "industry_id",
    "district_id",
    "size",
    "contact_phone",
    "sources",
)


@dataclass(frozen=True)
class EmployerTable:
    """What the employment step needs to know of every employer (numpy arrays, one row each)."""

    uuid_hex: list[str]
    section: np.ndarray  # index into reference.industries().sections
    district: np.ndarray  # index into reference.districts().codes
    weight: np.ndarray  # relative head count (power law)
    founded: np.ndarray  # datetime64[D]

    @property
    def size(self) -> int:
        return self.section.size


def employer_table(ctx: SynthContext) -> EmployerTable:
    """Every employer's core attributes: a pure function of seed and parameters (cached per run)."""

    def build() -> EmployerTable:
        m = ctx.params.employers
        rng = ctx.rng(STEP, 0, 0)
        profile = reference.industries()
        section = _choice(rng, profile.employer_share, m)
        district = _choice(rng, reference.districts().shares, m)
        # Sections with larger firms (employee share above employer share) get heavier weights.
        factor = profile.employee_share / profile.employer_share
        weight = np.minimum((rng.pareto(SIZE_TAIL_EXPONENT, m) + 1.0), SIZE_CAP) * factor[section]
        age_years = rng.exponential(FOUNDED_MEDIAN_AGE_YEARS / np.log(2), m).clip(0.2, 60)
        as_of = np.datetime64(ctx.params.as_of, "D")
        founded = as_of - np.floor(age_years * 365.2425).astype("timedelta64[D]")
        return EmployerTable(uuid4_hex(rng, m), section, district, weight, founded)

    table: EmployerTable = ctx.cached("employers.table", build)
    return table


def _size_class(head_count: float) -> str:
    for limit, label in SIZE_CLASSES:
        if head_count < limit:
            return label
    return "large"


def _registration_district(district: str, founded_year: int, rng: np.random.Generator) -> str:
    """The registering authority's code in a credit code: retired codes for older employers."""
    if rng.random() < CITY_REGISTERED:
        return "120000"
    for first, last, code in reference.ADDRESS_CODE_HISTORY.get(district, ()):
        if first <= max(founded_year, 1984) <= last:
            options = code.split("|")
            return options[int(rng.integers(len(options)))]
    return district


@register
class EmployersStep(Step):
    name = STEP
    label = "Employers"

    def total(self, ctx: SynthContext) -> int:
        return ctx.params.employers

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        table = employer_table(ctx)
        m = table.size
        rng = ctx.rng(STEP, 0, 1)
        profile = reference.industries()
        districts = reference.districts()
        words = reference.employer_words()
        trade, legal = words["trade"], words["legal"]
        founded_dates = table.founded.astype(object).tolist()
        new_style = np.array([d >= REFORM_DATE for d in founded_dates], dtype=bool)
        bodies = organisation_bodies(np.arange(m), new_style=new_style, seed=ctx.params.seed)
        expected_employed = EMPLOYED_SHARE * ctx.params.persons
        head_counts = table.weight / table.weight.sum() * expected_employed if m else table.weight
        stamp = ctx.loader.timestamp(ctx.now)
        at = dt.datetime.combine(ctx.params.as_of, dt.time(), tzinfo=dt.UTC).isoformat()
        synthetic = {"source": Source.SYNTHETIC.value, "at": at}
        encrypt_phone = BulkCipher(aad=Employer._meta.get_field("contact_phone").aad).encrypt  # type: ignore[union-attr]
        rows = []
        for i in range(m):
            section = profile.sections[table.section[i]]
            district = districts.codes[table.district[i]]
            authority, category = "9", "1"
            draw = rng.random()
            for auth, cat, share in REGISTRANTS.get(section, ()):
                if draw < share:
                    authority, category = auth, cat
                    break
                draw -= share
            founded = founded_dates[i]
            code = credit_code(authority, category, _registration_district(district, founded.year, rng), bodies[i])
            division = profile.divisions[table.section[i]][int(rng.integers(len(profile.divisions[table.section[i]])))]
            section_words = words.get(section, ["服务"])
            word = section_words[int(rng.integers(len(section_words)))]
            first, second = trade[int(rng.integers(len(trade)))], trade[int(rng.integers(len(trade)))]
            district_name = districts.names[table.district[i]]
            if (authority, category) == ("9", "1"):
                name = f"天津{first}{second}{word}{legal[int(rng.integers(len(legal)))]}"
            elif (authority, category) == ("9", "2"):  # 个体工商户
                name = f"{district_name}{first}{second}{word}"
            elif (authority, category) == ("9", "3"):
                name = f"天津市{district_name}{first}{second}{word}专业合作社"
            else:
                name = f"天津市{district_name}{first}{second}{word}"
            phone = ""
            if rng.random() < CONTACT_PHONE_SHARE:
                phone = f"1{int(rng.integers(3, 10))}{int(rng.integers(0, 10**9)):09d}"
            sources = {"name": synthetic, "industry": synthetic, "district": synthetic, "size": synthetic}
            if phone:
                sources["contact_phone"] = synthetic
            rows.append(
                (
                    table.uuid_hex[i],
                    stamp,
                    stamp,
                    code,
                    name,
                    division,
                    district,
                    _size_class(head_counts[i]),
                    encrypt_phone(phone),
                    json.dumps(sources, ensure_ascii=False, separators=(",", ":")),
                )
            )
        with ctx.loader.copy(Employer, COLUMNS) as write:
            for start in range(0, m, 10_000):
                write(rows[start : start + 10_000])
                advance(min(10_000, m - start))
        return {Employer._meta.db_table: m}
