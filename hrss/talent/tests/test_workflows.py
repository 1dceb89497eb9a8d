"""Recruitment plans, post changes and wage approvals through the hall (SH-RS-001..003):
applied for by the institution, decided by the bureau, written by the approval's task."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.servicehall.models import Application
from hrss.talent import selectors, services
from hrss.talent.errors import PostFull, QuotaExceeded, WageTableMissing
from hrss.talent.models import Decision, Staff
from hrss.talent.quota import quota_figures
from hrss.talent.tests import builders
from hrss.talent.tests.builders import scope

pytestmark = pytest.mark.django_db


def test_a_plan_within_the_quota_is_filed_and_its_places_are_held(unit, django_capture_on_commit_callbacks):
    plan = builders.plan(unit, numbers=2)
    assert plan.status == Decision.SUBMITTED and plan.hall_reference
    assert builders.plan(unit, numbers=2).pk == plan.pk  # a retry with the same key
    figures = quota_figures(institution_id=unit.institution.pk, kind="full")
    assert (figures.quota, figures.staff, figures.reserved, figures.free) == (5, 2, 2, 1)

    with django_capture_on_commit_callbacks(execute=True):
        application = builders.hall_decide(plan.hall_reference)
    assert application.status == "approved"
    plan.refresh_from_db()
    assert plan.status == Decision.APPROVED
    assert application.result["numbers"] == 2

    # The people it recruits take the places it holds: two more, and no third.
    builders.staff_add(unit.agent, unit.institution, unit.posts["p10"], name="新教师甲", plan=plan)
    figures = quota_figures(institution_id=unit.institution.pk, kind="full")
    assert (figures.staff, figures.reserved, figures.free) == (3, 1, 1)


def test_a_plan_over_the_quota_is_refused_at_submission_in_chinese(unit):
    with pytest.raises(QuotaExceeded) as refused:
        builders.plan(unit, numbers=4)  # 2 staff + 4 > 5
    assert refused.value.code == "quota_exceeded" and refused.value.status == 409
    assert "编制" in str(refused.value.message) and "5" in str(refused.value.message)
    assert not Application.objects.filter(item__code="SH-RS-001").exists()


def test_the_quota_is_checked_again_at_approval(unit, django_capture_on_commit_callbacks):
    plan = builders.plan(unit, numbers=3)  # fits: 2 + 3 = 5
    # Meanwhile the quota is cut by the staffing authority.
    services.quota_set(scope=scope(unit.approver), institution_id=unit.institution.pk, kind="full", count=4)
    with django_capture_on_commit_callbacks(execute=True):
        application = builders.hall_decide(plan.hall_reference)
    assert application.status == "rejected"
    assert "编制" in application.decision_reasons
    plan.refresh_from_db()
    assert plan.status == Decision.REJECTED  # its places are free again
    assert quota_figures(institution_id=unit.institution.pk, kind="full").reserved == 0


def test_a_rejected_plan_frees_its_places(unit, django_capture_on_commit_callbacks):
    plan = builders.plan(unit, numbers=3)
    with pytest.raises(QuotaExceeded):
        builders.plan(unit, numbers=1, key="plan-2")
    with django_capture_on_commit_callbacks(execute=True):
        assert builders.hall_decide(plan.hall_reference, decision="reject").status == "rejected"
    plan.refresh_from_db()
    assert plan.status == Decision.REJECTED
    assert builders.plan(unit, numbers=1, key="plan-2").status == Decision.SUBMITTED


def test_the_reviewer_sees_the_quota_with_the_plan_before_deciding(unit):
    plan = builders.plan(unit, numbers=2)
    application = builders.hall_decide(plan.hall_reference, until="approver")
    preview = application.workflow_data["plan_preview"] if hasattr(application, "workflow_data") else None
    shown = selectors.plan_preview(plan_id=plan.pk, reference=plan.hall_reference)
    assert shown["quota"] == 5 and shown["staff"] == 2 and shown["asked"] == 2 and shown["free"] == 3
    assert preview is None or preview["quota"] == 5


def test_only_the_institutions_own_agent_applies(unit):
    other = builders.make_unit(name="天津市另一所学校")
    with pytest.raises(InvalidInput):  # a post of another institution
        services.plan_submit(
            scope=scope(other.agent),
            user=other.agent,
            year=dt.date.today().year,
            kind="full",
            lines=[{"post": str(unit.posts["p10"].pk), "numbers": 1}],
            idempotency_key="x",
        )
    with pytest.raises(PermissionDenied):
        builders.plan(builders.Unit(unit.institution, unit.approver, unit.approver, [], unit.posts))


def test_a_post_change_moves_the_staff_member_on_approval(unit, django_capture_on_commit_callbacks):
    member = unit.staff[0]
    change = services.post_change_submit(
        scope=scope(unit.agent),
        user=unit.agent,
        staff_id=member.pk,
        to_post_id=unit.posts["p9"].pk,
        effective_on=dt.date.today(),
        reason="评聘中级职称",
        idempotency_key="change-1",
    )
    with pytest.raises(Conflict):  # one under review at a time
        services.post_change_submit(
            scope=scope(unit.agent),
            user=unit.agent,
            staff_id=member.pk,
            to_post_id=unit.posts["m8"].pk,
            effective_on=dt.date.today(),
            reason="转岗",
            idempotency_key="change-2",
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert builders.hall_decide(change.hall_reference).status == "approved"
    member.refresh_from_db()
    change.refresh_from_db()
    assert member.post_id == unit.posts["p9"].pk and change.status == Decision.APPROVED
    # p9 has one position, now taken: nobody else moves there.
    with pytest.raises(PostFull):
        services.post_change_submit(
            scope=scope(unit.agent),
            user=unit.agent,
            staff_id=unit.staff[1].pk,
            to_post_id=unit.posts["p9"].pk,
            effective_on=dt.date.today(),
            reason="评聘",
            idempotency_key="change-3",
        )


def test_a_wage_is_computed_from_the_tables_in_force_shown_and_stored(unit, django_capture_on_commit_callbacks):
    member = unit.staff[0]
    on = dt.date.today()
    wage = services.wage_submit(
        scope=scope(unit.agent),
        user=unit.agent,
        staff_id=member.pk,
        effective_on=on,
        scale_step=21,
        allowances=["teaching_age_10"],
        idempotency_key="wage-1",
    )
    # The seeded 2006 tables (codes data): 专业技术十级 680 + 薪级21级 341 + 教龄津贴 5.
    assert (wage.post_wage_fen, wage.scale_wage_fen, wage.allowance_fen, wage.total_fen) == (68000, 34100, 500, 102600)
    application = builders.hall_decide(wage.hall_reference, until="reviewer")
    preview = selectors.wage_preview(wage_id=wage.pk, reference=wage.hall_reference)
    assert preview["monthly_wage"] == "1026.00" and preview["post_wage"] == "680.00"
    assert application.status in ("submitted", "in_progress")
    with django_capture_on_commit_callbacks(execute=True):
        application = builders.hall_decide(wage.hall_reference)
    assert application.status == "approved" and application.result["monthly_wage"] == "1026.00"
    member.refresh_from_db()
    wage.refresh_from_db()
    assert wage.status == Decision.APPROVED and member.monthly_wage_fen == 102600 and member.scale_step == 21


def test_a_newer_table_in_force_on_the_date_is_the_one_used(unit):
    from hrss.codes.models import PolicyParameter
    from hrss.codes.selectors import codes_changed

    on = dt.date.today()
    old = PolicyParameter.objects.get(name="talent.wage.post.professional.10", region="100000")
    old.valid_to = on - dt.timedelta(days=1)
    old.save()
    PolicyParameter.objects.create(
        name="talent.wage.post.professional.10", value=Decimal("1000"), unit="yuan_per_month", valid_from=on,
        region="100000", source="测试", confidence="R",
    )  # fmt: skip
    codes_changed()
    wage = services.wage_submit(
        scope=scope(unit.agent), user=unit.agent, staff_id=unit.staff[0].pk, effective_on=on, scale_step=21,
        allowances=[], idempotency_key="w",
    )  # fmt: skip
    assert wage.post_wage_fen == 100000 and wage.total_fen == 134100
    codes_changed()


def test_a_wage_without_a_table_figure_is_refused_clearly(unit):
    member = builders.staff_add(unit.agent, unit.institution, unit.posts["m8"], name="管理员")
    Staff.objects.filter(pk=member.pk).update(post=unit.posts["m8"])
    with pytest.raises(InvalidInput):
        services.wage_submit(
            scope=scope(unit.agent), user=unit.agent, staff_id=member.pk, effective_on=dt.date.today(),
            scale_step=21, allowances=["no_such_allowance"], idempotency_key="w1",
        )  # fmt: skip
    support = services.post_set(
        scope=scope(unit.approver), institution_id=unit.institution.pk, category="support", grade=2, count=1
    )
    worker = builders.staff_add(unit.agent, unit.institution, support, name="技术工")
    with pytest.raises(WageTableMissing) as refused:  # the support staff's scale table is not seeded
        services.wage_submit(
            scope=scope(unit.agent), user=unit.agent, staff_id=worker.pk, effective_on=dt.date.today(),
            scale_step=10, allowances=[], idempotency_key="w2",
        )  # fmt: skip
    assert refused.value.code == "wage_table_missing" and refused.value.status == 409


def test_staff_beyond_the_quota_or_the_posts_are_refused(unit):
    builders.staff_add(unit.agent, unit.institution, unit.posts["p10"], name="三")
    builders.staff_add(unit.agent, unit.institution, unit.posts["p10"], name="四")
    with pytest.raises(PostFull):
        builders.staff_add(unit.agent, unit.institution, unit.posts["p10"], name="五")
    builders.staff_add(unit.agent, unit.institution, unit.posts["p9"], name="五")
    with pytest.raises(QuotaExceeded):
        builders.staff_add(unit.agent, unit.institution, unit.posts["m8"], name="六")


def test_only_public_institutions_are_registered(db):
    from hrss.talent.errors import NotPublicInstitution
    from hrss.testing import make_employer, make_user

    approver = make_user("talent-reg", "approver", city_wide=True)
    company = make_employer(name="一家公司")
    with pytest.raises(NotPublicInstitution) as refused:
        services.institution_register(scope=scope(approver), credit_code=company.credit_code)
    assert refused.value.code == "not_public_institution"
    with pytest.raises(NotFound):
        services.institution_register(scope=scope(approver), credit_code="121201010000000000")
