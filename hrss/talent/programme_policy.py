"""The talent programmes' policy figures (R1) from the dated parameters of the codes app: how
many experts review a declaration (``talent.programme.experts_per_declaration``) and how many
days the results are on notice (``talent.programme.notice_days``) — what a new programme takes
unless the office sets its own."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from hrss.codes.selectors import ParameterMissing, parameter_value
from hrss.talent.errors import ProgrammePolicyMissing

EXPERTS_PER_DECLARATION = "talent.programme.experts_per_declaration"
NOTICE_DAYS = "talent.programme.notice_days"


def programme_figure(name: str, *, on: dt.date) -> int:
    try:
        return int(parameter_value(name, on=on))
    except ParameterMissing as error:
        raise ProgrammePolicyMissing(
            _("The programmes' policy has no figure %(name)s in force on %(date)s: an administrator adds it first.")
            % {"name": name, "date": on.isoformat()},
            fields={"parameter": name},
        ) from error
