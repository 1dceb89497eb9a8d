"""The examinations' writes; callers write ``services.registration_create(...)``."""

from hrss.exams.services.appeals import REASON_MAX as APPEAL_REASON_MAX
from hrss.exams.services.appeals import appeal_create, appeal_decide
from hrss.exams.services.bank import item_add, paper_assemble
from hrss.exams.services.registrations import (
    exam_advance,
    exam_create,
    fee_notification_apply,
    fee_pay,
    fee_settle,
    registration_create,
    registration_review,
)
from hrss.exams.services.scoring import (
    exam_score,
    mark_record,
    paper_layout,
    rescore,
    results_publish,
    seats_allocate,
    sheets_record,
)

__all__ = [
    "APPEAL_REASON_MAX",
    "appeal_create",
    "appeal_decide",
    "exam_advance",
    "exam_create",
    "exam_score",
    "fee_notification_apply",
    "fee_pay",
    "fee_settle",
    "item_add",
    "mark_record",
    "paper_assemble",
    "paper_layout",
    "registration_create",
    "registration_review",
    "rescore",
    "results_publish",
    "seats_allocate",
    "sheets_record",
]
