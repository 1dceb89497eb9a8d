"""Demo hotline traffic for ``hrss demo``: calls at the 12333 desk (answered
consultations, a labour complaint about the demo employer sent to the inspectorate with its
deadline, a call-back asked for), so the desk, the queue and the statistics have something
to show. Development data only; never run with production settings (the demo command refuses)."""

from __future__ import annotations

from typing import Any

from hrss.core.scope import COUNTER_CLERK, Scope
from hrss.hotline import services, tickets


def demo_hotline(*, clerk: Any, citizen: Any, employer: Any) -> list[str]:
    if clerk is None:
        return []
    services.generate()
    scope = Scope(actor=clerk.get_username(), roles=frozenset({COUNTER_CLERK}), districts=None)
    person = getattr(citizen, "person", None)
    calls: list[tuple[str, dict[str, Any]]] = [
        (
            "demo-1",
            {
                "kind": "consultation",
                "category": "insurance",
                "summary": "咨询退休后养老金怎么计算",
                "answer": "介绍了基本养老金的计算办法，告知可以使用网上的养老金测算器",
                "resolved_on_call": True,
                "articles": ["policy-pension"],
            },
        ),
        (
            "demo-2",
            {
                "kind": "consultation",
                "category": "card",
                "summary": "社保卡丢失怎么办",
                "answer": "告知先办理临时挂失，再到网上服务大厅申请补卡",
                "resolved_on_call": True,
                "articles": ["policy-card"],
            },
        ),
    ]
    if employer is not None:
        calls.append(
            (
                "demo-3",
                {
                    "kind": "complaint",
                    "category": "labour",
                    "summary": "反映单位两个月未足额发放工资",
                    "id_number": person.id_number if person is not None else "",
                    "employer_credit_code": employer.credit_code,
                    "callback": True,
                },
            )
        )
    lines = []
    for key, values in calls:  # the keys make a second run find the same tickets
        ticket = tickets.ticket_open(scope=scope, values=values, idempotency_key=key)
        lines.append(f"12333 ticket {ticket.reference}: {ticket.kind}, {ticket.status}")
    return lines
