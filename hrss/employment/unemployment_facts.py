"""Facts of unemployment registration that other apps read set-based, without importing this
app: declared as ``EmploymentConfig.unemployment_facts`` and found through
``hrss.core.declarations.DeclaredModule`` (the analytics app's unemployment early warning).

Counts only: no person leaves this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, F
from django.db.models.functions import Coalesce, TruncMonth

from hrss.employment.models import UnemploymentRegistration


def registrations_by_district(
    *, first: dt.date, last: dt.date, districts: Iterable[str] | None = None
) -> dict[tuple[str, dt.date], int]:
    """New unemployment registrations per (district, month registered) for the months from
    ``first`` to ``last`` (first days of months). The district is the person's district of
    residence, else of household registration; registrations of a person with neither are
    left out. ``districts`` limits to those districts (None: all). One grouped query."""
    end = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)
    rows = (
        UnemploymentRegistration.objects.filter(registered_on__gte=first, registered_on__lt=end)
        .annotate(
            district=Coalesce(F("person__residence_district"), F("person__household_district")),
            month=TruncMonth("registered_on"),
        )
        .filter(district__isnull=False)
    )
    if districts is not None:
        rows = rows.filter(district__in=list(districts))
    result: dict[tuple[str, dt.date], int] = {}
    for row in rows.values("district", "month").annotate(n=Count("id")).order_by():
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        result[(str(row["district"]), month)] = int(row["n"])
    return result
