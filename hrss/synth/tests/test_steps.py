import datetime as dt

import pytest

from hrss.synth import steps
from hrss.synth.steps import Step, SynthError, SynthParams, register, step_order


def test_first_steps_run_in_dependency_order():
    order = [step.name for step in step_order()]
    assert order.index("persons") < order.index("employments")
    assert order.index("employers") < order.index("employments")


def test_selecting_a_step_pulls_in_what_it_requires():
    assert {step.name for step in step_order(["employments"])} >= {"persons", "employers", "employments"}
    assert [step.name for step in step_order(["employers"])] == ["employers"]


def test_unknown_steps_and_cycles_are_refused(monkeypatch):
    with pytest.raises(SynthError, match="unknown synth step"):
        step_order(["no-such-step"])

    monkeypatch.setattr(steps, "_STEPS", dict(steps.registered_steps()))

    @register
    class Chicken(Step):
        name, label, requires = "chicken", "Chicken", ("egg",)

        def total(self, ctx):
            return 0

        def run(self, ctx, advance):
            return {}

    @register
    class Egg(Chicken):
        name, label, requires = "egg", "Egg", ("chicken",)

    with pytest.raises(SynthError, match="cycle"):
        step_order(["egg"])


def test_params_are_checked_and_the_window_is_whole_months():
    params = SynthParams(persons=10, employers=1, months=24, seed=1, as_of=dt.date(2026, 6, 30))
    assert params.window_start == dt.date(2024, 7, 1)
    assert SynthParams(persons=1, employers=1, months=1, seed=1, as_of=dt.date(2026, 1, 15)).window_start == dt.date(
        2026, 1, 1
    )
    with pytest.raises(SynthError):
        SynthParams(persons=10, employers=0, months=12, seed=1, as_of=dt.date(2026, 6, 30))
    with pytest.raises(SynthError):
        SynthParams(persons=10, employers=1, months=0, seed=1, as_of=dt.date(2026, 6, 30))
