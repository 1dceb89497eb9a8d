"""Writes of the medical app; callers write ``services.claim_settle(...)``."""

from hrss.medical.services.accounts import accounts_credit
from hrss.medical.services.claims import (
    GRANT,
    LineIn,
    Visit,
    claim_presettle,
    claim_refund,
    claim_reverse,
    claim_settle,
    institution_of,
    person_identify,
)
from hrss.medical.services.clearing import clearing_send
from hrss.medical.services.diseases import disease_recognise
from hrss.medical.services.filings import filing_record
from hrss.medical.services.insured import insured_enrol, insured_sync
from hrss.medical.services.monitoring import flag_decide, flag_recovery_record, monitoring_run
from hrss.medical.services.reconciliation import bank_payments_import, reconciliation_submit

__all__ = [
    "GRANT",
    "LineIn",
    "Visit",
    "accounts_credit",
    "bank_payments_import",
    "claim_presettle",
    "claim_refund",
    "claim_reverse",
    "claim_settle",
    "clearing_send",
    "disease_recognise",
    "filing_record",
    "flag_decide",
    "flag_recovery_record",
    "institution_of",
    "insured_enrol",
    "insured_sync",
    "monitoring_run",
    "person_identify",
    "reconciliation_submit",
]
