"""What the credit app does on the hall's events: an objection started in the hall or at the
counter gets its ``Objection`` when submitted; one the hall rejected (or the applicant
withdrew) is recorded as rejected, so the subject may object again."""

from __future__ import annotations

from hrss.core.errors import DomainError
from hrss.core.events import subscribe
from hrss.core.scope import Scope
from hrss.credit import services
from hrss.credit.services import OBJECTION_ITEMS
from hrss.servicehall.events import ApplicationDecided, ApplicationSubmitted
from hrss.servicehall.models import Application


@subscribe(ApplicationSubmitted)
def objection_submitted(event: ApplicationSubmitted) -> None:
    if event.item_code not in OBJECTION_ITEMS.values():
        return
    application = Application.objects.filter(pk=event.application_id).first()
    if application is None:
        return
    form = application.form_data or {}
    try:
        services.objection_open(
            reference=event.reference,
            event_id=form.get("record"),
            reason=str(form.get("reason") or ""),
            submitted_by=f"servicehall:{event.reference}",
        )
    except DomainError:
        return  # the record is gone: the step refuses the application when it is decided


@subscribe(ApplicationDecided)
def objection_rejected(event: ApplicationDecided) -> None:
    if event.item_code not in OBJECTION_ITEMS.values() or event.outcome not in ("rejected", "withdrawn"):
        return
    application = Application.objects.filter(pk=event.application_id).first()
    try:
        services.objection_decide(
            scope=Scope.system(f"servicehall:{event.reference}"),
            reference=event.reference,
            upheld=False,
            form_data=dict(application.form_data or {}) if application else {},
        )
    except DomainError:
        return
