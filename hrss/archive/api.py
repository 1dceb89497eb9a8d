"""The archive API (A4, B2).

Citizens and employer agents: their own dossier. Citizens: the certificates they can get,
issuing one (a signed PDF), and downloading it. Staff: a person's or an employer's dossier by
code, with a purpose (scoped and audited). Anyone: the verification of a certificate's code."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Status

from hrss.archive import selectors, services
from hrss.archive.models import IssuedCertificate
from hrss.archive.schemas import (
    CertificateIssueIn,
    CertificateVerificationOut,
    DossierOut,
    ErrorOut,
    IssuedOut,
    OfferOut,
)
from hrss.identity.auth import API_AUTH, request_scope

router = Router(tags=["archive"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _issued(row: IssuedCertificate) -> dict[str, Any]:
    return {
        "code": row.code,
        "number": row.number,
        "kind": row.kind,
        "ref": row.ref,
        "title": row.title,
        "issued_on": row.issued_on,
        "status": row.status,
        "file_sha256": row.file_sha256,
        "size": row.size,
        "download": reverse("api-v1:archive.certificate_pdf", kwargs={"code": row.code}),
    }


@router.get("/dossier", response={200: DossierOut, **_ERRORS}, summary="My dossier: my records from every app")
def dossier_mine(request: HttpRequest) -> Any:
    return selectors.dossier_mine(scope=request_scope(request))


@router.get(
    "/persons/{id_number}/dossier",
    response={200: DossierOut, **_ERRORS},
    summary="A person's dossier (staff in the person's districts; audited with its purpose)",
)
def dossier_person(
    request: HttpRequest, id_number: str, purpose: str = Query(..., min_length=1, max_length=200)
) -> Any:
    return selectors.dossier_person(scope=request_scope(request), id_number=id_number, purpose=purpose)


@router.get(
    "/employers/{credit_code}/dossier",
    response={200: DossierOut, **_ERRORS},
    summary="An employer's dossier of labour records (staff in its district; audited)",
)
def dossier_employer(
    request: HttpRequest, credit_code: str, purpose: str = Query(..., min_length=1, max_length=200)
) -> Any:
    return selectors.dossier_employer(scope=request_scope(request), credit_code=credit_code, purpose=purpose)


@router.get("/certificate-offers", response={200: list[OfferOut], **_ERRORS}, summary="The certificates I can get now")
def offers(request: HttpRequest) -> Any:
    return selectors.offers_mine(scope=request_scope(request))


@router.get("/my-certificates", response={200: list[IssuedOut], **_ERRORS}, summary="The certificates issued to me")
def issued(request: HttpRequest) -> Any:
    return [_issued(row) for row in selectors.issued_mine(scope=request_scope(request))]


@router.post(
    "/my-certificates",
    response={201: IssuedOut, **_ERRORS},
    summary="Issue me a certificate from my records (signed PDF; the same content the same day is the same certificate)",
)
def issue(request: HttpRequest, payload: CertificateIssueIn) -> Any:
    row = services.certificate_issue(
        scope=request_scope(request), kind=payload.kind, ref=payload.ref, base_url=request.build_absolute_uri("/")
    )
    return Status(201, _issued(row))


@router.get(
    "/my-certificates/{code}/pdf",
    response=_ERRORS,  # the 200 is a PDF, documented below (not JSON)
    summary="The signed PDF of a certificate (its holder, or staff in the holder's districts, audited)",
    openapi_extra={
        "responses": {
            200: {
                "description": "the signed PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    row, data = services.certificate_file(scope=request_scope(request), code=code)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{row.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/certificates/{code}",
    response={200: CertificateVerificationOut},
    auth=None,
    summary="Verify a certificate by its code: genuine, current or superseded, with a masked summary",
)
def verify(request: HttpRequest, code: str) -> Any:
    return selectors.verify(code=code[:64])
