"""Back office for medical insurance: the reference data (catalogue, institutions and their
contracts, person categories, policy figures, personal-account crediting rules) is edited here with its sources; claims are
read-only (they change only through the settlement services) and show no person in clear;
so are the reconciliations and the bank's payments (S4, S7)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hrss.core.errors import DomainError, InvalidInput
from hrss.core.scope import ADMINISTRATOR, Scope
from hrss.medical import rules
from hrss.medical.models import (
    AccountRule,
    BankPayment,
    CatalogueItem,
    ChronicDisease,
    Claim,
    ClaimLine,
    Contract,
    DiseaseRecognition,
    Institution,
    PersonCategory,
    Policy,
    SettlementDifference,
    SettlementReconciliation,
)


@admin.register(CatalogueItem)
class CatalogueItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "klass", "self_pay_share", "region", "valid_from", "valid_to")
    list_filter = ("kind", "klass", "region")
    search_fields = ("code", "name")


class ContractInline(admin.TabularInline):
    model = Contract
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "level", "region", "district", "client_name")
    list_filter = ("kind", "level", "region")
    search_fields = ("code", "name")
    inlines = (ContractInline,)


@admin.register(PersonCategory)
class PersonCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "has_account", "source")


@admin.register(AccountRule)
class AccountRuleAdmin(admin.ModelAdmin):
    """How personal accounts are credited: one figure per rule (a share, or an amount), dated."""

    list_display = ("region", "category", "basis", "share", "amount", "valid_from", "valid_to", "confidence")
    list_filter = ("region", "category", "basis")


class PolicyForm(ModelForm):
    class Meta:
        model = Policy
        fields = (
            "region",
            "category",
            "pooling",
            "level",
            "deductible",
            "deductible_per_visit",
            "bands",
            "annual_cap",
            "outing_reduction",
            "valid_from",
            "valid_to",
            "source",
            "confidence",
            "verified",
            "note",
        )

    def clean_bands(self) -> Any:
        bands = self.cleaned_data["bands"]
        try:
            rules.bands_check([tuple(band) for band in bands])
        except (InvalidInput, TypeError, ValueError) as error:
            raise ValidationError(_("Bands are a list of [upper bound or null, ratio] with rising bounds.")) from error
        return bands

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verified") and data.get("confidence") in ("3P", "R"):
            raise ValidationError(_("A figure from a third party or from memory cannot be marked verified."))
        return data


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    form = PolicyForm
    list_display = ("region", "category", "pooling", "level", "deductible", "annual_cap", "valid_from", "verified")
    list_filter = ("region", "category", "pooling", "level", "verified")


class ClaimLineInline(admin.TabularInline):
    model = ClaimLine
    extra = 0
    can_delete = False
    readonly_fields = ("line_no", "code", "name", "klass", "quantity", "unit_price", "amount")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("transaction_id", "institution", "kind", "pooling", "visit_date", "total", "fund", "cash")
    list_filter = ("kind", "pooling", "cross_region")
    search_fields = ("transaction_id",)
    exclude = ("person", "request_hash")
    inlines = (ClaimLineInline,)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the reconciliation services and the bank import."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SettlementDifferenceInline(admin.TabularInline):
    model = SettlementDifference
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "transaction_id", "ours", "theirs", "note")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SettlementReconciliation)
class SettlementReconciliationAdmin(ReadOnlyAdmin):
    list_display = ("day", "institution", "lines_ours", "lines_theirs", "matched", "fund_ours", "fund_theirs")
    list_filter = ("day",)
    exclude = ("request_hash",)
    inlines = (SettlementDifferenceInline,)


@admin.register(BankPayment)
class BankPaymentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "institution", "paid_on", "period", "amount", "filename")
    list_filter = ("paid_on",)
    search_fields = ("reference", "period")


@admin.register(ChronicDisease)
class ChronicDiseaseAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "valid_from", "valid_to")
    search_fields = ("code", "name")


class RecognitionForm(ModelForm):
    class Meta:
        model = DiseaseRecognition
        fields = ("person", "disease", "valid_from", "valid_to", "diagnosed_by", "note")

    def clean(self) -> dict[str, Any]:
        from hrss.medical.services.diseases import recognition_check

        data = super().clean() or {}
        if self.errors or self.instance.pk:
            return data
        try:
            recognition_check(
                person_id=data["person"].pk,
                disease=data["disease"].pk,
                valid_from=data["valid_from"],
                valid_to=data.get("valid_to"),
            )
        except DomainError as refused:
            raise ValidationError(str(refused.fields or refused.message)) from None
        return data


@admin.register(DiseaseRecognition)
class DiseaseRecognitionAdmin(admin.ModelAdmin):
    """Recorded through the service (audited); afterwards read-only. The person shows as an id."""

    form = RecognitionForm
    list_display = ("disease", "valid_from", "valid_to", "diagnosed_by", "recognised_by")
    list_filter = ("disease",)
    raw_id_fields = ("person",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from hrss.medical.services.diseases import disease_recognise

        scope = Scope(actor=request.user.get_username(), roles=frozenset({ADMINISTRATOR}), districts=None)
        saved = disease_recognise(
            scope=scope,
            person_id=obj.person_id,
            disease=obj.disease_id,
            valid_from=obj.valid_from,
            valid_to=obj.valid_to,
            diagnosed_by=obj.diagnosed_by,
            note=obj.note,
        )
        obj.pk, obj.recognised_by = saved.pk, saved.recognised_by
