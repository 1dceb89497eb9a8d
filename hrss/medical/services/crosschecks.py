"""Cross-insurance screens of the smart monitoring (S7): the window's settlements in one query,
the months the insurance app paid those persons a pension in another (its ledger facts,
``InsuranceConfig.ledger_facts``, found through the app registry, never imported), handed to
the pure ``hrss.medical.crosschecks``. ``monitoring_run`` raises their findings as cases."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils.translation import gettext_lazy

from hrss.core.declarations import DeclaredModule
from hrss.medical import crosschecks, screening
from hrss.medical.models import Claim

# The insurance app's ledger facts (benefit months), registered in MedicalConfig.ready().
ledger = DeclaredModule(
    "ledger_facts", missing=gettext_lazy("The contribution ledger is not available."), code="ledger_unavailable"
)
PENSION = "pension"  # the insurance app's benefit kind of the basic pension


def findings(start: dt.date, end: dt.date) -> list[screening.Finding]:
    """The cross-insurance findings over the settlements in force with visits from ``start`` to
    ``end`` (two queries, whatever the number of settlements)."""
    claims = Claim.objects.filter(
        kind=Claim.Kind.SETTLEMENT, reversed_at__isnull=True, visit_date__gte=start, visit_date__lte=end
    )
    rows = claims.values_list(
        "pk",
        "institution_id",
        F("institution__district"),
        "person_id",
        "visit_date",
        F("policy__category_id"),
        F("policy__region"),
        "total",
    )
    frame = crosschecks.claims_frame(
        (str(c), str(i), d, str(p), v, cat, region, float(total)) for c, i, d, p, v, cat, region, total in rows
    )
    months: set = set()
    if len(frame) and ledger.module is not None:
        employees = claims.filter(policy__category_id=crosschecks.EMPLOYEE).values("person_id")
        months = ledger.get().benefit_months(
            persons=employees, first=start.replace(day=1), last=end.replace(day=1), kinds=[PENSION]
        )
    pensioned = crosschecks.pensioned_frame((str(person), f"{month:%Y-%m}") for person, month, _kind in months)
    return crosschecks.evaluate(frame, pensioned)
