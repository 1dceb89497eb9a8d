from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "hrss.synth"
    label = "synth"
    verbose_name = "Synthetic city"

    def ready(self) -> None:
        # The shared kernel's steps (hrss/synth/generators/) register here, at start-up, like
        # the domain apps' steps (their own ready()), never on the registry's first read.
        from hrss.synth.steps import steps_discover

        steps_discover()
