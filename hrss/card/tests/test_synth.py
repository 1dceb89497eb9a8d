"""The synthetic cards and card uses pass the card app's own rules and are reproducible."""

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth.hashers import identify_hasher

from hrss.card import rules, selectors, services
from hrss.card import synth as card_synth
from hrss.card.models import Card, CardEvent, CardUse
from hrss.core.scope import Scope
from hrss.registry.models import Person
from hrss.synth.runner import synth_run
from hrss.synth.steps import SynthParams, step_order

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)
PARAMS = SynthParams(persons=1500, employers=50, months=12, seed=11, as_of=AS_OF)


@pytest.fixture
def city():
    return synth_run(params=PARAMS, steps=[card_synth.USES], progress=False)


def test_the_steps_are_registered_and_ordered():
    order = [step.name for step in step_order([card_synth.USES])]
    assert order.index("persons") < order.index("cards") < order.index("card_uses")


def test_every_card_passes_the_card_rules(city):
    rows = {s.name: s.rows for s in city.steps}
    cards = list(Card.objects.select_related("person"))
    assert rows["cards"]["card_card"] == len(cards)
    numbers = [card.number for card in cards if card.number]
    assert len(numbers) == len(set(numbers)) and all(rules.card_number_valid(n) for n in numbers)
    per_person = Counter(card.person_id for card in cards if card.status in rules.IN_USE)
    assert max(per_person.values()) == 1  # one card in use per person
    for card in cards:
        if card.person.status == Person.Status.DECEASED:
            assert card.status == "cancelled" and card.cancel_reason in ("death", "replaced")
        if card.status == "active":
            assert card.bank_account.startswith("62") and len(card.bank_account) == 19  # decrypts
            assert identify_hasher(card.pin_hash).algorithm == "argon2"
            assert card.valid_until > card.issued_at.date() and card.activated_at >= card.issued_at
        if card.status in ("applied", "in_production", "made"):
            assert card.issued_at is None and card.bank_account == ""
        if card.replaces_id:
            old = Card.objects.get(pk=card.replaces_id)
            assert old.status == "cancelled" and old.cancel_reason == "replaced" and old.number != card.number
        card.full_clean(exclude=["person", "replaces", "issue_district", "batch"], validate_unique=False)
    assert CardEvent.objects.filter(card__in=[c.pk for c in cards[:50]]).exists()


def test_coverage_is_near_the_goal_and_uses_belong_to_active_cards(city):
    coverage = selectors.coverage_by_district(scope=Scope.system(), on=AS_OF)
    assert 0.93 < float(coverage.total.issued_share) < 0.99
    assert coverage.total.active <= coverage.total.issued <= coverage.total.population
    uses = CardUse.objects.select_related("card")
    assert uses.count() > 1500
    assert set(uses.values_list("card__status", flat=True).distinct()) == {"active"}
    kinds = Counter(uses.values_list("kind", flat=True))
    assert {"medical_settlement", "transport", "benefit_payment"} <= set(kinds)
    electronic = uses.filter(channel="electronic").values_list("card__ecard_issued_at", flat=True)
    assert all(at is not None for at in electronic)


def test_a_synthetic_electronic_card_verifies(city):
    card = Card.objects.filter(status="active", ecard_issued_at__isnull=False).first()
    holder = Scope(actor="holder", roles=frozenset({"citizen"}), person_id=card.person_id)
    code, _ = services.ecard_code_create(scope=holder, card=card)
    verifier = Scope(actor="p", roles=frozenset({"agency_client"}), grants=frozenset({"card:verify"}), districts=None)
    assert selectors.ecard_code_verify(scope=verifier, code=code).result == "valid"


def test_cards_are_a_pure_function_of_the_seed_and_block():
    from hrss.synth.steps import Block, SynthContext

    ctx = SynthContext(params=PARAMS, loader=None, now=None)  # type: ignore[arg-type]
    first, _ = card_synth.cards_core(ctx, Block(0, 0, 300))
    again, _ = card_synth.cards_core(ctx, Block(0, 0, 300))
    assert first.card_hex == again.card_hex and (first.status == again.status).all()
    assert card_synth.card_numbers(first.index, 11) == card_synth.card_numbers(again.index, 11)
