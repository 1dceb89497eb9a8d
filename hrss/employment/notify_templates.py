"""The employment app's message templates, as data: ``EmploymentConfig.ready()`` registers
them with notify in every process (web, task worker, scheduler), never on first use."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

INTERVIEW_INVITATION_TEMPLATE = "employment_interview_invitation"
NEW_APPLICANT_TEMPLATE = "employment_new_applicant"
POLICY_FOUND_TEMPLATE = "employment_policy_found"

NOTIFY_TEMPLATES = {
    INTERVIEW_INVITATION_TEMPLATE: _(
        "[HR and Social Security] {employer} invites you to an interview for the job “{title}” "
        "on {at} at {place}. {note} See your applications: {url}"
    ),
    NEW_APPLICANT_TEMPLATE: _(
        "[HR and Social Security] A job seeker applied for your vacancy “{title}”. See the candidates: {url}"
    ),
    POLICY_FOUND_TEMPLATE: _(
        "[HR and Social Security] Your unit qualifies for “{policy}” for {period}: {amount} yuan, "
        "prepared for payment without any application once the bureau approves it. {url}"
    ),
}
