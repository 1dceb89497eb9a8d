"""What employment services offer the personal dossier (``hrss.core.dossier``).

A person's sections: their employment registrations (就业登记: employer or business, the
form of employment, from and to, the ``to`` being the end of the registry's employment
spell), unemployment registrations (失业登记), job applications (求职申请: vacancy,
employer, date, status), start-up support (创业扶持: start-up guaranteed loans and the
one-time start-up subsidy) and the employment subsidies paid to the person (就业补贴: the
approved payments of the policies whose beneficiary is a person; a subsidy paid to an
employer for hiring the person is the employer's, not shown here).

An employer's sections: the employment registrations naming it as the employer (就业登记,
the employee's name masked) and its vacancies (招聘岗位).

Certificates: ``employment.registration`` (就业失业登记证明), offered to a person with any
employment or unemployment registration: their current state (employed since a day,
registered as unemployed since a day, or neither) and the history of their registrations.

Every section is read with one query for its newest entries, and one count when there may
be more than ``limit``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hrss.core.dossier import CertificateBody, CertificateOffer, DossierEntry, DossierSection, newest
from hrss.core.errors import NotFound
from hrss.employment import rules
from hrss.employment.models import (
    EmploymentRegistration,
    JobApplication,
    PolicyPayment,
    StartupLoan,
    StartupSubsidy,
    UnemploymentRegistration,
    Vacancy,
)

REGISTRATION = "employment.registration"
# How many registrations of each kind the certificate lists (a person has a handful).
HISTORY_LIMIT = 30


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _day(day: dt.date | None) -> str:
    """A day as the certificate states it (the reader's language's date format)."""
    return formats.date_format(day) if day else "—"


def _local(at: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(at) if at else None


def _yuan(fen: int) -> str:
    return pgettext("money", "%(amount)s yuan") % {"amount": f"{Decimal(fen) / 100:.2f}"}


def _period(start: dt.date | None, end: dt.date | None) -> str:
    if end is None:
        return _("%(start)s to date") % {"start": _iso(start)}
    return _("%(start)s to %(end)s") % {"start": _iso(start), "end": _iso(end)}


def _mask_name(name: str) -> str:
    """张三 → 张*: the family name's first character and a star for each other one."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def _employer_of(row: dict[str, Any]) -> str:
    """Who the person works for: the employer or business named, else the form of employment."""
    return str(row["employer_name"] or _label(EmploymentRegistration.Kind, row["kind"]))


# --- a person's records ----------------------------------------------------------------------------

_REGISTRATION_FIELDS = ("hall_reference", "kind", "employer_name", "started_on", "spell__end_date")


def _employment(person_id: uuid.UUID, on: dt.date, limit: int) -> DossierSection:
    rows = EmploymentRegistration.objects.filter(person_id=person_id).order_by("-started_on", "-created_at")
    page, total = newest(rows.values(*_REGISTRATION_FIELDS), limit)
    entries = tuple(
        DossierEntry(
            title=_employer_of(row),
            on=row["started_on"],
            detail=_label(EmploymentRegistration.Kind, row["kind"])
            + " · "
            + _period(row["started_on"], row["spell__end_date"]),
            status=_("ended") if row["spell__end_date"] and row["spell__end_date"] < on else "",
            reference=row["hall_reference"],
        )
        for row in page
    )
    return DossierSection("employment.registrations", _("Employment registration"), 50, entries, total)


