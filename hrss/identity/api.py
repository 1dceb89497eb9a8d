"""Identity API: the caller's own account and biometric checks (A6, S3)."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Router, Status

from hrss.core.errors import PermissionDenied
from hrss.identity import selectors
from hrss.identity.auth import API_AUTH, request_scope
from hrss.identity.biometrics import biometric_verify
from hrss.identity.models import User
from hrss.identity.schemas import BiometricCheckIn, BiometricCheckOut, ErrorOut, SignedInAccountOut

router = Router(tags=["identity"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/me", response={200: SignedInAccountOut, **_ERRORS}, summary="The signed-in account")
def account_me(request: HttpRequest) -> SignedInAccountOut:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise PermissionDenied(code="not_an_account")
    return SignedInAccountOut(**asdict(selectors.account_summary(user=user)))


@router.post(
    "/biometric-checks",
    response={201: BiometricCheckOut, **_ERRORS, 503: ErrorOut},
    summary="Compare a captured photo or liveness video with a person through the certified provider",
)
def biometric_check_create(request: HttpRequest, payload: BiometricCheckIn) -> Status:
    check = biometric_verify(scope=request_scope(request), **payload.dict())
    return Status(201, BiometricCheckOut.from_orm(check))
