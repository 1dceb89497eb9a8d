"""Panels (仲裁庭): a larger claim is heard by a chief arbitrator and two members chosen by load
and district as a sole arbitrator is; a recused member's seat alone goes to the next choice."""

import pytest

from hrss.core.errors import InvalidInput
from hrss.labor import rules
from hrss.labor.models import PanelSeat, Recusal, Tribunal
from hrss.labor.rules import Candidate
from hrss.labor.services import cases
from hrss.labor.tests.builders import accepted, enlist
from hrss.servicehall.tests.builders import ARBITRATION_FORM, bearer

LARGE = {**ARBITRATION_FORM, "amount": "900000"}


def test_the_tribunal_rule_and_the_panel_choice():
    wage, multiple = rules.Decimal("2320"), rules.Decimal("12")
    assert rules.tribunal_for(claimed=None, monthly_minimum_wage=wage, sole_multiple=multiple) == rules.SOLE
    assert rules.tribunal_for(claimed=wage * multiple, monthly_minimum_wage=wage, sole_multiple=multiple) == "sole"
    assert rules.tribunal_for(claimed=wage * multiple + 1, monthly_minimum_wage=wage, sole_multiple=multiple) == "panel"
    roster = [Candidate("a", "120101", 0, 10), Candidate("b", "120101", 1, 10), Candidate("c", "120103", 0, 10)]
    # the district first, each choice counted in its load before the next
    assert rules.choose_panel(roster, district="120101", seats=3) == ["a", "b", "c"]
    assert rules.choose_panel(roster, district="120101", seats=3, excluded={"b"}) == ["a", "c"]
    assert rules.choose_panel([Candidate("a", None, 0, 1)], district=None, seats=2) == ["a"]


@pytest.mark.django_db
def test_a_small_claim_has_a_sole_arbitrator_a_large_one_a_panel(city):
    for name in ("arb_a", "arb_b", "arb_c"):
        enlist(name)
    enlist("arb_x", district="120103")
    sole = accepted(city)
    assert sole.tribunal == Tribunal.SOLE and sole.arbitrator == "arb_a" and not sole.panel_seats.exists()
    panel = accepted(city, LARGE)
    assert panel.tribunal == Tribunal.PANEL
    members = list(panel.panel_seats.values_list("arbitrator", flat=True))
    # arb_a holds a case already: the two free arbitrators of the district go first, then arb_a
    assert panel.arbitrator == "arb_b" and members == ["arb_c", "arb_a"]
    # seats count in the load of the next assignment
    loads = {c.username: c.load for c in cases.roster_candidates()}
    assert loads == {"arb_a": 2, "arb_b": 1, "arb_c": 1, "arb_x": 0}
    assert [e.action for e in panel.events.all()] == ["file", "accept", "assign", "assign_member", "assign_member"]


@pytest.mark.django_db
def test_a_members_recusal_replaces_only_that_member(city):
    users = {name: enlist(name) for name in ("arb_a", "arb_b", "arb_c", "arb_d")}
    case = accepted(city, LARGE)
    chief = case.arbitrator
    first, second = case.panel_seats.values_list("arbitrator", flat=True)
    with pytest.raises(InvalidInput):
        cases.case_recuse(
            scope=city.scope(users[chief]), reference=case.reference, source="party", reason="x", member="nobody"
        )
    # the member withdraws themself
    case = cases.case_recuse(
        scope=city.scope(users[first]), reference=case.reference, source="arbitrator", reason="曾代理", member=first
    )
    seats = list(PanelSeat.objects.filter(case=case).values_list("position", "arbitrator"))
    (spare,) = set(users) - {chief, first, second}
    assert case.arbitrator == chief and seats == [(1, spare), (2, second)]
    assert Recusal.objects.get(case=case).arbitrator == first
    # through the API, the chief records a party's request against the other member: nobody is left
    answer = bearer(users[chief]).post(
        f"/api/v1/labor/cases/{case.reference}/recusal",
        {"source": "party", "reason": "近亲属", "member": second},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["panel"] == [spare] and answer.json()["case"]["arbitrator"] == chief
