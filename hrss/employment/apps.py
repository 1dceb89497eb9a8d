from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hrss.core import scope as roles
from hrss.core.nav import NavLink


class EmploymentConfig(AppConfig):
    """Employment services (E1, E4): unemployment registration, job-seeker profiles,
    employers' vacancies and the matching that ranks vacancies for a seeker."""

    name = "hrss.employment"
    label = "employment"
    verbose_name = _("Employment services")

    # Its BPMN files (失业登记 SH-JY-001), found by the service hall (ServicehallConfig.ready()).
    processes_dir = "processes"

    # The header menu (collected by CoreConfig.ready() into hrss.core.nav).
    nav_links = (
        NavLink("employment.mine", _("Jobs"), "employment:mine", frozenset({roles.CITIZEN}), order=34),
        NavLink(
            "employment.vacancies",
            _("Our vacancies"),
            "employment:vacancies",
            frozenset({roles.EMPLOYER_AGENT}),
            order=34,
        ),
    )

    def ready(self) -> None:
        # The 失业登记 step of the hall (``employment.unemployment_register``) registers on import.
        from hrss.employment import servicetasks  # noqa: F401
