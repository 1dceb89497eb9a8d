"""Generator steps of ``hrss synth``; every module here is imported and registers its steps.

A new domain adds its own module (see the step interface in ``hrss.synth.steps``).
"""
