"""Back office: the catalogue (review generated Traditional Chinese), process versions, dispatch profiles.

Applications and work items change only through the services (workbench, API), so they
are read-only here. A process uploaded here is validated first and refused with the
reason, exactly as through the API or ``hrss servicehall process load``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hrss.core.errors import DomainError
from hrss.servicehall import engine, services
from hrss.servicehall.models import Application, ProcessDefinition, ServiceItem, StaffProfile, WorkItem


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_zh_hans",
        "name_zh_hant",
        "zh_hant_reviewed",
        "time_limit_workdays",
        "online_level",
        "active",
    )
    list_filter = (
        "applicant_type",
        "category",
        "zh_hant_reviewed",
        "active",
        "separation_of_duties",
        "one_open_application",
    )
    search_fields = ("code", "name_zh_hans", "name_en")


class ProcessUploadForm(forms.ModelForm):
    bpmn_file = forms.FileField(label=_("BPMN 2.0 file"))

    class Meta:
        model = ProcessDefinition
        fields: list[str] = []

    def clean_bpmn_file(self) -> str:
        raw = self.cleaned_data["bpmn_file"].read()
        try:
            text = raw.decode("utf-8")
            engine.process_validate(text)
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file must be UTF-8 text.")) from error
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from error
        return text


@admin.register(ProcessDefinition)
class ProcessDefinitionAdmin(admin.ModelAdmin):
    list_display = ("process_key", "version", "source", "filename", "loaded_by", "active", "created_at")
    list_filter = ("process_key", "source", "active")
    readonly_fields = ("process_key", "version", "sha256", "source", "filename", "loaded_by", "bpmn_xml")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ProcessUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["bpmn_file"] if obj is None else [*self.readonly_fields, "active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        loaded = services.process_load(
            xml=form.cleaned_data["bpmn_file"],
            source=ProcessDefinition.Source.UPLOAD,
            filename=getattr(request.FILES.get("bpmn_file"), "name", ""),
            actor=request.user.get_username(),
        )
        obj.pk = loaded.pk
        obj._state.adding = False  # the service saved it; the admin only redirects to it

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "on_duty", "supervisor", "capacity", "last_assigned_at")
    list_filter = ("on_duty", "supervisor")
    search_fields = ("user__username",)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ("reference", "item", "status", "channel", "district", "submitted_at", "deadline", "overdue")
    list_filter = ("status", "channel", "overdue", "item")
    search_fields = ("reference",)
    exclude = ("workflow_state", "form_data")


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnly):
    list_display = ("application", "step_name", "role", "assignee", "state", "due_date", "escalation_level")
    list_filter = ("state", "role", "escalation_level")
