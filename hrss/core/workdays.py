"""Working-day arithmetic for statutory time limits (X2, L1).

``chinese-calendar`` knows the State Council's holiday arrangements for the years it was
released with; ``WorkdayOverride`` rows (editable in the admin) take precedence and cover
later years. For a year neither knows, weekends are rest days and a warning is logged so
an administrator can enter that year's arrangement.
"""

from __future__ import annotations

import datetime as dt
import logging

import chinese_calendar
from django.core.cache import cache

from hrss.core.models import WorkdayOverride

logger = logging.getLogger(__name__)
_CACHE_KEY = "core:workday-overrides:v1"


def _overrides() -> dict[dt.date, bool]:
    overrides = cache.get(_CACHE_KEY)
    if overrides is None:
        overrides = dict(WorkdayOverride.objects.values_list("date", "is_workday"))
        cache.set(_CACHE_KEY, overrides, 300)
    return overrides


def workday_overrides_changed() -> None:
    cache.delete(_CACHE_KEY)


def is_workday(day: dt.date) -> bool:
    override = _overrides().get(day)
    if override is not None:
        return override
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        logger.warning("no holiday arrangement known for %s; counting weekdays only", day.year)
        return day.weekday() < 5


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current, remaining = start, days
    while remaining:
        current += dt.timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    count, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        if is_workday(current):
            count += 1
    return count


def statutory_deadline(start: dt.date, calendar_days: int) -> dt.date:
    """Calendar-day limit whose last day moves past holidays (民事诉讼法 第85条).

    The start day is not counted; if the last day is not a working day, the limit ends
    on the next working day.
    """
    end = start + dt.timedelta(days=calendar_days)
    while not is_workday(end):
        end += dt.timedelta(days=1)
    return end
