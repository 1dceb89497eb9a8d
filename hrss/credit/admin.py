"""Back office of the credit system: the event kinds (name, legal basis, whom they concern,
severity) are kept here; their points and validity are policy parameters in the codes admin.
Events, ratings and objections change only through the services (collection and the hall)."""

from __future__ import annotations

from django.contrib import admin

from hrss.credit.models import EventKind


@admin.register(EventKind)
class EventKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "subject_kind", "direction", "severe", "valid_from", "valid_to")
    list_filter = ("subject_kind", "direction", "severe")
    search_fields = ("code", "name", "legal_basis")
