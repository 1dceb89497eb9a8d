"""Employment's extracts for the analytics lake (``EmploymentConfig.lake_tables``): vacancies
and job seekers, for supply and demand, the employment prosperity index (E3) and the talent
supply and demand index (R2). De-identified (see ``hrss.core.lake``): an employer and a person
are pseudonyms; a vacancy is its district, occupation major group, education asked, headcount
and the days it was open; a seeker is a registered unemployed person's residence district,
education and the major group of the first occupation they want, with the days registered.
"""

from __future__ import annotations

from django.db.models import Case, CharField, DateField, F, OuterRef, Subquery, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Substr, TruncDate

from hrss.core.lake import LakeTable
from hrss.employment.models import JobSeekerProfile, UnemploymentRegistration, Vacancy


def _vacancies():
    return (
        Vacancy.objects.annotate(
            employing=F("employer_id"),
            district_code=F("district_id"),
            occupation_group=Substr("occupation_id", 1, 1),
            education_code=Coalesce(F("education_id"), Value(""), output_field=CharField()),
            opened_on=TruncDate("created_at"),
            # open until its validity ends; closed or expired on the day it changed
            closed_on=Case(
                When(status=Vacancy.Status.OPEN, then=F("valid_until")),
                default=TruncDate("updated_at"),
                output_field=DateField(),
            ),
        )
        .order_by()
        .values(
            "employing", "district_code", "occupation_group", "education_code", "headcount", "opened_on", "closed_on"
        )
    )


def _seekers():
    profile = JobSeekerProfile.objects.filter(person_id=OuterRef("person_id"))
    return (
        UnemploymentRegistration.objects.annotate(
            seeker=F("person_id"),
            district_code=Coalesce(
                F("person__residence_district_id"),
                F("person__household_district_id"),
                Value(""),
                output_field=CharField(),
            ),
            education_code=Coalesce(
                Subquery(profile.values("education_id")[:1]),
                F("person__education_id"),
                Value(""),
                output_field=CharField(),
            ),
            occupation_group=Coalesce(
                Substr(Cast(Subquery(profile.values(first=KT("occupations__0"))[:1]), CharField()), 1, 1), Value("")
            ),
        )
        .order_by()
        .values("seeker", "district_code", "education_code", "occupation_group", "registered_on", "ended_on")
    )


TABLES = (
    LakeTable(
        name="vacancies",
        description="vacancies: district, occupation major group, education asked, headcount, days open",
        rows=_vacancies,
        columns={
            "employing": "string",
            "district_code": "string",
            "occupation_group": "string",
            "education_code": "string",
            "headcount": "int64",
            "opened_on": "date32",
            "closed_on": "date32",
        },
        pseudonyms={"employing": "employer"},
        changed="updated_at",
    ),
    LakeTable(
        name="seekers",
        description="registered unemployed job seekers: district, education, occupation group wanted, days registered",
        rows=_seekers,
        columns={
            "seeker": "string",
            "district_code": "string",
            "education_code": "string",
            "occupation_group": "string",
            "registered_on": "date32",
            "ended_on": "date32",
        },
        pseudonyms={"seeker": "person"},
        changed="updated_at",
    ),
)
