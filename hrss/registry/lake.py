"""The registry's extracts for the analytics lake (``RegistryConfig.lake_tables``): persons,
employers and employment spells, de-identified (see ``hrss.core.lake``).

No name, ID number, phone or address: a person is a pseudonym, a birth cohort (five years),
a sex, a residence district and an education level; an employer a pseudonym, a district, an
industry section (GB/T 4754) and a size band.
"""

from __future__ import annotations

from django.db.models import F, IntegerField, Value
from django.db.models.functions import Cast, Coalesce, ExtractYear, Mod, TruncMonth

from hrss.core.lake import LakeTable
from hrss.registry.models import Employer, Employment, Person


def _persons():
    year = ExtractYear("birth_date")
    return (
        Person.objects.annotate(
            person=F("id"),
            birth_cohort=Cast(year - Mod(year, Value(5)), IntegerField()),
            district=Coalesce(F("residence_district_id"), F("household_district_id"), Value("")),
            education_code=Coalesce(F("education_id"), Value("")),
        )
        .order_by()
        .values("person", "sex", "birth_cohort", "district", "education_code")
    )


def _employers():
    return (
        Employer.objects.annotate(
            employer=F("id"),
            district_code=Coalesce(F("district_id"), Value("")),
            industry_section=Coalesce(F("industry__parent_id"), F("industry_id"), Value("")),
            size_band=F("size"),
        )
        .order_by()
        .values("employer", "district_code", "industry_section", "size_band")
    )


def _employments():
    return (
        Employment.objects.annotate(
            employment=F("id"),
            worker=F("person_id"),
            employing=F("employer_id"),
            start_month=TruncMonth("start_date"),
            end_month=TruncMonth("end_date"),
            occupation_code=Coalesce(F("occupation_id"), Value("")),
        )
        .order_by()
        .values("employment", "worker", "employing", "start_month", "end_month", "occupation_code")
    )


TABLES = (
    LakeTable(
        name="persons",
        description="persons: birth cohort, sex, residence district, education",
        rows=_persons,
        columns={
            "person": "string",
            "sex": "string",
            "birth_cohort": "int32",
            "district": "string",
            "education_code": "string",
        },
        pseudonyms={"person": "person"},
        changed="updated_at",
    ),
    LakeTable(
        name="employers",
        description="employers: district, industry section, size band",
        rows=_employers,
        columns={"employer": "string", "district_code": "string", "industry_section": "string", "size_band": "string"},
        pseudonyms={"employer": "employer"},
        changed="updated_at",
    ),
    LakeTable(
        name="employments",
        description="employment spells by month, with the occupation",
        rows=_employments,
        columns={
            "employment": "string",
            "worker": "string",
            "employing": "string",
            "start_month": "date32",
            "end_month": "date32",
            "occupation_code": "string",
        },
        pseudonyms={"employment": "employment", "worker": "person", "employing": "employer"},
        changed="updated_at",
    ),
)
