from pathlib import Path

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import ANYONE, HomePanel, NavLink
from hrss.core.schedule import Job

APPLICANTS = frozenset({roles.CITIZEN, roles.EMPLOYER_AGENT})
# The roles whose work comes through the workbench (hrss.servicehall.engine.WORK_ROLES).
WORKERS = frozenset(
    {roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.ARBITRATOR, roles.INSPECTOR, roles.FUND_SUPERVISOR}
)


class ServicehallConfig(AppConfig):
    name = "hrss.servicehall"
    label = "servicehall"
    verbose_name = _("Service hall")
    # The de-identified extract the analytics lake collects (hrss.core.lake).
    lake_tables = "hrss.servicehall.lake.TABLES"
    # Message templates this app sends (notify's system check makes sure they are registered).
    notify_sends = ("servicehall_step", "servicehall_escalated", "generic")
    # The hall's own generic processes; each domain app declares its own ``processes_dir``.
    processes_dir = "processes"
    # Collected by CoreConfig.ready() into hrss.core.schedule.
    scheduled_jobs = (
        Job(
            name="servicehall.escalate",
            cron="0 6 * * *",
            func="hrss.servicehall.jobs.escalate_overdue_work",
            description="overdue work items are raised (working days), late applications flagged",
        ),
    )
    agency_scopes = {
        # The hall's feed for the city-wide government service platform.
        "servicehall:feed": _("Read application status changes (no personal data)"),
    }

    # The header menu and the signed-in home (collected by CoreConfig.ready(), hrss.core.nav).
    nav_links = (
        NavLink("servicehall.home", _("Services"), "servicehall:home", frozenset({ANYONE}), order=10),
        NavLink("servicehall.applications", _("My applications"), "servicehall:applications", APPLICANTS, order=20),
        NavLink("servicehall.messages", _("Message centre"), "servicehall:messages", APPLICANTS, order=25),
        NavLink("servicehall.workbench", _("Workbench"), "servicehall:workbench", WORKERS, order=5),
        NavLink("servicehall.walk-in", _("Walk-in"), "servicehall:walk-in", frozenset({roles.COUNTER_CLERK}), order=6),
    )
    home_panels = (
        HomePanel(
            "servicehall.work",
            _("My work"),
            "servicehall/panels/work.html",
            "hrss.servicehall.pages.home.work_panel",
            WORKERS,
            order=10,
        ),
        HomePanel(
            "servicehall.applications",
            _("My applications"),
            "servicehall/panels/applications.html",
            "hrss.servicehall.pages.home.applications_panel",
            APPLICANTS,
            order=10,
        ),
        HomePanel(
            "servicehall.messages",
            _("Messages"),
            "servicehall/panels/messages.html",
            "hrss.servicehall.pages.home.messages_panel",
            APPLICANTS,
            order=40,
        ),
    )

    def ready(self) -> None:
        import logging

        from django.utils.module_loading import import_string

        # SpiffWorkflow logs every task state change at INFO; the hall's own log says what matters.
        logging.getLogger("spiff").setLevel(logging.WARNING)
        # Every registry is filled here, in every process (web, task worker, scheduler):
        # the hall's service-task handler and the event subscribers register on import
        # of their modules, the message templates, the rekeyer and the extension points below.
        from hrss.core.rekey import register_rekeyer
        from hrss.servicehall import checks, extension_points, servicetasks, subscribers  # noqa: F401
        from hrss.servicehall.rekey import NAME, reseal_applications

        register_rekeyer(NAME, reseal_applications)
        if apps.is_installed("hrss.notify"):
            from hrss.notify.templates import templates_register
            from hrss.servicehall.notify_templates import NOTIFY_TEMPLATES

            templates_register(NOTIFY_TEMPLATES)
        # Facts other apps provide, declared as dotted paths on their AppConfig (the hall
        # never imports a sibling app): ``card_lookup`` (find a person by card number at
        # the counter), ``credit_provider`` (an applicant's credit class), ``processes_dir``
        # (the folder, relative to the app, holding the BPMN files of the items it owns) and
        # ``submission_checks`` (what the app would refuse later, checked at submission) and
        # ``channel_reply`` (answers for SMS texts and WeChat keywords the hall does not know).
        for config in apps.get_app_configs():
            processes_dir = getattr(config, "processes_dir", None)
            if processes_dir:
                extension_points.register_process_dir(Path(config.path) / processes_dir)
            card_lookup = getattr(config, "card_lookup", None)
            if card_lookup:
                extension_points.register_card_lookup(import_string(card_lookup))
            credit_provider = getattr(config, "credit_provider", None)
            if credit_provider:
                extension_points.register_credit_provider(import_string(credit_provider))
            for item_code, check in (getattr(config, "submission_checks", None) or {}).items():
                extension_points.register_submission_check(item_code, import_string(check))
            channel_reply = getattr(config, "channel_reply", None)
            if channel_reply:
                extension_points.register_channel_reply(import_string(channel_reply))
