"""The case's evidence files, the applicant's signature, settlement in the case, and the case
statistics in the API (L1). Added to the labour router by ``hrss.labor.api``."""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile

from hrss.core.errors import InvalidInput
from hrss.core.openapi import multipart_example
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.identity.auth import API_AUTH, request_scope
from hrss.labor import selectors
from hrss.labor.case_schemas import CaseStatisticsOut, EvidenceOut, SettlementIn, SignatureOut
from hrss.labor.schemas import CaseDetailOut, ErrorOut
from hrss.labor.services import case_files, cases

router = Router(tags=["labor"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# A PDF's first bytes: an evidence file's example content (the file part as text).
EXAMPLE_PDF = "%PDF-1.7\n"


@router.get(
    "/cases/{reference}/evidence",
    response={200: list[EvidenceOut], **_ERRORS},
    summary="The case's evidence files with their SHA-256",
)
def evidence_list(
    request: HttpRequest,
    reference: str,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[object]:
    _case, files = selectors.evidence_list(scope=request_scope(request), reference=reference)
    return list(files[offset : offset + limit])


@router.post(
    "/cases/{reference}/evidence",
    response={200: list[EvidenceOut], **_ERRORS},
    summary="Attach evidence files to an open case (PDF, JPEG or PNG, at most 20 MB each; SHA-256 kept)",
    openapi_extra=multipart_example({"description": "工资条与考勤记录", "files": [EXAMPLE_PDF]}),
)
def evidence_add(
    request: HttpRequest,
    reference: str,
    files: File[list[UploadedFile]],
    description: Form[str] = "",
) -> list[object]:
    scope = request_scope(request)
    case_files.evidence_add(scope=scope, reference=reference, files=list(files), description=description)
    return list(selectors.evidence_list(scope=scope, reference=reference)[1])


@router.get(
    "/cases/{reference}/evidence/{evidence_id}",
    response=_ERRORS,  # the 200 is the file itself, documented below
    summary="One evidence file (every staff read is audited)",
    openapi_extra={
        "responses": {200: {"description": "the file", "content": {"application/octet-stream": {"schema": {}}}}}
    },
)
def evidence_file(request: HttpRequest, reference: str, evidence_id: int) -> FileResponse:
    evidence = selectors.evidence_open(scope=request_scope(request), reference=reference, evidence_id=evidence_id)
    response = FileResponse(
        evidence.file.open("rb"), content_type=evidence.content_type, filename=evidence.filename, as_attachment=True
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/cases/{reference}/signature",
    response={200: SignatureOut, **_ERRORS},
    summary="The applicant signs the application online (the SHA-256 of the filed content is recorded)",
)
def application_sign(request: HttpRequest, reference: str) -> object:
    return case_files.application_sign(scope=request_scope(request), reference=reference)


@router.post(
    "/cases/{reference}/settlement",
    response={200: CaseDetailOut, **_ERRORS},
    summary="Record the parties' settlement (调解书): the case closes without an award",
)
def case_settle(request: HttpRequest, reference: str, payload: SettlementIn) -> dict[str, object]:
    scope = request_scope(request)
    if not selectors.is_arbitrator(scope):
        from hrss.core.errors import PermissionDenied

        raise PermissionDenied()
    cases.case_settle(scope=scope, reference=reference, text=payload.text, amount=payload.amount)
    case, events = selectors.case_get(scope=scope, reference=reference)
    return {"case": case, "events": events, **selectors.case_parts(case)}


@router.get(
    "/statistics",
    response={200: CaseStatisticsOut, **_ERRORS},
    summary="Arbitration cases received in a period, counted by status, outcome, district, industry and claim type",
)
def statistics(
    request: HttpRequest,
    start: str = Query("", description="first day received (YYYY-MM-DD); empty: 1 January of this year"),
    end: str = Query("", description="last day received (YYYY-MM-DD); empty: today"),
    district: str = Query("", pattern=r"^(\d{6})?$", description="one of my districts (GB/T 2260); empty: all"),
) -> dict[str, object]:
    first, last = statistics_period(start, end)
    return selectors.case_statistics(scope=request_scope(request), start=first, end=last, district=district)


def statistics_period(start: str, end: str) -> tuple[dt.date, dt.date]:
    """The statistics' period from its two dates as written (empty: this year to today)."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    today = timezone.localdate()
    try:
        first = dt.date.fromisoformat(start) if start else dt.date(today.year, 1, 1)
        last = dt.date.fromisoformat(end) if end else today
    except ValueError:
        raise InvalidInput(_("Enter the dates as YYYY-MM-DD."), fields={"start": start, "end": end}) from None
    if last < first or (last - first).days > 3660:
        raise InvalidInput(_("The period must end after it starts, within ten years."), fields={"end": end})
    return first, last