def _unemployment(person_id: uuid.UUID, limit: int) -> DossierSection:
    rows = UnemploymentRegistration.objects.filter(person_id=person_id).order_by("-registered_on", "-created_at")
    page, total = newest(
        rows.values("hall_reference", "unemployed_since", "registered_on", "last_employer", "status", "ended_on"),
        limit,
    )
    link = reverse("employment:mine") + "#registration"
    entries = []
    for row in page:
        detail = [_("unemployed since %(date)s") % {"date": _iso(row["unemployed_since"])}]
        if row["last_employer"]:
            detail.append(_("last employer: %(name)s") % {"name": row["last_employer"]})
        if row["ended_on"]:
            detail.append(_("ended on %(date)s") % {"date": _iso(row["ended_on"])})
        entries.append(
            DossierEntry(
                title=_("Registered as unemployed"),
                on=row["registered_on"],
                detail=" · ".join(detail),
                status=_label(UnemploymentRegistration.Status, row["status"]),
                reference=row["hall_reference"],
                link=link,
            )
        )
    return DossierSection("employment.unemployment", _("Unemployment registration"), 51, tuple(entries), total)


def _applications(person_id: uuid.UUID, limit: int) -> DossierSection:
    rows = JobApplication.objects.filter(person_id=person_id).order_by("-created_at", "-id")
    page, total = newest(rows.values("vacancy__title", "vacancy__employer__name", "created_at", "status"), limit)
    link = reverse("employment:mine") + "#applications"
    entries = tuple(
        DossierEntry(
            title=row["vacancy__title"],
            on=_local(row["created_at"]),
            detail=row["vacancy__employer__name"],
            status=_label(JobApplication.Status, row["status"]),
            link=link,
        )
        for row in page
    )
    return DossierSection("employment.applications", _("Job applications"), 52, entries, total)


def _startup(person_id: uuid.UUID, limit: int) -> DossierSection:
    # A person may have several loans and one subsidy at most: the newest ``limit`` of them
    # all are among the newest ``limit`` loans and the subsidy.
    loans, total = newest(
        StartupLoan.objects.filter(person_id=person_id)
        .order_by("-decided_on", "-created_at")
        .values("hall_reference", "business_name", "amount_fen", "term_months", "status", "decided_on"),
        limit,
    )
    subsidy = (
        StartupSubsidy.objects.filter(person_id=person_id)
        .values("hall_reference", "business_name", "amount_fen", "started_on", "decided_on")
        .first()
    )
    entries = [
        DossierEntry(
            title=_("Start-up guaranteed loan: %(business)s") % {"business": row["business_name"]},
            on=row["decided_on"],
            detail=_("%(amount)s, %(months)d months")
            % {"amount": _yuan(row["amount_fen"]), "months": row["term_months"]},
            status=_label(StartupLoan.Status, row["status"]),
            reference=row["hall_reference"],
        )
        for row in loans
    ]
    if subsidy is not None:
        total += 1
        entries.append(
            DossierEntry(
                title=_("One-time start-up subsidy: %(business)s") % {"business": subsidy["business_name"]},
                on=subsidy["decided_on"],
                detail=_("%(amount)s, business started on %(date)s")
                % {"amount": _yuan(subsidy["amount_fen"]), "date": _iso(subsidy["started_on"])},
                status=_("granted"),
                reference=subsidy["hall_reference"],
            )
        )
    entries.sort(key=lambda entry: entry.on or dt.date.min, reverse=True)
    return DossierSection("employment.startup", _("Start-up support"), 53, tuple(entries[: max(limit, 0)]), total)


def _person_policies() -> dict[str, rules.Policy]:
    return {code: policy for code, policy in rules.policies().items() if policy.beneficiary == "person"}


def _subsidies(person_id: uuid.UUID, limit: int) -> DossierSection:
    table = _person_policies()
    rows = PolicyPayment.objects.filter(
        person_id=person_id, policy__in=list(table), status=PolicyPayment.Status.APPROVED
    ).order_by("-period", "-created_at")
    page, total = newest(rows.values("policy", "period", "amount_fen", "approved_at", "status"), limit)
    entries = []
    for row in page:
        policy = table[row["policy"]]
        period = f"{row['period']:%Y}" if policy.period == "year" else f"{row['period']:%Y-%m}"
        entries.append(
            DossierEntry(
                title=policy.name,
                on=_local(row["approved_at"]) or row["period"],
                detail=_("%(amount)s for %(period)s") % {"amount": _yuan(row["amount_fen"]), "period": period},
                status=_label(PolicyPayment.Status, row["status"]),
            )
        )
    return DossierSection("employment.subsidies", _("Employment subsidies"), 54, tuple(entries), total)


