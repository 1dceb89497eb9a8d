from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import NavLink

# Bureau staff who supervise public institutions' personnel (R3): the reviewers and approvers
# of the hall's items, and administrators.
TALENT_STAFF = frozenset({roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR})
# Who decides the talent green card's benefit applications (R1): the reviewers and approvers
# (and administrators) of the districts where the holders live.
GREEN_CARD_STAFF = frozenset({roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR})


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
        NavLink(
            "talent.green_card_benefits",
            _("Green card benefits"),
            "talent:green-card-benefits",
            GREEN_CARD_STAFF,
            order=44,
        ),
    )

    def ready(self) -> None:
        from django.apps import apps

        # The hall's steps (``talent.*``) and the rejection subscriber register on import.
        from hrss.talent import servicetasks, subscribers  # noqa: F401

        if apps.is_installed("hrss.synth"):
            # Register this app's step (talent) with ``hrss synth``.
            from hrss.talent import synth  # noqa: F401
