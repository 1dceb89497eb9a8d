"""Figures a service task computed, shaped for reading on the workbench (计算结果, A3, S1).

A handler answers with plain JSON (``resultVariable`` in the BPMN file); this module turns
any such answer into labelled figures without knowing the item: a nested object becomes a
definition list, a list of like objects a table, a list of values a list. Values keep the
handler's figures as they are, read by their shape:

* money: a decimal string with exactly two places (how handlers write yuan, e.g.
  ``"2014.83"``) shows grouped with its unit; the stored figure stays machine-readable;
* other numbers lose a stored scale's trailing zeros (a divisor ``"117.000000"`` reads 117);
* dates (``YYYY-MM-DD``), months (``YYYY-MM``) and times (ISO 8601) become ``<time>``;
* ages and durations written ``60y2m`` read as years and months;
* ``true``/``false`` read yes/no; a missing value is a dash;
* a code (``minimum_wage_ratio``) reads as its label, like a name.

Names (keys and codes) are humanised and translated where a msgid exists, first in the
context ``computed figure`` (``monthly_benefit`` -> "Monthly benefit" -> 月基本养老金). A name that is a choice field of
the item's form takes the field's label, and its value the choice's label.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

SUMMARY_KEY = "what"  # the handlers' one-line account of what they did (see the README)
_MONEY_RE = re.compile(r"^-?\d+\.\d{2}$")
_DECIMAL_RE = re.compile(r"^-?\d+\.\d+$")
_KEPT_PLACES = 4
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_YEARS_MONTHS_RE = re.compile(r"^(\d+)y(\d+)m$")
_CODE_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

# The names the registered handlers answer with, marked so that makemessages keeps their
# msgids in this app's catalogue. In a context of their own, since a bare word means other
# things elsewhere ("Category" is an employer's 机构类别 in the project catalogue). Data, not
# a template: a name missing here still shows, humanised, translated by any catalogue.
# (xgettext reads the context only as a literal, hence written out on each line.)
FIGURE_CONTEXT = "computed figure"
FIGURE_NAMES = (
    pgettext_lazy("computed figure", "Result"),
    pgettext_lazy("computed figure", "Pension preview"),
    pgettext_lazy("computed figure", "Claim preview"),
    pgettext_lazy("computed figure", "Transfer preview"),
    pgettext_lazy("computed figure", "Eligible"),
    pgettext_lazy("computed figure", "Granted"),
    pgettext_lazy("computed figure", "Reasons"),
    pgettext_lazy("computed figure", "Notes"),
    pgettext_lazy("computed figure", "Category"),
    pgettext_lazy("computed figure", "Male"),
    pgettext_lazy("computed figure", "Female 50"),
    pgettext_lazy("computed figure", "Female 55"),
    pgettext_lazy("computed figure", "Statutory age"),
    pgettext_lazy("computed figure", "Retirement age"),
    pgettext_lazy("computed figure", "Retirement month"),
    pgettext_lazy("computed figure", "Start month"),
    pgettext_lazy("computed figure", "End month"),
    pgettext_lazy("computed figure", "Contribution months"),
    pgettext_lazy("computed figure", "Minimum years"),
    pgettext_lazy("computed figure", "Average wage"),
    pgettext_lazy("computed figure", "Average index"),
    pgettext_lazy("computed figure", "Account balance"),
    pgettext_lazy("computed figure", "Divisor"),
    pgettext_lazy("computed figure", "Monthly benefit"),
    pgettext_lazy("computed figure", "Reviewed monthly benefit"),
    pgettext_lazy("computed figure", "Parts"),
    pgettext_lazy("computed figure", "Basic"),
    pgettext_lazy("computed figure", "Account"),
    pgettext_lazy("computed figure", "Transitional"),
    pgettext_lazy("computed figure", "Schedule"),
    pgettext_lazy("computed figure", "Month"),
    pgettext_lazy("computed figure", "Amount"),
    pgettext_lazy("computed figure", "Award id"),
    pgettext_lazy("computed figure", "Separation date"),
    pgettext_lazy("computed figure", "Tier months"),
    pgettext_lazy("computed figure", "Carried over months"),
    pgettext_lazy("computed figure", "Months"),
    pgettext_lazy("computed figure", "Capped"),
    pgettext_lazy("computed figure", "Monthly amount"),
    pgettext_lazy("computed figure", "Total amount"),
    pgettext_lazy("computed figure", "Amount basis"),
    pgettext_lazy("computed figure", "Minimum wage ratio"),
    pgettext_lazy("computed figure", "Other region"),
    pgettext_lazy("computed figure", "Other region name"),
    pgettext_lazy("computed figure", "Account amount"),
    pgettext_lazy("computed figure", "Pooled fund amount"),
    pgettext_lazy("computed figure", "Transfer id"),
    pgettext_lazy("computed figure", "Effective on"),
    pgettext_lazy("computed figure", "Pension months after"),
    pgettext_lazy("computed figure", "Account balance after"),
    pgettext_lazy("computed figure", "Payment to"),
    pgettext_lazy("computed figure", "Bank account"),
)


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[Figure]]


@dataclass(frozen=True)
class Figure:
    """One labelled value; ``kind`` tells the template how to show it.

    Kinds: ``none``, ``text``, ``money`` (``value`` grouped, ``raw`` as stored), ``date``,
    ``datetime``, ``month`` (``raw`` for ``<time datetime>``), ``mapping`` and ``list``
    (``value`` is a list of figures), ``table`` (``value`` is a ``Table``).
    """

    label: str
    kind: str
    value: Any = None
    raw: str = ""


@dataclass(frozen=True)
class FigureSection:
    """One service task's answer: a title, its own account of it, and its figures."""

    name: str
    title: str
    summary: str
    figures: list[Figure] = field(default_factory=list)


