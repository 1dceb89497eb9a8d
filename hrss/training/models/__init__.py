"""Vocational training and skill appraisal (T1, T2)."""

from hrss.training.models.appraisal import (
    AppraisalApproval,
    AppraisalSession,
    Candidate,
    Certificate,
    ConsentCode,
    ProctorRecord,
)
from hrss.training.models.catalogue import Institution, Qualification, ShortageOccupation, Site, TrainingPolicy
from hrss.training.models.courses import Attendance, ConsistencyCase, Course, CourseSession, Enrolment
from hrss.training.models.subsidies import SubsidyClaim, SubsidyLine, SubsidyPaymentFile

__all__ = [
    "AppraisalApproval",
    "AppraisalSession",
    "Attendance",
    "Candidate",
    "Certificate",
    "ConsentCode",
    "ConsistencyCase",
    "Course",
    "CourseSession",
    "Enrolment",
    "Institution",
    "ProctorRecord",
    "Qualification",
    "ShortageOccupation",
    "Site",
    "SubsidyClaim",
    "SubsidyLine",
    "SubsidyPaymentFile",
    "TrainingPolicy",
]
