"""What the insurance app offers the personal dossier (``hrss.core.dossier``).

A person's sections:

* 参保登记 (``insurance.enrolments``): the person's enrolment spells, the latest first, each
  with its insurance, the employer (or 灵活就业), the months it covers and whether it is current;
* 缴费记录 (``insurance.contributions``): contributions summarised per insurance
  (``selectors.contributions.contribution_summary``): months, first and last month, the
  individual and employer totals;
* 社会保险待遇 (``insurance.benefits``): the benefit awards, the latest first.

An employer's sections: 单位参保登记 (its registrations per insurance), 单位缴费 (its latest
months with what was due, paid and is still unpaid) and 参保职工 (the employees enrolled now).

Certificates:

* ``insurance.contributions``, 参保缴费证明: the figures of the service hall's certificate
  item (``contribution_figures``: per insurance months, period and totals, the pension months
  including those transferred in), for anyone with a contribution line;
* ``insurance.pension``, 养老金领取证明: for a person drawing a basic pension here (an award in
  payment), its first month, the monthly amount and its status.

Each section is one query for its newest entries and a count only when there may be more
(the contribution summary is two queries, an employer's months one more for their payments);
no query per entry. Insurance names are read once a call per insurance (codes' cache).

``contribution_figures`` builds the contribution certificate's figures exactly as the service
hall's item (``servicetasks.certificate``) returns them, for that handler to call as well.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from hrss.codes.selectors import insurance_type_name
from hrss.core.dossier import CertificateBody, CertificateOffer, DossierEntry, DossierSection, newest
from hrss.core.errors import NotFound
from hrss.core.templatetags.formatting import money
from hrss.insurance import policy, rules
from hrss.insurance.models import (
    BenefitAward,
    BenefitKind,
    ContributionLine,
    EmployerMonthTotal,
    EmployerRegistration,
    Enrolment,
    PayerCategory,
    Payment,
)
from hrss.insurance.selectors.contributions import (
    InsuranceSummary,
    contribution_summary,
    pension_contribution_months,
)

CONTRIBUTIONS = "insurance.contributions"
PENSION = "insurance.pension"


# The columns of ``EmployerMonthTotal`` whose sum is what a month's statement asks for.
_DUE_COLUMNS = tuple(
    f"{prefix}_{share}_fen"
    for prefix in ("pension", "medical", "unemployment", "work_injury")
    for share in ("employer", "individual")
)


class _Names:
    """Insurance names in the active language, each looked up once a call (the codes table's
    names sit in the cache, one cache read a name: as many as there are insurances, not rows)."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def __call__(self, code: str) -> str:
        if code not in self._known:
            self._known[code] = str(insurance_type_name(code))
        return self._known[code]


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _month(day: dt.date | None) -> str:
    return f"{day:%Y-%m}" if day else ""


def _yuan_fen(fen: int | None) -> str:
    return money(rules.from_fen(fen))


def _span(first: dt.date | None, last: dt.date | None) -> str:
    if last is None:
        return _("from %(first)s") % {"first": _month(first)}
    return _("%(first)s to %(last)s") % {"first": _month(first), "last": _month(last)}


def _current(start: dt.date, end: dt.date | None, on: dt.date) -> bool:
    month = rules.month_start(on)
    return start <= on and (end is None or end >= month)


# --- the contribution certificate's figures (shared with the service hall's item) -------------


def contribution_figures(person_id: uuid.UUID) -> dict[str, Any]:
    """The figures of 参保缴费证明 from the person's own contribution lines, as the service
    hall's item (``servicetasks.certificate.contribution_certificate``) states them: per
    insurance the months, first and last month and the individual and employer totals; the
    pension months in all and those transferred in; the totals over every insurance.
    Unscoped: the caller has made sure the person asks for their own figures."""
    by_type: list[dict[str, Any]] = [
        {
            "insurance_type": row.insurance_type,
            "label": str(insurance_type_name(row.insurance_type)),
            "months": row.months,
            "first_month": _month(row.first_month) or None,
            "last_month": _month(row.last_month) or None,
            "individual_total": str(rules.yuan(rules.from_fen(row.individual_fen))),
            "employer_total": str(rules.yuan(rules.from_fen(row.employer_fen))),
            "insured_now": row.insured_now,
        }
        for row in contribution_summary(person_id)
    ]
    pension_here = next((row["months"] for row in by_type if row["insurance_type"] == rules.PENSION), 0)
    pension_total = pension_contribution_months(person_id)
    return {
        "by_type": by_type,
        "pension_months_total": pension_total,
        "pension_months_transferred": pension_total - pension_here,
        "individual_total": str(rules.yuan(sum((Decimal(row["individual_total"]) for row in by_type), Decimal(0)))),
        "employer_total": str(rules.yuan(sum((Decimal(row["employer_total"]) for row in by_type), Decimal(0)))),
    }


