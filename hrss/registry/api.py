"""Registry API: persons, employers, employment history and intake (A2). Scoped and audited."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from hrss.codes import examples
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.openapi import multipart_example
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.core.scope import ADMINISTRATOR, AGENCY_CLIENT
from hrss.identity.auth import API_AUTH, request_scope
from hrss.registry import importer, selectors
from hrss.registry.models import ImportBatch
from hrss.registry.schemas import EmployerOut, EmploymentOut, ErrorOut, ImportBatchOut, PersonHistoryOut, PersonOut

router = Router(tags=["registry"], auth=API_AUTH)
IMPORT_GRANT = "registry:import"
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PersonFilter(Schema):
    name: str | None = Field(None, max_length=100)
    district: str | None = Field(None, max_length=6)
    birth_year: int | None = Field(None, ge=1880, le=2100)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    purpose: str = Field("", max_length=200)


class EmployerFilter(Schema):
    name: str | None = Field(None, max_length=200)
    district: str | None = Field(None, max_length=6)
    industry: str | None = Field(None, max_length=4)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/persons/me", response={200: PersonOut, **_ERRORS}, summary="The signed-in citizen's own record")
def person_me(request: HttpRequest) -> PersonOut:
    scope = request_scope(request)
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    person = (
        selectors.person_queryset(scope=scope)
        .select_related("household_district", "residence_district")
        .get(pk=scope.person_id)
    )
    return PersonOut.build(person, scope)


@router.get("/persons/{id_number}", response={200: PersonOut, **_ERRORS}, summary="A person by ID number")
def person_get(request: HttpRequest, id_number: str, purpose: str = "") -> PersonOut:
    scope = request_scope(request)
    return PersonOut.build(selectors.person_get_by_id_number(scope=scope, id_number=id_number, purpose=purpose), scope)


@router.get("/persons", response={200: list[PersonOut], **_ERRORS}, summary="Search persons within your scope")
def person_search(request: HttpRequest, filters: Query[PersonFilter]) -> list[PersonOut]:
    scope = request_scope(request)
    found = selectors.person_search(
        scope=scope,
        name=filters.name,
        district=filters.district,
        birth_year=filters.birth_year,
        limit=filters.limit,
        offset=filters.offset,
        purpose=filters.purpose,
    )
    return [PersonOut.build(person, scope) for person in found]


@router.get(
    "/persons/{id_number}/employments",
    response={200: PersonHistoryOut, **_ERRORS},
    summary="A person's employment history",
)
def person_employments(request: HttpRequest, id_number: str, purpose: str = "") -> PersonHistoryOut:
    scope = request_scope(request)
    person, spells = selectors.person_employments(scope=scope, id_number=id_number, purpose=purpose)
    return PersonHistoryOut(person=PersonOut.build(person, scope), employments=[EmploymentOut.build(s) for s in spells])


@router.get("/employers", response={200: list[EmployerOut], **_ERRORS}, summary="Search employers within your scope")
def employer_search(request: HttpRequest, filters: Query[EmployerFilter]) -> list[EmployerOut]:
    found = selectors.employer_search(
        scope=request_scope(request),
        name=filters.name,
        district=filters.district,
        industry=filters.industry,
        limit=filters.limit,
        offset=filters.offset,
    )
    return [EmployerOut.build(employer) for employer in found]


@router.get("/employers/{credit_code}", response={200: EmployerOut, **_ERRORS}, summary="An employer by credit code")
def employer_get(request: HttpRequest, credit_code: str) -> EmployerOut:
    return EmployerOut.build(selectors.employer_get(scope=request_scope(request), credit_code=credit_code))


@router.post(
    "/imports",
    response={201: ImportBatchOut, **_ERRORS},
    summary="Take in a CSV file of persons, employers or employments from another department",
    openapi_extra=multipart_example(
        {
            "kind": "employments",
            "source": "tax",
            "file": (
                "id_number,credit_code,start_date,end_date,occupation,monthly_wage\n"
                f"{examples.ID_NUMBER},{examples.CREDIT_CODE},2014-07-01,,2-02,9800.00\n"
            ),
        }
    ),
)
def import_create(request: HttpRequest, kind: Form[str], source: Form[str], file: File[UploadedFile]) -> Status:
    scope = request_scope(request)
    if not (scope.has_role(ADMINISTRATOR) or (scope.has_role(AGENCY_CLIENT) and IMPORT_GRANT in scope.grants)):
        raise PermissionDenied()
    batch = importer.registry_import(
        stream=file,  # type: ignore[arg-type]  # an UploadedFile reads like a binary stream
        filename=file.name or "upload.csv",
        kind=kind,
        source=source,
        actor=scope.actor,
    )
    return Status(201, ImportBatchOut.from_orm(batch))


@router.get("/imports/{batch_id}", response={200: ImportBatchOut, **_ERRORS}, summary="An import's outcome and report")
def import_get(request: HttpRequest, batch_id: uuid.UUID) -> ImportBatchOut:
    scope = request_scope(request)
    if not scope.has_role(ADMINISTRATOR, AGENCY_CLIENT):
        raise PermissionDenied()
    batch = (
        ImportBatch.objects.filter(pk=batch_id, started_by=scope.actor).first()
        if not scope.has_role(ADMINISTRATOR)
        else ImportBatch.objects.filter(pk=batch_id).first()
    )
    if batch is None:
        raise NotFound()
    return ImportBatchOut.from_orm(batch)
