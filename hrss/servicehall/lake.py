"""The service hall's extract for the analytics lake (``ServicehallConfig.lake_tables``): how
long applications took, for the hall's time-taken statistics (B3). No applicant, form or
material leaves the database: an application is its service item, channel, owning district,
the days it was submitted, promised and decided, its status and its visits to an office.
"""

from __future__ import annotations

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, TruncDate

from hrss.core.lake import LakeTable
from hrss.servicehall.models import Application, Channel


def _applications():
    return (
        Application.objects.annotate(
            item_code=F("item__code"),
            district_code=Coalesce(F("district_id"), Value(""), output_field=CharField()),
            submitted_on=TruncDate("submitted_at"),
            decided_on=TruncDate("decided_at"),
        )
        .order_by()
        .values(
            "item_code", "channel", "district_code", "status", "submitted_on", "promised_by", "decided_on", "visits"
        )
    )


TABLES = (
    LakeTable(
        name="applications",
        description="hall applications: item, channel, district, submitted, promised and decided days, visits",
        rows=_applications,
        columns={
            "item_code": "string",
            "channel": "string",
            "district_code": "string",
            "status": "string",
            "submitted_on": "date32",
            "promised_by": "date32",
            "decided_on": "date32",
            "visits": "int32",
        },
        changed="updated_at",
        labels={"channel": dict(Channel.choices)},
    ),
)
