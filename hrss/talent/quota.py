"""What a staffing quota (编制) holds now, read in a few aggregate queries: the quota of a
funding kind, its staff on the books, and the places plans under way still hold (a submitted
plan's numbers; an approved plan's numbers not yet hired). Used by the writes that must stay
within it (a plan at submission and again at approval, a staff member added) and by the pages."""

from __future__ import annotations

import uuid

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from hrss.talent import rules
from hrss.talent.errors import QuotaExceeded
from hrss.talent.models import Decision, FundingKind, Quota, RecruitmentLine, RecruitmentPlan, Staff


def quota_figures(
    *, institution_id: uuid.UUID, kind: str, asked: int = 0, exclude_plan: uuid.UUID | None = None
) -> rules.QuotaCheck:
    quota = Quota.objects.filter(institution_id=institution_id, kind=kind).values_list("count", flat=True).first()
    staff = Staff.objects.filter(institution_id=institution_id, kind=kind, left_on__isnull=True).count()
    plans = RecruitmentPlan.objects.filter(
        institution_id=institution_id, kind=kind, status__in=(Decision.SUBMITTED, Decision.APPROVED)
    )
    if exclude_plan is not None:
        plans = plans.exclude(pk=exclude_plan)
    numbers = dict(
        RecruitmentLine.objects.filter(plan__in=plans)
        .values("plan_id")
        .annotate(total=Sum("numbers"))
        .values_list("plan_id", "total")
    )
    hired = dict(
        plans.annotate(hired_count=Count("hired", filter=Q(hired__left_on__isnull=True))).values_list(
            "pk", "hired_count"
        )
    )
    reserved = sum(max(0, (numbers.get(pk) or 0) - hired.get(pk, 0)) for pk in hired)
    return rules.quota_check(quota=quota or 0, staff=staff, reserved=reserved, asked=asked)


def quota_require(
    *, institution_id: uuid.UUID, kind: str, asked: int, exclude_plan: uuid.UUID | None = None
) -> rules.QuotaCheck:
    """The figures, or ``QuotaExceeded`` saying by how much (a plan, a staff member added)."""
    figures = quota_figures(institution_id=institution_id, kind=kind, asked=asked, exclude_plan=exclude_plan)
    if not figures.fits:
        raise QuotaExceeded(
            _(
                "The staffing quota (编制) of the kind %(kind)s is %(quota)s: %(staff)s staff are on it and plans "
                "under way hold %(reserved)s places, so %(asked)s more cannot be taken on (room for %(free)s)."
            )
            % {
                "kind": FundingKind(kind).label,
                "quota": figures.quota,
                "staff": figures.staff,
                "reserved": figures.reserved,
                "asked": figures.asked,
                "free": figures.free,
            },
            fields={"numbers": str(asked)},
        )
    return figures


def quota_table(*, institution_id: uuid.UUID) -> list[tuple[str, str, rules.QuotaCheck]]:
    """(kind, its label, its figures) for every kind the institution has a quota of."""
    kinds = Quota.objects.filter(institution_id=institution_id).order_by("kind").values_list("kind", flat=True)
    return [
        (kind, str(FundingKind(kind).label), quota_figures(institution_id=institution_id, kind=kind)) for kind in kinds
    ]
