"""Pure rules of the social security card (A5): the lifecycle machine, card numbers, PINs.

No database here: the services apply these rules and record what happened; the tests
drive them with hypothesis. The electronic-card token and the reconciliation matcher are
pure too and live in ``tokens.py`` and ``reconcile.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from dataclasses import dataclass
from enum import StrEnum

from stdnum.iso7064 import mod_37_36

# Card numbers: 8 random characters and one ISO 7064 MOD 37,36 check character, so a
# mistyped number at a counter is caught before it reaches the database. Letters that are
# easily confused with digits (I, O) are not drawn, but the check alphabet is the full one.
CARD_NUMBER_LENGTH = 9
_CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DRAW_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class CardStatus(StrEnum):
    """Where a card is in its life (申领 → 制卡 → 发放 → 启用 → 正常 → 挂失/解挂 → 注销)."""

    APPLIED = "applied"  # 申领: waiting for the next production batch
    IN_PRODUCTION = "in_production"  # 制卡: personalisation data sent to the card factory
    MADE = "made"  # the factory returned it; waiting at the outlet
    ISSUED = "issued"  # 发放: handed to the holder, not yet activated
    ACTIVE = "active"  # 启用/正常
    TEMPORARILY_LOST = "temporarily_lost"  # 临时挂失 (12333, online, bank hotline), lapses by itself
    LOST = "lost"  # 正式挂失 (in person)
    CANCELLED = "cancelled"  # 注销


class Action(StrEnum):
    SEND_TO_PRODUCTION = "send_to_production"
    PRODUCTION_FAILED = "production_failed"
    PRODUCTION_SUCCEEDED = "production_succeeded"
    ISSUE = "issue"
    ACTIVATE = "activate"
    REPORT_TEMPORARY_LOSS = "report_temporary_loss"
    TEMPORARY_LOSS_LAPSE = "temporary_loss_lapse"
    REPORT_LOSS = "report_loss"
    UNFREEZE = "unfreeze"
    CANCEL = "cancel"


class ApplicationKind(StrEnum):
    FIRST = "first"  # 首次申领
    REPLACEMENT = "replacement"  # 补领: after a formal loss report
    RENEWAL = "renewal"  # 换领: expiry, damage, key data change, bank change, cross-province move


class CancelReason(StrEnum):
    DEATH = "death"
    EMIGRATION = "emigration"
    TRANSFER_OUT = "transfer_out"
    REPLACED = "replaced"  # a replacement card was issued
    RENEWED = "renewed"  # a renewed card was issued
    WITHDRAWN = "withdrawn"  # the application was withdrawn before the card was issued


class RenewalReason(StrEnum):
    EXPIRY = "expiry"
    DAMAGE = "damage"
    KEY_DATA_CHANGE = "key_data_change"
    BANK_CHANGE = "bank_change"
    CROSS_PROVINCE_MOVE = "cross_province_move"


# Cards a holder is using (or has lost but not given up): at most one per person.
IN_USE = frozenset({CardStatus.ISSUED, CardStatus.ACTIVE, CardStatus.TEMPORARILY_LOST, CardStatus.LOST})
# Cards on their way to the holder: at most one per person (a second application waits).
PENDING = frozenset({CardStatus.APPLIED, CardStatus.IN_PRODUCTION, CardStatus.MADE})
LIVE = IN_USE | PENDING

TRANSITIONS: dict[Action, tuple[frozenset[CardStatus], CardStatus]] = {
    Action.SEND_TO_PRODUCTION: (frozenset({CardStatus.APPLIED}), CardStatus.IN_PRODUCTION),
    Action.PRODUCTION_FAILED: (frozenset({CardStatus.IN_PRODUCTION}), CardStatus.APPLIED),
    Action.PRODUCTION_SUCCEEDED: (frozenset({CardStatus.IN_PRODUCTION}), CardStatus.MADE),
    Action.ISSUE: (frozenset({CardStatus.MADE}), CardStatus.ISSUED),
    Action.ACTIVATE: (frozenset({CardStatus.ISSUED}), CardStatus.ACTIVE),
    Action.REPORT_TEMPORARY_LOSS: (frozenset({CardStatus.ACTIVE}), CardStatus.TEMPORARILY_LOST),
    Action.TEMPORARY_LOSS_LAPSE: (frozenset({CardStatus.TEMPORARILY_LOST}), CardStatus.ACTIVE),
    # An issued card that was never activated is lost the same way as an active one.
    Action.REPORT_LOSS: (
        frozenset({CardStatus.ISSUED, CardStatus.ACTIVE, CardStatus.TEMPORARILY_LOST}),
        CardStatus.LOST,
    ),
    Action.UNFREEZE: (frozenset({CardStatus.TEMPORARILY_LOST, CardStatus.LOST}), CardStatus.ACTIVE),
    Action.CANCEL: (frozenset(CardStatus) - {CardStatus.CANCELLED}, CardStatus.CANCELLED),
}

# Which state a new application of each kind needs the person's current card to be in.
APPLICATION_NEEDS: dict[ApplicationKind, frozenset[CardStatus]] = {
    ApplicationKind.FIRST: frozenset(),  # no live card at all
    ApplicationKind.REPLACEMENT: frozenset({CardStatus.LOST}),
    ApplicationKind.RENEWAL: frozenset({CardStatus.ISSUED, CardStatus.ACTIVE}),
}


@dataclass(frozen=True)
class Refusal:
    """Why a transition is not allowed; the service turns it into a Conflict error."""

    code: str
    message: str
    status: str = ""
    action: str = ""


def transition(
    status: CardStatus | str, action: Action | str, *, pending_replacement: bool = False, was_activated: bool = True
) -> CardStatus | Refusal:
    """The state a card moves to, or why it may not.

    ``pending_replacement``: a replacement card has been applied for (解挂 is then refused).
    ``was_activated``: an unfrozen card goes back to active only if it had been activated;
    a lost card that was never activated is unfrozen to issued.
    """
    try:
        current, wanted = CardStatus(status), Action(action)
    except ValueError:
        return Refusal("card_unknown_action", f"unknown status {status!r} or action {action!r}")
    allowed_from, target = TRANSITIONS[wanted]
    if current not in allowed_from:
        return Refusal(
            "card_transition_refused",
            f"a card that is {current.value} cannot {wanted.value.replace('_', ' ')}",
            status=current.value,
            action=wanted.value,
        )
    if wanted is Action.UNFREEZE:
        if pending_replacement:
            return Refusal("card_replacement_pending", "a replacement card has already been applied for")
        if not was_activated:
            return CardStatus.ISSUED
    return target


def allowed_actions(status: CardStatus | str, *, pending_replacement: bool = False) -> list[Action]:
    return [
        action
        for action in Action
        if not isinstance(transition(status, action, pending_replacement=pending_replacement), Refusal)
    ]


def application_refusal(kind: ApplicationKind | str, live_statuses: list[str]) -> Refusal | None:
    """May a person with cards in ``live_statuses`` apply for a card of this kind?"""
    try:
        wanted = ApplicationKind(kind)
    except ValueError:
        return Refusal("card_unknown_application_kind", f"unknown application kind {kind!r}")
    statuses = {CardStatus(value) for value in live_statuses}
    if statuses & PENDING:
        return Refusal("card_application_pending", "a card application for this person is already in progress")
    in_use = statuses & IN_USE
    if wanted is ApplicationKind.FIRST:
        if in_use:
            return Refusal("card_already_held", "this person already holds a card")
        return None
    if not in_use & APPLICATION_NEEDS[wanted]:
        needs = ", ".join(sorted(status.value for status in APPLICATION_NEEDS[wanted]))
        return Refusal("card_application_refused", f"a {wanted.value} needs a current card that is {needs}")
    return None


def card_number_generate() -> str:
    body = "".join(secrets.choice(_DRAW_ALPHABET) for _ in range(CARD_NUMBER_LENGTH - 1))
    return body + mod_37_36.calc_check_digit(body, alphabet=_CHECK_ALPHABET)


def card_number_normalise(value: str) -> str:
    return "".join(value.split()).upper()


def card_number_valid(value: str) -> bool:
    value = card_number_normalise(value)
    if len(value) != CARD_NUMBER_LENGTH or any(char not in _CHECK_ALPHABET for char in value):
        return False
    return mod_37_36.is_valid(value, alphabet=_CHECK_ALPHABET)


def pin_refusal(pin: str) -> str | None:
    """Why a PIN may not be used, or None. Six digits, not one repeated digit, not a run."""
    if len(pin) != 6 or not pin.isascii() or not pin.isdigit():
        return "The PIN must be exactly six digits."
    if len(set(pin)) == 1:
        return "The PIN may not repeat one digit."
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({1}, {9}):
        return "The PIN may not be a run of consecutive digits."
    return None


def bank_account_refusal(account: str) -> str | None:
    digits = "".join(account.split())
    if not digits.isascii() or not digits.isdigit() or not 12 <= len(digits) <= 30:
        return "A bank account number is 12 to 30 digits."
    return None


def in_service(status: str, temporary_loss_until: dt.datetime | None, now: dt.datetime) -> bool:
    """May the card be used now? Active, or temporarily lost past the report's end: a temporary
    loss report whose time has run out no longer blocks the card, even before the daily lapse
    job has written that down."""
    return status == CardStatus.ACTIVE or (
        status == CardStatus.TEMPORARILY_LOST and temporary_loss_until is not None and temporary_loss_until <= now
    )
