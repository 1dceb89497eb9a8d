"""Every lifecycle transition through the services, and the refused ones, with history."""

import datetime as dt

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.db import connection
from django.utils import timezone

from hrss.card import services
from hrss.card.models import Card, CardEvent
from hrss.card.rules import CardStatus
from hrss.card.tests.builders import ACCOUNT, OFFICE, PIN, active_card, holder_scope, produce
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.events import subscribe, unsubscribe
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.registry.services import PersonDied
from hrss.testing import make_person

pytestmark = pytest.mark.django_db


def history(card):
    return [(e.action, e.from_status, e.to_status) for e in CardEvent.objects.filter(card=card).order_by("at", "id")]


def test_the_whole_way_from_application_to_an_active_card(tmp_path, django_capture_on_commit_callbacks):
    person = make_person(name="张三")
    seen = []
    handler = subscribe(services.CardStatusChanged)(lambda event: seen.append(event.to_status))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            card = services.card_apply(person=person, channel="web", scope=holder_scope(person))
            assert (card.status, card.number, card.kind) == (CardStatus.APPLIED, None, "first")
            produce(tmp_path)
            card.refresh_from_db()
            assert card.status == CardStatus.MADE and len(card.number) == 9 and card.chip_serial
            assert card.valid_until is not None and card.valid_until.year == timezone.now().year + 10
            services.card_issue(scope=OFFICE, number=card.number, district="120101")
            services.card_activate(
                scope=holder_scope(person), card_id=card.pk, bank_code="icbc", bank_account=ACCOUNT, pin=PIN
            )
    finally:
        unsubscribe(services.CardStatusChanged, handler)
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE and card.issue_district_id == "120101" and card.bank_code == "ICBC"
    assert history(card) == [
        ("apply", "", "applied"),
        ("send_to_production", "applied", "in_production"),
        ("production_succeeded", "in_production", "made"),
        ("issue", "made", "issued"),
        ("activate", "issued", "active"),
    ]
    assert seen == ["made", "issued", "active"]
    assert AuditEntry.objects.filter(action="card.activate", object_id=str(card.pk)).exists()


def test_pin_is_only_a_salted_argon2_hash_and_bank_account_is_encrypted(tmp_path):
    card = active_card(tmp_path)
    assert PIN not in card.pin_hash and identify_hasher(card.pin_hash).algorithm == "argon2"
    other = active_card(tmp_path)
    assert other.pin_hash != card.pin_hash  # salted: same PIN, different hashes
    assert services.card_pin_check(card=card, pin=PIN) and not services.card_pin_check(card=card, pin="258015")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bank_account FROM card_card WHERE id = %s",
            [card.pk.hex if connection.vendor == "sqlite" else card.pk],
        )
        stored = cursor.fetchone()[0]
    assert ACCOUNT not in stored and card.bank_account == ACCOUNT


def test_activation_refuses_a_weak_pin_and_a_bad_account(tmp_path):
    person = make_person()
    card = services.card_apply(person=person, channel="counter", scope=OFFICE)
    produce(tmp_path)
    card.refresh_from_db()
    services.card_issue(scope=OFFICE, number=card.number)
    with pytest.raises(InvalidInput) as refused:
        services.card_activate(scope=OFFICE, card_id=card.pk, bank_code="", bank_account="12", pin="123456")
    assert set(refused.value.fields) == {"pin", "bank_account", "bank_code"}
    card.refresh_from_db()
    assert card.status == CardStatus.ISSUED and not card.pin_hash


def test_pin_change_needs_the_current_pin(tmp_path):
    card = active_card(tmp_path)
    scope = holder_scope(card.person)
    with pytest.raises(PermissionDenied):
        services.card_pin_change(scope=scope, card_id=card.pk, old_pin="000000", new_pin="730519")
    services.card_pin_change(scope=scope, card_id=card.pk, old_pin=PIN, new_pin="730519")
    card.refresh_from_db()
    assert services.card_pin_check(card=card, pin="730519")


def test_production_failure_puts_the_card_back_in_the_queue_with_a_new_number(tmp_path):
    person = make_person()
    card = services.card_apply(person=person, channel="counter", scope=OFFICE)
    first = services.card_apply(person=make_person(), channel="counter", scope=OFFICE)
    batch = services.production_batch_create(scope=OFFICE, directory=tmp_path)
    card.refresh_from_db()
    failed_number = card.number
    first.refresh_from_db()
    data = (
        "batch,card_number,result,chip_serial,reason\n"
        f"{batch.reference},{failed_number},failed,,chip error\n"
        f"{batch.reference},{first.number},ok,ATR1,\n"
    ).encode()
    batch = services.production_results_apply(scope=OFFICE, data=data, filename="r.csv")
    card.refresh_from_db()
    assert (card.status, card.number, card.batch_id) == (CardStatus.APPLIED, None, None)
    assert (batch.cards_made, batch.cards_failed, batch.status) == (1, 1, "returned")
    assert history(card)[-1] == ("production_failed", "in_production", "applied")
    produce(tmp_path)
    card.refresh_from_db()
    assert card.status == CardStatus.MADE and card.number != failed_number


