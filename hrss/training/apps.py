from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import ANYONE, NavLink

TRAINING_STAFF = frozenset(
    {roles.REVIEWER, roles.APPROVER, roles.INSPECTOR, roles.FUND_SUPERVISOR, roles.ADMINISTRATOR}
)


class TrainingConfig(AppConfig):
    """Vocational training and skill appraisal (T1, T2): published reference data, courses
    with real-name enrolment and signed-in attendance, appraisal sessions, signed
    certificates with public verification, and training subsidies paid once."""

    name = "hrss.training"
    label = "training"
    verbose_name = _("Vocational training")

    # Its BPMN files (职业培训补贴申领 SH-PX-001), found by the service hall (ServicehallConfig.ready()).
    processes_dir = "processes"

    # Its records in the personal dossier (A4) and the certificate copies it certifies (B2),
    # collected by ArchiveConfig.ready() without the archive importing this app.
    dossier = "hrss.training.dossier"
    # Skill certificates verified by number for other departments (A6, hrss.core.exchange).
    exchange = "hrss.training.exchange"

    # The header menu (collected by CoreConfig.ready() into hrss.core.nav).
    nav_links = (
        NavLink("training.catalogue", _("Vocational training"), "training:catalogue", frozenset({ANYONE}), order=72),
        NavLink("training.verify", _("Verify a certificate"), "training:verify", frozenset({ANYONE}), order=73),
        NavLink("training.mine", _("My training"), "training:mine", frozenset({roles.CITIZEN}), order=35),
        NavLink(
            "training.institution",
            _("Our courses and sessions"),
            "training:institution",
            frozenset({roles.EMPLOYER_AGENT}),
            order=35,
        ),
        NavLink("training.supervision", _("Training supervision"), "training:supervision", TRAINING_STAFF, order=42),
    )

    # Courses recommended to a person, for other apps' pages (the employment app's jobs page
    # shows them to a job seeker without importing this app).
    course_recommendations = "hrss.training.recommendation_facts"

    def ready(self) -> None:
        from django.apps import apps

        # The hall's subsidy step (``training.subsidy_decide``) registers on import.
        from hrss.training import selectors, servicetasks, subscribers  # noqa: F401

        if apps.is_installed("hrss.synth"):
            # Register this app's steps (training, training_enrolments) with ``hrss synth``.
            from hrss.training import synth  # noqa: F401

        # A job seeker's intentions another app declares (``seeker_facts``), for recommendations.
        selectors.seekers.register()
