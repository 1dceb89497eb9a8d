"""Back-office screens for the registry: personal data masked, every person opened audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from hrss.core.audit import audit_record
from hrss.core.logging import mask_id_number, mask_phone
from hrss.registry.models import ConflictReview, Employer, Employment, ImportBatch, Person, SourceAuthority


class ReadOnlyAdmin(admin.ModelAdmin):
    """Registry data changes only through its services (imports, counters, reviews)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EmploymentInline(admin.TabularInline):
    model = Employment
    fk_name = "person"
    fields = ("employer", "start_date", "end_date", "occupation", "monthly_wage", "source")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "masked_id_number", "sex", "birth_date", "residence_district", "status")
    list_filter = ("status", "sex", "residence_district")
    search_fields = ("name",)
    fields = (
        "masked_id_number",
        "name",
        "sex",
        "birth_date",
        "household_district",
        "residence_district",
        "masked_phone",
        "death_date",
        "education",
        "status",
        "sources",
    )
    readonly_fields = fields
    inlines = [EmploymentInline]
    show_full_result_count = False

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj: Person) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj: Person) -> str:
        return mask_phone(obj.phone)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            audit_record(
                actor=request.user.get_username(),
                actor_role="administrator",
                action="registry.person.read",
                object_type="person",
                object_id=object_id,
                purpose="admin",
            )
        return response


@admin.register(Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "industry", "district", "size")
    list_filter = ("size", "district")
    search_fields = ("name", "credit_code")
    exclude = ("contact_phone",)


@admin.register(ConflictReview)
class ConflictReviewAdmin(ReadOnlyAdmin):
    list_display = ("attribute", "person", "employer", "current_source", "proposed_source", "status", "created_at")
    list_filter = ("status", "attribute", "proposed_source")
    exclude = ("current_value", "proposed_value")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "source", "filename", "status", "rows_total", "rows_invalid", "rows_conflict")
    list_filter = ("kind", "source", "status")


@admin.register(SourceAuthority)
class SourceAuthorityAdmin(admin.ModelAdmin):
    list_display = ("entity", "attribute", "rank", "source")
    list_filter = ("entity", "attribute")
