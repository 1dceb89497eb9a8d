"""The synthetic city passes the registry's own rules, row by row, and is reproducible."""

import csv
import datetime as dt
import io
from collections import Counter
from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.models import NOT_PROVIDED
from stdnum.cn import uscc

from hrss.codes import selectors as codes
from hrss.codes.identifiers import parse_credit_code, parse_id_number
from hrss.codes.models import District, EducationLevel, Industry, Occupation
from hrss.core.crypto import decrypt_text
from hrss.registry.importer import MOBILE, registry_import
from hrss.registry.models import Employer, Employment, Person
from hrss.registry.services import id_number_index
from hrss.synth import steps
from hrss.synth.crypto import BlindIndex, BulkCipher
from hrss.synth.generators import employers, employments, persons
from hrss.synth.identifiers import organisation_check
from hrss.synth.loading import BulkLoader
from hrss.synth.runner import synth_run
from hrss.synth.steps import SynthContext, SynthParams, step_order

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)
PARAMS = SynthParams(persons=2000, employers=100, months=24, seed=7, as_of=AS_OF)
RETIRED_BINHAI = {"120107", "120108", "120109"}
RETIRED_COUNTIES = {"120221", "120222", "120223", "120224", "120225"}


REGISTRY_STEPS = ["persons", "employers", "employments"]  # other apps test their own steps


@pytest.fixture
def city():
    return synth_run(params=PARAMS, steps=REGISTRY_STEPS, progress=False)


def test_every_row_passes_the_registry_rules(city):
    current = set(District.objects.filter(status="current", level="county").values_list("code", flat=True))
    education = set(EducationLevel.objects.values_list("code", flat=True))
    divisions = set(Industry.objects.filter(level="division").values_list("code", flat=True))
    occupations = set(Occupation.objects.filter(level="middle").values_list("code", flat=True))
    assert {s.name: s.rows for s in city.steps}["persons"] == {"registry_person": 2000}

    people = {p.pk: p for p in Person.objects.all()}
    assert len(people) == 2000
    address_codes = Counter()
    for person in people.values():
        parsed = parse_id_number(person.id_number, today=AS_OF)  # decrypted by the field
        assert (parsed.birth_date, parsed.sex, parsed.kind) == (person.birth_date, person.sex, "resident")
        assert person.id_number_index == id_number_index(person.id_number)
        assert person.phone == "" or MOBILE.match(person.phone)
        assert person.residence_district_id in current
        if person.household_district_id is None:  # registered in another province
            assert not parsed.address_code.startswith("12")
        else:
            assert person.household_district_id in current
            assert codes.district_current_code(parsed.address_code) in current
        assert (person.death_date is None) == (person.status == "active")
        assert person.death_date is None or person.birth_date <= person.death_date <= AS_OF
        assert person.education_id is None or person.education_id in education
        assert person.sources["name"]["source"] == "synthetic" and person.sources["sex"]["source"] == "id_number"
        person.full_clean(exclude=["household_district", "residence_district", "education"], validate_unique=False)
        address_codes[parsed.address_code] += 1
    assert len({p.id_number for p in people.values()}) == 2000
    assert address_codes.keys() & RETIRED_BINHAI and address_codes.keys() & RETIRED_COUNTIES

    firms = {e.pk: e for e in Employer.objects.all()}
    assert len(firms) == 100
    for employer in firms.values():
        parsed = parse_credit_code(employer.credit_code)
        assert uscc.is_valid(employer.credit_code) and parsed.organisation_code[-1] == organisation_check(
            parsed.organisation_code[:8]
        )
        assert (
            parsed.district_code == "120000"
            or codes.district_current_code(parsed.district_code) == employer.district_id
        )
        assert employer.industry_id in divisions and employer.district_id in current
        assert employer.contact_phone == "" or MOBILE.match(employer.contact_phone)
        employer.full_clean(exclude=["industry", "district"], validate_unique=False)

    spells = list(Employment.objects.order_by("person_id", "start_date"))
    assert len(spells) > 500
    previous = None
    for spell in spells:
        person = people[spell.person_id]
        assert spell.employer_id in firms and spell.occupation_id in occupations and spell.source == "synthetic"
        assert person.birth_date.replace(year=person.birth_date.year + 17) <= spell.start_date <= AS_OF
        assert spell.end_date is None or PARAMS.window_start <= spell.end_date <= AS_OF
        assert spell.end_date is None or spell.start_date <= spell.end_date
        if person.death_date:
            assert spell.end_date is not None and spell.end_date <= person.death_date
        assert 0 < spell.monthly_wage < 10_000_000 and spell.monthly_wage == round(spell.monthly_wage, 2)
        if previous is not None and previous.person_id == spell.person_id:
            assert previous.end_date is not None and previous.end_date < spell.start_date  # one job at a time
        spell.full_clean(exclude=["person", "employer", "occupation"], validate_unique=False)
        previous = spell
    changes = Counter(spell.person_id for spell in spells)
    assert any(count > 1 for count in changes.values())  # job changes happen


def test_the_city_has_the_census_shape(city):
    residents = Counter(Person.objects.values_list("residence_district_id", flat=True))
    assert len(residents) == 16 and residents.most_common(1)[0][0] == "120116"  # 滨海新区 is the largest
    total = sum(residents.values())
    assert 0.03 < residents["120101"] / total < 0.075 or residents["120101"] / total < 0.04  # 和平区 ~2.6 %
    sexes = Counter(Person.objects.values_list("sex", flat=True))
    assert 0.48 < sexes["M"] / total < 0.56
    migrants = Person.objects.filter(household_district__isnull=True).count() / total
    assert 0.18 < migrants < 0.33
    ages = [(AS_OF - b).days / 365.25 for b in Person.objects.values_list("birth_date", flat=True)]
    assert 0.10 < sum(a < 15 for a in ages) / total < 0.17 and 0.17 < sum(a >= 60 for a in ages) / total < 0.26
    sizes = Counter(Employer.objects.values_list("size", flat=True))
    assert sizes["micro"] > sizes["small"] > 0  # heavy tail: many tiny employers, a few big ones


