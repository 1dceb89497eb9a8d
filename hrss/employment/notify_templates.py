"""The employment app's message templates, as data: ``EmploymentConfig.ready()`` registers
them with notify in every process (web, task worker, scheduler), never on first use."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

INTERVIEW_INVITATION_TEMPLATE = "employment_interview_invitation"
NEW_APPLICANT_TEMPLATE = "employment_new_applicant"
POLICY_FOUND_TEMPLATE = "employment_policy_found"
VACANCIES_EXPIRED_TEMPLATE = "employment_vacancies_expired"
APPLICATION_SHORTLISTED_TEMPLATE = "employment_application_shortlisted"
APPLICATION_DECLINED_TEMPLATE = "employment_application_declined"

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
    VACANCIES_EXPIRED_TEMPLATE: _(
        "[HR and Social Security] {count} of your vacancies passed their last day and are closed: {titles}. "
        "Post them again if you are still hiring: {url}"
    ),
    APPLICATION_SHORTLISTED_TEMPLATE: _(
        "[HR and Social Security] {employer} has shortlisted your application for the job “{title}”. "
        "See your applications: {url}"
    ),
    APPLICATION_DECLINED_TEMPLATE: _(
        "[HR and Social Security] {employer} has decided not to take your application for the job “{title}” "
        "further. Other jobs for you: {url}"
    ),
}

# The bureau's support for people (``support.py``) and the person policies of the run.
GUIDANCE_BOOKED_TEMPLATE = "employment_guidance_booked"
POLICY_PERSON_FOUND_TEMPLATE = "employment_policy_person_found"

NOTIFY_TEMPLATES.update(
    {
        GUIDANCE_BOOKED_TEMPLATE: _(
            "[HR and Social Security] Your career guidance appointment with {counsellor} is booked "
            "for {at} at {place}. To cancel it: {url}"
        ),
        POLICY_PERSON_FOUND_TEMPLATE: _(
            "[HR and Social Security] You qualify for “{policy}” for {period}: {amount} yuan, "
            "prepared for payment without any application once the bureau approves it. {url}"
        ),
    }
)
