"""The talent green card's policy figures (R1) from the dated parameters of the codes app:
each category's thresholds (``talent.green_card.<category>.degree_min``, ``title_min``,
``award_min``, ``annual_salary_min``), the employer types it admits
(``talent.green_card.<category>.employer.<credit code prefix>``) and the card's validity
(``talent.green_card.validity_years``) — never figures in code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from hrss.codes.selectors import ParameterMissing, parameter_series, parameter_value
from hrss.talent import rules
from hrss.talent.errors import GreenCardPolicyMissing

PREFIX = "talent.green_card"


def _figure(name: str, on: dt.date) -> Decimal:
    try:
        return parameter_value(name, on=on)
    except ParameterMissing as error:
        raise GreenCardPolicyMissing(
            _(
                "The green card's conditions have no figure %(name)s in force on %(date)s: an administrator adds it first."
            )
            % {"name": name, "date": on.isoformat()},
            fields={"parameter": name},
        ) from error


def green_card_thresholds(*, category: str, on: dt.date) -> rules.GreenCardThresholds:
    base = f"{PREFIX}.{category}"
    employers = parameter_series(f"{base}.employer.", on=on)
    return rules.GreenCardThresholds(
        degree_min=int(_figure(f"{base}.degree_min", on)),
        title_min=int(_figure(f"{base}.title_min", on)),
        award_min=int(_figure(f"{base}.award_min", on)),
        annual_salary_min=_figure(f"{base}.annual_salary_min", on),
        employer_types=frozenset(prefix.upper() for prefix, flag in employers.items() if flag > 0),
    )


def green_card_validity_years(*, on: dt.date) -> int:
    return int(_figure(f"{PREFIX}.validity_years", on))
