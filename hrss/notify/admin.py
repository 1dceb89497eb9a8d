from django.contrib import admin

from hrss.core.logging import mask_phone
from hrss.notify.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """Delivery status only: recipients are masked and parameters never shown."""

    list_display = ("created_at", "channel", "masked_recipient", "template", "status", "provider_id", "attempts")
    list_filter = ("channel", "status", "template")
    fields = ("channel", "masked_recipient", "template", "status", "backend", "provider_id", "attempts", "error")
    readonly_fields = fields

    @admin.display(description="recipient")
    def masked_recipient(self, obj: OutboundMessage) -> str:
        return mask_phone(obj.recipient) if obj.channel == "sms" else obj.recipient[:4] + "…"

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
