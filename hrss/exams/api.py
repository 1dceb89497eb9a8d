"""The exams API (R4).

Anyone: the announced exams and the verification of an admission ticket. Citizens: register,
pay the fee, download the ticket, see the score once published, ask for a re-check. The
examination office: exams by step (open, close, paper, seats, score, publish), registrations
to review, answer sheets, appeals and the question bank. Markers: the next blind script."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from hrss.core.errors import NotFound
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.exams import selectors, services, tickets
from hrss.exams.models import Appeal, Registration
from hrss.exams.schemas import (
    ErrorOut,
    ExamAppealIn,
    ExamAppealOut,
    ExamFeeOut,
    ExamItemIn,
    ExamItemOut,
    ExamMarkIn,
    ExamMarkOut,
    ExamOut,
    ExamRegistrationIn,
    ExamRegistrationOut,
    ExamReviewIn,
    ExamScriptOut,
    ExamSheetsIn,
    ExamStepIn,
    ExamStepOut,
    ExamTicketOut,
    OfficeExamOut,
    OfficeRegistrationOut,
)
from hrss.identity.auth import API_AUTH, request_scope

router = Router(tags=["exams"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
_LIMIT = Query(50, ge=1, le=MAX_LIMIT)
_OFFSET = Query(0, ge=0, le=MAX_OFFSET)


def registration_out(row: Registration) -> dict[str, Any]:
    seat = getattr(row, "seat", None)
    score = row.score if selectors.score_visible(row) else None
    due = row.exam.fee if row.status == Registration.Status.PAYMENT else None
    appeal = next(iter(row.appeals.all()), None)
    return {
        "id": row.pk,
        "exam": row.exam.code,
        "exam_name": row.exam.name,
        "post": row.post.code,
        "status": row.status,
        "review_note": row.review_note,
        "fee_due": due,
        "seat": None
        if seat is None
        else {
            "ticket": seat.ticket,
            "site": seat.room.site.name,
            "address": seat.room.site.address,
            "room": seat.room.code,
            "number": seat.number,
        },
        "score": None if score is None else score,
        "appeal": appeal.status if appeal else None,
    }


@router.get("/exams", response={200: list[ExamOut], **_ERRORS}, auth=None, summary="Announced examinations")
def exams(request: HttpRequest, limit: int = _LIMIT, offset: int = _OFFSET) -> Any:
    return selectors.exams_public(limit=limit, offset=offset)


@router.get("/exams/{code}", response={200: ExamOut, **_ERRORS}, auth=None, summary="One examination with its posts")
def exam(request: HttpRequest, code: str) -> Any:
    return selectors.exam_public(code)


@router.post(
    "/exams/{code}/registrations",
    response={201: ExamRegistrationOut, **_ERRORS},
    summary="Register for a post (eligibility checked against the registry and certificates; a retry gives it back)",
)
def register(request: HttpRequest, code: str, payload: ExamRegistrationIn) -> Any:
    scope = request_scope(request)
    row = services.registration_create(
        scope=scope, exam_code=code, post_code=payload.post, certificate_number=payload.certificate_number
    )
    return Status(201, registration_out(selectors.registration_mine(scope=scope, registration_id=row.pk)))


@router.get("/my-registrations", response={200: list[ExamRegistrationOut], **_ERRORS}, summary="My registrations")
def mine(request: HttpRequest) -> Any:
    return [registration_out(row) for row in selectors.registrations_mine(scope=request_scope(request))]


@router.post(
    "/my-registrations/{registration_id}/fee",
    response={200: ExamFeeOut, **_ERRORS},
    summary="Pay the exam fee through the payment provider (a pending order is given back)",
)
def fee(request: HttpRequest, registration_id: uuid.UUID) -> Any:
    order, url = services.fee_pay(scope=request_scope(request), registration_id=registration_id)
    return {"reference": order.reference, "amount": order.amount, "status": order.status, "redirect_url": url}


@router.get(
    "/my-registrations/{registration_id}/ticket",
    response=_ERRORS,
    summary="My admission ticket (PDF with the proctors' QR code)",
    openapi_extra={
        "responses": {
            200: {
                "description": "the admission ticket",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def ticket_pdf(request: HttpRequest, registration_id: uuid.UUID) -> HttpResponse:
    row = selectors.registration_mine(scope=request_scope(request), registration_id=registration_id)
    data = tickets.ticket_pdf(row, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{row.seat.ticket}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def office_registration_out(row: Registration) -> dict[str, Any]:
    """A registration as the office sees it: the candidate's name and ID number in clear."""
    return {
        "id": row.pk,
        "post": row.post.code,
        "name": row.person.name,
        "id_number": row.person.id_number,
        "status": row.status,
        "eligibility": row.eligibility,
        "created_at": row.created_at,
    }


def appeal_out(row: Appeal) -> dict[str, Any]:
    return {"id": row.pk, "status": row.status, "total_before": row.total_before, "total_after": row.total_after}


@router.post(
    "/my-registrations/{registration_id}/appeal",
    response={201: ExamAppealOut, **_ERRORS},
    summary="Ask for a re-check of my published score",
)
def appeal(request: HttpRequest, registration_id: uuid.UUID, payload: ExamAppealIn) -> Any:
    row = services.appeal_create(scope=request_scope(request), registration_id=registration_id, reason=payload.reason)
    return Status(201, appeal_out(row))


@router.get(
    "/tickets/{ticket}",
    response={200: ExamTicketOut, 404: ErrorOut},
    auth=None,
    summary="Verify an admission ticket (what the proctor's scan shows; the name masked)",
)
def ticket(request: HttpRequest, ticket: str) -> Any:
    return selectors.ticket_verify(ticket)


