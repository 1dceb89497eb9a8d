from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import ANYONE, NavLink
from hrss.core.schedule import Job

ARBITRATION_STAFF = frozenset({roles.ARBITRATOR, roles.ADMINISTRATOR})
INSPECTION_STAFF = frozenset({roles.INSPECTOR, roles.ADMINISTRATOR})


class LaborConfig(AppConfig):
    name = "hrss.labor"
    label = "labor"
    verbose_name = _("Labour relations")
    # Awards and inspection penalties against employers, reported to the credit system (A7)
    # without importing it.
    credit_facts = "hrss.labor.credit_facts"
    # Its records in the personal and employer dossier (A4) and the award copies it certifies
    # (B2), collected by ArchiveConfig.ready() without the archive importing this app.
    dossier = "hrss.labor.dossier"

    # - the scheduled jobs (hrss.core.schedule, collected by CoreConfig.ready());
    scheduled_jobs = (
        Job(
            name="labor.deadlines",
            cron="30 0 * * *",
            func="hrss.labor.jobs.deadlines_check",
            description="arbitration cases' statutory deadlines: at risk and overdue warnings (仲裁时限预警)",
        ),
        Job(
            name="labor.orders_overdue",
            cron="45 0 * * *",
            func="hrss.labor.jobs.orders_overdue",
            description="rectification orders past their day marked overdue, on the inspectors' queue (逾期未整改)",
        ),
    )
    # - its BPMN files (劳动仲裁申请 SH-ZC-001), found by the service hall (ServicehallConfig.ready());
    processes_dir = "processes"
    # Labour complaints and reports taken by the 12333 desk enter the rights-protection register
    # (found by HotlineConfig.ready(); the hotline never imports this app).
    hotline_intake = {"labour": "hrss.labor.services.complaints.complaint_from_hotline"}
    # - the header menu (collected by CoreConfig.ready() into hrss.core.nav).
    nav_links = (
        NavLink("labor.deadlines", _("Arbitration deadlines"), "labor:deadlines", frozenset({ANYONE}), order=70),
        NavLink("labor.mine", _("My arbitration cases"), "labor:mine", frozenset({roles.CITIZEN}), order=36),
        NavLink(
            "labor.mediations", _("My labour mediations"), "labor:mediations-mine", frozenset({roles.CITIZEN}), order=37
        ),
        NavLink("labor.mediation_queue", _("Mediation queue"), "labor:mediation-queue", ARBITRATION_STAFF, order=40),
        NavLink("labor.workbench", _("Arbitration workbench"), "labor:workbench", ARBITRATION_STAFF, order=40),
        NavLink(
            "labor.statistics",
            _("Arbitration case statistics"),
            "labor:statistics",
            ARBITRATION_STAFF | {roles.ANALYST},
            order=43,
            group="statistics",
        ),
        NavLink("labor.warning", _("Wage-arrears warning"), "labor:warning", INSPECTION_STAFF, order=41),
        NavLink("labor.leads", _("Inspection leads"), "labor:leads", INSPECTION_STAFF, order=41),
        NavLink("labor.plans", _("Random inspection plans"), "labor:plans", INSPECTION_STAFF, order=41),
        NavLink("labor.dispatch", _("Inspection dispatch board"), "labor:dispatch", INSPECTION_STAFF, order=41),
        NavLink(
            "labor.inspection_results",
            _("Random inspection results"),
            "labor:inspection-results",
            frozenset({ANYONE}),
            order=71,
        ),
        NavLink(
            "labor.register",
            _("Rights-protection register"),
            "labor:register",
            INSPECTION_STAFF | ARBITRATION_STAFF,
            order=42,
        ),
        NavLink(
            "labor.fraud_cases",
            _("Social insurance fraud cases"),
            "labor:fraud-cases",
            frozenset({roles.FUND_SUPERVISOR}),
            order=42,
        ),
    )

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("hrss.synth"):
            # Register this app's steps with ``hrss synth``.
            from hrss.labor import synth  # noqa: F401
        # The hall's labour steps register on import (hrss.core.servicetasks).
        from hrss.labor import servicetasks  # noqa: F401
        from hrss.labor.services import register, warning

        # The contribution ledger another app declares (``ledger_facts``), for the wage-arrears warning.
        warning.ledger.register()
        # The insurance app's recovery cases (``recovery_cases``), linked from fraud cases.
        register.recovery.register()
