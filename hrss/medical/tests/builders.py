"""Medical test builders: an insured person with an active card and electronic card, and a
hospital's agency scope bound to a designated institution of the reference data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from hrss.card import services as card_services
from hrss.card.tests.builders import PIN as PIN  # the PIN the tests key, for them
from hrss.card.tests.builders import active_card, holder_scope
from hrss.core.scope import Scope
from hrss.medical import services
from hrss.medical.models import Institution
from hrss.testing import make_person

HOSPITAL = "H12010100001"  # 三级, Tianjin
COMMUNITY = "H12010100002"  # 一级, Tianjin
BEIJING = "H11010100001"  # 三级, Beijing
SYSTEM = Scope.system("medical-tests")


def hospital_scope(code: str = HOSPITAL, *grants: str) -> Scope:
    """The agency scope of the client bound to institution ``code`` (binding it)."""
    name = f"医院结算系统-{code}"
    Institution.objects.filter(code=code).update(client_name=name)
    return Scope(
        actor=name, roles=frozenset({"agency_client"}), grants=frozenset(grants or {services.GRANT}), districts=None
    )


def insured(
    tmp_path: Path, *, category: str = "employee", region: str = "120100", balance: str = "500", person: Any = None
) -> tuple[Any, Any]:
    """A person insured in ``region`` with an active card and electronic card; (person, card)."""
    person = person or make_person()
    card = active_card(tmp_path, person, ecard=True)
    services.insured_enrol(
        scope=SYSTEM,
        person=person,
        category=category,
        region=region,
        since=dt.date(2015, 1, 1),
        account_balance=Decimal(balance),
    )
    return person, card


def ecard_code(person: Any, card: Any) -> str:
    code, _claims = card_services.ecard_code_create(scope=holder_scope(person), card=card)
    return code


def lines(*rows: tuple[str, str, str]) -> list[services.LineIn]:
    return [services.LineIn(code=c, quantity=Decimal(q), unit_price=Decimal(p)) for c, q, p in rows]


# A bill of an outpatient visit: a class A consultation, a class B drug (10 % paid first), a class C item.
BILL = (("110200001", "1", "50"), ("C10AA05", "28", "5"), ("ZC-MR-001", "1", "60"))
