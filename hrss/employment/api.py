"""Employment services API (E1, E4): my registration and job-seeker profile, jobs ranked for
me with the reasons, and an employer's vacancies."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.employment import explain, selectors, services
from hrss.employment.schemas import ErrorOut, MatchOut, ProfileIn, ProfileOut, RegistrationOut, VacancyIn, VacancyOut
from hrss.identity.auth import API_AUTH, request_scope

router = Router(tags=["employment"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MATCH_LIMIT = 50


@router.get(
    "/me/registration", response={200: RegistrationOut | None, **_ERRORS}, summary="My unemployment registration"
)
def registration_mine(request: HttpRequest) -> Any:
    return selectors.registration_mine(scope=request_scope(request))


@router.get("/me/profile", response={200: ProfileOut | None, **_ERRORS}, summary="My job-seeker profile")
def profile_mine(request: HttpRequest) -> Any:
    return selectors.profile_mine(scope=request_scope(request))


@router.put("/me/profile", response={200: ProfileOut, **_ERRORS}, summary="Save my job-seeker profile")
def profile_save(request: HttpRequest, payload: ProfileIn) -> Any:
    return services.profile_save(scope=request_scope(request), **payload.dict())


@router.get("/me/matches", response={200: list[MatchOut], **_ERRORS}, summary="Jobs ranked for me, with the reasons")
def matches_mine(request: HttpRequest, limit: int = Query(20, ge=1, le=MATCH_LIMIT)) -> Any:
    ranked = selectors.matches_mine(scope=request_scope(request), limit=limit)
    return [{"vacancy": r.vacancy, "points": r.match.points, "reasons": explain.reasons_text(r.match)} for r in ranked]


@router.get("/vacancies", response={200: list[VacancyOut], **_ERRORS}, summary="My employer's vacancies")
def vacancies_mine(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.vacancies_of_employer(scope=request_scope(request), limit=limit, offset=offset)


@router.post("/vacancies", response={201: VacancyOut, **_ERRORS}, summary="Post a vacancy")
def vacancy_post(request: HttpRequest, payload: VacancyIn) -> Status:
    values = payload.dict()
    key = values.pop("idempotency_key")
    vacancy = services.vacancy_post(scope=request_scope(request), values=values, idempotency_key=key)
    return Status(201, selectors.vacancy_get(scope=request_scope(request), vacancy_id=vacancy.pk))


@router.get("/vacancies/{vacancy_id}", response={200: VacancyOut, **_ERRORS}, summary="A vacancy")
def vacancy_get(request: HttpRequest, vacancy_id: uuid.UUID) -> Any:
    return selectors.vacancy_get(scope=request_scope(request), vacancy_id=vacancy_id)


@router.post("/vacancies/{vacancy_id}/close", response={200: VacancyOut, **_ERRORS}, summary="Close a vacancy")
def vacancy_close(request: HttpRequest, vacancy_id: uuid.UUID) -> Any:
    scope = request_scope(request)
    services.vacancy_close(scope=scope, vacancy_id=vacancy_id)
    return selectors.vacancy_get(scope=scope, vacancy_id=vacancy_id)
