"""The hall's message templates, as data: ``ServicehallConfig.ready()`` registers them with
notify in every process (web, task worker, scheduler), never on first use."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TEMPLATE = "servicehall_step"
ESCALATION_TEMPLATE = "servicehall_escalated"
NOTIFY_TEMPLATES = {
    TEMPLATE: _("[HR and Social Security] {reference}: {message}"),
    ESCALATION_TEMPLATE: _("Overdue work: {reference}, {step} (escalation level {level}). Please act today."),
}
