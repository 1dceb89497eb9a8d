"""The pure lifecycle machine, card numbers and PINs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrss.card import rules
from hrss.card.rules import Action, ApplicationKind, CardStatus, Refusal

# Every allowed (from, action) -> to, written out so that a change to the table is a test change.
ALLOWED = {
    (CardStatus.APPLIED, Action.SEND_TO_PRODUCTION): CardStatus.IN_PRODUCTION,
    (CardStatus.IN_PRODUCTION, Action.PRODUCTION_FAILED): CardStatus.APPLIED,
    (CardStatus.IN_PRODUCTION, Action.PRODUCTION_SUCCEEDED): CardStatus.MADE,
    (CardStatus.MADE, Action.ISSUE): CardStatus.ISSUED,
    (CardStatus.ISSUED, Action.ACTIVATE): CardStatus.ACTIVE,
    (CardStatus.ACTIVE, Action.REPORT_TEMPORARY_LOSS): CardStatus.TEMPORARILY_LOST,
    (CardStatus.TEMPORARILY_LOST, Action.TEMPORARY_LOSS_LAPSE): CardStatus.ACTIVE,
    (CardStatus.ISSUED, Action.REPORT_LOSS): CardStatus.LOST,
    (CardStatus.ACTIVE, Action.REPORT_LOSS): CardStatus.LOST,
    (CardStatus.TEMPORARILY_LOST, Action.REPORT_LOSS): CardStatus.LOST,
    (CardStatus.TEMPORARILY_LOST, Action.UNFREEZE): CardStatus.ACTIVE,
    (CardStatus.LOST, Action.UNFREEZE): CardStatus.ACTIVE,
    **{(status, Action.CANCEL): CardStatus.CANCELLED for status in CardStatus if status is not CardStatus.CANCELLED},
}


@pytest.mark.parametrize("status", list(CardStatus))
@pytest.mark.parametrize("action", list(Action))
def test_every_pair_of_state_and_action(status, action):
    outcome = rules.transition(status, action)
    expected = ALLOWED.get((status, action))
    if expected is None:
        assert isinstance(outcome, Refusal) and outcome.code == "card_transition_refused"
        assert status.value in outcome.message
    else:
        assert outcome == expected


def test_unfreeze_is_refused_once_a_replacement_is_applied_for():
    refusal = rules.transition(CardStatus.LOST, Action.UNFREEZE, pending_replacement=True)
    assert isinstance(refusal, Refusal) and refusal.code == "card_replacement_pending"


def test_a_lost_card_never_activated_unfreezes_to_issued():
    assert rules.transition(CardStatus.LOST, Action.UNFREEZE, was_activated=False) == CardStatus.ISSUED


def test_unknown_action_is_refused():
    assert rules.transition(CardStatus.ACTIVE, "fly").code == "card_unknown_action"  # type: ignore[union-attr]


@given(st.lists(st.sampled_from(list(Action)), max_size=40))
def test_any_sequence_of_actions_stays_inside_the_machine(actions):
    status = CardStatus.APPLIED
    for action in actions:
        outcome = rules.transition(status, action)
        if isinstance(outcome, Refusal):
            continue
        assert (status, action) in ALLOWED
        status = outcome
    # cancelled is final
    if status is CardStatus.CANCELLED:
        assert rules.allowed_actions(status) == []


@pytest.mark.parametrize(
    ("kind", "live", "code"),
    [
        (ApplicationKind.FIRST, [], None),
        (ApplicationKind.FIRST, ["active"], "card_already_held"),
        (ApplicationKind.FIRST, ["applied"], "card_application_pending"),
        (ApplicationKind.REPLACEMENT, ["lost"], None),
        (ApplicationKind.REPLACEMENT, ["active"], "card_application_refused"),
        (ApplicationKind.REPLACEMENT, ["temporarily_lost"], "card_application_refused"),
        (ApplicationKind.REPLACEMENT, [], "card_application_refused"),
        (ApplicationKind.RENEWAL, ["active"], None),
        (ApplicationKind.RENEWAL, ["issued"], None),
        (ApplicationKind.RENEWAL, ["lost"], "card_application_refused"),
        (ApplicationKind.RENEWAL, ["active", "made"], "card_application_pending"),
        ("upgrade", [], "card_unknown_application_kind"),
    ],
)
def test_who_may_apply_for_what(kind, live, code):
    refusal = rules.application_refusal(kind, live)
    assert (refusal.code if refusal else None) == code


def test_card_numbers_are_nine_characters_with_a_check_character():
    numbers = {rules.card_number_generate() for _ in range(200)}
    assert len(numbers) == 200
    for number in numbers:
        assert len(number) == 9 and rules.card_number_valid(number)
        assert "I" not in number[:8] and "O" not in number[:8]


@given(st.integers(min_value=0, max_value=7), st.sampled_from("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"))
def test_a_single_mistyped_character_is_caught(position, replacement):
    number = rules.card_number_generate()
    typo = number[:position] + replacement + number[position + 1 :]
    if typo != number:
        assert not rules.card_number_valid(typo)


def test_card_number_normalisation():
    number = rules.card_number_generate()
    assert rules.card_number_valid(f" {number[:4].lower()} {number[4:].lower()} ")
    assert not rules.card_number_valid("12345")
    assert not rules.card_number_valid("ABCDEFGH!")


@pytest.mark.parametrize(
    ("pin", "ok"),
    [
        ("258014", True),
        ("12345", False),
        ("1234567", False),
        ("12a456", False),
        ("111111", False),
        ("123456", False),
        ("654321", False),
        ("890123", False),
        ("０１２３４５", False),
    ],
)
def test_pin_rules(pin, ok):
    assert (rules.pin_refusal(pin) is None) == ok


def test_bank_account_rules():
    assert rules.bank_account_refusal("6222 0202 0011 2233 445") is None
    assert rules.bank_account_refusal("12345") is not None
    assert rules.bank_account_refusal("62220202001122334X") is not None
