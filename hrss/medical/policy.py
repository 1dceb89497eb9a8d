"""The policy layer (S4/S5): which figures apply to a visit, and how much of them is left.

Reads only. For a person, an institution, a pooling (inpatient or outpatient) and a date it
picks the ``Policy`` row in force for the person's category in the **insuring** region
(参保地政策) at the institution's level, and derives from the person's claims of the year
(one sum: reversals and refunds are negative rows) the deductible still to bear — once a
year, or the whole of it per admission where the policy says so — and the cap left. A visit
in another region without referral gets every band's ratio lowered by the policy's
``outing_reduction``. The catalogue is the place of treatment's (就医地目录).

An outpatient visit for a chronic or special disease (门诊慢特病, 门特) the person has a
recognition in force for settles under the ``chronic`` pooling's figures (its own deductible,
bands and annual cap, not graded by hospital level), its running totals kept apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from hrss.core.errors import Conflict
from hrss.core.prepared import PreparedQuery
from hrss.medical import rules
from hrss.medical.models import CatalogueItem, Claim, DiseaseRecognition, Filing, Institution, Insured, Policy, Pooling


def in_force(on: dt.date) -> Q:
    """Rows of a dated table (``valid_from``, open-ended ``valid_to``) in force on ``on``."""
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


# Compiled once per combination and day, per thread (hrss.core.prepared): every settlement asks it.
_POLICY: PreparedQuery[Policy] = PreparedQuery(
    lambda region, category, pooling, level, on: Policy.objects.filter(
        in_force(on), region=region, category_id=category, pooling=pooling, level=level
    ).order_by("-valid_from")[:1],
    values=0,
)


def policy_in_force(*, region: str, category: str, pooling: str, level: str, on: dt.date) -> Policy:
    policy = _POLICY.first(region, category, pooling, level, on)
    if policy is None:
        raise Conflict(
            _("No medical insurance policy is in force for this person, pooling and institution on that date."),
            code="medical_policy_missing",
        )
    return policy


@dataclass(frozen=True)
class YearTotals:
    deductible_used: Decimal
    fund_paid: Decimal


def year_totals(*, person_id: Any, pooling: str, year: int) -> YearTotals:
    """The person's running totals of a year for one pooling: one aggregate over their claims."""
    sums = Claim.objects.filter(person_id=person_id, pooling=pooling, visit_date__year=year).aggregate(
        deductible=Sum("deductible_applied"), fund=Sum("fund")
    )
    return YearTotals(sums["deductible"] or rules.ZERO, sums["fund"] or rules.ZERO)


@dataclass(frozen=True)
class Terms:
    policy: Policy
    deductible: Decimal
    bands: list[rules.Band]
    cap_remaining: Decimal
    cross_region: bool
    referred: bool


def filing_for(*, person_id: Any, region: str, on: dt.date) -> Filing | None:
    """The person's filing for treatment in ``region`` in force on ``on`` (the latest), if any."""
    return Filing.objects.filter(in_force(on), person_id=person_id, region=region).order_by("-valid_from").first()


def terms_for(*, insured: Insured, institution: Institution, pooling: str, on: dt.date) -> Terms:
    """The terms of a visit. In another region: a long-term residence, referral or emergency
    filing keeps the insuring region's ratios; another temporary outing, or none filed, gets
    them lowered by the policy's ``outing_reduction`` (医保发〔2022〕22号)."""
    level = "" if pooling == Pooling.CHRONIC else institution.level  # 门特 figures are not graded by level
    policy = policy_in_force(region=insured.region, category=insured.category_id, pooling=pooling, level=level, on=on)
    cross_region = institution.region != insured.region
    referred = False
    if cross_region:
        filing = filing_for(person_id=insured.person_id, region=institution.region, on=on)
        referred = filing is not None and filing.kind != Filing.Kind.TEMPORARY
    bands = rules.bands_check(policy.bands)
    if cross_region and not referred:
        bands = rules.bands_reduce(bands, policy.outing_reduction)
    totals = year_totals(person_id=insured.person_id, pooling=pooling, year=on.year)
    deductible = policy.deductible if policy.deductible_per_visit else policy.deductible - totals.deductible_used
    return Terms(
        policy=policy,
        deductible=max(rules.ZERO, deductible),
        bands=bands,
        cap_remaining=max(rules.ZERO, policy.annual_cap - totals.fund_paid),
        cross_region=cross_region,
        referred=referred,
    )


def recognition_for(*, person_id: Any, disease: str, on: dt.date) -> DiseaseRecognition | None:
    """The person's recognition of ``disease`` (门特认定) in force on ``on``, if any."""
    return (
        DiseaseRecognition.objects.filter(in_force(on), person_id=person_id, disease_id=disease)
        .order_by("-valid_from")
        .first()
    )


def catalogue_items(*, codes: list[str], region: str, on: dt.date) -> dict[str, CatalogueItem]:
    """The catalogue entries in force at the place of treatment: the region's own entry before
    the national one. Codes not found are outside the catalogue."""
    found: dict[str, CatalogueItem] = {}
    rows = CatalogueItem.objects.filter(in_force(on), code__in=codes, region__in=(region, "100000")).order_by(
        "code", "-valid_from"
    )
    for item in rows:
        current = found.get(item.code)
        if current is None or (current.region == "100000" and item.region == region):
            found[item.code] = item
    return found
