from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import NavLink
from hrss.core.schedule import Job


class MedicalConfig(AppConfig):
    """Basic medical insurance (S4, first slice): dated reference data (catalogue, designated
    institutions and their contracts, person categories, policy figures), the settlement rule,
    the policy layer, the institutions' claims API and the citizen's 就医一卡通 page."""

    name = "hrss.medical"
    label = "medical"
    verbose_name = _("Medical insurance")

    # Its BPMN files (异地就医备案 SH-YB-001), found by the service hall (ServicehallConfig.ready()).
    processes_dir = "processes"
    # The person's insurance, filings and settlements in the personal dossier (A4, collected by
    # ArchiveConfig.ready()).
    dossier = "hrss.medical.dossier"
    # Its settlements, de-identified, for the analytics lake (collected by AnalyticsConfig.ready()).
    lake_tables = "hrss.medical.lake.TABLES"

    # The designated institutions' settlement API (collected by IdentityConfig.ready()).
    agency_scopes = {
        "medical:settle": _("Settle medical visits of insured persons (designated institutions)"),
        "medical:records": _(
            "Read an insured person's medical visits with their consent code (designated institutions)"
        ),
    }

    # The header menu (collected by CoreConfig.ready() into hrss.core.nav).
    nav_links = (
        NavLink("medical.mine", _("My medical visits"), "medical:mine", frozenset({roles.CITIZEN}), order=36),
        NavLink(
            "medical.monitoring",
            _("Medical fund monitoring"),
            "medical:monitoring",
            frozenset({roles.FUND_SUPERVISOR, roles.REVIEWER, roles.ADMINISTRATOR}),
            order=46,
        ),
        NavLink(
            "medical.reconciliations",
            _("Medical settlement reconciliation"),
            "medical:reconciliations",
            frozenset({roles.FUND_SUPERVISOR, roles.REVIEWER, roles.ADMINISTRATOR}),
            order=47,
        ),
        NavLink(
            "medical.finance",
            _("Medical fund payments to institutions"),
            "medical:finance",
            frozenset({roles.FUND_SUPERVISOR, roles.ADMINISTRATOR}),
            order=48,
        ),
        NavLink(
            "medical.diseases",
            _("Chronic and special disease recognitions"),
            "medical:diseases",
            frozenset({roles.COUNTER_CLERK, roles.REVIEWER, roles.ADMINISTRATOR}),
            order=49,
        ),
    )

    # The smart monitoring's nightly run (S6), the nightly derivation of the insured and the
    # monthly crediting of personal accounts (S4); collected by CoreConfig.ready() into hrss.core.schedule.
    scheduled_jobs = (
        Job(
            name="medical.monitor",
            cron="0 3 * * *",
            func="hrss.medical.jobs.monitoring_run",
            description="智能监控: screen the medical claims with the rules and the isolation forest, raise cases",
        ),
        Job(
            name="medical.insured_sync",
            cron="30 2 * * *",
            func="hrss.medical.jobs.insured_sync",
            description="参保信息同步: insure employees and retirees as the insurance ledger knows them",
        ),
        Job(
            name="medical.accounts_credit",
            cron="0 4 2 * *",
            func="hrss.medical.jobs.accounts_credit",
            description="个人账户划入: credit the personal accounts from paid contributions and the retirees' amounts",
        ),
    )

    def ready(self) -> None:
        # The hall's filing step (``medical.filing_record``) registers on import.
        from hrss.medical import servicetasks  # noqa: F401
        from hrss.medical.services.crosschecks import ledger
        from hrss.medical.services.monitoring import recovery

        # The insurance app's recovery cases, which a confirmed monitoring case opens.
        recovery.register()
        # Its ledger facts (the months a pension was paid, for the cross-insurance screens, S7;
        # the employees' own contributions paid, for the personal accounts, S4).
        ledger.register()
        if apps.is_installed("hrss.synth"):
            # Register this app's step (``visits``) with ``hrss synth``.
            from hrss.medical import synth  # noqa: F401
