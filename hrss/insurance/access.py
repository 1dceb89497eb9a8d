"""Who may act on whose insurance records (X1): one place for the checks services share."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_lazy as _

from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import (
    ADMINISTRATOR,
    APPROVER,
    CITIZEN,
    COUNTER_CLERK,
    EMPLOYER_AGENT,
    REVIEWER,
    Scope,
)
from hrss.registry import selectors as registry_selectors
from hrss.registry.models import Employer, Person

# Staff who handle insurance business at the counter and in review.
CASEWORKER_ROLES = (COUNTER_CLERK, REVIEWER, APPROVER, ADMINISTRATOR)


def require_caseworker(scope: Scope) -> None:
    if not scope.has_role(*CASEWORKER_ROLES):
        raise PermissionDenied()


def person_for(scope: Scope, person_id: uuid.UUID | str) -> Person:
    """The person, if the caller may see them; otherwise the same NotFound as for no one."""
    person = registry_selectors.person_queryset(scope=scope).filter(pk=person_id).first()
    if person is None:
        raise NotFound(_("No such person within your scope."))
    return person


def person_for_self_or_staff(scope: Scope, person_id: uuid.UUID | str) -> Person:
    """A citizen acts for themselves; caseworkers for anyone in their districts."""
    if scope.has_role(CITIZEN) and scope.person_id is not None and str(scope.person_id) == str(person_id):
        return person_for(scope, person_id)
    require_caseworker(scope)
    return person_for(scope, person_id)


def employer_for(scope: Scope, employer_id: uuid.UUID | str) -> Employer:
    """The employer, for its own agents or caseworkers whose districts cover it."""
    employer = registry_selectors.employer_queryset(scope=scope).filter(pk=employer_id).first()
    if employer is None:
        raise NotFound(_("No such employer within your scope."))
    if scope.has_role(EMPLOYER_AGENT) and not scope.is_staff:
        return employer
    require_caseworker(scope)
    return employer
