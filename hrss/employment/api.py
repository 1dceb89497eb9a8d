"""Employment services API (E1, E4): my registration and job-seeker profile, jobs ranked for
me with the reasons, my applications and their interview invitations; an employer's
vacancies, their applicants and the invitations it sends."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.employment import agencies, explain, policies, rules, selectors, services
from hrss.employment.schemas import (
    AgencyLicenceIn,
    AgencyLicenceOut,
    AgencyLicenceRevokeIn,
    AgencyVacancyIn,
    AgencyVacancyOut,
    ApplicantOut,
    ApplicationDecisionIn,
    ApplicationDecisionOut,
    ApprovedOut,
    ErrorOut,
    InvitationIn,
    InvitationOut,
    JobApplicationIn,
    MatchOut,
    MyApplicationOut,
    PolicyOut,
    PolicyPaymentOut,
    PolicyRunIn,
    PolicyRunOut,
    ProfileIn,
    ProfileOut,
    RegistrationOut,
    SeekerFitOut,
    StartupLoanOut,
    VacancyIn,
    VacancyOut,
)
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
def matches_mine(
    request: HttpRequest,
    limit: int = Query(20, ge=1, le=MATCH_LIMIT),
    q: str = Query("", max_length=100, description="Words to search the open vacancies for (BM25 over jieba tokens)"),
) -> Any:
    ranked = selectors.matches_mine(scope=request_scope(request), limit=limit, q=q)
    return [
        {
            "vacancy": r.vacancy,
            "points": r.match.points,
            "reasons": explain.reasons_text(r.match),
            "relevance": None if r.relevance is None else round(r.relevance, 4),
        }
        for r in ranked
    ]


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


def _mine_out(application: Any) -> dict[str, Any]:
    return {
        "id": application.pk,
        "vacancy": application.vacancy,
        "note": application.note,
        "status": application.status,
        "created_at": application.created_at,
        "invitation": getattr(application, "invitation", None),
    }


@router.get("/me/applications", response={200: list[MyApplicationOut], **_ERRORS}, summary="My job applications")
def applications_mine(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    applications = selectors.applications_mine(scope=request_scope(request), limit=limit, offset=offset)
    return [_mine_out(application) for application in applications]


@router.post(
    "/vacancies/{vacancy_id}/applications",
    response={201: MyApplicationOut, **_ERRORS},
    summary="Apply for a vacancy (applying again answers with the first application)",
)
def application_submit(request: HttpRequest, vacancy_id: uuid.UUID, payload: JobApplicationIn) -> Status:
    scope = request_scope(request)
    application = services.application_submit(scope=scope, vacancy_id=vacancy_id, note=payload.note)
    return Status(201, _mine_out(selectors.application_mine(scope=scope, application_id=application.pk)))


def _applicant_out(applicant: selectors.Applicant) -> dict[str, Any]:
    application = applicant.application
    return {
        "id": application.pk,
        "name": application.person.name,
        "note": application.note,
        "status": application.status,
        "created_at": application.created_at,
        "profile": applicant.profile,
        "invitation": getattr(application, "invitation", None),
    }


@router.get(
    "/vacancies/{vacancy_id}/applications",
    response={200: list[ApplicantOut], **_ERRORS},
    summary="The applicants of my employer's vacancy",
)
def applicants_of_vacancy(
    request: HttpRequest,
    vacancy_id: uuid.UUID,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    applicants = selectors.applicants_of_vacancy(
        scope=request_scope(request), vacancy_id=vacancy_id, limit=limit, offset=offset
    )
    return [_applicant_out(applicant) for applicant in applicants]


@router.post(
    "/applications/{application_id}/invitation",
    response={201: InvitationOut, **_ERRORS},
    summary="Invite an applicant to an interview (sent to them in-app and by SMS, once)",
)
def invitation_send(request: HttpRequest, application_id: uuid.UUID, payload: InvitationIn) -> Status:
    invitation = services.invitation_send(scope=request_scope(request), application_id=application_id, **payload.dict())
    return Status(201, invitation)


# --- policies that find their people (staff) -----------------------------------------------------


@router.get(
    "/policies", response={200: list[PolicyOut], **_ERRORS}, summary="Employment policies and their legal basis"
)
def policies_list(request: HttpRequest) -> Any:
    return list(rules.policies().values())


@router.get("/policy-runs", response={200: list[PolicyRunOut], **_ERRORS}, summary="Policy runs, newest first")
def policy_runs(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.policy_runs(scope=request_scope(request), limit=limit, offset=offset)


@router.post(
    "/policy-runs",
    response={201: PolicyRunOut, **_ERRORS},
    summary="Run a policy for a period (proposes payments to the newly eligible; nobody is paid twice)",
)
def policy_run(request: HttpRequest, payload: PolicyRunIn) -> Status:
    return Status(
        201, policies.policy_run(scope=request_scope(request), policy_code=payload.policy, period=payload.period)
    )


def payment_out(payment: Any) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "policy": payment.policy,
        "period": payment.period,
        "employer": payment.employer.name if payment.employer else None,
        "person": payment.person.name if payment.person else None,
        "amount": (Decimal(payment.amount_fen) / 100).quantize(Decimal("0.01")),
        "reasons": [explain.policy_reason_text(reason) for reason in payment.reasons],
        "status": payment.status,
    }


@router.get(
    "/policy-runs/{run_id}/payments",
    response={200: list[PolicyPaymentOut], **_ERRORS},
    summary="The payments a policy run proposed, with the reasons",
)
def policy_payments(
    request: HttpRequest,
    run_id: uuid.UUID,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    payments = selectors.policy_payments(scope=request_scope(request), run_id=run_id, limit=limit, offset=offset)
    return [payment_out(payment) for payment in payments]


@router.post(
    "/policy-runs/{run_id}/approve",
    response={200: ApprovedOut, **_ERRORS},
    summary="Approve a policy run's proposed payments (by someone other than who ran it)",
)
def policy_run_approve(request: HttpRequest, run_id: uuid.UUID) -> Any:
    return {"approved": policies.policy_run_approve(scope=request_scope(request), run_id=run_id)}


# --- start-up loans (staff) ----------------------------------------------------------------------


@router.get(
    "/loans",
    response={200: list[StartupLoanOut], **_ERRORS},
    summary="Start-up guaranteed loans approved, newest first, with their repayment assessment",
)
def startup_loans(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return [
        {
            "id": loan.pk,
            "person_name": loan.person.name,
            "business_name": loan.business_name,
            "amount": f"{loan.amount_fen / 100:.2f}",
            "term_months": loan.term_months,
            "contract_rate": loan.contract_rate,
            "borrower_rate": loan.borrower_rate,
            "monthly_instalment": f"{loan.monthly_instalment_fen / 100:.2f}",
            "interest_subsidy": f"{loan.interest_subsidy_fen / 100:.2f}",
            "score": loan.score,
            "assessment": loan.assessment,
            "status": loan.status,
            "hall_reference": loan.hall_reference,
            "decided_by": loan.decided_by,
            "decided_on": loan.decided_on,
        }
        for loan in selectors.startup_loans(scope=request_scope(request), limit=limit, offset=offset)
    ]


# --- licensed HR agencies (E1): the bureau's licences, the agencies' vacancies --------------------


@router.get(
    "/agency-licences",
    response={200: list[AgencyLicenceOut], **_ERRORS},
    summary="HR service licences (administrators)",
)
def licences(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.licences(scope=request_scope(request), limit=limit, offset=offset)


@router.post(
    "/agency-licences",
    response={201: AgencyLicenceOut, **_ERRORS},
    summary="Record an HR agency's service licence (人力资源服务许可证) for its agency client",
)
def licence_record(request: HttpRequest, payload: AgencyLicenceIn) -> Status:
    return Status(201, agencies.licence_record(scope=request_scope(request), **payload.dict()))


@router.post(
    "/agency-licences/{licence_id}/revoke",
    response={200: AgencyLicenceOut, **_ERRORS},
    summary="Revoke an HR service licence",
)
def licence_revoke(request: HttpRequest, licence_id: uuid.UUID, payload: AgencyLicenceRevokeIn) -> Any:
    return agencies.licence_revoke(scope=request_scope(request), licence_id=licence_id, reason=payload.reason)


@router.get(
    "/agency/vacancies",
    response={200: list[AgencyVacancyOut], **_ERRORS},
    summary="The vacancies this HR agency posted (agency clients with employment:vacancies)",
)
def agency_vacancies(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.agency_vacancies(scope=request_scope(request), limit=limit, offset=offset)


@router.post(
    "/agency/vacancies",
    response={201: AgencyVacancyOut, **_ERRORS},
    summary="Post a vacancy for an employer (a licence in force covering its district; a retry with the same key answers with the first)",
)
def agency_vacancy_post(request: HttpRequest, payload: AgencyVacancyIn) -> Status:
    scope = request_scope(request)
    values = payload.dict()
    key, credit_code = values.pop("idempotency_key"), values.pop("credit_code")
    vacancy = agencies.agency_vacancy_post(scope=scope, credit_code=credit_code, values=values, idempotency_key=key)
    return Status(201, selectors.agency_vacancy_get(scope=scope, vacancy_id=vacancy.pk))


@router.get(
    "/agency/vacancies/{vacancy_id}",
    response={200: AgencyVacancyOut, **_ERRORS},
    summary="A vacancy this agency posted",
)
def agency_vacancy_get(request: HttpRequest, vacancy_id: uuid.UUID) -> Any:
    return selectors.agency_vacancy_get(scope=request_scope(request), vacancy_id=vacancy_id)


@router.post(
    "/agency/vacancies/{vacancy_id}/close",
    response={200: AgencyVacancyOut, **_ERRORS},
    summary="Close a vacancy this agency posted",
)
def agency_vacancy_close(request: HttpRequest, vacancy_id: uuid.UUID) -> Any:
    scope = request_scope(request)
    agencies.agency_vacancy_close(scope=scope, vacancy_id=vacancy_id)
    return selectors.agency_vacancy_get(scope=scope, vacancy_id=vacancy_id)


# --- shortlists and seekers for a vacancy (E4) ---------------------------------------------------

SEEKERS_LIMIT = 100


@router.post(
    "/applications/{application_id}/decision",
    response={200: ApplicationDecisionOut, **_ERRORS},
    summary="Shortlist or decline an applicant of my employer's vacancy (the seeker is told in-app)",
)
def application_decide(request: HttpRequest, application_id: uuid.UUID, payload: ApplicationDecisionIn) -> Any:
    return services.application_decide(
        scope=request_scope(request), application_id=application_id, decision=payload.decision
    )


@router.get(
    "/vacancies/{vacancy_id}/seekers",
    response={200: list[SeekerFitOut], **_ERRORS},
    summary="Seekers who let employers see their profile, ranked for my employer's vacancy, with the reasons",
)
def seekers_for_vacancy(
    request: HttpRequest, vacancy_id: uuid.UUID, limit: int = Query(20, ge=1, le=SEEKERS_LIMIT)
) -> Any:
    fits = selectors.seekers_for_vacancy(scope=request_scope(request), vacancy_id=vacancy_id, limit=limit)
    return [
        {
            "name": fit.name,
            "profile": fit.profile,
            "points": fit.match.points,
            "reasons": explain.seeker_reasons_text(fit.match),
            "applied": fit.applied,
        }
        for fit in fits
    ]


# The bureau's support for people (E1, E2): special groups, guidance appointments, start-ups,
# in their own module under the same prefix.
from hrss.employment.support_api import router as support_router  # noqa: E402

router.add_router("", support_router)
