"""Writes of vocational training and skill appraisal: every one atomic and audited, scoped
to its caller (callers write ``services.enrol(...)``)."""

from hrss.training.services.appraisal import (
    candidate_register,
    candidate_sign_in,
    pass_rate_check,
    proctor_overlap_check,
    proctor_record,
    results_check,
    results_enter,
    results_publish,
    session_schedule,
)
from hrss.training.services.certificates import certificate_issue, certificate_revoke, consent_code_create
from hrss.training.services.courses import (
    attendance_check,
    attendance_sign_in,
    course_publish,
    enrol,
    enrolment_complete,
    identify,
    progress_record,
    survey_answer,
)
from hrss.training.services.institutions import approval_add, institution_rate, institution_register, site_add
from hrss.training.services.subsidies import claim_decide, claim_lines_compute, claim_submit, subsidy_pay

__all__ = [
    "approval_add",
    "attendance_check",
    "attendance_sign_in",
    "candidate_register",
    "candidate_sign_in",
    "certificate_issue",
    "certificate_revoke",
    "claim_decide",
    "claim_lines_compute",
    "claim_submit",
    "consent_code_create",
    "course_publish",
    "enrol",
    "enrolment_complete",
    "identify",
    "institution_rate",
    "institution_register",
    "pass_rate_check",
    "proctor_overlap_check",
    "proctor_record",
    "progress_record",
    "results_check",
    "results_enter",
    "results_publish",
    "session_schedule",
    "site_add",
    "subsidy_pay",
    "survey_answer",
]
