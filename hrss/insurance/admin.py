"""Back office of social insurance: the industry risk classes are edited here; runs, payment
files, recovery cases and employer registrations are read-only (they change only through
the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hrss.insurance.models import AssessmentRun, EmployerRegistration, IndustryRiskClass, PaymentFile, RecoveryCase


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IndustryRiskClass)
class IndustryRiskClassAdmin(admin.ModelAdmin):
    list_display = ("industry", "risk_class", "confidence", "note")
    list_filter = ("risk_class", "confidence")
    search_fields = ("industry__code", "industry__name")


@admin.register(AssessmentRun)
class AssessmentRunAdmin(ReadOnlyAdmin):
    list_display = ("period", "status", "chunks_done", "chunks_total", "rows_inserted", "attempts", "finished_at")
    list_filter = ("status",)


@admin.register(PaymentFile)
class PaymentFileAdmin(ReadOnlyAdmin):
    list_display = (
        "filename",
        "source",
        "rows_total",
        "rows_matched",
        "rows_different",
        "rows_unmatched",
        "created_at",
    )
    list_filter = ("source",)


@admin.register(RecoveryCase)
class RecoveryCaseAdmin(ReadOnlyAdmin):
    list_display = ("reason", "status", "overpaid_fen", "first_period", "created_at")
    list_filter = ("reason", "status")


@admin.register(EmployerRegistration)
class EmployerRegistrationAdmin(ReadOnlyAdmin):
    list_display = ("employer", "insurance_type", "start_month", "end_month", "application", "registered_by")
    list_filter = ("insurance_type",)
    search_fields = ("employer__name", "employer__credit_code", "application")
    list_select_related = ("employer",)
