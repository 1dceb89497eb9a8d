from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import ANYONE, NavLink

EXAM_OFFICE = frozenset({roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR})


class ExamsConfig(AppConfig):
    """Personnel examinations (R4): the encrypted question bank, papers drawn from a
    blueprint with a recorded seed, registration checked against the registry and
    certificates with the fee paid online, seats and admission tickets, scoring with blind
    double marking, results with ranks per post, and re-checks."""

    name = "hrss.exams"
    label = "exams"
    verbose_name = _("Personnel examinations")
    # Published scores verified by admission ticket number for other departments and shown
    # to the candidates among their certificates (R1, A6, hrss.core.exchange).
    exchange = "hrss.exams.exchange"

    nav_links = (
        NavLink("exams.catalogue", _("Personnel examinations"), "exams:catalogue", frozenset({ANYONE}), order=74),
        NavLink("exams.mine", _("My examinations"), "exams:mine", frozenset({roles.CITIZEN}), order=36),
        NavLink("exams.office", _("Examination office"), "exams:office", EXAM_OFFICE, order=45),
        NavLink(
            "exams.marking",
            _("Marking"),
            "exams:marking",
            frozenset({roles.REVIEWER, roles.APPROVER}),
            order=46,
        ),
    )

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("hrss.synth"):
            # Register this app's step (exams) with ``hrss synth``.
            from hrss.exams import synth  # noqa: F401
