"""What the credit app does on other apps' events: an objection the hall rejected (or the
applicant withdrew) is recorded as rejected, so the subject may object again."""

from __future__ import annotations

from hrss.core.errors import NotFound
from hrss.core.events import subscribe
from hrss.core.scope import Scope
from hrss.credit import services
from hrss.credit.models import Objection
from hrss.credit.services import OBJECTION_ITEMS
from hrss.servicehall.events import ApplicationDecided


@subscribe(ApplicationDecided)
def objection_rejected(event: ApplicationDecided) -> None:
    if event.item_code not in OBJECTION_ITEMS.values() or event.outcome not in ("rejected", "withdrawn"):
        return
    objection = Objection.objects.filter(hall_reference=event.reference).first()
    if objection is None:
        return
    try:
        services.objection_decide(
            scope=Scope.system(f"servicehall:{event.reference}"),
            objection_id=objection.pk,
            upheld=False,
            reference=event.reference,
        )
    except NotFound:
        return
