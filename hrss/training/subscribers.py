"""What the training app does on other apps' events: a rejected subsidy claim in the hall
(SH-PX-001) releases the claim's lines, so a corrected claim may take them again."""

from __future__ import annotations

import uuid

from hrss.core.errors import NotFound
from hrss.core.events import subscribe
from hrss.core.scope import Scope
from hrss.servicehall.events import ApplicationDecided
from hrss.training import services
from hrss.training.models import SubsidyClaim
from hrss.training.services.subsidies import CLAIM_ITEM


@subscribe(ApplicationDecided)
def claim_rejected(event: ApplicationDecided) -> None:
    if event.item_code != CLAIM_ITEM or event.outcome not in ("rejected", "withdrawn"):
        return
    claim = SubsidyClaim.objects.filter(hall_reference=event.reference).first()
    if claim is None:
        return
    try:
        services.claim_decide(
            scope=Scope.system(f"servicehall:{event.reference}"),
            claim_id=uuid.UUID(str(claim.pk)),
            approved=False,
            reference=event.reference,
        )
    except NotFound:
        return
