"""The card app's extract for the analytics lake (``CardConfig.lake_tables``): who holds a card
and from when to when, for card coverage (B3). De-identified (see ``hrss.core.lake``): a holder
is a person pseudonym, a card the days it was issued, given its electronic form and cancelled;
no card number, chip serial or bank account leaves the database.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import TruncDate

from hrss.card.models import Card
from hrss.core.lake import LakeTable


def _cards():
    return (
        Card.objects.filter(issued_at__isnull=False)
        .annotate(
            holder=F("person_id"),
            issued_on=TruncDate("issued_at"),
            ecard_on=TruncDate("ecard_issued_at"),
            ended_on=TruncDate("cancelled_at"),
        )
        .order_by()
        .values("holder", "issued_on", "ecard_on", "ended_on")
    )


TABLES = (
    LakeTable(
        name="cards",
        description="cards issued: holder, issued, electronic card issued, cancelled",
        rows=_cards,
        columns={"holder": "string", "issued_on": "date32", "ecard_on": "date32", "ended_on": "date32"},
        pseudonyms={"holder": "person"},
        changed="updated_at",
    ),
)