def name_label(name: str) -> str:
    """``monthly_benefit`` -> "Monthly benefit", translated where a msgid exists."""
    human = name.replace("_", " ").strip()
    human = human[:1].upper() + human[1:]
    if not human:
        return name
    translated = pgettext(FIGURE_CONTEXT, human)
    return translated if translated != human else _(human)


def _number(value: Decimal | int | float) -> str:
    """A number as people write it: grouped above 9999, and without the trailing zeros of a
    database column's scale (``117.000000``). Up to four places are the handler's own
    precision (an index ``1.0000``) and stay."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        places = -int(value.as_tuple().exponent)
        if places > _KEPT_PLACES:
            value = value.normalize()
            if value == value.to_integral_value():
                value = value.quantize(Decimal(1))
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return f"{value:,f}" if abs(value) >= 10000 else f"{value:f}"


def _scalar(label: str, value: Any, choices: Mapping[str, str] | None = None) -> Figure:
    if value is None or value == "":
        return Figure(label, "none")
    if isinstance(value, bool):
        return Figure(label, "text", _("yes") if value else _("no"))
    if isinstance(value, Decimal | int | float):
        return Figure(label, "text", _number(value))
    text = str(value)
    if choices and text in choices:
        return Figure(label, "text", choices[text])
    if _MONEY_RE.match(text):
        return Figure(label, "money", f"{Decimal(text):,}", raw=text)
    if _DECIMAL_RE.match(text):  # a stored figure such as a divisor "117.000000" reads "117"
        return Figure(label, "text", _number(Decimal(text)))
    if _DATE_RE.match(text):
        try:
            return Figure(label, "date", dt.date.fromisoformat(text), raw=text)
        except ValueError:
            return Figure(label, "text", text)
    if _MONTH_RE.match(text):
        return Figure(label, "month", text, raw=text)
    if _DATETIME_RE.match(text):
        moment = parse_datetime(text)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return Figure(label, "datetime", moment, raw=moment.isoformat())
    years_months = _YEARS_MONTHS_RE.match(text)
    if years_months:
        return Figure(
            label,
            "text",
            _("%(years)s years %(months)s months") % {"years": years_months[1], "months": years_months[2]},
        )
    if _CODE_RE.match(text) and len(text) <= 40:
        return Figure(label, "text", name_label(text))
    return Figure(label, "text", text)


def _is_table(values: Sequence[Any]) -> bool:
    return all(
        isinstance(row, Mapping) and row and not any(isinstance(v, Mapping | list) for v in row.values())
        for row in values
    )


def figure(name: str, value: Any, *, fields: Mapping[str, Mapping[str, Any]] | None = None) -> Figure:
    """Label and shape one value of a handler's answer (recursively)."""
    form_field = (fields or {}).get(name)
    label = str(form_field["text"]) if form_field else name_label(name)
    if isinstance(value, Mapping):
        if not value:
            return Figure(label, "none")
        return Figure(label, "mapping", [figure(str(key), item) for key, item in value.items()])
    if isinstance(value, list | tuple):
        if not value:
            return Figure(label, "none")
        if _is_table(value):
            columns: list[str] = []
            for row in value:
                columns.extend(str(key) for key in row if str(key) not in columns)
            return Figure(
                label,
                "table",
                Table(
                    columns=[name_label(column) for column in columns],
                    rows=[[_scalar(name_label(column), row.get(column)) for column in columns] for row in value],
                ),
            )
        return Figure(label, "list", [figure("", item) for item in value])
    choices = dict(form_field.get("options") or []) if form_field else None
    return _scalar(label, value, choices)


def figure_sections(
    answers: Sequence[tuple[str, Mapping[str, Any]]], *, fields: Sequence[Mapping[str, Any]] = ()
) -> list[FigureSection]:
    """Sections to show for ``(variable name, answer)`` pairs; ``fields`` is the item's form.

    Only the item's choice fields lend their labels: their values are the applicant's
    choices echoed back, while a figure that shares another field's name may be computed
    (the months on record, not the months the form brought in).
    """
    choice_fields = {str(f["name"]): f for f in fields if f.get("options")}
    sections = []
    for name, answer in answers:
        summary = answer.get(SUMMARY_KEY)
        rest = {key: value for key, value in answer.items() if not (key == SUMMARY_KEY and isinstance(value, str))}
        sections.append(
            FigureSection(
                name=name,
                title=name_label(name),
                summary=summary if isinstance(summary, str) else "",
                figures=[figure(str(key), value, fields=choice_fields) for key, value in rest.items()],
            )
        )
    return sections
