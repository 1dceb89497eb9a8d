"""Persons: where they live, how old they are, their names, ID numbers, phones and deaths.

Each block of persons is drawn in two independent random streams: the *core* (identity,
sex, birth, districts, death, education) that later steps regenerate through
``person_core`` to hang their own rows on, and the *details* (names, phones) that only
this step needs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass
from functools import cache

import numpy as np

from hrss.registry.models import Person, Source
from hrss.synth import reference
from hrss.synth.crypto import BlindIndex, BulkCipher
from hrss.synth.identifiers import SequenceAllocator, birth_ymd, id_numbers
from hrss.synth.steps import Advance, Block, Step, SynthContext, register

STEP = "persons"
CORE_STREAM, DETAIL_STREAM = 0, 1
DAYS_PER_YEAR = 365.2425
OLDEST_AGE = 106  # years; the allocator's date range starts this far back

# Gompertz mortality h(age) = a * exp(b * age), per year: a model that gives about 5.5 deaths
# per 1,000 residents a year on this age pyramid (Tianjin reports 5-6 ‰).
MORTALITY_A, MORTALITY_B = 1.5e-5, 0.095
DEATH_YEARS = 5  # deaths reach back this many years before as_of
LIVES_IN_HOUSEHOLD_DISTRICT = 0.80  # the rest live in another district (人户分离)
ID_FROM_HOUSEHOLD_DISTRICT = 0.85  # the rest moved their registration since the number was issued
EDUCATION_MISSING = 0.08
ADULT_AGE = 18
SINGLE_CHARACTER_GIVEN_NAME = {"old": 0.20, "mid": 0.30, "young": 0.10}
PHONE_FROM_AGE = 14
PHONE_SHARE = {"under_70": 0.97, "over_70": 0.75}

COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "id_number",
    "id_number_index",
    "name",
    "sex",
    "birth_date",
    "household_district_id",
    "residence_district_id",
    "phone",
    "death_date",
    "education_id",
    "status",
    "sources",
)


@dataclass(frozen=True)
class PersonCore:
    """The attributes of one block of persons that other steps build on (numpy arrays)."""

    start: int
    uuid_hex: list[str]
    male: np.ndarray
    birth: np.ndarray  # datetime64[D]
    age: np.ndarray  # years at as_of, float
    residence: np.ndarray  # index into reference.districts().codes
    household: np.ndarray  # same, -1 for residents registered outside Tianjin
    address: np.ndarray  # index into reference.address_codes().codes
    death: np.ndarray  # datetime64[D], NaT when alive
    education: np.ndarray  # index into reference.education().codes, -1 when unknown

    @property
    def size(self) -> int:
        return self.male.size


def uuid4_hex(rng: np.random.Generator, size: int) -> list[str]:
    """Version-4 UUIDs drawn from ``rng``, as 32 hex digits (the form both databases accept)."""
    high = rng.integers(0, 2**64, size=size, dtype=np.uint64, endpoint=False)
    low = rng.integers(0, 2**64, size=size, dtype=np.uint64, endpoint=False)
    high = (high & np.uint64(0xFFFF_FFFF_FFFF_0FFF)) | np.uint64(0x4000)
    low = (low & np.uint64(0x3FFF_FFFF_FFFF_FFFF)) | np.uint64(0x8000_0000_0000_0000)
    return [f"{h:016x}{lo:016x}" for h, lo in zip(high.tolist(), low.tolist(), strict=True)]


@cache
def _address_table(last_year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``table[district, year - 1900]``: the address-code index a number issued then carries.

    -1 marks 滨海新区 before 2009, whose numbers carry one of three predecessor codes.
    """
    districts = reference.districts().codes
    codes = reference.address_codes(last_year)
    years = np.arange(1900, last_year + 1)
    table = np.empty((len(districts), years.size), dtype=np.int64)
    for d, district in enumerate(districts):
        table[d, :] = codes.index[district]
        for first, last, code in reference.ADDRESS_CODE_HISTORY.get(district, ()):
            span = (years >= first) & (years <= last)
            table[d, span] = -1 if "|" in code else codes.index[code]
    predecessors = list(reference.BINHAI_PREDECESSOR_WEIGHTS)
    weights = np.array(list(reference.BINHAI_PREDECESSOR_WEIGHTS.values()))
    return table, np.array([codes.index[c] for c in predecessors]), weights / weights.sum()


