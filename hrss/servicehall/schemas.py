"""API shapes of the service hall."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema

from hrss.core.scope import Scope
from hrss.servicehall.models import Application, ServiceItem, WorkItem
from hrss.servicehall.selectors import application_form, application_form_in_list


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class MaterialSpec(Schema):
    code: str
    name: str
    required: bool
    note: str = ""


class ItemOut(Schema):
    code: str
    name: str
    name_zh_hans: str
    name_zh_hant: str
    name_en: str
    summary: str
    category: str
    department: str
    legal_basis: str
    time_limit_workdays: int
    promised_workdays: int | None
    materials: list[MaterialSpec]
    fees: str
    channels: list[str]
    online_level: int
    applicant_type: str
    form: list[dict[str, Any]]
    process_key: str

    @classmethod
    def build(cls, item: ServiceItem) -> ItemOut:
        return cls(
            code=item.code,
            name=item.name,
            name_zh_hans=item.name_zh_hans,
            name_zh_hant=item.name_zh_hant,
            name_en=item.name_en,
            summary=item.summary,
            category=item.category,
            department=item.department,
            legal_basis=item.legal_basis,
            time_limit_workdays=item.time_limit_workdays,
            promised_workdays=item.promised_workdays,
            materials=[MaterialSpec(**m) for m in item.materials],
            fees=item.fees,
            channels=list(item.channels),
            online_level=item.online_level,
            applicant_type=item.applicant_type,
            form=list(item.form),
            process_key=item.process_key,
        )


class ItemStatisticsOut(Schema):
    applications: int
    decided: int
    open: int
    average_workdays: float | None
    average_visits: float | None
    share_fully_online: float | None
    overdue: int


class ApplicationIn(Schema):
    item_code: str
    form: dict[str, Any] = {}
    idempotency_key: str | None = None
    channel: str = "web"


class WorkItemOut(Schema):
    id: uuid.UUID
    reference: str
    item_code: str
    step: str
    step_name: str
    role: str
    assignee: str | None
    state: str
    due_date: dt.date
    escalation_level: int
    decision: str

    @classmethod
    def build(cls, work_item: WorkItem) -> WorkItemOut:
        return cls(
            id=work_item.pk,
            reference=work_item.application.reference,
            item_code=work_item.application.item.code,
            step=work_item.step,
            step_name=work_item.step_name,
            role=work_item.role,
            assignee=work_item.assignee.username if work_item.assignee else None,
            state=work_item.state,
            due_date=work_item.due_date,
            escalation_level=work_item.escalation_level,
            decision=work_item.decision,
        )


class SupplementOut(Schema):
    message: str
    missing_materials: list[str]
    requested_at: dt.datetime
    answered_at: dt.datetime | None


class MaterialOut(Schema):
    id: uuid.UUID
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class ApplicationOut(Schema):
    reference: str
    item_code: str
    item_name: str
    status: str
    status_label: str
    channel: str
    submitted_at: dt.datetime
    deadline: dt.date | None
    decided_at: dt.datetime | None
    decision_reasons: str
    result: dict[str, Any]
    form: dict[str, Any]
    form_readable: bool = True  # False: a sealed answer did not decrypt (a list entry without it)
    current_steps: list[str]
    supplements: list[SupplementOut]
    materials: list[MaterialOut]
    overdue: bool

    @classmethod
    def build(cls, application: Application, *, scope: Scope, in_list: bool = False) -> ApplicationOut:
        """``form`` in the clear for the applicant, sensitive answers masked for staff.

        ``in_list``: an entry whose sealed answer does not decrypt comes without its
        sensitive answers and ``form_readable`` False, instead of failing the list (409).
        """
        if in_list:
            form, readable = application_form_in_list(scope=scope, application=application)
        else:
            form, readable = application_form(scope=scope, application=application), True
        return cls(
            reference=application.reference,
            item_code=application.item.code,
            item_name=application.item.name,
            status=application.status,
            status_label=str(application.get_status_display()),
            channel=application.channel,
            submitted_at=application.submitted_at,
            deadline=application.deadline,
            decided_at=application.decided_at,
            decision_reasons=application.decision_reasons,
            result=application.result,
            form=form,
            form_readable=readable,
            current_steps=[w.step_name for w in application.work_items.filter(state=WorkItem.State.OPEN)],
            supplements=[
                SupplementOut(
                    message=s.message,
                    missing_materials=s.missing_materials,
                    requested_at=s.created_at,
                    answered_at=s.answered_at,
                )
                for s in application.supplements.all()
            ],
            materials=[
                MaterialOut(
                    id=m.pk,
                    kind=m.kind,
                    filename=m.filename,
                    content_type=m.content_type,
                    size=m.size,
                    sha256=m.sha256,
                    uploaded_at=m.created_at,
                )
                for m in application.materials.all()
            ],
            overdue=application.overdue,
        )


class SubmitOut(Schema):
    created: bool
    application: ApplicationOut


class DecisionIn(Schema):
    decision: str
    reasons: str = ""
    missing_materials: list[str] = []


class AssignIn(Schema):
    assignee: str


class SupplementIn(Schema):
    answer: str = ""


class ProcessIn(Schema):
    bpmn_xml: str
    filename: str = ""


class ProcessOut(Schema):
    process_key: str
    version: int
    sha256: str
    source: str


class FeedApplicationOut(Schema):
    reference: str
    item_code: str
    status: str
    channel: str
    district: str
    submitted_at: str
    decided_at: str | None
    deadline: str | None
    updated_at: str
