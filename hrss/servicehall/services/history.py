"""What happened to an application: the applicant's log (announced as an event) and the audit record."""

from __future__ import annotations

from typing import Any

from hrss.core.audit import audit_record
from hrss.core.events import publish
from hrss.core.scope import Scope
from hrss.servicehall.events import ApplicationStepNotified
from hrss.servicehall.models import Application, ApplicationLog


def log_step(application: Application, *, step: str, message: str, actor: str, visible: bool = True) -> None:
    ApplicationLog.objects.create(
        application=application, step=step, message=message, actor=actor, visible_to_applicant=visible
    )
    if visible:
        publish(
            ApplicationStepNotified(
                application_id=application.pk,
                reference=application.reference,
                person_id=application.applicant_person_id,
                employer_id=application.applicant_employer_id,
                step=step,
                status=application.status,
                message=message,
            )
        )


def audit_application(scope: Scope, action: str, application: Application, **detail: Any) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type="application",
        object_id=str(application.pk),
        detail={"reference": application.reference, **detail},
    )
