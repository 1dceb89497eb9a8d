"""A staff member's wage from the salary tables in force on a date (R3): the post wage of
the post's category and grade (``talent.wage.post.<category>.<grade>``), the salary scale
wage of the step (``talent.wage.scale.<step>``; support staff ``talent.wage.scale_support.<step>``)
and each allowance (``talent.wage.allowance.<code>``), all dated policy parameters of the
codes app — never figures in code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from hrss.codes.selectors import ParameterMissing, parameter_value
from hrss.talent import rules
from hrss.talent.errors import WageTableMissing


def scale_table_name(category: str) -> str:
    return "talent.wage.scale_support" if category == "support" else "talent.wage.scale"


def _figure(name: str, on: dt.date) -> Decimal:
    try:
        return parameter_value(name, on=on)
    except ParameterMissing as error:
        raise WageTableMissing(
            _("The salary tables have no figure %(name)s in force on %(date)s: an administrator adds it first.")
            % {"name": name, "date": on.isoformat()},
            fields={"parameter": name},
        ) from error


def wage_compute(
    *, category: str, grade: int, scale_step: int, allowances: list[str], on: dt.date
) -> rules.WageFigures:
    return rules.wage_figures(
        post_wage=_figure(f"talent.wage.post.{category}.{grade}", on),
        scale_wage=_figure(f"{scale_table_name(category)}.{scale_step}", on),
        allowances={code: _figure(f"talent.wage.allowance.{code}", on) for code in allowances},
    )


def wage_answer(figures: rules.WageFigures, *, on: dt.date, names: dict[str, str]) -> dict[str, Any]:
    """The figures as the hall shows them (money as strings with two decimals)."""
    return {
        "effective_on": on.isoformat(),
        "post_wage": rules.yuan(figures.post_wage_fen),
        "scale_wage": rules.yuan(figures.scale_wage_fen),
        "allowances": [
            {"allowance": names.get(code, code), "amount": rules.yuan(amount)}
            for code, amount in figures.allowances_fen.items()
        ],
        "monthly_wage": rules.yuan(figures.total_fen),
    }
