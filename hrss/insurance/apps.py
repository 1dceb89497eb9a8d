from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import SIGNED_OUT, HomePanel, NavLink
from hrss.core.schedule import Job


class InsuranceConfig(AppConfig):
    name = "hrss.insurance"
    label = "insurance"
    verbose_name = _("Social insurance")
    # Facts of the contribution ledger other apps' rules read, set-based (the employment
    # app's policy run finds them here, never importing this app).
    ledger_facts = "hrss.insurance.facts"
    # Overpayment recovery cases other apps open and close (the medical monitoring's
    # confirmed overpayments), found through the app registry, never imported.
    recovery_cases = "hrss.insurance.recovery"
    # Arrears and timely years of employers, reported to the credit system (A7).
    credit_facts = "hrss.insurance.credit_facts"
    # The contribution ledger's de-identified extract for the analytics lake (hrss.core.lake).
    lake_tables = "hrss.insurance.lake.TABLES"
    # What the personal dossier (电子档案袋) and its certificates read from this app (hrss.core.dossier).
    dossier = "hrss.insurance.dossier"
    # The yes/no answers it gives other departments through the exchange (S3, hrss.core.exchange).
    exchange = "hrss.insurance.exchange"
    # 增员/减员 as events another app subscribes to without importing this app (the
    # employment app opens and closes the person's employment spell on them).
    enrolment_events = {
        "started": "hrss.insurance.events.EnrolmentStarted",
        "stopped": "hrss.insurance.events.EnrolmentStopped",
    }

    # Message templates this app sends (notify's system check makes sure they are registered).
    notify_sends = ("insurance_enrolment_reminder",)
    processes_dir = "processes"  # its BPMN files, found by the service hall (ServicehallConfig.ready())
    # What the 12333 hotline's keypad queries read aloud (collected by HotlineConfig.ready()).
    hotline_queries = {
        "contribution_months": "hrss.insurance.channel_facts.contribution_months",
        "latest_payment": "hrss.insurance.channel_facts.latest_payment",
    }
    # Collected by CoreConfig.ready() into hrss.core.schedule.
    scheduled_jobs = (
        Job(
            name="insurance.crosscheck",
            cron="30 1 * * *",
            func="hrss.insurance.jobs.eligibility_crosscheck",
            description="待遇资格: suspend benefits paid after death or during re-employment",
        ),
        Job(
            name="insurance.remind",
            cron="0 9 1 * *",
            func="hrss.insurance.jobs.enrolment_reminders",
            description="全民参保: remind uninsured working-age people, once per person and month",
        ),
    )

    # The header menu and the signed-in home's panels (collected by CoreConfig.ready(), hrss.core.nav).
    nav_links = (
        NavLink("insurance.mine", _("My social insurance"), "insurance:mine", frozenset({roles.CITIZEN}), order=30),
        NavLink(
            "insurance.employer",
            _("Employer's social insurance"),
            "insurance:employer",
            frozenset({roles.EMPLOYER_AGENT}),
            order=31,
        ),
        NavLink(
            "insurance.estimate",
            _("Pension estimate"),
            "insurance:estimate",
            frozenset({SIGNED_OUT, roles.CITIZEN}),
            order=35,
        ),
        NavLink(
            "insurance.staff",
            _("Insurance overview"),
            "insurance:staff",
            frozenset({roles.COUNTER_CLERK, roles.ANALYST, roles.FUND_SUPERVISOR, roles.ADMINISTRATOR}),
            order=40,
            group="statistics",
        ),
    )
    home_panels = (
        HomePanel(
            "insurance.mine",
            _("My social insurance"),
            "insurance/panels/mine.html",
            "hrss.insurance.pages.home_panel_citizen",
            frozenset({roles.CITIZEN}),
            order=20,
        ),
        HomePanel(
            "insurance.employer",
            _("Employer's social insurance"),
            "insurance/panels/employer.html",
            "hrss.insurance.pages.home_panel_employer",
            frozenset({roles.EMPLOYER_AGENT}),
            order=5,
        ),
    )

    def ready(self) -> None:
        from django.apps import apps

        # Subscribe to other apps' domain events (registry deaths...), and register the
        # insurance steps of the service hall's items (hrss.core.servicetasks).
        from hrss.insurance import servicetasks, subscribers  # noqa: F401

        if apps.is_installed("hrss.notify"):
            from hrss.insurance.notify_templates import NOTIFY_TEMPLATES
            from hrss.notify.templates import templates_register

            templates_register(NOTIFY_TEMPLATES)

        if apps.is_installed("hrss.synth"):
            # Register this app's steps with ``hrss synth``.
            from hrss.insurance import synth  # noqa: F401
