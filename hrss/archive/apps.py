from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core import scope as roles
from hrss.core.nav import ANYONE, NavLink

ARCHIVE_STAFF = frozenset({roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.INSPECTOR, roles.ADMINISTRATOR})


class ArchiveConfig(AppConfig):
    """The personal dossier (电子档案袋, A4) assembled from the apps that own each record, and
    the certificates from data (B2): signed PDFs with a QR code to the public verification."""

    name = "hrss.archive"
    label = "archive"
    verbose_name = _("Archive")

    # Its digitised paper records in the dossier it assembles (hrss.core.dossier).
    dossier = "hrss.archive.dossier"
    # Verifying its certificates by number for other departments (A6, hrss.exchange).
    exchange = "hrss.archive.exchange"

    nav_links = (
        NavLink(
            "archive.dossier",
            _("My dossier"),
            "archive:dossier",
            frozenset({roles.CITIZEN, roles.EMPLOYER_AGENT}),
            order=34,
        ),
        NavLink(
            "archive.certificates",
            pgettext_lazy("archive", "My certificates"),
            "archive:certificates",
            frozenset({roles.CITIZEN}),
            order=35,
        ),
        NavLink("archive.lookup", _("Dossiers"), "archive:lookup", ARCHIVE_STAFF, order=42),
        NavLink(
            "archive.scan_add",
            _("Digitise paper records"),
            "archive:scan_add",
            frozenset({roles.COUNTER_CLERK, roles.ADMINISTRATOR}),
            order=44,
        ),
        NavLink(
            "archive.verify",
            pgettext_lazy("archive", "Verify a certificate"),
            "archive:verify_form",
            frozenset({ANYONE}),
            order=75,
        ),
    )

    def ready(self) -> None:
        from hrss.archive import providers

        providers.register()
