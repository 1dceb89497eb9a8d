"""Reads of public-institution personnel (R3), always given the caller's Scope: an agent of a
public institution sees their own institution; the bureau's staff the institutions of the
districts they cover (city-wide staff all). Out of scope and not found are the same 404.
Staff reading an institution's staff list (personal data) are audited.

The talent green card (R1): a citizen sees only their own card and benefit applications; the
bureau's reviewers and approvers those of holders living in their districts (audited)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from hrss.codes.identifiers import parse_id_number
from hrss.core.audit import audit_record
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.registry.models import Employment
from hrss.registry.services import id_number_index
from hrss.talent import rules
from hrss.talent.apps import GREEN_CARD_STAFF, TALENT_STAFF, TITLE_OFFICE
from hrss.talent.errors import WageTableMissing
from hrss.talent.green_card_policy import green_card_thresholds
from hrss.talent.models import (
    AllowanceKind,
    FundingKind,
    GreenCard,
    GreenCardBenefit,
    GreenCardCategory,
    Institution,
    Post,
    PostChange,
    ProfessionalTitle,
    Quota,
    RecruitmentLine,
    RecruitmentPlan,
    Staff,
    TitleStatus,
    WageApproval,
)
from hrss.talent.quota import quota_figures
from hrss.talent.wages import wage_answer, wage_compute


def _where(scope: Scope, prefix: str = "") -> Q:
    """The institutions the caller may see, as a filter (``prefix`` reaches them from another model)."""
    if scope.employer_id is not None:
        return Q(**{f"{prefix}employer_id": scope.employer_id})
    if not scope.has_role(*TALENT_STAFF):
        raise PermissionDenied()
    if scope.city_wide:
        return Q()
    return Q(**{f"{prefix}district_id__in": sorted(scope.districts or ())})


def _audit_staff_read(scope: Scope, institution: Institution, action: str, count: int) -> None:
    if scope.employer_id is None:  # the bureau's staff reading an institution's people
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action=action,
            object_type="talent_institution",
            object_id=str(institution.pk),
            purpose="public-institution personnel supervision",
            detail={"rows": count},
        )


def institution_mine(*, scope: Scope) -> Institution | None:
    if scope.employer_id is None:
        raise PermissionDenied(code="not_institution")
    return Institution.objects.filter(employer_id=scope.employer_id).select_related("district").first()


def institutions(*, scope: Scope, limit: int, offset: int = 0) -> list[Institution]:
    found = (
        Institution.objects.filter(_where(scope))
        .select_related("district", "employer")
        .annotate(
            # Subqueries, not joins: a join of quotas and staff would multiply both.
            quota_total=Subquery(
                Quota.objects.filter(institution=OuterRef("pk"))
                .values("institution")
                .annotate(total=Sum("count"))
                .values("total")[:1]
            ),
            staff_count=Subquery(
                Staff.objects.filter(institution=OuterRef("pk"), left_on__isnull=True)
                .values("institution")
                .annotate(total=Count("pk"))
                .values("total")[:1]
            ),
        )
        .order_by("name", "id")
    )
    return list(found[offset : offset + limit])


def institution_get(*, scope: Scope, institution_id: uuid.UUID) -> Institution:
    institution = (
        Institution.objects.filter(_where(scope), pk=institution_id).select_related("district", "employer").first()
    )
    if institution is None:
        raise NotFound()
    return institution


def posts(*, institution: Institution) -> list[Post]:
    return list(
        Post.objects.filter(institution=institution)
        .annotate(taken=Count("staff", filter=Q(staff__left_on__isnull=True)))
        .order_by("category", "grade")
    )


def quota_rows(*, institution: Institution) -> list[dict[str, Any]]:
    from hrss.talent.quota import quota_table

    return [
        {"kind": kind, "label": label, "quota": f.quota, "staff": f.staff, "reserved": f.reserved, "free": f.free}
        for kind, label, f in quota_table(institution_id=institution.pk)
    ]


def staff_of(*, scope: Scope, institution_id: uuid.UUID, limit: int, offset: int = 0) -> list[Staff]:
    """The institution's current staff (personal data: a staff reader is audited)."""
    institution = institution_get(scope=scope, institution_id=institution_id)
    found = list(
        Staff.objects.filter(institution=institution, left_on__isnull=True)
        .select_related("person", "post")
        .order_by("entered_on", "id")[offset : offset + limit]
    )
    _audit_staff_read(scope, institution, "talent.staff.read", len(found))
    return found


