"""The insurance app's message templates, as data: ``InsuranceConfig.ready()`` registers
them with notify in every process (web, task worker, scheduler), never on first use."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ENROLMENT_REMINDER_TEMPLATE = "insurance_enrolment_reminder"

NOTIFY_TEMPLATES = {
    ENROLMENT_REMINDER_TEMPLATE: _(
        "[HR and Social Security] You are of working age and have no social insurance yet. "
        'Enrol online with the service item "Pension insurance enrolment for flexible workers" ({item}): '
        "{url}, or at any social insurance counter. Questions: call 12333."
    ),
}
