"""Card service platform: card checks, recording uses, trails and preferences, each within its scope."""

import dataclasses
from decimal import Decimal

import pytest

from hrss.card import selectors, services
from hrss.card.models import CardUse
from hrss.card.tests.builders import OFFICE, active_card, agency_scope, holder_scope
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.testing import make_person, staff_scope

pytestmark = pytest.mark.django_db

RECORDER = agency_scope("card:use:record", actor="metro")


def use(card, kind="transport", channel="contactless", district="120101", scope=RECORDER, **kw):
    return services.card_use_record(scope=scope, card=card, kind=kind, channel=channel, district=district, **kw)


# --- card checks ------------------------------------------------------------------------------------


def test_card_check_reports_status_and_holder_match_only(tmp_path):
    card = active_card(tmp_path, make_person(name="王五"))
    scope = agency_scope("card:verify")
    check = selectors.card_status_check(scope=scope, number=card.number, id_number=card.person.id_number, name="王五")
    assert (check.status, check.holder_matches, check.holder_name, check.holder_id_number) == (
        "active",
        True,
        None,
        None,
    )
    wrong = selectors.card_status_check(scope=scope, number=card.number, name="王六")
    assert wrong.holder_matches is False
    other = make_person()
    assert (
        selectors.card_status_check(scope=scope, number=card.number, id_number=other.id_number).holder_matches is False
    )
    assert (
        selectors.card_status_check(scope=scope, number=card.number, id_number="not a number").holder_matches is False
    )
    assert selectors.card_status_check(scope=scope, number=card.number).holder_matches is None
    assert AuditEntry.objects.filter(action="card.status_check", actor="pharmacy-1").count() == 5


def test_card_check_of_lost_and_unknown_cards(tmp_path):
    from hrss.card import rules

    card = active_card(tmp_path)
    scope = agency_scope("card:verify", "card:holder_name")
    services.card_report_loss(scope=OFFICE, card_id=card.pk)
    lost = selectors.card_status_check(scope=scope, number=card.number)
    assert lost.status == "not_active" and lost.holder_name is None  # nothing disclosed about a blocked card
    unknown = rules.card_number_generate()
    assert selectors.card_status_check(scope=scope, number=unknown).status == "unknown"
    with pytest.raises(InvalidInput):
        selectors.card_status_check(scope=scope, number="nonsense")


def test_card_check_needs_the_verify_grant(tmp_path):
    card = active_card(tmp_path)
    for scope in (agency_scope("card:holder_name", "card:holder_id_number"), holder_scope(card.person)):
        with pytest.raises(PermissionDenied):
            selectors.card_status_check(scope=scope, number=card.number)


# --- recording uses -----------------------------------------------------------------------------------


def test_recording_a_use_needs_the_grant_and_an_active_card(tmp_path):
    card = active_card(tmp_path)
    recorded = use(card, application="OTH001", amount=Decimal("2.00"), reference="T-1", institution_name="天津地铁")
    assert (recorded.person_id, recorded.institution, recorded.institution_name) == (
        card.person_id,
        "metro",
        "天津地铁",
    )
    for scope in (
        agency_scope("card:verify"),
        holder_scope(card.person),
        Scope(actor="ana", roles=frozenset({"analyst"})),
    ):
        with pytest.raises(PermissionDenied):
            use(card, scope=scope)
    with pytest.raises(InvalidInput) as invalid:
        use(card, kind="teleport", channel="telepathy", district="999999", application="NOPE", amount=Decimal("-1"))
    assert set(invalid.value.fields) == {"kind", "channel", "district", "application", "amount"}
    services.card_report_temporary_loss(scope=holder_scope(card.person), card_id=card.pk)
    card.refresh_from_db()
    with pytest.raises(Conflict):
        use(card)
    assert CardUse.objects.count() == 1


# --- trails -------------------------------------------------------------------------------------------


def test_the_holder_sees_their_own_trail_only(tmp_path):
    mine, theirs = active_card(tmp_path), active_card(tmp_path)
    use(mine, kind="medical_settlement", channel="electronic")
    use(theirs)
    trail = selectors.holder_trail(scope=holder_scope(mine.person))
    assert [(u.kind, u.card_id) for u in trail] == [("medical_settlement", mine.pk)]
    with pytest.raises(PermissionDenied):
        selectors.holder_trail(scope=OFFICE)  # not bound to a person


def test_outlet_staff_read_trails_of_their_district_only_and_it_is_audited(tmp_path):
    heping = active_card(tmp_path, make_person(district="120101"))
    hexi = active_card(tmp_path, make_person(district="120103"))
    use(heping)
    use(hexi)
    clerk = staff_scope(districts=["120101"])
    assert len(selectors.person_trail(scope=clerk, person=heping.person, purpose="enquiry")) == 1
    assert AuditEntry.objects.filter(action="card.trail_read", object_id=str(heping.person_id)).exists()
    with pytest.raises(NotFound):
        selectors.person_trail(scope=clerk, person=hexi.person)
    analyst = Scope(actor="ana", roles=frozenset({"analyst"}), districts=None)
    with pytest.raises(PermissionDenied):
        selectors.person_trail(scope=analyst, person=heping.person)


# --- preferences (aggregates) -----------------------------------------------------------------------


def test_preferences_are_counts_by_district_channel_and_kind_within_scope(tmp_path):
    a, b = active_card(tmp_path, make_person(district="120101")), active_card(tmp_path, make_person(district="120101"))
    use(a, channel="electronic", kind="medical_settlement")
    use(a, channel="electronic", kind="medical_settlement")
    use(b, channel="electronic", kind="medical_settlement")
    use(b, channel="contactless", kind="transport", district="120103")
    analyst = Scope(actor="ana", roles=frozenset({"analyst"}), districts=None)
    cells = selectors.use_preferences(scope=analyst)
    assert [(c.district, c.channel, c.kind, c.uses, c.holders) for c in cells] == [
        ("120101", "electronic", "medical_settlement", 3, 2),
        ("120103", "contactless", "transport", 1, 1),
    ]
    assert cells[0].district_name == "和平区"
    # nothing that names a person or a card leaves the aggregate
    assert {f.name for f in dataclasses.fields(cells[0])} == {
        "district",
        "district_name",
        "channel",
        "kind",
        "uses",
        "holders",
    }
    hexi_analyst = Scope(actor="ana2", roles=frozenset({"analyst"}), districts=frozenset({"120103"}))
    assert [c.district for c in selectors.use_preferences(scope=hexi_analyst)] == ["120103"]
    for scope in (holder_scope(a.person), agency_scope("card:verify", "card:use:record")):
        with pytest.raises(PermissionDenied):
            selectors.use_preferences(scope=scope)


def test_coverage_before_any_goal_was_set_has_no_goal():
    import datetime as dt

    coverage = selectors.coverage_by_district(scope=Scope.system(), on=dt.date(1970, 1, 1))
    assert coverage.goal is None and coverage.total.population >= 0