# --- a person's sections -------------------------------------------------------------------------


def _enrolments(person_id: uuid.UUID, on: dt.date, limit: int, names: _Names) -> DossierSection:
    every = Enrolment.objects.filter(person_id=person_id)
    rows = every.order_by("-start_month", "insurance_type", "-created_at").values(
        "pk", "insurance_type", "category", "start_month", "end_month", "stop_reason", "employer__name"
    )
    page, total = newest(rows, limit, every)
    link = reverse("insurance:mine")
    entries = []
    for row in page:
        payer = row["employer__name"] or _label(PayerCategory, row["category"])
        detail = _span(row["start_month"], row["end_month"])
        if row["end_month"] is not None and row["stop_reason"]:
            detail = _("%(span)s; stopped: %(reason)s") % {
                "span": detail,
                "reason": _label(Enrolment.StopReason, row["stop_reason"]),
            }
        entries.append(
            DossierEntry(
                title=_("%(insurance)s, %(payer)s") % {"insurance": names(row["insurance_type"]), "payer": payer},
                on=row["start_month"],
                detail=detail,
                status=_("insured") if _current(row["start_month"], row["end_month"], on) else _("enrolment ended"),
                reference="",  # the link shows the enrolment
                link=link,
            )
        )
    return DossierSection("insurance.enrolments", _("Social insurance enrolment"), 20, tuple(entries), total)


def _contribution_entry(row: InsuranceSummary, link: str, names: _Names) -> DossierEntry:
    return DossierEntry(
        title=names(row.insurance_type),
        on=row.first_month,
        detail=_("%(months)s months, %(span)s; individual %(individual)s, employer %(employer)s")
        % {
            "months": row.months,
            "span": _span(row.first_month, row.last_month),
            "individual": _yuan_fen(row.individual_fen),
            "employer": _yuan_fen(row.employer_fen),
        },
        status=_("insured") if row.insured_now else _("enrolment ended"),
        reference="",  # one line per insurance: the link shows its months
        link=link,
    )


def _contributions(person_id: uuid.UUID, limit: int, names: _Names) -> DossierSection:
    paid = [row for row in contribution_summary(person_id) if row.months > 0]
    # The latest contributed first; insurances last paid the same month keep the ledger's order.
    paid.sort(key=lambda row: row.last_month or dt.date.min, reverse=True)
    link = reverse("insurance:mine")
    entries = tuple(_contribution_entry(row, link, names) for row in paid[: max(limit, 0)])
    return DossierSection("insurance.contributions", _("Contribution records"), 21, entries, len(paid))


def _benefits(person_id: uuid.UUID, limit: int) -> DossierSection:
    every = BenefitAward.objects.filter(person_id=person_id)
    rows = every.order_by("-start_month", "-created_at").values(
        "pk", "kind", "status", "start_month", "end_month", "stopped_month", "monthly_fen", "stop_reason"
    )
    page, total = newest(rows, limit, every)
    link = reverse("insurance:mine")
    entries = []
    for row in page:
        last = row["end_month"]
        if row["stopped_month"] is not None:
            last = rules.add_months(row["stopped_month"], -1)
        parts = [
            _("%(amount)s a month") % {"amount": _yuan_fen(row["monthly_fen"])},
            _span(row["start_month"], last),
        ]
        if row["stop_reason"]:
            parts.append(_("stopped: %(reason)s") % {"reason": _label(BenefitAward.StopReason, row["stop_reason"])})
        entries.append(
            DossierEntry(
                title=_label(BenefitKind, row["kind"]),
                on=row["start_month"],
                detail=_("; ").join(parts),
                status=_label(BenefitAward.Status, row["status"]),
                reference="",  # the link shows the award
                link=link,
            )
        )
    return DossierSection("insurance.benefits", _("Social insurance benefits"), 22, tuple(entries), total)


