"""Writes of employment services: every one atomic and audited, each scoped to its caller.

- ``unemployment_register``: the domain work of 失业登记 (SH-JY-001), called by the hall's
  service task once staff have approved; it also opens the person's job-seeker profile.
- ``profile_save``: a seeker's own intentions and what employers may see.
- ``vacancy_post`` / ``vacancy_close``: an employer's vacancies; a vacancy asking for sex,
  age, ethnicity, household registration, marital or childbearing status or health is
  refused (``discriminatory_requirement``, naming the phrase).
- ``application_submit``: a seeker applies to an open vacancy (once; a retry answers with
  the first application); the employer's agents are told in their inbox.
- ``invitation_send``: the employer's agent invites an applicant to an interview; the
  invitation reaches the applicant through notify (in-app and SMS), once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.codes import selectors as codes
from hrss.codes.models import EducationLevel, Occupation
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.employment import rules, search
from hrss.employment.models import (
    InterviewInvitation,
    JobApplication,
    JobSeekerProfile,
    UnemploymentRegistration,
    Vacancy,
)
from hrss.employment.notify_templates import (
    APPLICATION_DECLINED_TEMPLATE,
    APPLICATION_SHORTLISTED_TEMPLATE,
    INTERVIEW_INVITATION_TEMPLATE,
    NEW_APPLICANT_TEMPLATE,
)
from hrss.identity.models import User
from hrss.notify import services as notify
from hrss.notify.links import site_url
from hrss.registry.models import Employer, Person

GROUNDS = {
    "sex": gettext_lazy("sex"),
    "age": gettext_lazy("age"),
    "ethnicity": gettext_lazy("ethnicity"),
    "household_registration": gettext_lazy("household registration"),
    "marital_status": gettext_lazy("marital status"),
    "childbearing": gettext_lazy("childbearing"),
    "health": gettext_lazy("health conditions"),
}


def _invalid(errors: dict[str, str]) -> InvalidInput:
    messages = {
        "in_future": _("The date cannot be in the future."),
        "in_past": _("The date cannot be in the past."),
        "not_positive": _("Enter a number above zero."),
        "below_minimum": _("The highest wage cannot be below the lowest."),
        "too_far": _("Set the interview within the next three months."),
        "required": _("This field is required."),
    }
    return InvalidInput(fields={name: str(messages.get(code, code)) for name, code in errors.items()})


def _audit(scope: Scope, action: str, object_type: str, object_id: Any, **detail: Any) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )


def _district(code: str, field: str = "district") -> str:
    current = codes.district_current_code(code) if code else None
    if current is None:
        raise InvalidInput(fields={field: _("Unknown district.")})
    return current


def _education(code: str | None, field: str = "education") -> str | None:
    if not code:
        return None
    if not EducationLevel.objects.filter(pk=code).exists():
        raise InvalidInput(fields={field: _("Unknown education level.")})
    return code


def _occupations(values: list[str], field: str) -> list[str]:
    wanted = sorted(set(values))
    found = set(Occupation.objects.filter(code__in=wanted, level="middle").values_list("code", flat=True))
    if missing := [code for code in wanted if code not in found]:
        raise InvalidInput(fields={field: _("Unknown occupation: %(codes)s") % {"codes": ", ".join(missing)}})
    return wanted


def _skills(values: list[str]) -> list[str]:
    cleaned = sorted({rules.normalise(value)[:40] for value in values if rules.normalise(value)})
    if len(cleaned) > 20:
        raise InvalidInput(fields={"skills": _("List at most 20 skills.")})
    return cleaned


# --- registration -------------------------------------------------------------------------------


@transaction.atomic
def unemployment_register(
    *,
    scope: Scope,
    person_id: uuid.UUID,
    unemployed_since: dt.date,
    reference: str,
    last_employer: str = "",
    wants_training: bool = False,
) -> UnemploymentRegistration:
    """Register a person as unemployed (staff's approval in the hall, ``scope`` names them).

    Idempotent per hall application: a second run for the same reference answers with the
    registration the first made. A person already registered is refused (``Conflict``).
    """
    if not scope.is_staff:
        raise PermissionDenied()
    done = UnemploymentRegistration.objects.filter(hall_reference=reference).first()
    if done is not None:
        return done
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    if errors := rules.registration_errors(unemployed_since=unemployed_since, today=timezone.localdate()):
        raise _invalid(errors)
    if UnemploymentRegistration.objects.filter(
        person=person, status=UnemploymentRegistration.Status.REGISTERED
    ).exists():
        raise Conflict(_("This person is already registered as unemployed."), code="already_registered")
    registration = UnemploymentRegistration.objects.create(
        person=person,
        unemployed_since=unemployed_since,
        registered_on=timezone.localdate(),
        last_employer=last_employer[:200],
        wants_training=wants_training,
        hall_reference=reference,
        registered_by=scope.actor,
    )
    profile, opened = JobSeekerProfile.objects.get_or_create(
        person=person, defaults={"districts": [person.residence_district_id] if person.residence_district_id else []}
    )
    _audit(
        scope,
        "employment.unemployment_register",
        "unemployment_registration",
        registration.pk,
        reference=reference,
        profile_opened=opened,
        profile=str(profile.pk),
    )
    return registration


# --- the seeker's profile -----------------------------------------------------------------------


@transaction.atomic
def profile_save(
    *,
    scope: Scope,
    occupations: list[str],
    districts: list[str],
    wage_min: Decimal | None,
    education: str | None,
    skills: list[str],
    available_from: dt.date | None,
    visible_to_employers: bool,
) -> JobSeekerProfile:
    """The signed-in person's own profile, created on first save."""
    if scope.person_id is None:
        raise PermissionDenied(_("Only a person bound to their identity has a job-seeker profile."), code="not_bound")
    if wage_min is not None and wage_min < 0:
        raise InvalidInput(fields={"wage_min": _("Enter a number above zero.")})
    if len(occupations) > 5 or len(districts) > 5:
        raise InvalidInput(fields={"occupations": _("Choose at most five occupations and five districts.")})
    values = {
        "occupations": _occupations(occupations, "occupations"),
        "districts": sorted({_district(code, "districts") for code in districts}),
        "wage_min": wage_min,
        "education_id": _education(education),
        "skills": _skills(skills),
        "available_from": available_from,
        "visible_to_employers": visible_to_employers,
    }
    profile, _created = JobSeekerProfile.objects.update_or_create(person_id=scope.person_id, defaults=values)
    _audit(
        scope, "employment.profile_save", "job_seeker_profile", profile.pk, visible_to_employers=visible_to_employers
    )
    return profile


# --- vacancies ---------------------------------------------------------------------------------


def _employer(scope: Scope) -> Employer:
    if scope.employer_id is None:
        raise PermissionDenied(_("Vacancies are posted by an employer's agent."), code="not_employer")
    employer = Employer.objects.filter(pk=scope.employer_id).first()
    if employer is None:
        raise NotFound()
    return employer


@transaction.atomic
def vacancy_post(*, scope: Scope, values: dict[str, Any], idempotency_key: str = "") -> Vacancy:
    """Post a vacancy for the caller's employer. A retry with the same key answers with the
    first vacancy; a forbidden requirement is refused naming the phrase."""
    return vacancy_create(scope=scope, employer=_employer(scope), values=values, idempotency_key=idempotency_key)


def vacancy_create(
    *,
    scope: Scope,
    employer: Employer,
    values: dict[str, Any],
    idempotency_key: str = "",
    licence_check: Any = None,
) -> Vacancy:
    """Check and create a vacancy of ``employer`` (the caller's right to post for it checked
    by the caller: ``vacancy_post`` for an employer's agent, ``agencies`` for an HR agency,
    whose ``licence_check(district)`` answers the licence covering the vacancy's district)."""
    if idempotency_key:
        earlier = Vacancy.objects.filter(employer=employer, idempotency_key=idempotency_key).first()
        if earlier is not None:
            # the same key used by another poster for this employer is not a retry
            if earlier.agency_client != (scope.actor if licence_check is not None else ""):
                raise Conflict(code="duplicate_request")
            return earlier
    title, description = str(values.get("title") or "").strip(), str(values.get("description") or "").strip()
    if not title:
        raise InvalidInput(fields={"title": _("Enter a title.")})
    found = rules.discriminatory_phrase([title, description, *values.get("skills", [])])
    if found is not None:
        phrase, ground = found
        raise InvalidInput(
            _("A vacancy may not set requirements on %(ground)s: remove “%(phrase)s”.")
            % {"ground": GROUNDS.get(ground, ground), "phrase": phrase},
            code="discriminatory_requirement",
            fields={"description": phrase},
        )
    wage_min, wage_max = Decimal(values["wage_min"]), Decimal(values["wage_max"])
    headcount, valid_until = int(values["headcount"]), values["valid_until"]
    errors = rules.vacancy_errors(
        wage_min=wage_min, wage_max=wage_max, headcount=headcount, valid_until=valid_until, today=timezone.localdate()
    )
    if errors:
        raise _invalid(errors)
    occupation = _occupations([str(values.get("occupation") or "")], "occupation")[0]
    district = _district(str(values.get("district") or ""))
    licence = licence_check(district) if licence_check is not None else None
    skills = _skills(list(values.get("skills") or []))
    # Segmented once, here: the search index reads the tokens instead of running jieba again.
    words = " ".join(search.tokens(search.document_text(title[:100], description[:4000], skills)))
    try:
        vacancy = Vacancy.objects.create(
            employer=employer,
            title=title[:100],
            description=description[:4000],
            occupation_id=occupation,
            district_id=district,
            address=str(values.get("address") or "")[:200],
            wage_min=wage_min,
            wage_max=wage_max,
            education_id=_education(values.get("education")),
            skills=skills,
            search_tokens=words,
            headcount=headcount,
            valid_until=valid_until,
            posted_by=scope.actor,
            idempotency_key=idempotency_key[:64],
            agency_client=scope.actor if licence is not None else "",
            licence=licence,
        )
    except IntegrityError as error:  # a concurrent retry with the same key won the race
        raise Conflict(code="duplicate_request") from error
    detail = {"employer": str(employer.pk)}
    if licence is not None:
        detail["licence"] = licence.licence_number
    _audit(scope, "employment.vacancy_post", "vacancy", vacancy.pk, **detail)
    return vacancy


@transaction.atomic
def vacancy_close(*, scope: Scope, vacancy_id: uuid.UUID) -> Vacancy:
    """Close one of the caller's employer's vacancies (closing a closed one changes nothing)."""
    employer = _employer(scope)
    vacancy = Vacancy.objects.select_for_update().filter(pk=vacancy_id, employer=employer).first()
    if vacancy is None:
        raise NotFound()
    if vacancy.status != Vacancy.Status.CLOSED:
        vacancy.status = Vacancy.Status.CLOSED
        vacancy.save(update_fields=["status", "updated_at"])
        _audit(scope, "employment.vacancy_close", "vacancy", vacancy.pk)
    return vacancy


# --- applications and interview invitations ----------------------------------------------------


@transaction.atomic
def application_submit(*, scope: Scope, vacancy_id: uuid.UUID, note: str = "") -> JobApplication:
    """The signed-in seeker applies to an open, unexpired vacancy. Applying again answers
    with the first application (a client's retry, a second click); the employer's active
    agents get one message in their inbox."""
    if scope.person_id is None:
        raise PermissionDenied(_("Only a person bound to their identity may apply for a job."), code="not_bound")
    vacancy = (
        Vacancy.objects.select_related("employer")
        .filter(pk=vacancy_id, status=Vacancy.Status.OPEN, valid_until__gte=timezone.localdate())
        .first()
    )
    if vacancy is None:
        raise NotFound()
    earlier = JobApplication.objects.filter(vacancy=vacancy, person_id=scope.person_id).first()
    if earlier is not None:
        return earlier
    note = note.strip()[:500]
    try:
        with transaction.atomic():
            application = JobApplication.objects.create(vacancy=vacancy, person_id=scope.person_id, note=note)
    except IntegrityError as error:  # a concurrent retry won the race
        raise Conflict(code="duplicate_request") from error
    _audit(
        scope,
        "employment.application_submit",
        "job_application",
        application.pk,
        vacancy=str(vacancy.pk),
        employer=str(vacancy.employer_id),
    )
    params = {"title": vacancy.title, "url": site_url("employment:candidates", vacancy.pk)}
    for agent_id in User.objects.filter(employer_id=vacancy.employer_id, is_active=True).values_list("pk", flat=True):
        notify.send_in_app(user_id=agent_id, template=NEW_APPLICANT_TEMPLATE, params=params)
    return application


@transaction.atomic
def invitation_send(
    *, scope: Scope, application_id: uuid.UUID, at: dt.datetime, place: str, note: str = ""
) -> InterviewInvitation:
    """The employer's agent invites an applicant of one of its vacancies to an interview.
    The applicant is told in their inbox and by SMS (their registry mobile number). Sending
    again answers with the first invitation and tells no one twice."""
    employer = _employer(scope)
    application = (
        JobApplication.objects.select_for_update()
        .filter(pk=application_id, vacancy__employer=employer)
        .select_related("vacancy", "person")
        .first()
    )
    if application is None:
        raise NotFound()
    earlier = InterviewInvitation.objects.filter(application=application).first()
    if earlier is not None:
        return earlier
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    place, note = place.strip()[:200], note.strip()[:500]
    if errors := rules.invitation_errors(at=at, now=timezone.now(), place=place):
        raise _invalid(errors)
    invitation = InterviewInvitation.objects.create(
        application=application, at=at, place=place, note=note, sent_by=scope.actor
    )
    application.status = JobApplication.Status.INVITED
    application.save(update_fields=["status", "updated_at"])
    _audit(
        scope,
        "employment.invitation_send",
        "interview_invitation",
        invitation.pk,
        application=str(application.pk),
        person=str(application.person_id),
    )
    params = {
        "employer": employer.name,
        "title": application.vacancy.title,
        "at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
        "place": place,
        "note": note,
        "url": site_url("employment:mine"),
    }
    person = application.person
    account = User.objects.filter(person_id=person.pk, is_active=True).first()
    if account is not None:
        notify.send_in_app(user_id=account.pk, template=INTERVIEW_INVITATION_TEMPLATE, params=params)
    phone = person.phone or (account.phone if account is not None else "")
    if phone:
        # a bad number in the registry must not undo the invitation (the inbox still has it)
        with contextlib.suppress(InvalidInput):
            notify.send_sms(phone=phone, template=INTERVIEW_INVITATION_TEMPLATE, params=params)
    return invitation


@transaction.atomic
def application_decide(*, scope: Scope, application_id: uuid.UUID, decision: str) -> JobApplication:
    """The employer's agent shortlists or declines an applicant of one of its vacancies; the
    seeker is told in their inbox. The same decision again changes nothing and tells no one."""
    employer = _employer(scope)
    if decision not in rules.DECISIONS:
        raise InvalidInput(fields={"decision": _("Choose to shortlist or to decline.")})
    application = (
        JobApplication.objects.select_for_update()
        .filter(pk=application_id, vacancy__employer=employer)
        .select_related("vacancy")
        .first()
    )
    if application is None:
        raise NotFound()
    if application.status == decision:
        return application
    if not rules.decision_allowed(application.status, decision):
        raise Conflict(_("An applicant invited to an interview can only be declined."), code="decision_not_allowed")
    application.status = decision
    application.save(update_fields=["status", "updated_at"])
    _audit(
        scope,
        "employment.application_decide",
        "job_application",
        application.pk,
        decision=decision,
        person=str(application.person_id),
    )
    account = User.objects.filter(person_id=application.person_id, is_active=True).values_list("pk", flat=True).first()
    if account is not None:
        template = APPLICATION_SHORTLISTED_TEMPLATE if decision == "shortlisted" else APPLICATION_DECLINED_TEMPLATE
        params = {"employer": employer.name, "title": application.vacancy.title, "url": site_url("employment:mine")}
        notify.send_in_app(user_id=account, template=template, params=params)
    return application
