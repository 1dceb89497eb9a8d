"""The caller's data scope: every selector takes one and filters by it (X1).

A plain value object so that domain apps need not know how accounts are stored:
``hrss.identity`` builds it from a user or an agency client.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

CITIZEN = "citizen"
EMPLOYER_AGENT = "employer_agent"
COUNTER_CLERK = "counter_clerk"
REVIEWER = "reviewer"
APPROVER = "approver"
ARBITRATOR = "arbitrator"
INSPECTOR = "inspector"
FUND_SUPERVISOR = "fund_supervisor"
ANALYST = "analyst"
ADMINISTRATOR = "administrator"
AGENCY_CLIENT = "agency_client"

STAFF_ROLES = frozenset(
    {COUNTER_CLERK, REVIEWER, APPROVER, ARBITRATOR, INSPECTOR, FUND_SUPERVISOR, ANALYST, ADMINISTRATOR}
)
# Staff roles whose work needs the full ID number and phone of the people they serve;
# the others (analysts, fund supervisors) see masked values.
PERSONAL_DATA_ROLES = frozenset({COUNTER_CLERK, REVIEWER, APPROVER, ARBITRATOR, INSPECTOR, ADMINISTRATOR})


@dataclass(frozen=True)
class Scope:
    actor: str
    roles: frozenset[str] = field(default_factory=frozenset)
    # None means city-wide; otherwise the current GB/T 2260 district codes granted.
    districts: frozenset[str] | None = frozenset()
    person_id: uuid.UUID | None = None
    employer_id: uuid.UUID | None = None
    grants: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def system(cls, name: str = "system") -> Scope:
        """City-wide scope for batch jobs and commands run by operators."""
        return cls(actor=name, roles=frozenset({ADMINISTRATOR}), districts=None)

    @classmethod
    def anonymous(cls) -> Scope:
        return cls(actor="anonymous")

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def city_wide(self) -> bool:
        return self.districts is None

    @property
    def sees_personal_data(self) -> bool:
        return bool(self.roles & PERSONAL_DATA_ROLES)

    @property
    def primary_role(self) -> str:
        return sorted(self.roles)[0] if self.roles else ""

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def covers_district(self, code: str | None) -> bool:
        return self.districts is None or (code is not None and code in self.districts)
