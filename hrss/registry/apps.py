from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "hrss.registry"
    label = "registry"
    verbose_name = _("Basic information registry")
    # Persons, employers and employment spells, de-identified, for the analytics lake (hrss.core.lake).
    lake_tables = "hrss.registry.lake.TABLES"