def person_sections(person_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    names = _Names()
    sections = [
        _enrolments(person_id, on, limit, names),
        _contributions(person_id, limit, names),
        _benefits(person_id, limit),
    ]
    return [section for section in sections if section.total > 0]


# --- an employer's sections ----------------------------------------------------------------------


def _registrations(employer_id: uuid.UUID, on: dt.date, limit: int, names: _Names) -> DossierSection:
    every = EmployerRegistration.objects.filter(employer_id=employer_id)
    rows = every.order_by("-start_month", "insurance_type", "-created_at").values(
        "pk", "insurance_type", "start_month", "end_month", "headcount", "application"
    )
    page, total = newest(rows, limit, every)
    link = reverse("insurance:employer")
    entries = []
    for row in page:
        detail = _span(row["start_month"], row["end_month"])
        if row["headcount"] is not None:
            detail = _("%(span)s; %(count)s employees to insure") % {"span": detail, "count": row["headcount"]}
        current = _current(row["start_month"], row["end_month"], on)
        entries.append(
            DossierEntry(
                title=names(row["insurance_type"]),
                on=row["start_month"],
                detail=detail,
                status=_("registered") if current else _("registration ended"),
                reference=row["application"] or "",
                link=link,
            )
        )
    return DossierSection(
        "insurance.employer_registrations", _("Employer's social insurance registration"), 20, tuple(entries), total
    )


def _employer_months(employer_id: uuid.UUID, on: dt.date, limit: int) -> DossierSection:
    due = sum((Coalesce(F(column), 0) for column in _DUE_COLUMNS[1:]), Coalesce(F(_DUE_COLUMNS[0]), 0))
    every = EmployerMonthTotal.objects.filter(employer_id=employer_id)
    rows = every.order_by("-period").annotate(due=due).values("period", "due")
    page, total = newest(rows, limit, every)
    paid = dict(
        Payment.objects.filter(employer_id=employer_id, period__in=[row["period"] for row in page])
        .values("period")
        .annotate(paid=Sum("amount_fen"))
        .values_list("period", "paid")
    )
    link = reverse("insurance:employer")
    entries = []
    # Newest first: once a month's due date has passed, every earlier month's has too, so
    # the due date (a dated parameter) is read for the latest month or two only.
    passed = False
    for row in page:
        passed = passed or on > policy.contribution_due_date(row["period"])
        due_fen = int(row["due"] or 0)
        paid_fen = int(paid.get(row["period"]) or 0)
        unpaid_fen = max(due_fen - paid_fen, 0)
        entries.append(
            DossierEntry(
                title=_("Contributions of %(month)s") % {"month": _month(row["period"])},
                on=row["period"],
                detail=_("due %(due)s, paid %(paid)s, unpaid %(unpaid)s")
                % {"due": _yuan_fen(due_fen), "paid": _yuan_fen(paid_fen), "unpaid": _yuan_fen(unpaid_fen)},
                status=_("paid in full") if not unpaid_fen else _("in arrears") if passed else _("not yet due"),
                link=f"{link}?period={row['period']:%Y-%m}",
            )
        )
    return DossierSection("insurance.employer_contributions", _("Employer's contributions"), 21, tuple(entries), total)


def _employees(employer_id: uuid.UUID, on: dt.date, names: _Names) -> DossierSection:
    current = Enrolment.objects.filter(employer_id=employer_id, start_month__lte=on).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=rules.month_start(on))
    )
    people = current.aggregate(n=Count("person_id", distinct=True))["n"] or 0
    if not people:
        return DossierSection("insurance.employer_staff", _("Insured employees"), 22, (), 0)
    by_type = dict(
        current.order_by().values("insurance_type").annotate(n=Count("id")).values_list("insurance_type", "n")
    )
    known = [code for code in rules.ASSESSED_INSURANCES if code in by_type]
    codes = known + sorted(set(by_type) - set(known))
    detail = _("; ").join(
        _("%(insurance)s: %(count)s") % {"insurance": names(code), "count": by_type[code]} for code in codes
    )
    entry = DossierEntry(
        title=_("%(count)s employees insured now") % {"count": people},
        on=on,
        detail=detail,
        link=reverse("insurance:employer"),
    )
    return DossierSection("insurance.employer_staff", _("Insured employees"), 22, (entry,), 1)