def with_standard_wages(staff: list[Staff], *, on: dt.date) -> list[Staff]:
    """The staff with ``standard_wage`` set (for the pages): each (category, grade, step) is
    computed once, however many members share it."""
    known: dict[tuple[str, int, int], Decimal | None] = {}
    for member in staff:
        key = (member.post.category, member.post.grade, member.scale_step)
        if key not in known:
            known[key] = standard_wage(member, on=on)
        member.standard_wage = known[key]  # type: ignore[attr-defined]
    return staff


def standard_wage(member: Staff, *, on: dt.date) -> Decimal | None:
    """The basic wage (post wage and salary scale wage, no allowances) the tables in force
    give the staff member's post and step, or None where a figure is not configured; the
    tables are read from the codes app's cache, not a query per person."""
    try:
        figures = wage_compute(
            category=member.post.category, grade=member.post.grade, scale_step=member.scale_step, allowances=[], on=on
        )
    except WageTableMissing:
        return None
    return Decimal(figures.total_fen) / 100


def _plans() -> QuerySet[RecruitmentPlan]:
    return RecruitmentPlan.objects.select_related("institution").prefetch_related(
        Prefetch("lines", queryset=RecruitmentLine.objects.select_related("post"))
    )


def plans(
    *,
    scope: Scope,
    limit: int,
    offset: int = 0,
    institution_id: uuid.UUID | None = None,
    plan_id: uuid.UUID | None = None,
) -> list[RecruitmentPlan]:
    found = _plans().filter(_where(scope, "institution__"))
    if institution_id is not None:
        found = found.filter(institution_id=institution_id)
    if plan_id is not None:
        found = found.filter(pk=plan_id)
    return list(found.order_by("-created_at", "id")[offset : offset + limit])


def post_changes(
    *, scope: Scope, limit: int, offset: int = 0, institution_id: uuid.UUID | None = None
) -> list[PostChange]:
    found = PostChange.objects.filter(_where(scope, "staff__institution__")).select_related(
        "staff__person", "staff__institution", "from_post", "to_post"
    )
    if institution_id is not None:
        found = found.filter(staff__institution_id=institution_id)
    return list(found.order_by("-created_at", "id")[offset : offset + limit])


def wage_approvals(
    *, scope: Scope, limit: int, offset: int = 0, institution_id: uuid.UUID | None = None
) -> list[WageApproval]:
    found = WageApproval.objects.filter(_where(scope, "staff__institution__")).select_related(
        "staff__person", "staff__institution", "staff__post"
    )
    if institution_id is not None:
        found = found.filter(staff__institution_id=institution_id)
    return list(found.order_by("-created_at", "id")[offset : offset + limit])


def allowances() -> list[AllowanceKind]:
    """In natural order of their codes (教龄 5, 10, 15, 20 years; not 10, 15, 20, 5)."""
    return sorted(AllowanceKind.objects.all(), key=lambda row: rules.natural_key(row.code))


# --- what the hall's reviewers see before deciding (the service tasks' previews) ----------------


def plan_preview(*, plan_id: uuid.UUID, reference: str) -> dict[str, Any]:
    """The staffing quota with this plan, as the reviewer sees it before deciding."""
    plan = _plans().filter(pk=plan_id, hall_reference=reference).first()
    if plan is None:
        raise NotFound(_("The application names no recruitment plan of its own."), code="plan_not_found")
    figures = quota_figures(
        institution_id=plan.institution_id, kind=plan.kind, asked=plan.numbers, exclude_plan=plan.pk
    )
    return {
        "what": _("Staffing quota with this plan"),
        "funding_kind": str(FundingKind(plan.kind).label),
        "quota": figures.quota,
        "staff": figures.staff,
        "reserved": figures.reserved,
        "asked": figures.asked,
        "free": figures.free,
        "posts": [
            {"post": post_label(line.post), "numbers": line.numbers, "conditions": line.conditions}
            for line in plan.lines.all()
        ],
    }


