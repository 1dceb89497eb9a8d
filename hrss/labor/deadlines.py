"""The statutory deadlines with their parameters and calendar (L1): the rules of
``rules.py`` fed with the dated periods of ``hrss/codes`` and core's working-day calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hrss.codes.selectors import ParameterMissing, parameter_value
from hrss.core.errors import InvalidInput
from hrss.core.workdays import is_workday
from hrss.labor import rules

# Which period each kind counts, and the article that sets it.
_PERIODS = {
    rules.ACCEPTANCE: ("arbitration.acceptance_days", "劳动争议调解仲裁法 第29条"),
    rules.AWARD: ("arbitration.award_days", "劳动争议调解仲裁法 第43条"),
    rules.MEDIATION: ("arbitration.mediation_days", "劳动争议调解仲裁法 第14条"),
}
_LIMITATION_BASIS = "劳动争议调解仲裁法 第27条"

# The register's petitions (信访, L2): calendar days like the periods above (the start day not
# counted, the last day moved off rest days and holidays). The figures are unverified (R).
PETITION_ACCEPTANCE = "petition_acceptance"
PETITION_ANSWER = "petition_answer"
PETITION_ANSWER_EXTENDED = "petition_answer_extended"
PETITION_KINDS = (PETITION_ACCEPTANCE, PETITION_ANSWER, PETITION_ANSWER_EXTENDED)
_PETITION_BASIS = "信访条例 第22条、第33条（信访工作条例）"


@dataclass(frozen=True)
class Deadline:
    kind: str
    start: dt.date
    due: dt.date
    basis: str


def days(name: str, *, on: dt.date) -> int:
    return int(parameter_value(name, on=on))


def deadline(kind: str, start: dt.date) -> Deadline:
    """The last day of the period ``kind`` that starts on ``start`` (the parameters in force then).

    A date before the periods were in force (the law took effect on 2008-05-01), or so late
    that its period runs past the calendar, is refused as invalid input.
    """
    try:
        return _deadline(kind, start)
    except ParameterMissing:
        raise InvalidInput(
            _("No statutory period was in force on %(date)s.") % {"date": start.isoformat()},
            code="labor_deadline_date",
            fields={"date": start.isoformat()},
        ) from None
    except OverflowError:
        raise InvalidInput(
            _("The date is too far in the future."), code="labor_deadline_date", fields={"date": start.isoformat()}
        ) from None


def _deadline(kind: str, start: dt.date) -> Deadline:
    if kind in _PERIODS:
        name, basis = _PERIODS[kind]
        return Deadline(kind, start, rules.period_end(start, days(name, on=start), is_workday), basis)
    if kind in PETITION_KINDS:
        total = days("petition.answer_days" if kind != PETITION_ACCEPTANCE else "petition.acceptance_days", on=start)
        if kind == PETITION_ANSWER_EXTENDED:
            total += days("petition.extension_days", on=start)
        return Deadline(kind, start, rules.period_end(start, total, is_workday), _PETITION_BASIS)
    if kind == rules.AWARD_EXTENDED:
        total = days("arbitration.award_days", on=start) + days("arbitration.extension_days", on=start)
        return Deadline(kind, start, rules.period_end(start, total, is_workday), "劳动争议调解仲裁法 第43条")
    if kind in (rules.LIMITATION, rules.WAGE_CLAIM):
        years = int(parameter_value("arbitration.limitation_years", on=start))
        return Deadline(kind, start, rules.limitation_end(start, years, is_workday), _LIMITATION_BASIS)
    raise InvalidInput(
        _("Unknown kind of deadline: choose one of %(kinds)s.") % {"kinds": ", ".join(rules.KINDS)},
        code="labor_deadline_kind",
        fields={"kind": kind},
    )


def warning_days(*, on: dt.date) -> int:
    return days("arbitration.deadline_warning_days", on=on)


def investigation_due(opened_on: dt.date) -> dt.date:
    """The last working day to finish investigating a case opened on ``opened_on`` (a fraud case
    of the register): 《劳动保障监察条例》第十七条."""
    return rules.workdays_end(opened_on, days("inspection.investigation_workdays", on=opened_on), is_workday)


def transfer_receipt_due(sent_on: dt.date) -> dt.date:
    """The last working day for the receiving unit to acknowledge a transfer (签收)."""
    return rules.workdays_end(sent_on, days("register.transfer_receipt_workdays", on=sent_on), is_workday)


def duplicate_window_days(*, on: dt.date) -> int:
    return days("register.duplicate_window_days", on=on)


# Rectification orders (责令改正, L3): the default period in working days from the order.
RECTIFICATION_BASIS = "《劳动保障监察条例》第十八条"


def rectification_due(issued_on: dt.date) -> dt.date:
    """The last working day for the employer to comply with an order issued on ``issued_on``."""
    try:
        total = days("inspection.rectification_workdays", on=issued_on)
    except ParameterMissing:
        raise InvalidInput(
            _("No rectification period was in force on %(date)s.") % {"date": issued_on.isoformat()},
            code="labor_rectification_date",
            fields={"issued_on": issued_on.isoformat()},
        ) from None
    return rules.workdays_end(issued_on, total, is_workday)