def test_temporary_loss_lapses_by_itself(tmp_path):
    card = active_card(tmp_path)
    services.card_report_temporary_loss(scope=holder_scope(card.person), card_id=card.pk, channel="app")
    card.refresh_from_db()
    assert card.status == CardStatus.TEMPORARILY_LOST
    assert card.temporary_loss_until.date() == (timezone.now() + dt.timedelta(days=15)).date()
    assert services.temporary_losses_lapse(now=timezone.now()) == 0
    assert services.temporary_losses_lapse(now=timezone.now() + dt.timedelta(days=16)) == 1
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE and card.temporary_loss_until is None
    assert history(card)[-1] == ("temporary_loss_lapse", "temporarily_lost", "active")


def test_temporary_loss_then_formal_loss_then_unfreeze(tmp_path):
    card = active_card(tmp_path)
    services.card_report_temporary_loss(scope=OFFICE, number=card.number, channel="hotline")
    services.card_report_loss(scope=OFFICE, number=card.number)
    services.card_unfreeze(scope=OFFICE, number=card.number)
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE
    assert [step[0] for step in history(card)][-3:] == ["report_temporary_loss", "report_loss", "unfreeze"]


def test_the_holder_lifts_their_own_temporary_report_but_not_a_formal_one(tmp_path):
    card = active_card(tmp_path)
    scope = holder_scope(card.person)
    services.card_report_temporary_loss(scope=scope, card_id=card.pk)
    services.card_unfreeze(scope=scope, card_id=card.pk)
    services.card_report_loss(scope=OFFICE, card_id=card.pk)
    with pytest.raises(PermissionDenied):
        services.card_unfreeze(scope=scope, card_id=card.pk)
    with pytest.raises(PermissionDenied):
        services.card_report_loss(scope=scope, card_id=card.pk)  # formal reports are made in person


def test_replacement_after_loss_gets_a_new_number_and_cancels_the_old_card(tmp_path):
    old = active_card(tmp_path, ecard=True)
    services.card_report_loss(scope=OFFICE, card_id=old.pk)
    new = services.card_apply(person=old.person, channel="counter", scope=OFFICE, kind="replacement")
    assert new.replaces_id == old.pk
    with pytest.raises(Conflict) as refused:
        services.card_unfreeze(scope=OFFICE, card_id=old.pk)
    assert refused.value.code == "card_replacement_pending"
    produce(tmp_path)
    new.refresh_from_db()
    services.card_issue(scope=OFFICE, number=new.number)
    old.refresh_from_db()
    assert (old.status, old.cancel_reason) == (CardStatus.CANCELLED, "replaced")
    assert new.number != old.number and new.person_id == old.person_id
    services.card_activate(scope=OFFICE, card_id=new.pk, bank_code="BOC", bank_account=ACCOUNT, pin=PIN)
    new.refresh_from_db()
    assert new.ecard_issued_at is not None  # the electronic card followed the holder


def test_renewal_keeps_the_old_card_working_until_the_new_one_is_issued(tmp_path):
    old = active_card(tmp_path)
    with pytest.raises(InvalidInput):
        services.card_apply(person=old.person, channel="counter", scope=OFFICE, kind="renewal")
    new = services.card_apply(person=old.person, channel="counter", scope=OFFICE, kind="renewal", reason="damage")
    produce(tmp_path)
    old.refresh_from_db()
    assert old.status == CardStatus.ACTIVE
    new.refresh_from_db()
    services.card_issue(scope=OFFICE, number=new.number)
    old.refresh_from_db()
    assert (old.status, old.cancel_reason) == (CardStatus.CANCELLED, "renewed")


@pytest.mark.parametrize("reason", ["death", "emigration", "transfer_out"])
def test_cancel_for_death_emigration_or_transfer(tmp_path, reason):
    card = active_card(tmp_path)
    services.card_cancel(scope=OFFICE, number=card.number, reason=reason)
    card.refresh_from_db()
    assert (card.status, card.cancel_reason) == (CardStatus.CANCELLED, reason) and card.cancelled_at