def wage_preview(*, wage_id: uuid.UUID, reference: str) -> dict[str, Any]:
    """The monthly wage from the tables in force on the effective date."""
    wage = WageApproval.objects.filter(pk=wage_id, hall_reference=reference).select_related("staff__post").first()
    if wage is None:
        raise NotFound(_("The application names no wage approval of its own."), code="wage_not_found")
    figures = wage_compute(
        category=wage.staff.post.category,
        grade=wage.staff.post.grade,
        scale_step=wage.scale_step,
        allowances=list(wage.allowances),
        on=wage.effective_on,
    )
    names = dict(AllowanceKind.objects.values_list("code", "name"))
    return {
        "what": _("Monthly wage computed from the salary tables"),
        "post": post_label(wage.staff.post),
        "scale_step": wage.scale_step,
        **wage_answer(figures, on=wage.effective_on, names=names),
    }


def post_label(post: Post) -> str:
    return _("%(category)s, grade %(grade)s") % {"category": post.get_category_display(), "grade": post.grade}


# --- The talent green card (人才绿卡, R1) ---------------------------------------------------


def green_card_valid(*, person_id: Any, on: dt.date) -> GreenCard | None:
    """The person's card valid on the date, if any (there is at most one)."""
    return (
        GreenCard.objects.filter(person_id=person_id, issued_on__lte=on, valid_until__gte=on)
        .order_by("-valid_until")
        .first()
    )


def green_card_mine(*, scope: Scope, on: dt.date) -> GreenCard | None:
    """The caller's own valid card (citizens only)."""
    if scope.person_id is None or scope.is_staff:
        raise PermissionDenied(_("This is for citizens signed in with a real-name account."), code="not_a_citizen")
    return green_card_valid(person_id=scope.person_id, on=on)


def green_card_benefit_filter(scope: Scope) -> Q:
    """The benefit applications the caller may see: a citizen their own; the deciding staff
    those of holders living in their districts (city-wide staff all)."""
    if not scope.is_staff:
        if scope.person_id is None:
            raise PermissionDenied()
        return Q(card__person_id=scope.person_id)
    if not scope.has_role(*GREEN_CARD_STAFF):
        raise PermissionDenied()
    if scope.city_wide:
        return Q()
    return Q(card__person__residence_district_id__in=list(scope.districts or ()))


def green_card_benefits(
    *, scope: Scope, limit: int, offset: int = 0, status: str = "", benefit_id: uuid.UUID | None = None
) -> list[GreenCardBenefit]:
    """Benefit applications, newest first (staff: their reads of holders are audited)."""
    rows = GreenCardBenefit.objects.filter(green_card_benefit_filter(scope)).select_related("card", "card__person")
    if status:
        rows = rows.filter(status=status)
    if benefit_id is not None:
        rows = rows.filter(pk=benefit_id)
    found = list(rows.order_by("-created_at", "id")[offset : offset + limit])
    if scope.is_staff and found:
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="talent.green_card_benefits_read",
            object_type="person",
            object_id="",
            detail={"ids": sorted({str(row.card.person_id) for row in found})},
        )
    return found


