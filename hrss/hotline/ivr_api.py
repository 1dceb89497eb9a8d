"""The IVR platform's API (A1, #24): the voice menu's export for staff, and the keypad
queries the platform's AGI adapter calls as an agency client (grant ``hotline:ivr``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from hrss.core import scope as roles
from hrss.core.errors import PermissionDenied
from hrss.hotline import ivr, keypad
from hrss.hotline.schemas import ErrorOut
from hrss.identity.auth import API_AUTH, request_scope

router = Router(tags=["hotline"])
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
EXPORTERS = frozenset({roles.ADMINISTRATOR, roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER})
SPOKEN = "zh-hans"  # what the platform's text-to-speech reads, whatever the request's language
FILENAMES = {"asterisk": "extensions.conf", "prompts": "ivr-prompts.json", "tree": "ivr-tree.json"}


@router.get(
    "/export",
    response=_ERRORS,
    auth=API_AUTH,
    openapi_extra={
        "responses": {
            "200": {
                "description": "the file, as an attachment",
                "content": {
                    "text/plain": {"schema": {"type": "string"}},
                    "application/json": {"schema": {"type": "object"}},
                },
            }
        }
    },
    summary="The voice menu as configuration for the IVR platform",
    description="`asterisk`: an extensions.conf; `prompts`: the text of each sound file (JSON); `tree`: the checked tree.",
)
def ivr_export(
    request: HttpRequest, format: Literal["asterisk", "prompts", "tree"] = Query("asterisk")
) -> HttpResponse:
    if not request_scope(request).has_role(*EXPORTERS):
        raise PermissionDenied(_("Only hotline staff may export the voice menu."))
    response = HttpResponse(ivr.export(format), content_type=f"{ivr.FORMATS[format]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{FILENAMES[format]}"'
    return response


class IdentifyIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"caller": "13800138000", "id_number": "11010519491231002X"}]}
    )

    caller: str = Field(..., min_length=11, max_length=20, description="the calling number (caller ID)")
    id_number: str = Field(..., min_length=15, max_length=18, description="keyed by the caller; * may stand for X")


class ChallengeOut(Schema):
    challenge: str
    text: str


class VerifyIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"challenge": "3f0c6a52-8d0e-4a57-9a53-2f4a1f4a9d10", "code": "123456"}]}
    )

    challenge: str = Field(..., min_length=1, max_length=40)
    code: str = Field(..., pattern=r"^\d{6}$")


class SessionOut(Schema):
    session: str
    expires_at: dt.datetime
    text: str


class QueryIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"session": "eyJ1c2VyIjoi...", "query": "contribution_months"}]}
    )

    session: str = Field(..., min_length=1, max_length=500)
    query: Literal["contribution_months", "latest_payment", "application_status"]


class SpeechOut(Schema):
    text: str


@router.post(
    "/identify", response={200: ChallengeOut, **_ERRORS}, auth=API_AUTH, summary="Keypad query: identity check"
)
def ivr_identify(request: HttpRequest, payload: IdentifyIn) -> Any:
    with translation.override(SPOKEN):
        found = keypad.identify(scope=request_scope(request), caller=payload.caller, id_number=payload.id_number)
    return ChallengeOut(challenge=found.challenge, text=found.text)


@router.post("/verify", response={200: SessionOut, **_ERRORS}, auth=API_AUTH, summary="Keypad query: the SMS code")
def ivr_verify(request: HttpRequest, payload: VerifyIn) -> Any:
    with translation.override(SPOKEN):
        found = keypad.verify(scope=request_scope(request), challenge=payload.challenge, code=payload.code)
    return SessionOut(session=found.session, expires_at=found.expires_at, text=found.text)


@router.post("/query", response={200: SpeechOut, **_ERRORS}, auth=API_AUTH, summary="Keypad query: the answer to read")
def ivr_query(request: HttpRequest, payload: QueryIn) -> Any:
    with translation.override(SPOKEN):
        return SpeechOut(text=keypad.query(scope=request_scope(request), session=payload.session, name=payload.query))
