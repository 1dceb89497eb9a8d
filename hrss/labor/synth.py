"""Synthetic-city step of the labour app (``hrss synth``): ``labor``, complaints.

Workers of the employers the contributions step planted in distress (the run's label
``distressed_employers``, never a table) complain to labour inspection: most of those
employers get one to three complaints in the last two months of the history, some none. A
small share of the other employers get one complaint too (noise: complaints come about
employers that are not in trouble as well). Recorded through the app's own service, as come
by the 12333 hotline, so each joins its employer's inspection lead.
"""

from __future__ import annotations

import datetime as dt

from hrss.core.scope import INSPECTOR, Scope
from hrss.labor.models import Complaint, InspectionLead
from hrss.labor.services.complaints import complaint_file
from hrss.registry.models import Employer
from hrss.synth.public import Advance, Step, SynthContext, register

STEP = "labor"
DISTRESSED_COMPLAINTS = (0, 1, 1, 2, 2, 3)  # drawn per distressed employer
NOISE_SHARE = 0.01  # of the other employers, one complaint each
RECENT_DAYS = 60  # complaints fall in the history's last days
CONTENT = (
    "拖欠工资两个月未发",
    "公司未按时足额缴纳社会保险费",
    "单位停发工资，部分员工被迫离职",
    "未签订劳动合同且拖欠工资",
)


@register
class LaborStep(Step):
    name = STEP
    label = "Labour complaints"
    requires = ("contributions",)

    def total(self, ctx: SynthContext) -> int:
        return 1

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        distressed = set(ctx.labels.get("distressed_employers", ()))
        rng = ctx.rng(STEP, 0)
        employers = list(Employer.objects.order_by("pk").values_list("pk", "credit_code"))
        noise = rng.random(len(employers)) < NOISE_SHARE
        desk = Scope(actor="synth-12333", roles=frozenset({INSPECTOR}), districts=None)
        as_of = ctx.params.as_of
        filed = 0
        for index, (pk, credit_code) in enumerate(employers):
            count = int(rng.choice(DISTRESSED_COMPLAINTS)) if pk.hex in distressed else int(noise[index])
            for n in range(count):
                complaint_file(
                    scope=desk,
                    credit_code=credit_code,
                    kind="complaint",
                    content=CONTENT[int(rng.integers(len(CONTENT)))],
                    idempotency_key=f"synth-{ctx.params.seed}-{pk.hex}-{n}",
                    channel="12333",
                    today=as_of - dt.timedelta(days=int(rng.integers(RECENT_DAYS))),
                )
                filed += 1
        advance(1)
        return {
            Complaint._meta.db_table: filed,
            InspectionLead._meta.db_table: InspectionLead.objects.filter(employer__labour_complaints__isnull=False)
            .distinct()
            .count(),
        }
