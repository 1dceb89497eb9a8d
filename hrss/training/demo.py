"""The training demo for `make run` (`hrss demo`): a training school and an appraisal body
with their agents, a course whose session runs around the time the demo is made, an appraisal session next week, and
the development biometric provider's answer for the demo face capture.

With it the citizen walks the whole of T1/T2 in the browser: enrol (citizen), be signed in
to both sessions by card number or face capture and be marked completed (school), register
for the appraisal (citizen), be signed in with the face capture, scored and checked
(assessor, then assessor2), publish, verify the certificate (anyone), and the school's
subsidy claim through the hall (clerk, reviewer) to a payment file (admin).

Idempotent: what exists is kept. Development only (the demo command refuses production).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hrss.codes.identifiers import parse_credit_code
from hrss.core.scope import Scope
from hrss.registry import services as registry
from hrss.registry.models import Source
from hrss.training import services
from hrss.training.models import AppraisalSession, Course, Institution

# The schools' credit codes (GB 32100 check character, GB 11714 organisation check).
SCHOOL_CREDIT_CODE = "52120101MJ0000018L"
BODY_CREDIT_CODE = "52120101MJ0000026F"
FACE = "demo/face-capture.jpg"  # the capture the demo provider confirms
QUALIFICATION = "6-31-01-03"  # 电工
ACTOR = "demo"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def _employer(code: str, name: str) -> Any:
    return registry.employer_apply(
        credit_code=parse_credit_code(code),
        values={"name": name, "industry": "83", "district": "120101", "size": "small"},
        source=Source.MARKET_REGULATION,
    ).obj


def _institution(employer: Any, kind: str, name: str, licence: str) -> Institution:
    found = Institution.objects.filter(employer=employer, kind=kind).first()
    if found is not None:
        return found
    return services.institution_register(
        scope=Scope.system(ACTOR),
        employer_id=employer.pk,
        values={
            "kind": kind,
            "name": name,
            "licence_number": licence,
            "licence_valid_until": dt.date(2030, 12, 31),
            "capacity": 300,
            "scope": [QUALIFICATION, "4-10-01-05", "4-03-02-01"],
        },
    )


def biometric_table_write() -> str:
    """The development provider's answer for the demo capture (only where no table is configured)."""
    path = Path(str(getattr(settings, "HRSS_BIOMETRIC_TABLE", "") or ""))
    if not str(path) or path.suffix != ".json" or Path(settings.VAR_DIR) not in path.parents:
        return ""
    table = json.loads(path.read_text()) if path.is_file() else {}
    table.setdefault(FACE, {"matched": True, "score": 0.97})
    path.write_text(json.dumps(table, ensure_ascii=False, indent=2))
    return str(path)


@transaction.atomic
def demo_training(*, school_agent: Any, body_agents: list[Any]) -> list[str]:
    """The school, the appraisal body, today's course and next week's appraisal session."""
    system = Scope.system(ACTOR)
    school_employer = _employer(SCHOOL_CREDIT_CODE, "天津市示范职业培训学校")
    body_employer = _employer(BODY_CREDIT_CODE, "天津市示范职业技能等级认定中心")
    for user, employer in [(school_agent, school_employer)] + [(agent, body_employer) for agent in body_agents]:
        user.employer = employer
        user.save(update_fields=["employer"])
    school = _institution(school_employer, Institution.Kind.TRAINING, "天津市示范职业培训学校", "津人社培字第1001号")
    body = _institution(
        body_employer, Institution.Kind.APPRAISAL, "天津市示范职业技能等级认定中心", "津人社认备字第2001号"
    )
    if not school.sites.exists():
        services.site_add(
            scope=system,
            institution_id=school.pk,
            values={
                "name": "和平校区",
                "district": "120101",
                "address": "天津市和平区南京路181号",
                "room": "实训室101",
                "capacity": 30,
            },
        )
    if not body.sites.exists():
        services.site_add(
            scope=system,
            institution_id=body.pk,
            values={
                "name": "认定考点",
                "district": "120101",
                "address": "天津市和平区南京路189号",
                "room": "考场A",
                "capacity": 40,
            },
        )
    if not body.approvals.exists():
        services.approval_add(
            scope=system,
            body_id=body.pk,
            qualification=QUALIFICATION,
            levels=[5, 4, 3],
            document="津人社函〔2024〕12号",
        )
    today = timezone.localdate()
    lines = []
    course = Course.objects.filter(institution=school, ends_on__gte=today, status=Course.Status.PUBLISHED).first()
    if course is None:
        start = timezone.localtime().replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=1)
        agent_scope = Scope(
            actor=school_agent.username, roles=frozenset({"employer_agent"}), employer_id=school_employer.pk
        )
        course = services.course_publish(
            scope=agent_scope,
            values={
                "title": "电工（五级）实名制培训班",
                "qualification": QUALIFICATION,
                "level": 5,
                "mode": "site",
                "site": school.sites.first().pk,  # type: ignore[union-attr]
                "hours": 80,
                "capacity": 30,
                "starts_on": start.date(),
                "ends_on": today + dt.timedelta(days=30),
                # One session around the time the demo runs, so the walk signs in within it.
                "sessions": [{"starts_at": start, "ends_at": start + dt.timedelta(hours=5)}],
            },
            idempotency_key=f"demo-{today.isoformat()}",
        )
    lines.append(f"training: course “{course.title}”, its session today")
    session = AppraisalSession.objects.filter(
        body=body, status=AppraisalSession.Status.OPEN, starts_at__gt=timezone.now()
    ).first()
    if session is None:
        day = today + dt.timedelta(days=7)
        agent_scope = Scope(
            actor=body_agents[0].username, roles=frozenset({"employer_agent"}), employer_id=body_employer.pk
        )
        session = services.session_schedule(
            scope=agent_scope,
            values={
                "qualification": QUALIFICATION,
                "level": 5,
                "site": body.sites.first().pk,  # type: ignore[union-attr]
                "starts_at": _at(day, 9),
                "ends_at": _at(day, 12),
                "proctors": ["王监考", "李监考"],
            },
        )
    lines.append(
        f"training: appraisal session {timezone.localtime(session.starts_at):%Y-%m-%d %H:%M} (face capture “{FACE}”)"
    )
    table = biometric_table_write()
    if table:
        lines.append(f"training: the development face provider confirms “{FACE}” ({table})")
    return lines
