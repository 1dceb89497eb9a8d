from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import NavLink

# Bureau staff who supervise public institutions' personnel (R3): the reviewers and approvers
# of the hall's items, and administrators.
TALENT_STAFF = frozenset({roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR})


class TalentConfig(AppConfig):
    """Public-institution personnel management online (R3): an institution's staffing quota
    (编制), post settings (岗位设置) and staff; open recruitment plans, post changes and wage
    approvals as BPMN workflows through the service hall, checked against the quota and
    computed from the dated salary tables of the codes app."""

    name = "hrss.talent"
    label = "talent"
    verbose_name = _("Public-institution personnel")

    # Its BPMN files (SH-RS-001 公开招聘计划备案, SH-RS-002 岗位变动, SH-RS-003 工资审批),
    # found by the service hall (ServicehallConfig.ready()).
    processes_dir = "processes"

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
    )

    def ready(self) -> None:
        from django.apps import apps

        # The hall's steps (``talent.*``) and the rejection subscriber register on import.
        from hrss.talent import servicetasks, subscribers  # noqa: F401

        if apps.is_installed("hrss.synth"):
            # Register this app's step (talent) with ``hrss synth``.
            from hrss.talent import synth  # noqa: F401