def employer_sections(employer_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    names = _Names()
    sections = [
        _registrations(employer_id, on, limit, names),
        _employer_months(employer_id, on, limit),
        _employees(employer_id, on, names),
    ]
    return [section for section in sections if section.total > 0]


# --- certificates --------------------------------------------------------------------------------


def _contributions_title() -> str:
    return _("Certificate of social insurance contributions")


def _pension_title() -> str:
    return _("Certificate of drawing a pension")


def _pension_award(person_id: uuid.UUID) -> BenefitAward | None:
    """The person's basic pension in payment (at most one: one current award per kind)."""
    return (
        BenefitAward.objects.filter(person_id=person_id, kind=BenefitKind.PENSION, status=BenefitAward.Status.ACTIVE)
        .order_by("-start_month")
        .first()
    )


def certificate_offers(person_id: uuid.UUID, *, on: dt.date) -> list[CertificateOffer]:
    """参保缴费证明 when the person has a contribution line, 养老金领取证明 when they draw a pension."""
    offers = []
    span = ContributionLine.objects.filter(person_id=person_id).aggregate(first=Min("period"), last=Max("period"))
    if span["first"] is not None:
        offers.append(
            CertificateOffer(
                kind=CONTRIBUTIONS,
                ref="",
                title=_contributions_title(),
                label=_("Contributions %(span)s") % {"span": _span(span["first"], span["last"])},
            )
        )
    award = _pension_award(person_id)
    if award is not None:
        offers.append(
            CertificateOffer(
                kind=PENSION,
                ref="",
                title=_pension_title(),
                label=_("Basic pension since %(month)s") % {"month": _month(award.start_month)},
            )
        )
    return offers


def _contributions_body(person_id: uuid.UUID, on: dt.date) -> CertificateBody:
    if not ContributionLine.objects.filter(person_id=person_id).exists():
        raise NotFound(_("You have no social insurance contributions here."), code="insurance_no_contributions")
    figures = contribution_figures(person_id)
    rows = figures["by_type"]
    facts: list[tuple[str, str]] = []
    for row in rows:
        if row["months"]:
            value = _("%(months)s months, %(span)s; individual %(individual)s, employer %(employer)s") % {
                "months": row["months"],
                "span": _("%(first)s to %(last)s") % {"first": row["first_month"], "last": row["last_month"]},
                "individual": money(row["individual_total"]),
                "employer": money(row["employer_total"]),
            }
        else:
            value = _("insured, no month contributed yet")
        facts.append((row["label"], value))
    pension_total = figures["pension_months_total"]
    facts.append(
        (
            _("Pension contribution months in all"),
            _("%(total)s months, of which %(transferred)s transferred in")
            % {"total": pension_total, "transferred": figures["pension_months_transferred"]},
        )
    )
    facts.append((_("Individual contributions in all"), money(figures["individual_total"])))
    facts.append((_("Employer contributions in all"), money(figures["employer_total"])))
    insured = [row["label"] for row in rows if row["insured_now"]]
    facts.append((_("Insurances insured now"), _(", ").join(insured) if insured else _("none")))
    firsts = [row["first_month"] for row in rows if row["first_month"]]
    lasts = [row["last_month"] for row in rows if row["last_month"]]
    period = _("%(first)s to %(last)s") % {"first": min(firsts), "last": max(lasts)} if firsts else "—"
    bureau = settings.HRSS_BUREAU_NAME
    return CertificateBody(
        title=_contributions_title(),
        facts=tuple(facts),
        paragraphs=(
            _(
                "This is to certify that the holder is insured with %(bureau)s and has contributed to the social "
                "insurances above as stated, according to the contribution records as of %(date)s."
            )
            % {"bureau": bureau, "date": on.isoformat()},
        ),
        summary=(
            (_("Certificate"), _contributions_title()),
            (_("Period covered"), period),
            (_("Pension contribution months in all"), str(pension_total)),
            (_("Records as of"), on.isoformat()),
        ),
    )


def _pension_body(person_id: uuid.UUID, on: dt.date) -> CertificateBody:
    award = _pension_award(person_id)
    if award is None:
        raise NotFound(_("You draw no basic pension here."), code="insurance_no_pension")
    kind = _label(BenefitKind, award.kind)
    status = _label(BenefitAward.Status, award.status)
    since = _month(award.start_month)
    bureau = settings.HRSS_BUREAU_NAME
    return CertificateBody(
        title=_pension_title(),
        facts=(
            (_("Benefit"), kind),
            (_("Paid since"), since),
            (_("Monthly amount"), _yuan_fen(award.monthly_fen)),
            (_("Status"), status),
        ),
        paragraphs=(
            _(
                "This is to certify that the holder draws a basic pension from %(bureau)s since %(month)s, "
                "%(amount)s a month, and that the pension is in payment as of %(date)s."
            )
            % {"bureau": bureau, "month": since, "amount": _yuan_fen(award.monthly_fen), "date": on.isoformat()},
        ),
        summary=(
            (_("Certificate"), _pension_title()),
            (_("Benefit"), kind),
            (_("Paid since"), since),
            (_("Status"), status),
        ),
    )


def certificate_body(kind: str, ref: str, person_id: uuid.UUID, *, on: dt.date) -> CertificateBody:
    """The content of one of the person's own certificates (``NotFound`` when they have none)."""
    if kind == CONTRIBUTIONS and not ref:
        return _contributions_body(person_id, on)
    if kind == PENSION and not ref:
        return _pension_body(person_id, on)
    raise NotFound(_("There is no such certificate."), code="insurance_certificate_unknown")
