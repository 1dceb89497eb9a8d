"""Back office for the card: the application catalogue is edited here; cards, batches, payments
and reconciliations are read-only (they change only through the services), with bank accounts masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hrss.card.models import (
    Card,
    CardApplication,
    CardEvent,
    PaymentOrder,
    ProductionBatch,
    ReconciliationItem,
    ReconciliationRun,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CardApplication)
class CardApplicationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "domain", "channels", "needs_financial", "verified")
    list_filter = ("domain", "needs_financial", "verified")
    search_fields = ("code", "name", "name_en")


class CardEventInline(admin.TabularInline):
    model = CardEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "channel", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = ("number", "status", "kind", "applied_at", "issued_at", "valid_until")
    list_filter = ("status", "kind", "channel")
    search_fields = ("number",)
    fields = (
        "number",
        "status",
        "kind",
        "reason",
        "channel",
        "replaces",
        "batch",
        "chip_serial",
        "issue_district",
        "bank_code",
        "masked_bank_account",
        "applied_at",
        "issued_at",
        "activated_at",
        "valid_until",
        "temporary_loss_until",
        "cancelled_at",
        "cancel_reason",
        "ecard_issued_at",
    )
    readonly_fields = fields
    inlines = [CardEventInline]

    @admin.display(description=_("bank account"))
    def masked_bank_account(self, card: Card) -> str:
        return f"****{card.bank_account[-4:]}" if card.bank_account else ""


@admin.register(ProductionBatch)
class ProductionBatchAdmin(ReadOnlyAdmin):
    list_display = ("reference", "status", "cards_total", "cards_made", "cards_failed", "created_at")
    readonly_fields = [f.name for f in ProductionBatch._meta.fields]


@admin.register(PaymentOrder)
class PaymentOrderAdmin(ReadOnlyAdmin):
    list_display = ("reference", "purpose", "amount", "method", "gateway", "status", "paid_at")
    list_filter = ("status", "method", "gateway", "purpose")
    search_fields = ("reference", "gateway_reference")
    exclude = ("person",)
    readonly_fields = [f.name for f in PaymentOrder._meta.fields if f.name != "person"]


class ReconciliationItemInline(admin.TabularInline):
    model = ReconciliationItem
    fields = ("kind", "reference", "amount_ours", "amount_statement", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(ReadOnlyAdmin):
    list_display = ("gateway", "statement_date", "matched", "missing", "extra", "amount_mismatch", "created_by")
    list_filter = ("gateway",)
    readonly_fields = [f.name for f in ReconciliationRun._meta.fields]
    inlines = [ReconciliationItemInline]
