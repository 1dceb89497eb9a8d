"""Who works the smart monitoring's cases (S6): fund supervisors, reviewers and administrators,
each on the institutions of their districts (city-wide staff on all). One place for the check
the services and selectors share; a case outside the caller's districts is the same 404 as
one that does not exist."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, COUNTER_CLERK, FUND_SUPERVISOR, REVIEWER, Scope
from hrss.medical.models import MonitoringFlag

MONITOR_ROLES = (FUND_SUPERVISOR, REVIEWER, ADMINISTRATOR)
# Business against finance (S7) and the bank's payments: the fund's supervisors and administrators.
FINANCE_ROLES = (FUND_SUPERVISOR, ADMINISTRATOR)
# Chronic and special disease recognitions (门特认定): the agency's counter staff, reviewers and
# administrators, for the persons of their districts.
RECOGNISE_ROLES = (COUNTER_CLERK, REVIEWER, ADMINISTRATOR)


def require_monitor(scope: Scope) -> None:
    if not scope.has_role(*MONITOR_ROLES):
        raise PermissionDenied(_("Only fund supervisors and reviewers work the monitoring's cases."))


def require_finance(scope: Scope) -> None:
    if not scope.has_role(*FINANCE_ROLES):
        raise PermissionDenied(_("Only fund supervisors and administrators see the fund's payments."))


def require_recognise(scope: Scope) -> None:
    if not scope.has_role(*RECOGNISE_ROLES):
        raise PermissionDenied(_("Only the medical insurance agency's staff recognise chronic and special diseases."))


def flags_in_scope(scope: Scope) -> QuerySet[MonitoringFlag]:
    """The cases of institutions in the caller's districts."""
    require_monitor(scope)
    rows = MonitoringFlag.objects.all()
    if scope.districts is not None:
        rows = rows.filter(district__in=scope.districts)
    return rows


def flag_for(scope: Scope, flag_id: uuid.UUID | str, *, lock: bool = False) -> MonitoringFlag:
    rows = flags_in_scope(scope).select_related("institution", "run")
    if lock:
        rows = rows.select_for_update(of=("self",))
    flag = rows.filter(pk=flag_id).first()
    if flag is None:
        raise NotFound(_("No such monitoring case within your scope."))
    return flag