def person_sections(person_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    sections = [
        _employment(person_id, on, limit),
        _unemployment(person_id, limit),
        _applications(person_id, limit),
        _startup(person_id, limit),
        _subsidies(person_id, limit),
    ]
    return [section for section in sections if section.total > 0]


# --- an employer's records ---------------------------------------------------------------------------


def _registrations_at(employer_id: uuid.UUID, on: dt.date, limit: int) -> DossierSection:
    # The employee's name is masked: the registration is the person's, the employer's
    # dossier is read by its own agents.
    rows = EmploymentRegistration.objects.filter(employer_id=employer_id).order_by("-started_on", "-created_at")
    page, total = newest(rows.values("hall_reference", "kind", "person__name", "started_on", "spell__end_date"), limit)
    entries = tuple(
        DossierEntry(
            title=_("Employment registration of %(name)s") % {"name": _mask_name(row["person__name"])},
            on=row["started_on"],
            detail=_period(row["started_on"], row["spell__end_date"]),
            status=_("ended") if row["spell__end_date"] and row["spell__end_date"] < on else "",
            reference=row["hall_reference"],
        )
        for row in page
    )
    return DossierSection("employment.employer_registrations", _("Employment registration"), 50, entries, total)


def _vacancies(employer_id: uuid.UUID, on: dt.date, limit: int) -> DossierSection:
    rows = Vacancy.objects.filter(employer_id=employer_id).order_by("-created_at", "-id")
    page, total = newest(
        rows.annotate(applicants=Count("applications")).values(
            "id", "title", "created_at", "headcount", "wage_min", "wage_max", "valid_until", "status", "applicants"
        ),
        limit,
    )
    entries = []
    for row in page:
        if row["status"] == Vacancy.Status.OPEN and row["valid_until"] < on:
            status = _("expired")
        else:
            status = _label(Vacancy.Status, row["status"])
        entries.append(
            DossierEntry(
                title=row["title"],
                on=_local(row["created_at"]),
                detail=_(
                    "%(headcount)d wanted · %(wage_min)s–%(wage_max)s yuan a month · valid until %(date)s"
                    " · %(applicants)d applicants"
                )
                % {
                    "headcount": row["headcount"],
                    "wage_min": f"{row['wage_min']:.2f}",
                    "wage_max": f"{row['wage_max']:.2f}",
                    "date": _iso(row["valid_until"]),
                    "applicants": row["applicants"],
                },
                status=status,
                link=reverse("employment:candidates", args=[row["id"]]),
            )
        )
    return DossierSection("employment.vacancies", _("Vacancies"), 51, tuple(entries), total)


def employer_sections(employer_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    sections = [_registrations_at(employer_id, on, limit), _vacancies(employer_id, on, limit)]
    return [section for section in sections if section.total > 0]


# --- certificates -----------------------------------------------------------------------------------


def _registration_title() -> str:
    return _("Certificate of employment and unemployment registration")


def certificate_offers(person_id: uuid.UUID, *, on: dt.date) -> list[CertificateOffer]:
    """The certificate of registration, to a person with any employment or unemployment registration."""
    registered = (
        EmploymentRegistration.objects.filter(person_id=person_id).exists()
        or UnemploymentRegistration.objects.filter(person_id=person_id).exists()
    )
    if not registered:
        return []
    return [
        CertificateOffer(
            kind=REGISTRATION,
            ref="",
            title=_registration_title(),
            label=_("Your current employment or unemployment registration and their history"),
        )
    ]


def certificate_body(kind: str, ref: str, person_id: uuid.UUID, *, on: dt.date) -> CertificateBody:
    """The person's current state and the history of their registrations, as of ``on``."""
    if kind != REGISTRATION or ref:
        raise NotFound(_("There is no such certificate."), code="employment_certificate_unknown")
    # The newest registrations of each kind are listed; the summary counts them all.
    employment, employment_total = newest(
        EmploymentRegistration.objects.filter(person_id=person_id)
        .order_by("-started_on", "-created_at")
        .values(*_REGISTRATION_FIELDS),
        HISTORY_LIMIT,
    )
    unemployment, unemployment_total = newest(
        UnemploymentRegistration.objects.filter(person_id=person_id)
        .order_by("-registered_on", "-created_at")
        .values("hall_reference", "unemployed_since", "registered_on", "status", "ended_on"),
        HISTORY_LIMIT,
    )
    if not employment and not unemployment:
        raise NotFound(
            _("You have no employment or unemployment registration."), code="employment_registration_not_found"
        )

    # Registering employment ends an open unemployment registration, so an open one is the
    # current state; otherwise the latest employment registration, unless its job has ended.
    open_unemployment = next(
        (row for row in unemployment if row["status"] == UnemploymentRegistration.Status.REGISTERED), None
    )
    latest = employment[0] if employment else None
    employed = False
    if open_unemployment is not None:
        state = _("registered as unemployed")
        since = open_unemployment["unemployed_since"]
        current = (_("Registered as unemployed since"), _day(since))
        statement = _("As of %(on)s the holder is registered as unemployed, unemployed since %(since)s.") % {
            "on": _day(on),
            "since": _day(since),
        }
    elif latest is not None and not (latest["spell__end_date"] and latest["spell__end_date"] < on):
        employed = True
        state = _("employed")
        since = latest["started_on"]
        current = (_("Employed since"), _day(since))
        statement = _("As of %(on)s the holder is registered as employed (%(employer)s) since %(since)s.") % {
            "on": _day(on),
            "employer": _employer_of(latest),
            "since": _day(since),
        }
    else:
        state = _("no current registration")
        since = None
        current = (_("Current registration"), _("none"))
        statement = _("As of %(on)s the holder has no current employment or unemployment registration.") % {
            "on": _day(on)
        }

    facts: list[tuple[str, str]] = [(_("Current state"), state), current]
    if employed and latest is not None:
        facts.append((_("Employer or business"), _employer_of(latest)))
        facts.append((_("Form of employment"), _label(EmploymentRegistration.Kind, latest["kind"])))
    for row in employment:
        facts.append(
            (
                _("Employment registration %(reference)s") % {"reference": row["hall_reference"]},
                _("%(employer)s, %(period)s")
                % {"employer": _employer_of(row), "period": _period(row["started_on"], row["spell__end_date"])},
            )
        )
    for row in unemployment:
        ended = row["ended_on"]
        facts.append(
            (
                _("Unemployment registration %(reference)s") % {"reference": row["hall_reference"]},
                _("registered on %(registered)s, unemployed since %(since)s, %(status)s")
                % {
                    "registered": _iso(row["registered_on"]),
                    "since": _iso(row["unemployed_since"]),
                    "status": _("ended on %(date)s") % {"date": _iso(ended)}
                    if ended
                    else _label(UnemploymentRegistration.Status, row["status"]),
                },
            )
        )
    return CertificateBody(
        title=_registration_title(),
        facts=tuple(facts),
        paragraphs=(
            statement,
            _(
                "This certificate states the employment and unemployment registrations the bureau's "
                "employment services record for the holder."
            ),
        ),
        summary=(
            (_("Name of the document"), _registration_title()),
            (_("Current state"), state),
            (_("Current state since"), _day(since)),
            (_("Number of registrations"), str(employment_total + unemployment_total)),
            (_("State as of"), _day(on)),
        ),
    )
