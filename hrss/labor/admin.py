"""Back office of the labour app: the arbitrators' roster and the mediation organisations are kept here (who, qualification,
district, capacity, on or off the roster); cases and recusals change only through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hrss.labor.models import Arbitrator, MediationOrganisation, Recusal, Unit


@admin.register(Arbitrator)
class ArbitratorAdmin(admin.ModelAdmin):
    list_display = ("username", "name", "kind", "district", "qualification", "capacity", "active")
    list_filter = ("kind", "active", "district")
    search_fields = ("username", "name", "qualification")


@admin.register(Recusal)
class RecusalAdmin(admin.ModelAdmin):
    list_display = ("case", "arbitrator", "source", "decided_by", "at")
    list_filter = ("source",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MediationOrganisation)
class MediationOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "district", "active")
    list_filter = ("kind", "active", "district")
    search_fields = ("name",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """The rights-protection register's units that items are transferred between (L2)."""

    list_display = ("code", "name", "kind", "district", "active")
    list_filter = ("kind", "active", "district")
    search_fields = ("code", "name")
