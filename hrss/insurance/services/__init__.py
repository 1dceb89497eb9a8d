"""Writes of the insurance app, one module per area; import the functions from here."""

from hrss.insurance.services.accounts import account_credit_period, account_interest_credit_year, transfer_record
from hrss.insurance.services.assessment import (
    contribution_assess_month,
    contribution_correct,
    enrolments_close_deceased,
)
from hrss.insurance.services.enrolment import (
    base_choose,
    base_declare,
    enrolment_start,
    enrolment_stop,
    work_injury_rate_change,
    work_injury_rate_ensure,
)
from hrss.insurance.services.payments import payment_file_post

__all__ = [
    "account_credit_period",
    "account_interest_credit_year",
    "base_choose",
    "base_declare",
    "contribution_assess_month",
    "contribution_correct",
    "enrolment_start",
    "enrolment_stop",
    "enrolments_close_deceased",
    "payment_file_post",
    "transfer_record",
    "work_injury_rate_change",
    "work_injury_rate_ensure",
]
