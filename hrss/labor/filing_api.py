"""The employment filing's API (用工备案, L3), mounted under the labour router: an employer's
hires and leavers (its 增员/减员), contracts and 未签劳动合同 flags for inspectors of its district,
and the contracts an employer's agent records; construction projects with their real-name
roster, wage-account movements and flags (保障农民工工资支付条例)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from hrss.core.paging import MAX_LIMIT
from hrss.identity.auth import API_AUTH, request_scope
from hrss.labor import filing_selectors, project_selectors
from hrss.labor.filing_schemas import (
    FilingOut,
    LabourContractIn,
    LabourContractOut,
    ProjectDetailOut,
    ProjectIn,
    ProjectOut,
    ProjectWorkerIn,
    ProjectWorkerOut,
    WageEntryIn,
    WageEntryOut,
)
from hrss.labor.models import ConstructionProject, LabourContract, ProjectWorker, WageAccountEntry
from hrss.labor.schemas import ErrorOut
from hrss.labor.services import filing, projects, warning

router = Router(tags=["labor filing"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get(
    "/employers/{credit_code}/filing",
    response={200: FilingOut, **_ERRORS},
    summary="An employer's employment filing (用工备案): hires, leavers, contracts, 未签劳动合同",
)
def employer_filing(
    request: HttpRequest,
    credit_code: str,
    since: str = Query("", description="YYYY-MM: hires and leavers from this month (default: a year back)"),
    limit: int = Query(MAX_LIMIT, ge=1, le=MAX_LIMIT),
) -> filing_selectors.Filing:
    first: dt.date | None = warning.parse_period(since) if since else None
    return filing_selectors.employer_filing(
        scope=request_scope(request), credit_code=credit_code, since=first, limit=limit
    )


@router.post(
    "/employers/{credit_code}/contracts",
    response={200: LabourContractOut, **_ERRORS},
    summary="Record a labour contract of the employer (idempotent)",
)
def contract_record(request: HttpRequest, credit_code: str, payload: LabourContractIn) -> LabourContract:
    data: dict[str, Any] = payload.dict()
    return filing.contract_record(scope=request_scope(request), credit_code=credit_code, **data)


@router.post("/projects", response={200: ProjectOut, **_ERRORS}, summary="Register a construction project (idempotent)")
def project_register(request: HttpRequest, payload: ProjectIn) -> ConstructionProject:
    return projects.project_register(scope=request_scope(request), **payload.dict())


@router.get(
    "/projects/{reference}",
    response={200: ProjectDetailOut, **_ERRORS},
    summary="A construction project: its real-name roster, wage account and flags",
)
def project_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    return project_selectors.project_detail(scope=request_scope(request), reference=reference)


@router.post(
    "/projects/{reference}/workers",
    response={200: ProjectWorkerOut, **_ERRORS},
    summary="Put a worker on a project's real-name roster (实名制)",
)
def project_worker_add(request: HttpRequest, reference: str, payload: ProjectWorkerIn) -> ProjectWorker:
    return projects.project_worker_add(scope=request_scope(request), reference=reference, **payload.dict())


@router.post(
    "/projects/{reference}/account-entries",
    response={200: WageEntryOut, **_ERRORS},
    summary="Record a movement of a project's wage account: money received or a wage paid (idempotent)",
)
def wage_account_record(request: HttpRequest, reference: str, payload: WageEntryIn) -> WageAccountEntry:
    return projects.wage_account_record(scope=request_scope(request), reference=reference, **payload.dict())
