"""The 12333 voice menu: data validated, exported as an Asterisk dialplan that Asterisk's
own configuration checker (asterisklint) parses without a warning, every article a menu
reads aloud answerable, and the export command and staff download."""

from __future__ import annotations

import copy
import json

import pytest
from asterisklint import FileDialplanParser
from asterisklint.defines import MessageDefManager
from django.core.management import CommandError, call_command
from django.test import Client

from hrss.core import scope as roles
from hrss.core.errors import InvalidInput
from hrss.hotline import ivr, selectors, services
from hrss.testing import make_user, sign_in

pytestmark = pytest.mark.django_db(transaction=False)


def lint(tmp_path, text: str) -> list[str]:
    """What asterisklint reports for ``text`` as an extensions.conf (its own dialplan-check)."""
    MessageDefManager.raised.clear()
    path = tmp_path / "extensions.conf"
    path.write_text(text, encoding="utf-8")
    parser = FileDialplanParser()
    parser.include(str(path))
    dialplan = next(iter(parser))
    dialplan.walk_jump_destinations()
    found = [
        f"{name}: {message.where if hasattr(message, 'where') else ''}"
        for name, messages in MessageDefManager.raised.items()
        for message in messages
        if not getattr(message, "muted", False)
    ]
    MessageDefManager.raised.clear()
    return found


def raw() -> dict:
    return json.loads(ivr.DATA.read_text(encoding="utf-8"))


def test_the_shipped_tree_exports_and_asterisk_parses_it(tmp_path):
    tree = ivr.menu_tree()
    text = ivr.asterisk_dialplan(tree)
    assert lint(tmp_path, text) == []
    for menu in tree.menus():
        assert f"[{menu.context}]" in text
        assert f"Background(hrss/ivr-{menu.key})" in text
    assert "exten => 12333,1,Goto(hrss-ivr,s,1)" in text
    assert "AGI(hrss-ivr.agi,query,contribution_months)" in text
    assert "Queue(hrss-labour,t,,,600)" in text
    # every sound file the dialplan plays has a prompt text for text-to-speech
    played = set(__import__("re").findall(r"(?:Background|Playback)\((hrss/ivr-[a-z-]+)\)", text))
    assert played == set(ivr.prompts(tree))


def test_the_checker_would_catch_a_broken_export(tmp_path):
    broken = ivr.asterisk_dialplan(ivr.menu_tree()).replace("Goto(hrss-ivr-card,s,1)", "Goto(hrss-ivr-nowhere,s,1)")
    assert any("E_DP_GOTO_NOCONTEXT" in m for m in lint(tmp_path, broken))


def test_the_menus_go_back_and_retry_then_reach_an_agent():
    text = ivr.asterisk_dialplan(ivr.menu_tree())
    insurance = text.split("[hrss-ivr-insurance]")[1].split("\n[")[0]
    assert "exten => *,1,Goto(hrss-ivr-main,s,1)" in insurance
    assert "GotoIf($[${HRSS_TRIES} > ${HRSS_IVR_RETRIES}]?hrss-ivr-queue,general,1)" in insurance
    main = text.split("[hrss-ivr-main]")[1].split("\n[")[0]
    assert "exten => *," not in main  # nowhere to go back to


def test_every_article_the_menu_reads_is_published_after_generation(db):
    services.generate()
    for code in ivr.menu_tree().articles():
        assert selectors.article_public(code=code).code == code


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["menu"]["options"][0]["options"][1].update(digit="1"), "digit 1 is used twice"),
        (lambda d: d["menu"]["options"][1].update(key="insurance"), "key insurance is used twice"),
        (lambda d: d["menu"]["options"][4].update(query="balance"), "unknown query"),
        (lambda d: d["menu"]["options"][4].update(agent="general"), "exactly one of"),
        (lambda d: d["menu"]["options"][5].update(digit="#"), "not 0-9"),
        (lambda d: d["menu"]["options"][0].update(prompt=""), "needs a prompt"),
        (lambda d: d.update(timeout_seconds=99), "timeout_seconds"),
    ],
)
def test_a_broken_tree_is_refused_with_the_reason(change, message):
    data = copy.deepcopy(raw())
    change(data)
    with pytest.raises(InvalidInput) as refused:
        ivr.tree_parse(data)
    assert message in refused.value.fields["ivr"]


def test_the_command_writes_each_format(tmp_path, capsys):
    out = tmp_path / "extensions.conf"
    call_command("hotline", "ivr-export", "--output", str(out))
    assert out.read_text(encoding="utf-8") == ivr.asterisk_dialplan(ivr.menu_tree())
    assert "written" in capsys.readouterr().out
    call_command("hotline", "ivr-export", "--format", "prompts")
    prompts = json.loads(capsys.readouterr().out)
    assert prompts["hrss/ivr-main"].startswith("您好，欢迎致电12333")
    call_command("hotline", "ivr-export", "--format", "tree")
    assert json.loads(capsys.readouterr().out)["menu"]["options"][0]["label"] == "社会保险"
    with pytest.raises(CommandError):
        call_command("hotline", "ivr-export", "--format", "vxml")


def test_staff_download_the_export_and_others_may_not(db):
    admin = sign_in(Client(), make_user("ivr_admin", roles.ADMINISTRATOR, city_wide=True))
    response = admin.get("/api/v1/hotline/ivr/export?format=asterisk")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "extensions.conf" in response["Content-Disposition"]
    assert "[hrss-ivr-main]" in response.content.decode()
    prompts = admin.get("/api/v1/hotline/ivr/export?format=prompts")
    assert prompts.json()["hrss/ivr-invalid"]
    assert admin.get("/api/v1/hotline/ivr/export?format=vxml").status_code == 422
    citizen = sign_in(Client(), make_user("ivr_citizen", roles.CITIZEN))
    assert citizen.get("/api/v1/hotline/ivr/export").status_code == 403
    assert Client().get("/api/v1/hotline/ivr/export").status_code == 401
