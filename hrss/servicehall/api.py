"""Service hall API: the public catalogue and feed, applications from any channel, staff work items (A1, A3, X2)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Header, Query, Router, Status
from ninja.files import UploadedFile

from hrss.core import scope as roles
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.openapi import multipart_example
from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.identity.auth import API_AUTH, request_scope
from hrss.servicehall import selectors, services
from hrss.servicehall.models import Application, ServiceItem, WorkItem
from hrss.servicehall.schemas import (
    ApplicationIn,
    ApplicationListOut,
    ApplicationOut,
    AssignIn,
    DecisionIn,
    ErrorOut,
    FeedApplicationOut,
    ItemOut,
    ItemStatisticsOut,
    MaterialOut,
    ProcessIn,
    ProcessOut,
    SubmitOut,
    SupplementIn,
    WorkItemOut,
)

router = Router(tags=["servicehall"])
FEED_GRANT = "servicehall:feed"
_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _user(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or request.user


@router.get("/items", response={200: list[ItemOut], 422: ErrorOut}, auth=None, summary="The service catalogue (public)")
def item_list(request: HttpRequest, q: str = "", applicant_type: str = "", channel: str = "") -> list[ServiceItem]:
    return list(selectors.item_list(query=q, applicant_type=applicant_type, channel=channel))


@router.get("/items/{code}", response={200: ItemOut, 404: ErrorOut}, auth=None, summary="One service item (public)")
def item_get(request: HttpRequest, code: str) -> ServiceItem:
    return selectors.item_get(code=code)


@router.get(
    "/items/{code}/statistics",
    response={200: ItemStatisticsOut, 404: ErrorOut},
    auth=None,
    summary="Time taken, visits needed and share fully online for an item (public, X2)",
)
def item_statistics(request: HttpRequest, code: str) -> Any:
    return selectors.item_statistics(item=selectors.item_get(code=code))


@router.get(
    "/feed/items",
    response={200: list[dict[str, Any]]},
    auth=None,
    summary="The catalogue as a feed for the city-wide government service platform",
)
def feed_items(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.feed_items()


@router.get(
    "/feed/applications",
    response={200: list[FeedApplicationOut], **_ERRORS},
    auth=API_AUTH,
    summary="Application status changes since a time, for the government service platform (no personal data)",
)
def feed_applications(request: HttpRequest, since: dt.datetime | None = None, limit: int = 500) -> list[dict[str, Any]]:
    scope = request_scope(request)
    if not (scope.has_role(roles.ADMINISTRATOR) or FEED_GRANT in scope.grants):
        raise PermissionDenied()
    return selectors.feed_applications(since=since, limit=max(1, min(limit, 2000)))


@router.post(
    "/applications",
    response={200: SubmitOut, 201: SubmitOut, **_ERRORS},
    auth=API_AUTH,
    summary="Submit an application; the same Idempotency-Key never creates a second one",
)
def application_submit(
    request: HttpRequest,
    payload: ApplicationIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> Status:
    scope = request_scope(request)
    application, created = services.application_submit(
        scope=scope,
        user=_user(request),
        item_code=payload.item_code,
        form_data=payload.form,
        idempotency_key=idempotency_key or payload.idempotency_key or "",
        channel=payload.channel,
    )
    return Status(201 if created else 200, {"created": created, "application": application})


@router.get(
    "/applications", response={200: list[ApplicationListOut], **_ERRORS}, auth=API_AUTH, summary="Your applications"
)
def application_list(
    request: HttpRequest,
    status: str = "",
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[Application]:
    scope = request_scope(request)
    return selectors.application_list(scope=scope, status=status, limit=limit, offset=offset)


@router.get("/applications/{reference}", response={200: ApplicationOut, **_ERRORS}, auth=API_AUTH)
def application_get(request: HttpRequest, reference: str, purpose: str = "") -> Application:
    scope = request_scope(request)
    return selectors.application_get(scope=scope, reference=reference, purpose=purpose)


# A one-page blank A4 PDF, small enough to read: a material is a PDF, PNG or JPEG file.
EXAMPLE_PDF = (
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n"
    "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"
)


@router.post(
    "/applications/{reference}/materials",
    response={201: MaterialOut, **_ERRORS},
    auth=API_AUTH,
    openapi_extra=multipart_example({"kind": "id_card", "file": EXAMPLE_PDF}),
)
def material_upload(request: HttpRequest, reference: str, kind: Form[str], file: File[UploadedFile]) -> Status:
    scope = request_scope(request)
    application = selectors.application_get(scope=scope, reference=reference)
    material = services.material_upload(scope=scope, application=application, kind=kind, upload=file)
    return Status(201, material)


@router.post(
    "/applications/{reference}/supplement",
    response={200: ApplicationOut, **_ERRORS},
    auth=API_AUTH,
    summary="Answer a supplement request (补正) once the missing materials are uploaded",
)
def supplement_answer(request: HttpRequest, reference: str, payload: SupplementIn) -> Application:
    scope = request_scope(request)
    application = selectors.application_get(scope=scope, reference=reference)
    return services.supplement_answer(scope=scope, user=_user(request), application=application, answer=payload.answer)


@router.post("/applications/{reference}/withdraw", response={200: ApplicationOut, **_ERRORS}, auth=API_AUTH)
def application_withdraw(request: HttpRequest, reference: str) -> Application:
    scope = request_scope(request)
    application = selectors.application_get(scope=scope, reference=reference)
    return services.application_withdraw(scope=scope, application=application)


def _staff(request: HttpRequest) -> Any:
    scope = request_scope(request)
    if not scope.is_staff:
        raise PermissionDenied()
    return scope


@router.get("/work-items", response={200: list[WorkItemOut], **_ERRORS}, auth=API_AUTH, summary="My queue")
def work_queue(request: HttpRequest) -> list[WorkItem]:
    scope = _staff(request)
    return selectors.my_queue(scope=scope, user=_user(request))


@router.post(
    "/work-items/next", response={200: WorkItemOut, 204: None, **_ERRORS}, auth=API_AUTH, summary="Take the next item"
)
def work_take_next(request: HttpRequest) -> Any:
    scope = _staff(request)
    work_item = services.work_item_take_next(scope=scope, user=_user(request))
    if work_item is None:
        return Status(204, None)
    return work_item


@router.post("/work-items/{work_item_id}/complete", response={200: ApplicationOut, **_ERRORS}, auth=API_AUTH)
def work_complete(request: HttpRequest, work_item_id: uuid.UUID, payload: DecisionIn) -> Application:
    scope = _staff(request)
    work_item = selectors.work_item_get(scope=scope, work_item_id=work_item_id)
    application = services.work_item_complete(
        scope=scope,
        user=_user(request),
        work_item=work_item,
        decision=payload.decision,
        reasons=payload.reasons,
        missing_materials=payload.missing_materials,
    )
    return application


@router.post("/work-items/{work_item_id}/assign", response={200: WorkItemOut, **_ERRORS}, auth=API_AUTH)
def work_assign(request: HttpRequest, work_item_id: uuid.UUID, payload: AssignIn) -> WorkItem:
    from hrss.identity.models import User

    scope = _staff(request)
    work_item = selectors.work_item_get(scope=scope, work_item_id=work_item_id)
    assignee = User.objects.filter(username=payload.assignee, is_active=True).first()
    if assignee is None:
        raise NotFound(code="user_not_found")
    services.work_item_assign(scope=scope, user=_user(request), work_item=work_item, assignee=assignee)
    return WorkItem.objects.select_related("application", "application__item", "assignee").get(pk=work_item.pk)


@router.post(
    "/processes",
    response={201: ProcessOut, **_ERRORS},
    auth=API_AUTH,
    summary="Load a new version of a BPMN process (refused with the reason if it does not validate)",
)
def process_load(request: HttpRequest, payload: ProcessIn) -> Status:
    scope = request_scope(request)
    if not scope.has_role(roles.ADMINISTRATOR):
        raise PermissionDenied()
    definition = services.process_load(
        xml=payload.bpmn_xml, source="upload", filename=payload.filename, actor=scope.actor
    )
    return Status(201, definition)
