"""Demo applications in every state, so the workbench and the hall look alive on `make run`.

Built through the real services (submit, steps, supplements, escalation), for the demo
accounts that ``hrss demo`` creates (citizen, employer, clerk, clerk_hexi, reviewer,
approver). Idempotent: each demo application has a fixed idempotency key, and steps are
only taken when the application was just created.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hrss.core.workdays import add_workdays, workdays_between
from hrss.identity.auth import scope_for_user
from hrss.identity.models import User
from hrss.servicehall import services
from hrss.servicehall.models import Application, StaffProfile, WorkItem

_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _fresh_scope(user: User) -> Any:
    user._hrss_scope = None  # type: ignore[attr-defined]
    return scope_for_user(user)


def _step(application: Application, decision: str = "approve", **kw: Any) -> Application:
    work = application.work_items.filter(state=WorkItem.State.OPEN).select_related("assignee").first()
    if work is None:
        return application
    user = work.assignee or User.objects.filter(roles__code=work.role, is_active=True).order_by("username").first()
    if user is None:
        return application
    return services.work_item_complete(scope=_fresh_scope(user), user=user, work_item=work, decision=decision, **kw)


def _backdate(application: Application, *, days: int) -> None:
    """Move an application's history ``days`` back, dates derived as submission would have.

    The statutory deadline and each step's due date are recomputed in working days from
    the moved dates, so that a promised date never comes before the submission date.
    """
    delta = dt.timedelta(days=days)
    submitted_at = application.submitted_at - delta
    submitted_on = timezone.localdate(submitted_at)
    Application.objects.filter(pk=application.pk).update(
        submitted_at=submitted_at,
        deadline=add_workdays(submitted_on, application.item.time_limit_workdays),
        promised_by=add_workdays(submitted_on, application.item.promised_limit_workdays),
    )
    for work in application.work_items.all():
        created_on = timezone.localdate(work.created_at)
        allowed = workdays_between(created_on, work.due_date)
        WorkItem.objects.filter(pk=work.pk).update(
            created_at=F("created_at") - delta,
            completed_at=F("completed_at") - delta,
            due_date=add_workdays(timezone.localdate(work.created_at - delta), allowed),
        )
    application.log.update(created_at=F("created_at") - delta)


def demo_applications(*, stdout: Any = None) -> list[str]:
    """Create the demo applications (if the demo accounts exist); return one line per application."""
    users = {u.username: u for u in User.objects.filter(username__in=["citizen", "employer", "clerk", "clerk_hexi"])}
    citizen, employer, clerk, clerk_hexi = (users.get(n) for n in ("citizen", "employer", "clerk", "clerk_hexi"))
    if citizen is None or citizen.person_id is None:
        return []
    if clerk is not None:
        StaffProfile.objects.update_or_create(user=clerk, defaults={"supervisor": True})
    lines: list[str] = []

    def submit(
        key: str, code: str, form: dict[str, Any], *, user: User | None = None, **kw: Any
    ) -> tuple[Application, bool]:
        user = user or citizen
        application, created = services.application_submit(
            scope=_fresh_scope(user),  # type: ignore[arg-type]
            user=user,  # type: ignore[arg-type]
            item_code=code,
            form_data=form,
            idempotency_key=f"demo-{key}",
            channel=kw.pop("channel", "web"),
            **kw,
        )
        return application, created

    unemployment = {"phone": "13800138000", "unemployed_since": "2026-10-08", "wants_training": True}
    card = {"phone": "13800138000", "delivery": "post", "address": "天津市和平区南京路1号"}
    arbitration = {
        "phone": "13800138000",
        "respondent": "天津某某商贸有限公司",
        "claims": "支付拖欠工资",
        "amount": "36000",
    }
    with transaction.atomic():
        # 1. withdrawn by the applicant (first: one open application of an item at a time)
        application, created = submit(
            "withdrawn-registration", "SH-JY-001", {**unemployment, "unemployed_since": "2026-08-03"}
        )
        if created:
            services.application_withdraw(scope=_fresh_scope(citizen), application=application)
        # 2. in progress: accepted, waiting at first review
        application, created = submit("reviewing", "SH-JY-001", {**unemployment, "unemployed_since": "2026-10-20"})
        if created:
            _step(application)
        # 3. submitted, waiting to be accepted (arbitration claims may be open side by side)
        submit(
            "waiting",
            "SH-ZC-001",
            {**arbitration, "respondent": "天津某某餐饮有限公司", "claims": "支付未休年休假工资", "amount": "4200"},
        )
        # 4. approved on acceptance (low risk: no review tier): the citizen's first card,
        #    which ``hrss demo`` then takes through production, issue and activation.
        application, created = submit("card", "SH-KA-001", card, channel="app")
        if created:
            _step(application)
        # 5. supplement requested (补正): the evidence of an arbitration claim is missing
        application, created = submit(
            "evidence",
            "SH-ZC-001",
            {"phone": "13800138000", "respondent": "天津某某物流有限公司", "claims": "支付加班费", "amount": "8600"},
        )
        if created:
            _step(application, "supplement", reasons="请上传加班记录或考勤等证据材料。", missing_materials=["evidence"])
        # 6. rejected at first review, with reasons
        application, created = submit("rejected", "SH-ZC-001", arbitration)
        if created:
            application = _step(application)
            _step(application, "reject", reasons="已超过一年仲裁时效，且无时效中断的证据。")
        # 7. instant item, done on submission
        submit("certificate", "SH-YL-002", {"purpose": "housing"})
        # 8. large arbitration claim: second review (by another reviewer), then approval, then hand-over
        big = {
            **arbitration,
            "respondent": "天津示范科技有限公司",
            "claims": "违法解除劳动合同赔偿金",
            "amount": "180000",
        }
        application, created = submit("arbitration", "SH-ZC-001", big)
        if created:
            application = _step(_step(application))  # accept, first review -> second review waits
        # 9. walk-in at another district's counter (全城通办)
        if clerk_hexi is not None:
            application, created = submit(
                "walk-in", "SH-YL-002", {"purpose": "school"}, user=clerk_hexi, channel="counter", person=citizen.person
            )
        # 10. an employer's application, overdue and escalated: submitted a month ago,
        #     accepted, and its review is past its due date by working days
        if employer is not None and employer.employer_id:
            registration = {
                "contact_phone": "13900139000",
                "headcount": 12,
                "start_month": f"{timezone.localdate():%Y-%m}-01",
            }
            # The employer is insured for pension, medical and unemployment since the start
            # of its history (``hrss demo``); it now adds work injury.
            registration |= {"insure_work_injury": True}
            application, created = submit("employer", "SH-YL-003", registration, user=employer)
            if created:
                _backdate(_step(application), days=30)
                services.escalate_overdue()
        # a material on the application under review
        reviewing = Application.objects.filter(submitted_by=citizen, idempotency_key="demo-reviewing").first()
        if reviewing is not None and not reviewing.materials.exists() and reviewing.is_open:
            services.material_upload(
                scope=_fresh_scope(citizen),
                application=reviewing,
                kind="id_card",
                upload=SimpleUploadedFile("身份证.png", _PNG, content_type="image/png"),
            )
    for application in Application.objects.filter(idempotency_key__startswith="demo-").select_related("item"):
        lines.append(f"{application.reference} {application.item.name_zh_hans}: {application.status}")
    if stdout is not None:
        stdout.write("Demo applications:")
        for line in lines:
            stdout.write(f"  {line}")
    return lines
