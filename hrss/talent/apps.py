from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import ANYONE, HomePanel, NavLink

# Bureau staff who supervise public institutions' personnel (R3): the reviewers and approvers
# of the hall's items, and administrators.
TALENT_STAFF = frozenset({roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR})
# Who decides the talent green card's benefit applications (R1): the reviewers and approvers
# (and administrators) of the districts where the holders live.
GREEN_CARD_STAFF = frozenset({roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR})
# Who records and revokes professional titles (职称, R1): the bureau's approvers (the title
# office) and administrators.
TITLE_OFFICE = frozenset({roles.APPROVER, roles.ADMINISTRATOR})
# Who runs the talent programmes (人才计划, R1): programmes, the expert pool, the formal check
# of declarations, the experts' draw, aggregation, publication and appeals.
PROGRAMME_OFFICE = frozenset({roles.APPROVER, roles.ADMINISTRATOR})


class TalentConfig(AppConfig):
    """Public-institution personnel management online (R3): an institution's staffing quota
    (编制), post settings (岗位设置) and staff; open recruitment plans, post changes and wage
    approvals as BPMN workflows through the service hall, checked against the quota and
    computed from the dated salary tables of the codes app. And the first part of the talent
    service platform (R1): the talent green card (人才绿卡) applied for through the hall and
    its benefits applied for by the holder and decided by the bureau."""

    name = "hrss.talent"
    label = "talent"
    verbose_name = _("Public-institution personnel")

    # Its BPMN files (SH-RS-001 公开招聘计划备案, SH-RS-002 岗位变动, SH-RS-003 工资审批,
    # SH-RC-001 人才绿卡申领), found by the service hall (ServicehallConfig.ready()).
    processes_dir = "processes"
    # Title certificates and green cards verified by number for other departments and shown
    # to their holders (A6, R1, hrss.core.exchange).
    exchange = "hrss.talent.exchange"
    # One valid green card per person: a second application is refused at submission.
    submission_checks = {"SH-RC-001": "hrss.talent.servicetasks.green_card_submission_check"}

    # The header menu (collected by CoreConfig.ready() into hrss.core.nav).
    nav_links = (
        NavLink(
            "talent.institution",
            _("Our institution's personnel"),
            "talent:institution",
            frozenset({roles.EMPLOYER_AGENT}),
            order=36,
        ),
        NavLink("talent.supervision", _("Public-institution personnel"), "talent:supervision", TALENT_STAFF, order=43),
        NavLink(
            "talent.green_card", _("My talent green card"), "talent:green-card", frozenset({roles.CITIZEN}), order=37
        ),
        NavLink("talent.titles", _("Professional titles"), "talent:titles", TITLE_OFFICE, order=47),
        # Talent programmes and their expert review (人才计划, R1).
        NavLink("talent.programmes", _("Talent programmes"), "talent:programmes", frozenset({ANYONE}), order=38),
        NavLink(
            "talent.declarations",
            _("My programme declarations"),
            "talent:declarations",
            frozenset({roles.CITIZEN}),
            order=39,
        ),
        NavLink(
            "talent.programme_office", _("Programme office"), "talent:programme-office", PROGRAMME_OFFICE, order=48
        ),
        NavLink(
            "talent.green_card_benefits",
            _("Green card benefits"),
            "talent:green-card-benefits",
            GREEN_CARD_STAFF,
            order=44,
        ),
    )

    # The expert's review tasks on the signed-in home (hidden for citizens outside the pool).
    home_panels = (
        HomePanel(
            "talent.reviews",
            _("My expert reviews"),
            "talent/panels/reviews.html",
            "hrss.talent.pages.programmes.home_panel",
            frozenset({roles.CITIZEN}),
            order=38,
        ),
    )

    def ready(self) -> None:
        from django.apps import apps

        # The hall's steps (``talent.*``) and the rejection subscriber register on import.
        from hrss.talent import servicetasks, subscribers  # noqa: F401

        if apps.is_installed("hrss.synth"):
            # Register this app's step (talent) with ``hrss synth``.
            from hrss.talent import synth  # noqa: F401