@router.post(
    "/payments/{gateway}/notify",
    response={200: ExamFeeOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="The payment provider's callback for an exam fee (authenticated by the gateway's signature)",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {"type": "object"},
                    "example": {"reference": "EX20261205A1B2C3D4E5F6", "status": "paid", "amount": "80.00"},
                }
            }
        }
    },
)
def fee_notify(request: HttpRequest, gateway: str) -> Any:
    order = services.fee_notification_apply(
        gateway_name=gateway[:40], body=request.body, headers={k: str(v) for k, v in request.headers.items()}
    )
    return {"reference": order.reference, "amount": order.amount, "status": order.status, "redirect_url": ""}


# --- the examination office ---------------------------------------------------------------------


@router.get("/office/exams", response={200: list[OfficeExamOut], **_ERRORS}, summary="The office's examinations")
def office_exams(request: HttpRequest, limit: int = _LIMIT, offset: int = _OFFSET) -> Any:
    return selectors.office_exams(scope=request_scope(request), limit=limit, offset=offset)


def step_take(scope: Any, code: str, step: str) -> int:
    """One step of an exam; the count is what it touched (questions, seats, scores)."""
    if step in ("open", "close"):
        services.exam_advance(scope=scope, code=code, step=step)
        return 0
    if step == "paper":
        return len(services.paper_assemble(scope=scope, exam_code=code).items)
    if step == "seats":
        return services.seats_allocate(scope=scope, exam_code=code)
    if step == "score":
        return services.exam_score(scope=scope, exam_code=code)
    services.results_publish(scope=scope, exam_code=code)
    return 0


@router.post(
    "/office/exams/{code}/steps",
    response={200: ExamStepOut, **_ERRORS},
    summary="Take an exam a step on: open or close registration, seal the paper, allocate seats, score, publish",
)
def office_step(request: HttpRequest, code: str, payload: ExamStepIn) -> Any:
    scope = request_scope(request)
    count = step_take(scope, code, payload.step)
    exam = selectors.office_exam_detail(scope=scope, code=code)
    return {"code": exam.code, "status": exam.status, "count": count}


@router.get(
    "/office/exams/{code}/registrations",
    response={200: list[OfficeRegistrationOut], **_ERRORS},
    summary="An exam's registrations (audited: the candidates' personal data)",
)
def office_registrations(
    request: HttpRequest,
    code: str,
    status: str = Query("", max_length=10),
    limit: int = _LIMIT,
    offset: int = _OFFSET,
) -> Any:
    rows = selectors.office_registrations(
        scope=request_scope(request), exam_code=code, status=status, limit=limit, offset=offset
    )
    return [office_registration_out(row) for row in rows]


@router.post(
    "/office/registrations/{registration_id}/review",
    response={200: OfficeRegistrationOut, **_ERRORS},
    summary="Approve or refuse a registration (资格审查)",
)
def office_review(request: HttpRequest, registration_id: uuid.UUID, payload: ExamReviewIn) -> Any:
    row = services.registration_review(
        scope=request_scope(request), registration_id=registration_id, approve=payload.approve, note=payload.note
    )
    return office_registration_out(row)


@router.post(
    "/office/exams/{code}/sheets",
    response={200: ExamStepOut, **_ERRORS},
    summary="Record the answer-sheet reader's results and the written answers of a seated exam",
)
def office_sheets(request: HttpRequest, code: str, payload: ExamSheetsIn) -> Any:
    scope = request_scope(request)
    count = services.sheets_record(scope=scope, exam_code=code, sheets=payload.sheets, scripts=payload.scripts)
    exam = selectors.office_exam_detail(scope=scope, code=code)
    return {"code": exam.code, "status": exam.status, "count": count}


@router.post(
    "/office/appeals/{appeal_id}/decision",
    response={200: ExamAppealOut, **_ERRORS},
    summary="Re-check the score an appeal names: confirmed or corrected (the post re-ranked)",
)
def office_appeal(request: HttpRequest, appeal_id: uuid.UUID) -> Any:
    return appeal_out(services.appeal_decide(scope=request_scope(request), appeal_id=appeal_id))


@router.get(
    "/office/items", response={200: list[ExamItemOut], **_ERRORS}, summary="The question bank (no question text)"
)
def office_items(
    request: HttpRequest, tag: str = Query("", max_length=40), limit: int = _LIMIT, offset: int = _OFFSET
) -> Any:
    return selectors.items(scope=request_scope(request), tag=tag, limit=limit, offset=offset)


@router.post(
    "/office/items",
    response={201: ExamItemOut, **_ERRORS},
    summary="Add a question to the bank (stored encrypted)",
)
def office_item_add(request: HttpRequest, payload: ExamItemIn) -> Any:
    return Status(201, services.item_add(scope=request_scope(request), data=payload.dict()))


# --- marking ------------------------------------------------------------------------------------


@router.get(
    "/marking/next",
    response={200: ExamScriptOut, **_ERRORS},
    summary="The next written answer for me to mark, blind (404 when there is none)",
)
def marking_next(request: HttpRequest) -> Any:
    found = selectors.marking_next(scope=request_scope(request))
    if found is None:
        raise NotFound(code="nothing_to_mark")
    return found


@router.post(
    "/marking/{script_code}",
    response={200: ExamMarkOut, **_ERRORS},
    summary="My score of a written answer (first, second or third marking)",
)
def mark(request: HttpRequest, script_code: str, payload: ExamMarkIn) -> Any:
    script = services.mark_record(scope=request_scope(request), script_code=script_code, score=payload.score)
    return {"code": script.code, "status": script.status}