def _current_employment(person_id: Any, on: dt.date) -> Employment | None:
    return (
        Employment.objects.filter(person_id=person_id, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("employer")
        .order_by("-start_date")
        .first()
    )


def _registry_facts(person_id: Any, on: dt.date) -> tuple[Any, Any, Any]:
    """What the registry holds for the check: the recorded title (route, record) and the
    employment spell current on the date."""
    registered_route, registered = title_level_registered(person_id=person_id)
    return registered_route, registered, _current_employment(person_id, on)


def green_card_check(
    *,
    person_id: Any,
    category: str,
    degree: str,
    title: str,
    award: str,
    on: dt.date,
    facts: tuple[Any, Any, Any] | None = None,
) -> tuple[rules.GreenCardEligibility, dict[str, Any]]:
    """The eligibility the reviewer sees (``talent.green_card_check``): the category's
    thresholds in force on the date against the registry (the current employment's monthly
    wage x 12, its employer's type) and the declared degree, title and award, which the
    reviewer verifies against the materials. A professional title the bureau recorded
    counts as verified: the higher of it and the declared one is used."""
    thresholds = green_card_thresholds(category=category, on=on)
    registered_route, registered, spell = facts if facts is not None else _registry_facts(person_id, on)
    title_verified = rules.TITLE_LEVELS.get(registered_route, 0) >= rules.TITLE_LEVELS.get(title, 0)
    counted = registered_route if title_verified else title
    annual: Decimal | None = None
    if spell is not None and spell.monthly_wage is not None:
        annual = (spell.monthly_wage * 12).quantize(Decimal("0.01"))
    credit_code = spell.employer.credit_code if spell is not None else None
    eligibility = rules.green_card_eligibility(
        thresholds, degree=degree, title=counted, award=award, annual_salary=annual, employer_credit_code=credit_code
    )
    answer = {
        "category": category,
        "on": on.isoformat(),
        "employer": spell.employer.name if spell is not None else "",
        "employer_type": rules.employer_type(credit_code or ""),
        "employer_admitted": eligibility.employer_ok,
        "annual_salary": str(annual) if annual is not None else "",
        "annual_salary_min": str(thresholds.annual_salary_min.quantize(Decimal("0.01"))),
        "declared": {"degree": degree, "title": title, "award": award},
        "registered_title": f"{registered.name} {registered.number}" if registered is not None else "",
        "routes_met": list(eligibility.routes_met),
        # Met on the applicant's word: the reviewer checks the certificates before approving.
        "to_verify": [
            route
            for route in eligibility.routes_met
            if route != "salary" and not (route == "title" and registered is not None and title_verified)
        ],
        "eligible": eligibility.eligible,
    }
    return eligibility, answer


# --- Professional titles (职称, R1) -----------------------------------------------------------


def titles_mine(*, scope: Scope) -> list[ProfessionalTitle]:
    """The caller's own titles, newest first (citizens only)."""
    if scope.person_id is None or scope.is_staff:
        raise PermissionDenied(_("This is for citizens signed in with a real-name account."), code="not_a_citizen")
    rows = ProfessionalTitle.objects.filter(person_id=scope.person_id).select_related("person")
    return list(rows.order_by("-issued_on", "number"))


def titles(*, scope: Scope, id_number: str = "", limit: int, offset: int = 0) -> list[ProfessionalTitle]:
    """The titles the title office recorded for people of its districts, newest first, or one
    person's (by ID number); the read of the holders is audited."""
    if not scope.has_role(*TITLE_OFFICE):
        raise PermissionDenied()
    rows = ProfessionalTitle.objects.select_related("person")
    if not scope.city_wide:
        rows = rows.filter(person__residence_district_id__in=list(scope.districts or ()))
    if id_number:
        holder = parse_id_number(id_number).value
        rows = rows.filter(person__id_number_index=id_number_index(holder))
    found = list(rows.order_by("-created_at", "id")[offset : offset + limit])
    if found:
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="talent.titles_read",
            object_type="person",
            object_id="",
            detail={"ids": sorted({str(row.person_id) for row in found})},
        )
    return found


def title_level_registered(*, person_id: Any) -> tuple[str, ProfessionalTitle | None]:
    """The green card's title route level (``rules.TITLE_LEVELS``) of the person's highest
    valid recorded title, and that title ("none", None without one)."""
    best: tuple[int, str, ProfessionalTitle | None] = (0, "none", None)
    for row in ProfessionalTitle.objects.filter(person_id=person_id, status=TitleStatus.VALID):
        route = rules.TITLE_ROUTE_OF_LEVEL.get(row.level, "none")
        level = rules.TITLE_LEVELS.get(route, 0)
        if level > best[0]:
            best = (level, route, row)
    return best[1], best[2]


def green_card_outlook(*, scope: Scope, on: dt.date) -> list[dict[str, Any]]:
    """What the registry alone says for each category (the citizen's hint before applying):
    the registered wage a year against the category's threshold, whether the employer is of
    an admitted type, the recorded title, and whether that already qualifies."""
    if scope.person_id is None or scope.is_staff:
        return []
    rows = []
    facts = _registry_facts(scope.person_id, on)  # read once for every category
    for category, label in GreenCardCategory.choices:
        eligibility, answer = green_card_check(
            person_id=scope.person_id,
            category=category,
            degree="none",
            title="none",
            award="none",
            on=on,
            facts=facts,
        )
        rows.append({"category": category, "label": label, "eligible": eligibility.eligible, **answer})
    return rows
