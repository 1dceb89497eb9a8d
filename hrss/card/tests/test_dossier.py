"""The card app's part of the dossier (A4): the holder's cards, the newest first, numbers
masked but for the last four characters, with their dates, status and latest step, in a
constant number of queries however many cards the person has had."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from hrss.card import dossier, services
from hrss.card.tests.builders import ACCOUNT, OFFICE, PIN, active_card, holder_scope, produce
from hrss.testing import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def replaced(tmp_path, card, *, activate=False):
    """The card reported lost at an outlet and replaced: the new card is issued, the old cancelled."""
    services.card_report_loss(scope=OFFICE, card_id=card.pk)
    new = services.card_apply(person=card.person, channel="counter", scope=OFFICE, kind="replacement")
    produce(tmp_path)
    new.refresh_from_db()
    new = services.card_issue(scope=OFFICE, number=new.number, district="120101")
    if activate:
        new = services.card_activate(
            scope=holder_scope(card.person), card_id=new.pk, bank_code="icbc", bank_account=ACCOUNT, pin=PIN
        )
    return new


def sections(person, limit=20):
    return dossier.person_sections(person.pk, on=timezone.localdate(), limit=limit)


def test_masked_keeps_only_the_last_four_characters():
    assert dossier.masked("A1B2C3D4E") == "*****3D4E"
    assert dossier.masked(None) == "" and dossier.masked("") == ""


def test_the_holder_sees_their_cards_newest_first_masked_with_dates_and_status(tmp_path):
    person = make_person(name="持卡人")
    first = active_card(tmp_path, person)
    second = replaced(tmp_path, first)
    first.refresh_from_db()

    (section,) = sections(person)
    assert (section.key, section.title, section.total) == ("card.cards", "社会保障卡", 2)
    new, old = section.entries
    assert new.title == f"社保卡 *****{second.number[-4:]}（挂失补领）"
    assert old.title == f"社保卡 *****{first.number[-4:]}（首次申领）"
    assert second.number not in repr(section) and first.number not in repr(section)
    assert new.status == "已发放，未启用" and old.status == "已注销"
    today = timezone.localdate().isoformat()
    assert old.detail == f"{today} 申领；{today} 发放；{today} 启用；{today} 注销"
    assert new.detail == f"{today} 申领；{today} 发放"
    assert new.on == timezone.localdate() and new.link == "/card/" and new.reference == f"*****{second.number[-4:]}"


def test_the_latest_step_is_said_when_the_dates_do_not_say_it(tmp_path):
    person = make_person(name="挂失人")
    card = active_card(tmp_path, person)
    services.card_report_temporary_loss(scope=holder_scope(person), card_id=card.pk)
    (section,) = sections(person)
    (entry,) = section.entries
    assert entry.status == "临时挂失"
    assert entry.detail.endswith(f"最近办理：{timezone.localdate().isoformat()} 临时挂失")


def test_an_application_not_yet_made_has_no_number_and_a_person_without_cards_no_section(tmp_path):
    person = make_person(name="申领人")
    services.card_apply(person=person, channel="counter", scope=OFFICE)
    (section,) = sections(person)
    (entry,) = section.entries
    assert entry.title == "社保卡（首次申领）" and entry.status == "已申领" and entry.reference == ""
    assert sections(make_person(name="无卡")) == []


def test_the_limit_and_the_queries_stay_small_however_many_cards(tmp_path, django_assert_max_num_queries):
    person = make_person(name="多卡人")
    card = active_card(tmp_path, person)
    numbers = [card.number]
    for _ in range(3):
        card = replaced(tmp_path, card, activate=True)
        numbers.append(card.number)
    with django_assert_max_num_queries(2):
        (section,) = sections(person, limit=2)
    assert section.total == 4
    assert [entry.reference for entry in section.entries] == [f"*****{n[-4:]}" for n in reversed(numbers)][:2]
    with django_assert_max_num_queries(1):
        (section,) = sections(person, limit=10)
    assert section.total == 4 and len(section.entries) == 4
