"""The credit scoring model (A7), pure: a score from the base and the events in force, a class
from the dated thresholds. The figures come from ``codes`` (``credit.*``); nothing here is one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Thresholds:
    base: int
    a_min: int
    b_min: int
    c_min: int


@dataclass(frozen=True)
class Counted:
    """An event as the model reads it."""

    points: int
    positive: bool
    severe: bool
    occurred_on: dt.date
    expires_on: dt.date
    corrected: bool = False

    def in_force(self, on: dt.date) -> bool:
        return not self.corrected and self.occurred_on <= on < self.expires_on


@dataclass(frozen=True)
class Grade:
    score: int
    grade: str
    severe: bool
    positive: bool


def grade_of(score: int, *, thresholds: Thresholds, severe: bool, positive: bool) -> str:
    """A (守信) needs the score and a positive event in force; a severe event in force is D
    (失信) whatever the score; otherwise the thresholds decide."""
    if severe or score < thresholds.c_min:
        return "D"
    if score < thresholds.b_min:
        return "C"
    if score >= thresholds.a_min and positive:
        return "A"
    return "B"


def rate(events: Iterable[Counted], *, on: dt.date, thresholds: Thresholds) -> Grade:
    counted = [event for event in events if event.in_force(on)]
    score = thresholds.base + sum(event.points for event in counted)
    severe = any(event.severe for event in counted)
    positive = any(event.positive for event in counted)
    return Grade(score, grade_of(score, thresholds=thresholds, severe=severe, positive=positive), severe, positive)


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    return day + relativedelta(months=months)
