from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import ANYONE, NavLink
from hrss.core.schedule import Job

CREDIT_STAFF = frozenset({roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.INSPECTOR, roles.ADMINISTRATOR})


class CreditConfig(AppConfig):
    """The credit system (人社信用体系, A7): credit events collected from the apps that own the
    records, ratings A–D by a scoring model that is data, explained by their events,
    objections reviewed in the hall, published red and black lists, and the class the hall's
    gateways read."""

    name = "hrss.credit"
    label = "credit"
    verbose_name = _("Credit")

    # Its BPMN file (信用信息异议申请 SH-XY-001/002), found by the service hall.
    processes_dir = "processes"
    # The class the hall's gateways read (an extra review tier for C and D).
    credit_provider = "hrss.credit.selectors.hall_credit_class"
    # A subject's credit records in the person's or employer's dossier (A4, collected by
    # ArchiveConfig.ready()).
    dossier = "hrss.credit.dossier"
    # An objection typed into the hall must name one raised from the credit page.
    submission_checks = {
        "SH-XY-001": "hrss.credit.servicetasks.hall_submission_check",
        "SH-XY-002": "hrss.credit.servicetasks.hall_submission_check",
    }
    scheduled_jobs = (
        Job(
            name="credit.collect",
            cron="0 3 * * *",
            func="hrss.credit.jobs.collect_and_rate",
            description="信用: record the credit facts every app reports and re-rate (events expire)",
        ),
    )
    nav_links = (
        NavLink("credit.lists", _("Credit lists"), "credit:lists", frozenset({ANYONE}), order=74),
        NavLink(
            "credit.mine", _("My credit"), "credit:mine", frozenset({roles.CITIZEN, roles.EMPLOYER_AGENT}), order=36
        ),
        NavLink("credit.lookup", _("Credit records"), "credit:lookup", CREDIT_STAFF, order=43),
    )

    def ready(self) -> None:
        # The hall's objection step (``credit.objection_uphold``) and the subscriber register on import.
        from hrss.credit import servicetasks, subscribers  # noqa: F401
