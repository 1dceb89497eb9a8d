"""API shapes of the service hall: output schemas read model attributes (``resolve_<field>`` for computed fields)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, ValidationInfo, model_validator

from hrss.codes import examples
from hrss.core.scope import Scope
from hrss.identity.auth import request_scope
from hrss.servicehall.models import Application, Material, SupplementRequest, WorkItem
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
    """A catalogue item, read from a ``ServiceItem``'s attributes."""

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
    tracking_channels: list[str]
    online_level: int
    applicant_type: str
    form: list[dict[str, Any]]
    process_key: str


class ItemStatisticsOut(Schema):
    applications: int
    decided: int
    open: int
    average_workdays: float | None
    average_visits: float | None
    share_fully_online: float | None
    overdue: int


class ApplicationIn(Schema):
    # Request example (the house rule): 参保缴费证明开具, issued at once; the form's fields are
    # the item's (GET /servicehall/items/{code}), read-only ones are filled from the registry.
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "item_code": "SH-YL-002",
                    "form": {"name": examples.PERSON_NAME, "purpose": "housing"},
                    "idempotency_key": "3c6e0b8a-5c1f-4d2e-9a7b-1f0e2d3c4b5a",
                    "channel": "app",
                }
            ]
        }
    )

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
    fast_track: bool  # 绿色通道 (A7): good credit, no risk flag; listed after escalated work, before the rest
    decision: str

    @staticmethod
    def resolve_reference(work_item: WorkItem) -> str:
        return work_item.application.reference

    @staticmethod
    def resolve_fast_track(work_item: WorkItem) -> bool:
        return work_item.application.fast_track

    @staticmethod
    def resolve_item_code(work_item: WorkItem) -> str:
        return work_item.application.item.code

    @staticmethod
    def resolve_assignee(work_item: WorkItem) -> str | None:
        return work_item.assignee.username if work_item.assignee else None


class SupplementOut(Schema):
    message: str
    missing_materials: list[str]
    requested_at: dt.datetime
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_requested_at(supplement: SupplementRequest) -> dt.datetime:
        return supplement.created_at


class MaterialOut(Schema):
    id: uuid.UUID
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime

    @staticmethod
    def resolve_uploaded_at(material: Material) -> dt.datetime:
        return material.created_at


class ApplicationOut(Schema):
    reference: str
    item_code: str
    item_name: str
    status: str
    status_label: str
    channel: str
    submitted_at: dt.datetime
    deadline: dt.date | None
    promised_by: dt.date | None = Field(None, description="the promised completion date (承诺时限)")
    decided_at: dt.datetime | None
    decision_reasons: str
    result: dict[str, Any]
    form: dict[str, Any]
    form_readable: bool = True  # False: a sealed answer did not decrypt (a list entry without it)
    current_steps: list[str]
    supplements: list[SupplementOut]
    materials: list[MaterialOut]
    overdue: bool

    @staticmethod
    def resolve_item_code(application: Application) -> str:
        return application.item.code

    @staticmethod
    def resolve_item_name(application: Application) -> str:
        return application.item.name

    @staticmethod
    def resolve_status_label(application: Application) -> str:
        return str(application.get_status_display())

    @staticmethod
    def resolve_current_steps(application: Application) -> list[str]:
        # filtered here, not in SQL, so a list's prefetched work items serve every entry
        return [w.step_name for w in application.work_items.all() if w.state == WorkItem.State.OPEN]

    @model_validator(mode="before")
    @classmethod
    def _form_view_read(cls, value: Any, info: ValidationInfo) -> Any:
        # The form is read once per application and response, before the fields: a sealed
        # answer that does not decrypt raises here (409), not inside attribute extraction.
        application = getattr(value, "_obj", value)
        if isinstance(application, Application) and info.context is not None:
            views = info.context.setdefault("servicehall_forms", {})
            if application.pk not in views:
                views[application.pk] = cls.form_view(application, request_scope(info.context["request"]))
        return value

    @staticmethod
    def form_view(application: Application, scope: Scope) -> tuple[dict[str, Any], bool]:
        """In the clear for the applicant, sensitive answers masked for staff (409 if a sealed answer does not decrypt)."""
        return application_form(scope=scope, application=application), True

    @staticmethod
    def resolve_form(application: Application, context: dict[str, Any]) -> dict[str, Any]:
        return context["servicehall_forms"][application.pk][0]

    @staticmethod
    def resolve_form_readable(application: Application, context: dict[str, Any]) -> bool:
        return context["servicehall_forms"][application.pk][1]


class ApplicationListOut(ApplicationOut):
    """An entry of a list: one whose sealed answer does not decrypt comes without its
    sensitive answers and ``form_readable`` False, instead of failing the list (409)."""

    @staticmethod
    def form_view(application: Application, scope: Scope) -> tuple[dict[str, Any], bool]:
        return application_form_in_list(scope=scope, application=application)


class SubmitOut(Schema):
    created: bool
    application: ApplicationOut


class DecisionIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"decision": "approve", "reasons": "", "missing_materials": []},
                {
                    "decision": "supplement",
                    "reasons": "请上传居民身份证正反面照片。",
                    "missing_materials": ["id_card"],
                },
            ]
        }
    )

    decision: str
    reasons: str = ""
    missing_materials: list[str] = []


class AssignIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"assignee": "clerk"}]})

    assignee: str


class SupplementIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"answer": "已上传居民身份证正反面照片。"}]})

    answer: str = ""


# The smallest process the engine accepts: one review by a counter clerk (a user task in a
# lane named after a role), under its own key so loading it changes no shipped process.
EXAMPLE_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs_example_review" \
targetNamespace="https://hrss.example/servicehall">
  <bpmn:process id="example_review" name="示例: 柜员审核" isExecutable="true">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_counter_clerk" name="counter_clerk">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>review</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="提交申请"><bpmn:outgoing>to_review</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="review" name="审核">
      <bpmn:incoming>to_review</bpmn:incoming><bpmn:outgoing>to_end</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end" name="办结"><bpmn:incoming>to_end</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="to_review" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="to_end" sourceRef="review" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


class ProcessIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"bpmn_xml": EXAMPLE_BPMN, "filename": "example_review.bpmn"}]}
    )

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
