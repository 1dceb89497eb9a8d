from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "hrss.synth"
    label = "synth"
    verbose_name = "Synthetic city"
