from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import HomePanel, NavLink
from hrss.core.schedule import Job

STATISTICS = frozenset({roles.ANALYST, roles.FUND_SUPERVISOR, roles.ADMINISTRATOR})


class CardConfig(AppConfig):
    name = "hrss.card"
    label = "card"
    verbose_name = _("Social security card")
    # The de-identified extract the analytics lake collects (hrss.core.lake).
    lake_tables = "hrss.card.lake.TABLES"

    # Registries other apps fill from data declared here (collected in their ready()):
    # - the scheduled jobs (hrss.core.schedule, collected by CoreConfig.ready());
    scheduled_jobs = (
        Job(
            name="card.lapse_losses",
            cron="10 0 * * *",
            func="hrss.card.jobs.temporary_losses_lapse",
            description="temporary card loss reports whose period has run out lapse (临时挂失到期)",
        ),
        Job(
            name="card.produce",
            cron="0 1 * * *",
            func="hrss.card.jobs.production_batches_send",
            description="waiting card applications go to the card factory (制卡)",
        ),
    )
    # - how the counter's walk-in search finds a person by card number (collected by
    #   ServicehallConfig.ready(): the hall never imports the card app);
    card_lookup = "hrss.card.selectors.holder_by_card_number"
    # - a person's card payments, months paid and payments failed (collected by
    #   EmploymentConfig.ready() for the start-up loan's repayment assessment);
    payment_facts = "hrss.card.facts"
    # - how a self-service kiosk signs a holder in with the card in its reader or the
    #   electronic card's code (collected by IdentityConfig.ready(): identity never imports
    #   the card app; unlike ``card_lookup`` only a card in service signs anyone in);
    card_signin = "hrss.card.signin.holder_by_card"
    ecard_signin = "hrss.card.signin.holder_by_ecard_code"
    # - the holder's cards in the personal dossier (A4, collected by ArchiveConfig.ready());
    dossier = "hrss.card.dossier"
    processes_dir = "processes"  # its BPMN files, found by the service hall (ServicehallConfig.ready())
    # - what 社保卡申领 would refuse later that is known at submission (one card per person),
    #   checked by the hall when the application comes in (collected by ServicehallConfig.ready()).
    submission_checks = {"SH-KA-001": "hrss.card.servicetasks.hall_submission_check"}
    # - the card platform's agency scopes (collected by IdentityConfig.ready()).
    agency_scopes = {
        "card:verify": _("Check electronic card codes and card status"),
        "card:holder_name": _("See the card holder's name when checking a card"),
        "card:holder_id_number": _("See the card holder's full ID number when checking a card"),
        "card:use:record": _("Record uses of a card"),
        "card:loss:report": _("Take temporary card loss reports (partner banks)"),
    }

    # - the header menu and the holder's panel on the signed-in home (collected by
    #   CoreConfig.ready() into hrss.core.nav).
    nav_links = (
        NavLink("card.mine", _("My card"), "card:mine", frozenset({roles.CITIZEN}), order=32),
        NavLink("card.coverage", _("Card coverage"), "card:coverage", STATISTICS, order=60, group="statistics"),
        NavLink("card.preferences", _("Card uses"), "card:preferences", STATISTICS, order=61, group="statistics"),
    )
    home_panels = (
        HomePanel(
            "card.mine",
            _("My social security card"),
            "card/panels/mine.html",
            "hrss.card.pages.home_panel",
            frozenset({roles.CITIZEN}),
            order=30,
        ),
    )

    def ready(self) -> None:
        # Subscribers to other apps' domain events register on import, and so does the card
        # step of the service hall's items (``card.apply``, registry in hrss.core.servicetasks).
        from hrss.card import servicetasks, subscribers  # noqa: F401

        if apps.is_installed("hrss.synth"):
            # Register this app's steps (cards, card_uses) with ``hrss synth``.
            from hrss.card import synth  # noqa: F401
