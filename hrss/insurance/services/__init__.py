"""Writes of the insurance app, one module per area; import the functions from here."""

from hrss.insurance.services.assessment import contribution_assess_month, contribution_correct
from hrss.insurance.services.enrolment import (
    base_choose,
    base_declare,
    enrolment_start,
    enrolment_stop,
    work_injury_rate_change,
    work_injury_rate_ensure,
)

__all__ = [
    "base_choose",
    "base_declare",
    "contribution_assess_month",
    "contribution_correct",
    "enrolment_start",
    "enrolment_stop",
    "work_injury_rate_change",
    "work_injury_rate_ensure",
]
