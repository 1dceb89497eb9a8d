import io
import json

import pytest
from django.core.management import CommandError, call_command

from hrss.registry.models import Employer, Person

pytestmark = pytest.mark.django_db


def _synth(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("synth", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_synth_loads_a_city_and_reports_it(tmp_path):
    report = tmp_path / "run.json"
    out = _synth(
        "--persons",
        "300",
        "--employers",
        "20",
        "--months",
        "12",
        "--steps",
        "employments",
        "--no-progress",
        "--report",
        str(report),
    )
    assert Person.objects.count() == 300 and Employer.objects.count() == 20
    assert "registry_person" in out
    figures = json.loads(report.read_text())
    assert figures["params"]["persons"] == 300 and [s["name"] for s in figures["steps"]][-1] == "employments"
    with pytest.raises(CommandError, match="already holds persons"):
        _synth("--persons", "10", "--no-progress")


def test_demo_city_only_when_the_registry_is_empty(monkeypatch):
    from hrss.synth.management.commands import synth

    monkeypatch.setitem(synth.DEMO, "persons", 120)
    monkeypatch.setitem(synth.DEMO, "employers", 12)
    _synth("--demo", "--no-progress")
    assert Person.objects.count() == 120
    assert "no demo city" in _synth("--demo", "--no-progress")
    assert Person.objects.count() == 120


def test_list_steps_and_bad_arguments():
    assert "employments" in _synth("--list-steps")
    with pytest.raises(CommandError, match="unknown synth step"):
        _synth("--steps", "nonsense", "--no-progress")
    with pytest.raises(CommandError, match="future"):
        _synth("--as-of", "2999-01-01")
