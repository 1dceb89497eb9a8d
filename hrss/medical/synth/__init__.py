"""The medical app's ``hrss synth`` step (``visits``): insured persons, designated institutions
and settled visits with planted anomalies; ``MedicalConfig.ready()`` imports it when
``hrss.synth`` is installed."""

from hrss.medical.synth import visits  # noqa: F401  (registers the step)
