"""Every registry is complete in a fresh process that only ran ``django.setup()``.

The web server, the task worker and the scheduler are separate processes: a registration
that happens on first use (as the hall's message templates once did) exists in one and
not in the others. The expected names are read from the shipped files themselves (the
BPMN processes, the code that sends messages, the ``@subscribe`` and ``@register`` sites),
not copied from the registries.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.utils import translation

import hrss

HRSS = Path(hrss.__file__).resolve().parent

DUMP = r"""
import json, django
django.setup()
from hrss.core import events, nav, rekey, schedule, servicetasks
from hrss.identity import scopes
from hrss.notify import templates
from hrss.servicehall import extension_points as providers
from hrss.synth import steps

def name(fn):
    return f"{fn.__module__}.{fn.__qualname__}"

print(json.dumps({
    "templates": sorted(templates.TEMPLATES),
    "handlers": {n: not servicetasks.is_recording_default(n) for n in sorted(servicetasks.handler_names())},
    "card_lookup": [name(fn) for fn in providers._card_lookup],
    "credit_providers": [name(fn) for fn in providers._credit_providers],
    "submission_checks": {code: [name(fn) for fn in fns] for code, fns in providers._submission_checks.items()},
    "synth_steps": sorted(cls.__name__ for cls in steps.registered_steps().values()),
    "rekeyers": sorted(rekey.rekeyers()),
    "subscribers": sorted(fn.__name__ for handlers in events._subscribers.values() for fn in handlers),
    "agency_scopes": sorted(scopes.AGENCY_SCOPES),
    "jobs": {job.name: job.cron for job in schedule.jobs()},
    "nav_links": [link.name for link in nav.links()],
    "home_panels": [panel.name for panel in nav.panels()],
}))
"""


def _sources() -> list[tuple[Path, str]]:
    return [
        (path, path.read_text(encoding="utf-8"))
        for path in sorted(HRSS.rglob("*.py"))
        if "tests" not in path.relative_to(HRSS).parts and "migrations" not in path.relative_to(HRSS).parts
    ]


def _found(pattern: str, flags: int = 0) -> set[str]:
    return {match for _path, text in _sources() for match in re.findall(pattern, text, flags)}


@pytest.fixture(scope="module")
def fresh() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hrss.settings"}
    done = subprocess.run([sys.executable, "-c", DUMP], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_template_the_code_sends_is_registered_at_setup(fresh):
    sent = _found(r'template(?:: str)? ?= ?"(\w+)"') | _found(r'^[A-Z_]*TEMPLATE = "(\w+)"', re.M)
    assert {"servicehall_step", "servicehall_escalated", "insurance_enrolment_reminder", "otp_code"} <= sent
    assert sent <= set(fresh["templates"]), sent - set(fresh["templates"])


def test_every_service_task_of_a_shipped_process_has_a_handler_at_setup(fresh):
    names = {
        match
        for path in HRSS.rglob("*.bpmn")
        if "tests" not in path.parts
        for match in re.findall(r'serviceTaskOperator id="([\w.]+)"', path.read_text(encoding="utf-8"))
    }
    assert "card.apply" in names and "insurance.pension_award" in names
    assert names <= set(fresh["handlers"]), names - set(fresh["handlers"])
    # The domains that exist do the work themselves: no recording default stands in for them.
    built = {
        name for name in names if name.split(".")[0] in {"insurance", "card"} and name != "insurance.employer_register"
    }
    assert all(fresh["handlers"][name] for name in built), {n for n in built if not fresh["handlers"][n]}


def test_every_subscriber_synth_step_rekeyer_and_provider_is_registered_at_setup(fresh):
    subscribers = _found(r"^@subscribe\(\w+\)\s+def (\w+)", re.M)
    assert len(subscribers) >= 5
    assert subscribers <= set(fresh["subscribers"]), subscribers - set(fresh["subscribers"])
    steps = _found(r"^@register\s+class (\w+)\(Step\)", re.M)
    assert {"PersonsStep", "EmployersStep", "CardsStep"} <= steps
    assert steps <= set(fresh["synth_steps"]), steps - set(fresh["synth_steps"])
    assert fresh["rekeyers"], "the hall's sealed form answers have a rekeyer"
    assert fresh["card_lookup"] == ["hrss.card.selectors.holder_by_card_number"]
    assert fresh["credit_providers"] == ["hrss.credit.selectors.hall_credit_class"]
    assert fresh["submission_checks"] == {
        "SH-KA-001": ["hrss.card.servicetasks.hall_submission_check"],
        "SH-RC-001": ["hrss.talent.servicetasks.green_card_submission_check"],
        "SH-XY-001": ["hrss.credit.servicetasks.hall_submission_check"],
        "SH-XY-002": ["hrss.credit.servicetasks.hall_submission_check"],
    }


def test_every_agency_scope_the_code_checks_is_known_at_setup(fresh):
    checked = _found(r'^[A-Z_]*GRANT[A-Z_]* = "([a-z_:]+)"', re.M)
    assert {"card:verify", "servicehall:feed", "registry:read"} <= checked
    assert checked <= set(fresh["agency_scopes"]), checked - set(fresh["agency_scopes"])


def test_the_daily_and_monthly_jobs_are_registered_at_setup(fresh):
    assert fresh["jobs"] == {
        "analytics.early_warning": "0 4 10 * *",
        "analytics.lake_export": "30 3 * * *",
        "card.lapse_losses": "10 0 * * *",
        "card.produce": "0 1 * * *",
        "core.audit_seal": "* * * * *",
        "credit.collect": "0 3 * * *",
        "employment.policies": "0 3 2 * *",
        "employment.special_groups_review": "0 4 1 * *",
        "employment.vacancies_expire": "15 0 * * *",
        "employment.index_rebuild": "30 2 * * *",
        "insurance.crosscheck": "30 1 * * *",
        "insurance.remind": "0 9 1 * *",
        "labor.deadlines": "30 0 * * *",
        "labor.orders_overdue": "45 0 * * *",
        "medical.accounts_credit": "0 4 2 * *",
        "medical.insured_sync": "30 2 * * *",
        "medical.monitor": "0 3 * * *",
        "servicehall.escalate": "0 6 * * *",
    }


# ------------------------------------------------------------------ the start-up checks


def test_every_menu_link_and_home_panel_is_registered_at_setup(fresh):
    links = _found(r'NavLink\(\s*"([\w.-]+)"')
    panels = _found(r'HomePanel\(\s*"([\w.-]+)"')
    assert {"servicehall.applications", "insurance.employer", "card.coverage", "portal.my-home"} <= links
    assert links == set(fresh["nav_links"]), links ^ set(fresh["nav_links"])
    assert panels == set(fresh["home_panels"]), panels ^ set(fresh["home_panels"])


def test_the_checks_pass_on_what_ships():
    errors = [m for m in checks.run_checks(tags=["hrss"]) if m.level >= checks.ERROR]
    assert errors == []


def test_a_template_an_app_sends_but_nobody_registered_fails_the_check():
    from hrss.notify import checks as notify_checks
    from hrss.notify.templates import TEMPLATES

    text = TEMPLATES.pop("servicehall_step")
    try:
        problems = notify_checks.templates_check()
    finally:
        TEMPLATES["servicehall_step"] = text
    assert [p.id for p in problems] == ["hrss.N001"] and "servicehall_step" in problems[0].msg


def test_a_translation_that_loses_a_field_fails_the_check():
    from hrss.notify import checks as notify_checks
    from hrss.notify.templates import TEMPLATES, template_register

    class Translated:
        """A text whose zh-hans translation renamed ``{code}`` (as a bad .po entry would)."""

        def __str__(self) -> str:
            return "验证码 {cod}" if translation.get_language() == "zh-hans" else "Code {code}"

    template_register("broken_translation", Translated())
    try:
        problems = notify_checks.templates_check()
    finally:
        TEMPLATES.pop("broken_translation")
    assert [p.id for p in problems] == ["hrss.N002"] and "zh-hans" in problems[0].msg


def test_a_service_task_nobody_registered_and_a_catalogue_item_without_process_fail_the_check(tmp_path):
    from hrss.servicehall.checks import process_problems

    shipped = (HRSS / "insurance/processes/contribution_certificate.bpmn").read_text(encoding="utf-8")
    bad = tmp_path / "contribution_certificate.bpmn"
    bad.write_text(shipped.replace('id="insurance.contribution_certificate"', 'id="insurance.nobody"'))
    problems = process_problems([bad], [{"code": "SH-XX-001", "process_key": "no_such_process"}])
    assert [p.id for p in problems] == ["hrss.S001", "hrss.S002"]
    assert "insurance.nobody" in problems[0].msg and "no_such_process" in problems[1].msg


def test_hrss_check_fails_start_up_in_a_process_that_misses_a_handler():
    """The real start-up path: ``manage.py check`` in a fresh process whose app lost a handler."""
    code = (
        "import django, sys; django.setup()\n"
        "from hrss.core import servicetasks\n"
        "servicetasks._handlers.pop('card.apply')\n"
        "from django.core.management import call_command\n"
        "call_command('check')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hrss.settings"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "hrss.S001" in done.stderr and "card.apply" in done.stderr
