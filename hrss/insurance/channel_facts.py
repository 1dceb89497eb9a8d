"""Facts the 12333 hotline's keypad queries read aloud (A1, #24), declared on
``InsuranceConfig.hotline_queries`` so the hotline finds them without importing this app.

Each takes the person the hotline has already identified and returns plain data; the
hotline words the sentence (and audits the read). Nothing here checks a scope: the caller
is the person, proven by the hotline's identity check.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Sum

from hrss.insurance.models import ContributionLine
from hrss.insurance.selectors.contributions import pension_contribution_months


def contribution_months(*, person_id: uuid.UUID) -> dict[str, Any]:
    """Pension contribution months in total (here plus transferred in, less transferred out)."""
    return {"months": pension_contribution_months(person_id)}


def latest_payment(*, person_id: uuid.UUID) -> dict[str, Any]:
    """The latest month with a contribution: its period and what employer and person paid (fen)."""
    latest = (
        ContributionLine.objects.filter(person_id=person_id)
        .values("period")
        .annotate(base=Sum("base_fen"), employer=Sum("employer_fen"), individual=Sum("individual_fen"))
        .filter(base__gt=0)
        .order_by("-period")
        .first()
    )
    if latest is None:
        return {"period": None}
    return {
        "period": latest["period"],
        "employer_fen": int(latest["employer"] or 0),
        "individual_fen": int(latest["individual"] or 0),
    }
