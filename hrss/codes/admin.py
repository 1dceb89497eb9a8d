from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from hrss.codes.models import District, EducationLevel, Industry, InsuranceType, Occupation, PolicyParameter


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "status", "successor", "confidence")
    list_filter = ("level", "status")
    search_fields = ("code", "name")


@admin.register(Industry, Occupation)
class TreeCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(EducationLevel, InsuranceType)
class FlatCodeAdmin(admin.ModelAdmin):
    search_fields = ("code", "name")


class PolicyParameterForm(forms.ModelForm):
    class Meta:
        model = PolicyParameter
        fields = (
            "name",
            "value",
            "unit",
            "valid_from",
            "valid_to",
            "region",
            "source",
            "confidence",
            "verified",
            "note",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if not (data.get("name") and data.get("region") and start):
            return data
        others = PolicyParameter.objects.filter(name=data["name"], region=data["region"]).exclude(pk=self.instance.pk)
        for other in others:
            if (end is None or other.valid_from <= end) and (other.valid_to is None or start <= other.valid_to):
                raise forms.ValidationError(
                    _("This period overlaps %(other)s: close that one first.") % {"other": str(other)}
                )
        if data.get("confidence") in ("3P", "R") and data.get("verified"):
            raise forms.ValidationError(
                _("Record the official source and raise the confidence before marking verified.")
            )
        return data


@admin.register(PolicyParameter)
class PolicyParameterAdmin(SimpleHistoryAdmin):
    form = PolicyParameterForm
    list_display = ("name", "value", "unit", "region", "valid_from", "valid_to", "confidence", "verified", "source")
    list_filter = ("verified", "confidence", "region", "unit")
    search_fields = ("name", "source", "note")