def _choice(rng: np.random.Generator, p: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn with probabilities ``p`` (inverse CDF: fast and stable)."""
    cumulative = np.cumsum(p)
    cumulative[-1] = 1.0
    return np.searchsorted(cumulative, rng.random(size), side="right")


def person_core(ctx: SynthContext, block: Block) -> PersonCore:
    """The core attributes of one block of persons: a pure function of seed, parameters and block."""
    rng = ctx.rng(STEP, block.index, CORE_STREAM)
    n = block.size
    as_of = np.datetime64(ctx.params.as_of, "D")
    pyramid = reference.age_pyramid()
    districts = reference.districts()

    uuid_hex = uuid4_hex(rng, n)
    group = _choice(rng, pyramid.shares, n)
    width = pyramid.age_to[group] - pyramid.age_from[group] + 1
    age = pyramid.age_from[group] + rng.random(n) * width
    birth = as_of - np.floor(age * DAYS_PER_YEAR).astype("timedelta64[D]")
    male = rng.random(n) < pyramid.male_share[group]
    migrant = rng.random(n) < pyramid.migrant_share[group]

    residence = _choice(rng, districts.shares, n)
    elsewhere = _choice(rng, districts.shares, n)
    household = np.where(rng.random(n) < LIVES_IN_HOUSEHOLD_DISTRICT, residence, elsewhere)
    household = np.where(migrant, -1, household)

    # The address code is the household registration's code when the number was issued.
    origin = np.where(rng.random(n) < ID_FROM_HOUSEHOLD_DISTRICT, household, _choice(rng, districts.shares, n))
    birth_year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    issued = np.maximum(birth_year, reference.FIRST_ISSUE_YEAR)
    table, predecessors, predecessor_p = _address_table(ctx.params.as_of.year + 1)
    address = table[np.maximum(origin, 0), issued - 1900]
    binhai_old = address < 0
    address[binhai_old] = predecessors[_choice(rng, predecessor_p, int(binhai_old.sum()))]
    codes = reference.address_codes(ctx.params.as_of.year + 1)
    migrant_index = np.array([codes.index[c] for c in codes.migrant_codes])
    address = np.where(migrant, migrant_index[_choice(rng, codes.migrant_p, n)], address)

    hazard = MORTALITY_A * np.exp(MORTALITY_B * age)
    dies = rng.random(n) < 1 - np.exp(-DEATH_YEARS * hazard)
    lived_days = (as_of - birth).astype(np.int64)
    back = np.floor(rng.random(n) * np.minimum(lived_days, DEATH_YEARS * DAYS_PER_YEAR)).astype(np.int64)
    death = np.where(dies, as_of - back.astype("timedelta64[D]"), np.datetime64("NaT"))

    schooling = reference.education()
    cohort = np.searchsorted(schooling.born_to, birth_year, side="left").clip(0, len(schooling.born_to) - 1)
    cumulative = np.cumsum(schooling.shares, axis=1)
    level = (rng.random(n)[:, None] >= cumulative[cohort]).sum(axis=1).clip(0, len(schooling.codes) - 1)
    known = (age >= ADULT_AGE) & (rng.random(n) >= EDUCATION_MISSING)
    education = np.where(known, level, -1)

    return PersonCore(
        start=block.start,
        uuid_hex=uuid_hex,
        male=male,
        birth=birth,
        age=age,
        residence=residence,
        household=household,
        address=address,
        death=death,
        education=education,
    )


def _eras(birth: np.ndarray) -> np.ndarray:
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    return np.where(year < 1970, 0, np.where(year < 2000, 1, 2))


def person_details(ctx: SynthContext, block: Block, core: PersonCore) -> tuple[list[str], list[str]]:
    """Names and mobile numbers ("" for none) of one block of persons."""
    rng = ctx.rng(STEP, block.index, DETAIL_STREAM)
    n = core.size
    table = reference.names()
    surnames = np.array(table.surnames, dtype=object)[_choice(rng, table.surname_p, n)]
    given = np.empty(n, dtype=object)
    eras = _eras(core.birth)
    for e, era in enumerate(("old", "mid", "young")):
        for sex, is_male in (("M", True), ("F", False)):
            mask = (eras == e) & (core.male == is_male)
            k = int(mask.sum())
            chars, p = table.given[(sex, era)]
            pool = np.array(chars, dtype=object)
            first = pool[_choice(rng, p, k)]
            second = pool[_choice(rng, p, k)]
            single = rng.random(k) < SINGLE_CHARACTER_GIVEN_NAME[era]
            given[mask] = np.where(single, first, first + second)
    names = (surnames + given).tolist()

    prefixes, prefix_p = reference.phone_prefixes()
    number = prefixes[_choice(rng, prefix_p, n)].astype(np.int64) * 10**8 + rng.integers(0, 10**8, n)
    share = np.where(core.age < 70, PHONE_SHARE["under_70"], PHONE_SHARE["over_70"])
    has_phone = (core.age >= PHONE_FROM_AGE) & (rng.random(n) < share)
    phones = [str(value) if has else "" for value, has in zip(number.tolist(), has_phone.tolist(), strict=True)]
    return names, phones


def _provenance(at: str) -> dict[tuple[bool, ...], str]:
    """The ``sources`` JSON for each combination of the optional attributes, built once.

    Keyed by (household district, phone, death date, education) being present; name and
    residence are always synthetic, sex and birth date always come from the ID number.
    """
    synthetic = {"source": Source.SYNTHETIC.value, "at": at}
    from_id = {"source": Source.ID_NUMBER.value, "at": at}
    variants = {}
    for key in itertools.product((False, True), repeat=4):
        household, phone, death, education = key
        value = {"name": synthetic, "sex": from_id, "birth_date": from_id, "residence_district": synthetic}
        optional = {"household_district": household, "phone": phone, "death_date": death, "education": education}
        value.update({attribute: synthetic for attribute, present in optional.items() if present})
        variants[key] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return variants


def _dates(values: np.ndarray) -> list[str | None]:
    return [None if text == "NaT" else text for text in np.datetime_as_string(values, unit="D").tolist()]


@register
class PersonsStep(Step):
    name = STEP
    label = "Persons"

    def total(self, ctx: SynthContext) -> int:
        return ctx.params.persons

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        params = ctx.params
        codes = reference.address_codes(params.as_of.year + 1)
        address_ints = np.array([int(c) for c in codes.codes], dtype=np.int64)
        first_day = np.datetime64(params.as_of, "D") - np.timedelta64(int(OLDEST_AGE * DAYS_PER_YEAR), "D")
        allocator = SequenceAllocator(
            codes=len(codes.codes), first_day=first_day, days=int(OLDEST_AGE * DAYS_PER_YEAR) + 2, seed=params.seed
        )
        district_codes = np.array([*reference.districts().codes, None], dtype=object)  # index -1 -> None
        education_codes = np.array([*reference.education().codes, None], dtype=object)
        id_cipher = BulkCipher(aad=Person._meta.get_field("id_number").aad)  # type: ignore[union-attr]
        phone_cipher = BulkCipher(aad=Person._meta.get_field("phone").aad)  # type: ignore[union-attr]
        index = BlindIndex()
        stamp = ctx.loader.timestamp(ctx.now)
        provenance = _provenance(dt.datetime.combine(params.as_of, dt.time(), tzinfo=dt.UTC).isoformat())
        written = 0
        with ctx.loader.copy(Person, COLUMNS) as write:
            for block in ctx.blocks(params.persons):
                core = person_core(ctx, block)
                names, phones = person_details(ctx, block, core)
                sequence = allocator.allocate(core.address, core.birth, core.male)
                numbers = id_numbers(address_ints[core.address], birth_ymd(core.birth), sequence)
                rows = []
                for (
                    uuid_hex,
                    number,
                    index_value,
                    name,
                    male,
                    birth,
                    household,
                    residence,
                    phone,
                    death,
                    education,
                ) in zip(
                    core.uuid_hex,
                    id_cipher.encrypt_many(numbers),
                    index.many(numbers),
                    names,
                    core.male.tolist(),
                    _dates(core.birth),
                    district_codes[core.household].tolist(),
                    district_codes[core.residence].tolist(),
                    phone_cipher.encrypt_many(phones),
                    _dates(core.death),
                    education_codes[core.education].tolist(),
                    strict=True,
                ):
                    rows.append(
                        (
                            uuid_hex,
                            stamp,
                            stamp,
                            number,
                            index_value,
                            name,
                            "M" if male else "F",
                            birth,
                            household,
                            residence,
                            phone,
                            death,
                            education,
                            "deceased" if death else "active",
                            provenance[(household is not None, bool(phone), death is not None, education is not None)],
                        )
                    )
                write(rows)
                written += len(rows)
                advance(block.size)
        return {Person._meta.db_table: written}
