"""Employment filing (用工备案, L3): the labour contracts an employer records.

Hires and terminations are not entered here: they are the employer's 增员/减员 in the
insurance app, read through its ledger facts (``hrss.labor.filing_selectors``). An employer's
agent records its own contracts; labour inspectors and administrators of the employer's
district record one from paper. Writes are atomic, idempotent on the caller's key per
employer, and audited.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.identifiers import parse_credit_code
from hrss.core.audit import audit_record
from hrss.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, EMPLOYER_AGENT, INSPECTOR, Scope
from hrss.labor.models import ContractType, LabourContract
from hrss.labor.services.register import person_find
from hrss.registry.models import Employer


def filing_employer(scope: Scope, credit_code: str, *, agent: bool) -> Employer:
    """The employer of ``credit_code`` for inspectors and administrators of its district, or
    (``agent``) for its own agents; anyone else, and an employer out of scope, gets not found."""
    try:
        code = parse_credit_code(credit_code).value
    except DomainError:
        raise NotFound(code="employer_not_found") from None
    employer = Employer.objects.select_related("district").filter(credit_code=code).first()
    if employer is None:
        raise NotFound(code="employer_not_found")
    if scope.has_role(INSPECTOR, ADMINISTRATOR):
        if not scope.covers_district(employer.district_id):
            raise NotFound(code="employer_not_found")
        return employer
    if agent and scope.has_role(EMPLOYER_AGENT) and scope.employer_id == employer.pk:
        return employer
    if agent and scope.has_role(EMPLOYER_AGENT):
        raise NotFound(code="employer_not_found")
    raise PermissionDenied()


@transaction.atomic
def contract_record(
    *,
    scope: Scope,
    credit_code: str,
    id_number: str,
    contract_type: str,
    start_date: dt.date,
    signed_on: dt.date,
    idempotency_key: str,
    end_date: dt.date | None = None,
) -> LabourContract:
    """Record a written labour contract of the employer with a registered person."""
    employer = filing_employer(scope, credit_code, agent=True)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise InvalidInput(_("Send an idempotency key of 1 to 64 characters."), fields={"idempotency_key": key[:64]})
    existing = LabourContract.objects.filter(employer=employer, idempotency_key=key).first()
    if existing is not None:
        return existing
    if contract_type not in ContractType.values:
        raise InvalidInput(_("Choose the contract's type."), fields={"contract_type": contract_type})
    if contract_type == ContractType.FIXED_TERM and end_date is None:
        raise InvalidInput(_("A fixed-term contract has an end date."), fields={"end_date": ""})
    if contract_type == ContractType.OPEN_ENDED and end_date is not None:
        raise InvalidInput(_("An open-ended contract has no end date."), fields={"end_date": end_date.isoformat()})
    if end_date is not None and end_date < start_date:
        raise InvalidInput(_("The contract cannot end before it starts."), fields={"end_date": end_date.isoformat()})
    if signed_on > timezone.localdate():
        raise InvalidInput(
            _("The contract cannot be signed in the future."), fields={"signed_on": signed_on.isoformat()}
        )
    person = person_find(None, id_number)
    if person is None:
        raise InvalidInput(_("Enter the worker's ID number."), fields={"id_number": ""})
    contract = LabourContract.objects.create(
        employer=employer,
        person=person,
        contract_type=contract_type,
        start_date=start_date,
        end_date=end_date,
        signed_on=signed_on,
        recorded_by=scope.actor,
        idempotency_key=key,
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="labor.contract.record",
        object_type="labor.LabourContract",
        object_id=str(contract.pk),
        detail={"employer": employer.credit_code, "person": str(person.pk), "type": contract_type},
    )
    return contract
