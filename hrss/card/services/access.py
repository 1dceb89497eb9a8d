"""Who may do what with a card: the card office's roles, the agency clients' grants, and the
checks every write of the card app starts with."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hrss.core.errors import PermissionDenied
from hrss.core.scope import ADMINISTRATOR, AGENCY_CLIENT, COUNTER_CLERK, FUND_SUPERVISOR, Scope

# Staff who run card business at an outlet (any outlet: 全城通办, so no district check).
CARD_OFFICE_ROLES = frozenset({COUNTER_CLERK, ADMINISTRATOR})
# Grants of agency clients (OAuth scopes) on the card service platform.
GRANT_VERIFY = "card:verify"
GRANT_HOLDER_NAME = "card:holder_name"
GRANT_HOLDER_ID_NUMBER = "card:holder_id_number"
GRANT_USE_RECORD = "card:use:record"
GRANT_LOSS_REPORT = "card:loss:report"  # partner banks take temporary loss reports on their hotline
CARD_GRANTS = (GRANT_VERIFY, GRANT_HOLDER_NAME, GRANT_HOLDER_ID_NUMBER, GRANT_USE_RECORD, GRANT_LOSS_REPORT)
# Who runs and reads the daily reconciliation with the banks.
RECONCILER_ROLES = (ADMINISTRATOR, FUND_SUPERVISOR)


def is_card_office(scope: Scope) -> bool:
    return scope.has_role(*CARD_OFFICE_ROLES)


def may_record_use(scope: Scope) -> bool:
    return is_card_office(scope) or (scope.has_role(AGENCY_CLIENT) and GRANT_USE_RECORD in scope.grants)


def require_card_office(scope: Scope) -> None:
    if not is_card_office(scope):
        raise PermissionDenied(_("Only card office staff may do this."))


def require_holder_or_office(scope: Scope, person_id: Any) -> None:
    if is_card_office(scope) or (scope.person_id is not None and scope.person_id == person_id):
        return
    raise PermissionDenied(_("Only the card holder or card office staff may do this."))
