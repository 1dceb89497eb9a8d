"""The facts modules other apps declare on their AppConfig and the early warning reads
(``ledger_facts`` of insurance, ``unemployment_facts`` of employment), found once in
``AnalyticsConfig.ready()`` in every process: the layers keep this app from importing them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrss.core.declarations import DeclaredModule

ledger_facts = DeclaredModule(
    "ledger_facts", missing=_("The contribution ledger is not available."), code="ledger_unavailable"
)
unemployment_facts = DeclaredModule(
    "unemployment_facts",
    missing=_("The unemployment registrations are not available."),
    code="unemployment_facts_unavailable",
)
