from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import NavLink
from hrss.core.schedule import Job


class EmploymentConfig(AppConfig):
    """Employment services (E1, E4): unemployment registration, job-seeker profiles,
    employers' vacancies and the matching that ranks vacancies for a seeker."""

    name = "hrss.employment"
    label = "employment"
    verbose_name = _("Employment services")

    # The scheduled jobs (hrss.core.schedule, collected by CoreConfig.ready()).
    scheduled_jobs = (
        Job(
            name="employment.policies",
            cron="0 3 2 * *",
            func="hrss.employment.policies.policies_run_due",
            description="policies that find their people: payment lists of last month's and last year's policies (免申即享)",
        ),
        Job(
            name="employment.special_groups_review",
            cron="0 4 1 * *",
            func="hrss.employment.support.special_groups_review_job",
            description="special groups: end the memberships of people who found work or no longer meet a rule",
        ),
        Job(
            name="employment.vacancies_expire",
            cron="15 0 * * *",
            func="hrss.employment.jobs.vacancies_expire",
            description="open vacancies past their last day closed as expired, the employer's agents told in-app",
        ),
        Job(
            name="employment.index_rebuild",
            cron="30 2 * * *",
            func="hrss.employment.search.rebuild_due",
            description="vacancy search: a new on-disk base index of the open vacancies, so the in-memory delta stays small",
        ),
    )

    # Its BPMN files (失业登记 SH-JY-001, 就业登记 SH-JY-002, 创业担保贷款 SH-JY-003, 一次性创业补贴 SH-JY-004), found by the service hall (ServicehallConfig.ready()).
    processes_dir = "processes"

    # A job seeker's intentions for other apps (training recommends courses from them).
    seeker_facts = "hrss.employment.seeker_facts"
    # New unemployment registrations by district and month, for the analytics app's early warning.
    unemployment_facts = "hrss.employment.unemployment_facts"

    # Its records in the personal and employer dossier (A4) and the 就业失业登记证明 it certifies
    # (B2), collected by ArchiveConfig.ready() without the archive importing this app.
    dossier = "hrss.employment.dossier"
    # Whether a person is registered unemployed, for other departments (S3, hrss.core.exchange).
    exchange = "hrss.employment.exchange"
    # Its de-identified extracts for the analytics lake (vacancies and job seekers, for supply
    # and demand and the prosperity index), collected by AnalyticsConfig.ready().
    lake_tables = "hrss.employment.lake.TABLES"

    # The licensed HR agencies' vacancy API (collected by IdentityConfig.ready()).
    agency_scopes = {
        "employment:vacancies": _("Post and close vacancies for employers (licensed HR agencies)"),
    }

    # Message templates this app sends (notify's system check makes sure they are registered).
    notify_sends = (
        "employment_interview_invitation",
        "employment_new_applicant",
        "employment_policy_found",
        "employment_vacancies_expired",
        "employment_application_shortlisted",
        "employment_application_declined",
        # the bureau's support for people (support.py) and the person policies of the run
        "employment_guidance_booked",
        "employment_policy_person_found",
    )

    # The header menu (collected by CoreConfig.ready() into hrss.core.nav).
    nav_links: tuple[NavLink, ...] = (
        NavLink("employment.mine", _("Jobs"), "employment:mine", frozenset({roles.CITIZEN}), order=34),
        NavLink(
            "employment.vacancies",
            _("Our vacancies"),
            "employment:vacancies",
            frozenset({roles.EMPLOYER_AGENT}),
            order=34,
        ),
        NavLink(
            "employment.policies",
            _("Policy runs"),
            "employment:policies",
            frozenset({roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR}),
            order=41,
        ),
        NavLink(
            "employment.loans",
            _("Start-up loans"),
            "employment:loans",
            frozenset({roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR}),
            order=42,
        ),
        NavLink(
            "employment.agencies",
            _("HR agency licences"),
            "employment:agencies",
            frozenset({roles.ADMINISTRATOR}),
            order=47,
        ),
    )

    # The bureau's support for people (support_pages.py): special groups and their follow-up,
    # career guidance appointments, start-up registration.
    nav_links += (
        NavLink(
            "employment.guidance", _("Career guidance"), "employment:guidance", frozenset({roles.CITIZEN}), order=35
        ),
        NavLink(
            "employment.startups_mine",
            _("My start-up"),
            "employment:startups-mine",
            frozenset({roles.CITIZEN}),
            order=36,
        ),
        NavLink(
            "employment.special_groups",
            _("Special groups"),
            "employment:special-groups",
            frozenset({roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR}),
            order=43,
        ),
        NavLink(
            "employment.guidance_slots",
            _("Guidance slots"),
            "employment:guidance-slots",
            frozenset({roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR}),
            order=44,
        ),
        NavLink(
            "employment.startups",
            _("Start-ups"),
            "employment:startups",
            frozenset({roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR}),
            order=45,
        ),
    )

    def ready(self) -> None:
        # The 失业登记 step of the hall (``employment.unemployment_register``) registers on import.
        from django.apps import apps

        from hrss.employment import policies, servicetasks, subscribers  # noqa: F401

        # The contribution ledger another app declares (``ledger_facts``), for the policy run.
        policies.ledger_facts.register()
        # A person's card payments another app declares (``payment_facts``), for the loan's assessment.
        policies.card_facts.register()
        # 增员/减员: the enrolment events another app declares (``enrolment_events``).
        subscribers.enrolment_events_subscribe()
        # Courses recommended to a job seeker, which the training app declares (``course_recommendations``).
        from hrss.employment import course_facts

        course_facts.courses.register()

        if apps.is_installed("hrss.synth"):
            # Register this app's steps (vacancies, seekers) with ``hrss synth``.
            from hrss.employment import synth  # noqa: F401

        if apps.is_installed("hrss.notify"):
            from hrss.employment.notify_templates import NOTIFY_TEMPLATES
            from hrss.notify.templates import templates_register

            templates_register(NOTIFY_TEMPLATES)
