"""Card test builders: cards made through the real services, as an outlet would, and the
scopes and constants the card tests (and other apps' tests) use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hrss.card import services
from hrss.card.models import Card
from hrss.core.scope import Scope
from hrss.testing import make_person, staff_scope

OFFICE = staff_scope(districts=None)
PIN = "258014"
ACCOUNT = "6222020200112233445"


def holder_scope(person: Any) -> Scope:
    return Scope(actor=f"holder-{person.pk}", roles=frozenset({"citizen"}), person_id=person.pk)


def agency_scope(*grants: str, actor: str = "pharmacy-1") -> Scope:
    return Scope(actor=actor, roles=frozenset({"agency_client"}), grants=frozenset(grants), districts=None)


def produce(tmp_path: Path, *, fail: set[str] | None = None) -> Any:
    """Send waiting applications to the factory and bring every card back (``fail``: numbers that fail)."""
    batch = services.production_batch_create(scope=OFFICE, directory=tmp_path)
    rows = ["batch,card_number,result,chip_serial,reason"]
    for number in Card.objects.filter(batch=batch).values_list("number", flat=True):
        if fail and number in fail:
            rows.append(f"{batch.reference},{number},failed,,chip error")
        else:
            rows.append(f"{batch.reference},{number},ok,ATR{number},")
    services.production_results_apply(scope=OFFICE, data="\n".join(rows).encode(), filename="results.csv")
    return batch


def active_card(tmp_path: Path, person: Any = None, *, ecard: bool = False) -> Card:
    person = person or make_person()
    card = services.card_apply(person=person, channel="counter", scope=OFFICE)
    produce(tmp_path)
    card.refresh_from_db()
    services.card_issue(scope=OFFICE, number=card.number, district="120101")
    services.card_activate(scope=holder_scope(person), card_id=card.pk, bank_code="icbc", bank_account=ACCOUNT, pin=PIN)
    if ecard:
        services.ecard_issue(scope=holder_scope(person), card_id=card.pk)
    card.refresh_from_db()
    return card


# The service hall's card item (社保卡申领) and two of its forms.
ITEM = "SH-KA-001"
BY_POST = {"phone": "13800138000", "delivery": "post", "address": "天津市和平区南京路1号"}
AT_OUTLET = {"phone": "13800138000", "delivery": "outlet"}
