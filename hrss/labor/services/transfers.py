"""The register's transfers between units with receipts (转办/交办, 签收) and merging duplicates
(L2). Any register item — a petition, a complaint, a fraud case — can be sent from the unit
holding it to another with a reason; the receiving unit acknowledges receipt (who, when). A
duplicate is merged into the surviving item: it keeps a pointer, is closed as merged, its
history stays, and its deadline is the survivor's from then on. Atomic and audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.labor import deadlines
from hrss.labor.models import Complaint, FraudCase, Petition, Transfer, Unit
from hrss.labor.services.register import audit, event_add, key_check, staff_only

# The register's kinds that move between units and merge, and their tables.
ITEMS: dict[str, Any] = {"petition": Petition, "complaint": Complaint, "fraud": FraudCase}
CLOSED = {"petition": ("not_accepted", "closed", "merged"), "fraud": ("closed", "merged")}


def item_for_update(scope: Scope, kind: str, reference: str) -> Any:
    staff_only(scope)
    model = ITEMS.get(kind)
    if model is None:
        raise NotFound(code="labor_register_item_not_found")
    item = model._default_manager.select_for_update().filter(reference=reference).first()
    if item is None or not scope.covers_district(item.district_id):
        raise NotFound(code="labor_register_item_not_found")
    return item


def is_merged(item: Any) -> bool:
    return item.merged_into_id is not None


@transaction.atomic
def transfer_send(
    *,
    scope: Scope,
    kind: str,
    reference: str,
    to_unit: str,
    reason: str,
    idempotency_key: str,
    today: dt.date | None = None,
) -> Transfer:
    """Send the item to another unit; its receipt is due within the dated working days."""
    key = key_check(idempotency_key)
    item = item_for_update(scope, kind, reference)
    earlier = Transfer.objects.filter(sent_by=scope.actor, idempotency_key=key).first()
    if earlier is not None:
        return earlier
    if is_merged(item):
        raise Conflict(
            _("A merged item is not transferred: transfer the item it was merged into."), code="labor_merged"
        )
    unit = Unit.objects.filter(code=to_unit, active=True).first()
    if unit is None:
        raise InvalidInput(_("Choose a unit taking transfers."), fields={"to_unit": (to_unit or "")[:40]})
    if unit.pk == item.unit_id:
        raise Conflict(_("The item is with this unit already."), code="labor_transfer_same_unit")
    if not (reason or "").strip():
        raise InvalidInput(_("Say why the item is transferred."), fields={"reason": ""})
    if Transfer.objects.filter(item_kind=kind, item_reference=reference, received_at__isnull=True).exists():
        raise Conflict(_("The last transfer is not acknowledged yet."), code="labor_transfer_pending")
    today = today or timezone.localdate()
    transfer = Transfer.objects.create(
        item_kind=kind,
        item_reference=reference,
        from_unit_id=item.unit_id,
        to_unit=unit,
        reason=reason.strip(),
        sent_by=scope.actor,
        sent_on=today,
        receipt_due=deadlines.transfer_receipt_due(today),
        idempotency_key=key,
    )
    item.unit = unit
    item.save(update_fields=["unit", "updated_at"])
    event_add(kind, reference, "transfer", scope.actor, f"{unit.name}: {reason.strip()}")
    audit(scope, "labor.register.transfer", item, reference=reference, to_unit=unit.code, transfer=transfer.pk)
    return transfer


@transaction.atomic
def transfer_receive(*, scope: Scope, transfer_id: int) -> Transfer:
    """The receiving unit acknowledges receipt (签收): who and when, once."""
    staff_only(scope)
    if not 0 < transfer_id < 2**62:  # beyond any id (and the database's integers)
        raise NotFound(code="labor_transfer_not_found")
    transfer = Transfer.objects.select_for_update().select_related("to_unit").filter(pk=transfer_id).first()
    if transfer is None:
        raise NotFound(code="labor_transfer_not_found")
    item = ITEMS[transfer.item_kind]._default_manager.filter(reference=transfer.item_reference).first()
    if item is None or not scope.covers_district(item.district_id):
        raise NotFound(code="labor_transfer_not_found")
    if transfer.received_at is not None:
        return transfer
    if not scope.covers_district(transfer.to_unit.district_id):
        raise PermissionDenied(_("Only staff of the receiving unit's district acknowledge receipt."))
    transfer.received_by, transfer.received_at = scope.actor, timezone.now()
    transfer.save(update_fields=["received_by", "received_at"])
    event_add(transfer.item_kind, transfer.item_reference, "receive", scope.actor, transfer.to_unit.name)
    audit(scope, "labor.register.receive", item, reference=transfer.item_reference, transfer=transfer.pk)
    return transfer


@transaction.atomic
def merge(*, scope: Scope, kind: str, reference: str, into: str, today: dt.date | None = None) -> Any:
    """Merge the duplicate ``reference`` into ``into`` (same kind); the survivor is returned."""
    if reference == into:
        raise InvalidInput(_("An item is not merged into itself."), fields={"into": into})
    duplicate = item_for_update(scope, kind, reference)
    survivor = item_for_update(scope, kind, into)
    if duplicate.merged_into_id == survivor.pk:
        return survivor  # a retried request
    if is_merged(duplicate) or is_merged(survivor):
        raise Conflict(_("One of the items was merged already."), code="labor_merged")
    if getattr(survivor, "status", "") in CLOSED.get(kind, ()):
        raise Conflict(_("Merge into an item that is still open."), code="labor_merge_closed")
    duplicate.merged_into = survivor
    fields = ["merged_into", "updated_at"]
    if kind in CLOSED:
        duplicate.status = "merged"
        fields.append("status")
    if kind == "petition":
        duplicate.due_on, duplicate.closed_on = None, today or timezone.localdate()
        fields += ["due_on", "closed_on"]
    duplicate.save(update_fields=fields)
    event_add(kind, reference, "merged_into", scope.actor, into)
    event_add(kind, into, "merged_from", scope.actor, reference)
    audit(scope, "labor.register.merge", duplicate, reference=reference, into=into)
    return survivor
