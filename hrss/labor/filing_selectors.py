"""Employment filing (用工备案, L3) as inspectors read it: an employer's hires and leavers —
its 增员/减员 in the insurance app, read through the ledger facts (``ledger_facts``), never a
second entry — its labour contracts, and the people it has employed without a written
contract for more than the grace month (未签劳动合同).

For labour inspectors and administrators of the employer's district; every read is audited
(it shows personal data). A fixed number of queries whatever the employer's size.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from hrss.codes.selectors import parameter_value
from hrss.core.audit import audit_record
from hrss.core.months import month_start
from hrss.core.scope import Scope
from hrss.labor import rules
from hrss.labor.models import LabourContract
from hrss.labor.services.filing import filing_employer
from hrss.labor.services.warning import ledger
from hrss.registry.models import Employer, Person

LIMIT = 500  # spells and contracts shown at most
DEFAULT_MONTHS = 12  # the hires and leavers of the last year unless asked otherwise


@dataclass
class FilingSpell:
    """One employee's insured spell with the employer (增员 .. 减员)."""

    person_id: uuid.UUID
    person_name: str
    start_month: dt.date
    end_month: dt.date | None
    stop_reason: str
    stop_reason_label: str
    unsigned: bool = False


@dataclass
class Filing:
    employer: Employer
    on: dt.date
    since: dt.date
    hires: list[FilingSpell] = field(default_factory=list)
    leavers: list[FilingSpell] = field(default_factory=list)
    contracts: list[LabourContract] = field(default_factory=list)
    unsigned: list[FilingSpell] = field(default_factory=list)

    @property
    def credit_code(self) -> str:
        return self.employer.credit_code

    @property
    def name(self) -> str:
        return self.employer.name


def employer_filing(
    *, scope: Scope, credit_code: str, since: dt.date | None = None, on: dt.date | None = None, limit: int = LIMIT
) -> Filing:
    """The employer's filing: hires (spells starting from ``since``, a month; default a year
    back), leavers (spells ending from then), the contracts in force from then, and the 未签劳动合同
    flags as of ``on`` (today). Audited."""
    employer = filing_employer(scope, credit_code, agent=False)
    on = on or timezone.localdate()
    since = month_start(since or month_start(on, DEFAULT_MONTHS - 1))
    facts: list[dict[str, Any]] = ledger.get().employer_enrolment_spells(
        employer_id=employer.pk, since=since, limit=limit
    )
    names = dict(Person.objects.filter(pk__in={f["person_id"] for f in facts}).values_list("pk", "name"))
    contracts = list(
        LabourContract.objects.filter(employer=employer, person_id__in=list(names))
        .select_related("person")
        .order_by("-start_date", "person_id")[:limit]
    )
    grace = int(parameter_value("labor.contract_grace_months", on=on))
    flagged = rules.without_contract(
        [(f["person_id"], f["start_month"], f["end_month"]) for f in facts],
        [rules.ContractTerm(c.person_id, c.start_date, c.end_date) for c in contracts],
        on=on,
        grace_months=grace,
    )
    filing = Filing(employer=employer, on=on, since=since, contracts=contracts)
    for fact in facts:
        spell = FilingSpell(
            person_id=fact["person_id"],
            person_name=names.get(fact["person_id"], ""),
            start_month=fact["start_month"],
            end_month=fact["end_month"],
            stop_reason=fact["stop_reason"],
            stop_reason_label=fact["stop_reason_label"],
            unsigned=(fact["person_id"], fact["start_month"]) in flagged,
        )
        if spell.start_month >= since:
            filing.hires.append(spell)
        if spell.end_month is not None:
            filing.leavers.append(spell)
        if spell.unsigned:
            filing.unsigned.append(spell)
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="labor.filing.read",
        object_type="registry.Employer",
        object_id=str(employer.pk),
        purpose="labour_inspection",
        detail={"credit_code": employer.credit_code, "since": since.isoformat(), "persons": len(names)},
    )
    return filing
