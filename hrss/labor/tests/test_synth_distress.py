"""The wage-arrears warning over the synthetic city (L3): the distress the synth plants in its
own data (missed contributions, leavers, complaints) is found at the top of the ranking.

Which employers are distressed comes back only in the run's labels; the warning reads the
ledger, payments, complaints and cases, never those labels.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Decimal

import pytest

from hrss.core.scope import Scope
from hrss.labor.models import Complaint
from hrss.labor.services import warning
from hrss.synth.runner import synth_run
from hrss.synth.steps import SynthParams

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)
PARAMS = SynthParams(persons=4000, employers=400, months=12, seed=20, as_of=AS_OF)
PRECISION_AT_1PCT_AT_LEAST = Decimal("0.8")


def precision_at_top(ranked: list[warning.EmployerRisk], labelled: set[uuid.UUID], share: float) -> Decimal:
    top = ranked[: max(1, math.ceil(len(ranked) * share))]
    return Decimal(sum(1 for r in top if r.employer_id in labelled)) / Decimal(len(top))


def test_planted_distress_ranks_at_the_top_of_the_warning(django_assert_max_num_queries):
    report = synth_run(params=PARAMS, steps=["labor"], progress=False)
    distressed = {uuid.UUID(hex_id) for hex_id in report.labels["distressed_employers"]}
    # a known small share: 2 % of the employers with insured staff
    assert 0 < len(distressed) <= math.ceil(0.02 * PARAMS.employers)
    assert report.as_dict()["labels"]["distressed_employers"] == report.labels["distressed_employers"]
    # the planted complaints are in the city's data, the label is not
    assert Complaint.objects.filter(employer_id__in=distressed).exists()
    period = warning.latest_period()
    assert period == dt.date(2026, 6, 1)
    with django_assert_max_num_queries(6):
        ranked = warning.compute(scope=Scope(actor="i", roles=frozenset({"inspector"}), districts=None), period=period)
    precision = precision_at_top(ranked, distressed, 0.01)
    top = max(1, math.ceil(len(ranked) * 0.01))
    print(
        f"synthetic city: {len(distressed)} planted of {len(ranked)} employers ranked; "
        f"precision at top 1 % ({top}) = {precision:.2f}, at top 2 % = {precision_at_top(ranked, distressed, 0.02):.2f}"
    )
    assert len(distressed) >= top
    assert precision >= PRECISION_AT_1PCT_AT_LEAST
    for risk in ranked:
        if risk.employer_id in distressed:
            assert {r["feature"] for r in risk.reasons} & {"unpaid_months", "arrears_ratio"}