def test_the_importer_accepts_the_generated_rows(city):
    def upload(kind, header, rows):
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows(rows)
        stream = io.BytesIO(text.getvalue().encode())
        return registry_import(stream=stream, filename=f"{kind}.csv", kind=kind, source="synthetic", actor="test")

    sample = list(Person.objects.order_by("id")[:150])
    batch = upload(
        "persons",
        ["id_number", "name", "household_district", "residence_district", "phone", "death_date", "education"],
        [
            [
                p.id_number,
                p.name,
                p.household_district_id or "",
                p.residence_district_id,
                p.phone,
                p.death_date or "",
                p.education_id or "",
            ]
            for p in sample
        ],
    )
    assert batch.rows_invalid == 0, batch.report
    batch = upload(
        "employers",
        ["credit_code", "name", "industry", "district", "size", "contact_phone"],
        [
            [e.credit_code, e.name, e.industry_id, e.district_id, e.size, e.contact_phone]
            for e in Employer.objects.order_by("id")[:50]
        ],
    )
    assert batch.rows_invalid == 0, batch.report
    spells = Employment.objects.select_related("person", "employer").order_by("id")[:150]
    batch = upload(
        "employments",
        ["id_number", "credit_code", "start_date", "end_date", "occupation", "monthly_wage"],
        [
            [
                s.person.id_number,
                s.employer.credit_code,
                s.start_date,
                s.end_date or "",
                s.occupation_id,
                s.monthly_wage,
            ]
            for s in spells
        ],
    )
    assert batch.rows_invalid == 0 and batch.rows_unchanged == 150, batch.report


class MemoryLoader(BulkLoader):
    """Keeps the rows instead of loading them: for comparing generated cities."""

    vendor = "memory"

    def __init__(self):
        super().__init__(connection)
        self.tables = {}

    @contextmanager
    def copy(self, model, columns, *, defer_indexes=True):
        yield self.tables.setdefault(model._meta.db_table, []).extend

    def prepare(self):
        pass

    def _writer(self, table, columns):
        raise NotImplementedError

    def _drop_secondary_indexes(self, table):
        return []


def _generate(params):
    loader = MemoryLoader()
    ctx = SynthContext(params=params, loader=loader, now=dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
    for step in step_order(REGISTRY_STEPS):
        step.run(ctx, lambda units: None)
    return loader.tables


def _plain(tables):
    """Rows with ciphertexts decrypted (their nonces differ on every run, by design)."""
    person_aad = ("registry.person.id_number", "registry.person.phone")
    return {
        "persons": [
            (
                *row[:3],
                decrypt_text(row[3], aad=person_aad[0]),
                *row[4:10],
                decrypt_text(row[10], aad=person_aad[1]) if row[10] else "",
                *row[11:],
            )
            for row in tables["registry_person"]
        ],
        "employers": [
            (*row[:8], decrypt_text(row[8], aad="registry.employer.contact_phone") if row[8] else "", row[9])
            for row in tables["registry_employer"]
        ],
        "employments": tables["registry_employment"],
    }


def test_same_seed_same_city_and_another_seed_another():
    small = SynthParams(persons=600, employers=40, months=12, seed=3, as_of=AS_OF)
    first, second = _plain(_generate(small)), _plain(_generate(small))
    assert first == second
    other = _plain(_generate(SynthParams(persons=600, employers=40, months=12, seed=4, as_of=AS_OF)))
    assert {r[3] for r in other["persons"]}.isdisjoint({r[3] for r in first["persons"]})


def test_whole_blocks_are_a_prefix_of_a_larger_city(monkeypatch):
    monkeypatch.setattr(steps, "BLOCK_SIZE", 128)
    smaller = _plain(_generate(SynthParams(persons=256, employers=30, months=12, seed=5, as_of=AS_OF)))
    larger = _plain(_generate(SynthParams(persons=640, employers=30, months=12, seed=5, as_of=AS_OF)))
    assert larger["persons"][:256] == smaller["persons"]
    first_persons = {row[0] for row in smaller["persons"]}
    assert [r for r in larger["employments"] if r[3] in first_persons] == smaller["employments"]


def test_bulk_crypto_matches_the_kernel():
    numbers = ["120101199003073215", "12011619980101002X"]
    cipher = BulkCipher(aad="registry.person.id_number")
    for number, token in zip(numbers, cipher.encrypt_many([*numbers]), strict=True):
        assert decrypt_text(token, aad="registry.person.id_number") == number
        assert decrypt_text(cipher.encrypt(number), aad="registry.person.id_number") == number
    assert cipher.encrypt_many(["", "x"])[0] == ""
    assert BlindIndex().many(numbers) == [id_number_index(n) for n in numbers]


@pytest.mark.parametrize(
    ("model", "columns"),
    [(Person, persons.COLUMNS), (Employer, employers.COLUMNS), (Employment, employments.COLUMNS)],
)
def test_generators_fill_every_column_the_database_requires(model, columns):
    """COPY applies no Django defaults: a new NOT NULL column must be added to its generator."""
    missing = [
        f.column
        for f in model._meta.concrete_fields
        if f.column not in columns and not f.null and f.db_default is NOT_PROVIDED
    ]
    assert missing == []
    assert set(columns) <= {f.column for f in model._meta.concrete_fields}
