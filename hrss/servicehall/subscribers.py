"""Tell applicants about every step (SMS and in-app) through the notify app's services.

Subscribed to the hall's own events, so a step's transaction never waits on a channel,
and a rolled-back step notifies no one. If the notify app is not installed the events
are still published and other subscribers may act on them.
"""

from __future__ import annotations

import logging

from django.apps import apps

from hrss.core.events import subscribe
from hrss.servicehall.events import ApplicationStepNotified, WorkItemEscalated
from hrss.servicehall.notify_templates import ESCALATION_TEMPLATE, TEMPLATE

logger = logging.getLogger(__name__)


def _notify_services():  # type: ignore[no-untyped-def]
    if not apps.is_installed("hrss.notify"):
        return None
    from hrss.notify import services

    return services


@subscribe(ApplicationStepNotified)
def application_step_notify(event: ApplicationStepNotified) -> None:
    services = _notify_services()
    if services is None:
        return
    from hrss.servicehall.models import Application

    application = (
        Application.objects.select_related("applicant_person", "applicant_employer", "submitted_by")
        .filter(pk=event.application_id)
        .first()
    )
    if application is None:
        return
    params = {"reference": event.reference, "message": event.message}
    person = application.applicant_person
    account = getattr(person, "account", None) if person else None
    if account is None and application.submitted_by.person_id == application.applicant_person_id:
        account = application.submitted_by
    if account is None and application.applicant_employer_id:
        account = application.submitted_by if application.submitted_by.employer_id else None
    if account is not None:
        services.send_in_app(user_id=account.pk, template=TEMPLATE, params=params)
    phone = (
        person.phone
        if person
        else application.applicant_employer.contact_phone
        if application.applicant_employer
        else ""
    ) or ""
    if phone:
        try:
            services.send_sms(phone=phone, template=TEMPLATE, params=params)
        except Exception:  # a bad phone number in the registry must not hide the in-app message
            logger.warning("servicehall: SMS not sent for %s", event.reference)


@subscribe(WorkItemEscalated)
def work_item_escalated_notify(event: WorkItemEscalated) -> None:
    """Tell the person who held the overdue step and the supervisors who cover its district."""
    services = _notify_services()
    if services is None:
        return
    from django.db.models import Q

    from hrss.identity.models import User
    from hrss.servicehall.models import StaffProfile, WorkItem

    work_item = WorkItem.objects.select_related("application").filter(pk=event.work_item_id).first()
    if work_item is None:
        return
    supervisors = StaffProfile.objects.filter(supervisor=True, user__is_active=True).filter(
        Q(user__city_wide=True) | Q(user__districts__code=work_item.district_id)
    )
    recipients = set(supervisors.values_list("user_id", flat=True))
    if event.assignee:
        recipients |= set(User.objects.filter(username=event.assignee).values_list("pk", flat=True))
    params = {"reference": event.reference, "step": work_item.step_name, "level": event.level}
    for user_id in recipients:
        services.send_in_app(user_id=user_id, template=ESCALATION_TEMPLATE, params=params)