def test_cancel_needs_a_known_reason_and_is_final(tmp_path):
    card = active_card(tmp_path)
    with pytest.raises(InvalidInput):
        services.card_cancel(scope=OFFICE, card_id=card.pk, reason="bored")
    services.card_cancel(scope=OFFICE, card_id=card.pk, reason="emigration")
    for attempt in (
        lambda: services.card_cancel(scope=OFFICE, card_id=card.pk, reason="death"),
        lambda: services.card_unfreeze(scope=OFFICE, card_id=card.pk),
        lambda: services.card_report_loss(scope=OFFICE, card_id=card.pk),
    ):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert refused.value.code == "card_transition_refused"
        assert "cancelled" in refused.value.message


def test_death_in_the_registry_cancels_the_cards(tmp_path, django_capture_on_commit_callbacks):
    card = active_card(tmp_path)
    from hrss.codes.identifiers import parse_id_number
    from hrss.registry import services as registry

    with django_capture_on_commit_callbacks(execute=True):
        registry.person_apply(
            id_number=parse_id_number(card.person.id_number),
            values={"death_date": dt.date(2025, 1, 2)},
            source="public_security",
        )
    card.refresh_from_db()
    assert (card.status, card.cancel_reason) == (CardStatus.CANCELLED, "death")
    assert PersonDied  # the event the card app subscribes to


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda c: services.card_issue(scope=OFFICE, number=c.number), "card_transition_refused"),
        (
            lambda c: services.card_activate(scope=OFFICE, card_id=c.pk, bank_code="X", bank_account=ACCOUNT, pin=PIN),
            "card_transition_refused",
        ),
        (lambda c: services.card_unfreeze(scope=OFFICE, card_id=c.pk), "card_transition_refused"),
        (lambda c: services.card_withdraw(scope=OFFICE, card_id=c.pk), "card_transition_refused"),
    ],
)
def test_illegal_transitions_on_an_active_card_are_refused_with_a_clear_error(tmp_path, call, code):
    card = active_card(tmp_path)
    with pytest.raises(Conflict) as refused:
        call(card)
    assert refused.value.code == code
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE


def test_a_temporary_report_on_a_card_not_yet_issued_is_refused(tmp_path):
    person = make_person()
    card = services.card_apply(person=person, channel="counter", scope=OFFICE)
    with pytest.raises(Conflict) as refused:
        services.card_report_temporary_loss(scope=holder_scope(person), card_id=card.pk)
    assert refused.value.message == "a card that is applied cannot report temporary loss"
    services.card_withdraw(scope=holder_scope(person), card_id=card.pk)
    card.refresh_from_db()
    assert (card.status, card.cancel_reason) == (CardStatus.CANCELLED, "withdrawn")


def test_one_card_per_person(tmp_path):
    card = active_card(tmp_path)
    with pytest.raises(Conflict) as refused:
        services.card_apply(person=card.person, channel="web", scope=OFFICE)
    assert refused.value.code == "card_already_held"
    other = make_person()
    services.card_apply(person=other, channel="web", scope=OFFICE)
    with pytest.raises(Conflict) as refused:
        services.card_apply(person=other, channel="web", scope=OFFICE)
    assert refused.value.code == "card_application_pending"


def test_the_database_refuses_a_second_card_in_use_even_past_the_services(tmp_path):
    from django.db import IntegrityError, transaction

    card = active_card(tmp_path)
    with pytest.raises(IntegrityError), transaction.atomic():
        Card.objects.create(
            person=card.person, status=CardStatus.ACTIVE, kind="first", channel="web", applied_at=timezone.now()
        )


def test_only_the_holder_or_the_office_may_act(tmp_path):
    person, stranger = make_person(), make_person()
    with pytest.raises(PermissionDenied):
        services.card_apply(person=person, channel="web", scope=holder_scope(stranger))
    with pytest.raises(PermissionDenied):
        services.card_apply(person=person, channel="web", scope=Scope(actor="ana", roles=frozenset({"analyst"})))
    card = services.card_apply(person=person, channel="web", scope=holder_scope(person))
    with pytest.raises(PermissionDenied):
        services.card_withdraw(scope=holder_scope(stranger), card_id=card.pk)


def test_unknown_or_mistyped_numbers(tmp_path):
    card = active_card(tmp_path)
    typo = ("1" if card.number[0] != "1" else "2") + card.number[1:]
    with pytest.raises(InvalidInput):
        services.card_report_loss(scope=OFFICE, number=typo)
    with pytest.raises(NotFound):
        services.card_report_loss(scope=OFFICE, card_id="00000000-0000-0000-0000-000000000000")


def test_a_deceased_person_cannot_apply():
    import datetime

    person = make_person(death_date=datetime.date(2024, 5, 1))
    with pytest.raises(Conflict) as refused:
        services.card_apply(person=person, channel="counter", scope=OFFICE)
    assert refused.value.code == "card_person_not_active"
