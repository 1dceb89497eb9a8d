from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hrss.core"
    label = "core"
    verbose_name = "core"
