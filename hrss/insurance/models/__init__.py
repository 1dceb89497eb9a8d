"""Social insurance tables: enrolment, bases, assessment lines, payments, accounts, benefits.

Money is kept in whole fen (``*_fen``, 0.01 yuan) as integers: the monthly assessment is
set-based SQL, and integer arithmetic is exact on SQLite as well as PostgreSQL (SQLite
has no decimal type). Selectors turn fen back into ``Decimal`` yuan.

Ledgers (contribution lines, payments, account entries, benefit payments) are
append-only: a correction is a reversing entry plus a new one, never an update.
"""

from hrss.insurance.models.accounts import (
    AccountEntry,
    Transfer,
)
from hrss.insurance.models.benefits import (
    BenefitAward,
    BenefitKind,
    BenefitPayment,
    RecoveryCase,
)
from hrss.insurance.models.contributions import (
    LINE_INSURANCES,
    LINE_PREFIX,
    AssessmentRun,
    ContributionBase,
    ContributionLine,
    ContributionMonth,
    Correction,
    EmployerMonthTotal,
    EmployerPeriodTotal,
    LineKind,
)
from hrss.insurance.models.employers import (
    EmployerRegistration,
    EmployerWorkInjuryRate,
    IndustryRiskClass,
)
from hrss.insurance.models.enrolment import (
    Enrolment,
    EnrolmentExemption,
    EnrolmentReminder,
    PayerCategory,
    ReminderDelivery,
)
from hrss.insurance.models.payments import (
    OnlinePayment,
    Payment,
    PaymentFile,
)

__all__ = [
    "LINE_INSURANCES",
    "LINE_PREFIX",
    "AccountEntry",
    "AssessmentRun",
    "BenefitAward",
    "BenefitKind",
    "BenefitPayment",
    "ContributionBase",
    "ContributionLine",
    "ContributionMonth",
    "Correction",
    "EmployerMonthTotal",
    "EmployerPeriodTotal",
    "EmployerRegistration",
    "EmployerWorkInjuryRate",
    "Enrolment",
    "EnrolmentExemption",
    "EnrolmentReminder",
    "IndustryRiskClass",
    "LineKind",
    "OnlinePayment",
    "PayerCategory",
    "Payment",
    "PaymentFile",
    "RecoveryCase",
    "ReminderDelivery",
    "Transfer",
]
