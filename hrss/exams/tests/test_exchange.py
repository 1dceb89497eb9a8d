"""A published exam score is verified by admission ticket number through the exchange (R1,
A6) and shown to the candidate among their certificates; before publication it is unknown."""

from __future__ import annotations

import pytest

from hrss.core import exchange
from hrss.core import scope as roles
from hrss.core.scope import Scope
from hrss.exams import services
from hrss.exams.models import Paper, Score, Seat
from hrss.exams.tests import builders as b
from hrss.exchange import selectors as exchange_selectors
from hrss.exchange import services as exchange_services

pytestmark = pytest.mark.django_db


def test_a_published_score_is_verified_by_ticket_and_shown_to_its_candidate():
    b.bank(objective=4, essays=0)
    exam = b.exam(objective=4, essays=0, posts=1)
    services.paper_assemble(scope=b.OFFICE, exam_code=exam.code, seed=3)
    registrations = [b.confirmed(exam, name=f"考生{i}") for i in range(2)]
    services.exam_advance(scope=b.OFFICE, code=exam.code, step="close")
    services.seats_allocate(scope=b.OFFICE, exam_code=exam.code)
    key = services.paper_layout(Paper.objects.get(exam=exam))[0]
    tickets = [Seat.objects.get(registration=r).ticket for r in registrations]
    services.sheets_record(
        scope=b.OFFICE, exam_code=exam.code, sheets={tickets[0]: key, tickets[1]: "0" * len(key)}, scripts={}
    )
    services.exam_score(scope=b.OFFICE, exam_code=exam.code)
    today = exam.held_on
    assert exchange.certificate_check("exam_score", tickets[0], on=today) is None  # not yet published

    services.results_publish(scope=b.OFFICE, exam_code=exam.code)
    top = Score.objects.get(registration=registrations[0])
    found = exchange.certificate_check("exam_score", tickets[0].lower(), on=today)
    assert found is not None and found.valid and found.person_id == registrations[0].person_id
    assert f"{top.total:.1f}" in found.title and "1" in found.title
    assert exchange.certificate_check("exam_score", "NO-SUCH-TICKET", on=today) is None

    holder = registrations[0].person
    system = Scope(
        actor="市卫健委招聘系统", roles=frozenset({roles.AGENCY_CLIENT}), districts=None,
        grants=frozenset({exchange_services.CERTIFICATE_GRANT}),
    )  # fmt: skip
    answer = exchange_services.certificate(
        scope=system, kind="exam_score", number=tickets[0], id_number=holder.id_number, purpose="聘用核验"
    )["answer"]
    assert answer["valid"] and answer["holder_matches"]
    other = exchange_services.certificate(
        scope=system,
        kind="exam_score",
        number=tickets[0],
        id_number=registrations[1].person.id_number,
        purpose="聘用核验",
    )["answer"]
    assert other["found"] and not other["holder_matches"] and other["title"] == ""

    mine = exchange_selectors.certificates_mine(scope=b.citizen(holder))
    assert [(row["kind"], row["number"]) for row in mine] == [("exam_score", tickets[0])]
