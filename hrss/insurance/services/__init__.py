"""Writes of the insurance app, one module per area; import the functions from here."""

from hrss.insurance.services.accounts import account_credit_period, account_interest_credit_year, transfer_record
from hrss.insurance.services.assessment import contribution_assess_month, enrolments_close_deceased
from hrss.insurance.services.benefits import (
    award_stop,
    benefit_pay_period,
    pension_award_compute,
    pension_award_grant,
    unemployment_award_grant,
    unemployment_claim_assess,
)
from hrss.insurance.services.corrections import contribution_correct
from hrss.insurance.services.eligibility import eligibility_crosscheck, recovery_case_close
from hrss.insurance.services.employers import employer_registration_create, employer_registration_plan
from hrss.insurance.services.enrolment import (
    base_choose,
    base_declare,
    enrolment_start,
    enrolment_stop,
    flexible_enrol,
    work_injury_rate_change,
    work_injury_rate_ensure,
)
from hrss.insurance.services.payments import payment_file_post
from hrss.insurance.services.universal import enrolment_reminders_publish, exemption_record

__all__ = [
    "account_credit_period",
    "account_interest_credit_year",
    "award_stop",
    "base_choose",
    "base_declare",
    "benefit_pay_period",
    "contribution_assess_month",
    "contribution_correct",
    "eligibility_crosscheck",
    "employer_registration_create",
    "employer_registration_plan",
    "enrolment_reminders_publish",
    "enrolment_start",
    "enrolment_stop",
    "enrolments_close_deceased",
    "exemption_record",
    "flexible_enrol",
    "payment_file_post",
    "pension_award_compute",
    "pension_award_grant",
    "recovery_case_close",
    "transfer_record",
    "unemployment_award_grant",
    "unemployment_claim_assess",
    "work_injury_rate_change",
    "work_injury_rate_ensure",
]
