"""Talent programmes and their expert review (R1) through the services: declaring within the
window, once; the formal check; the draw excluding conflicts of interest; recusal with a
replacement; the sheets; aggregation; publication; appeals and the re-review; finalisation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.talent import programme_selectors as reads
from hrss.talent import services
from hrss.talent.errors import AppealWindowClosed, DeclarationWindowClosed, TooFewExperts
from hrss.talent.programme_models import (
    AssignmentStatus,
    Declaration,
    DeclarationStatus,
    ExpertConflict,
    Programme,
    ReviewAssignment,
)
from hrss.talent.tests import programme_builders as pb
from hrss.talent.tests.builders import scope
from hrss.testing import make_employer, make_user

pytestmark = pytest.mark.django_db


def test_a_programme_takes_its_defaults_from_the_dated_parameters_and_checks_its_criteria():
    office = pb.office()
    made = pb.programme(office, experts=None)
    assert made.experts_per_declaration == 5 and made.notice_days == 7  # talent.programme.*
    assert made.max_points == 100
    again = pb.programme(office, code=made.code)
    assert again.pk == made.pk  # a retry answers the same
    with pytest.raises(InvalidInput) as refused:
        services.programme_create(
            scope=scope(office), code="BAD-1", name="x", level="municipal", opens_on=dt.date.today(),
            closes_on=dt.date.today(), funding_per_project="1000", awards=1,
            criteria=[{"name": "创新性", "max_points": 200}],
        )  # fmt: skip
    assert "创新性" in refused.value.fields["criteria"]
    with pytest.raises(InvalidInput):
        pb.programme(office, code="BAD-2", experts=2)  # one highest and one lowest are dropped
    district_office = pb.office(districts=["120103"])
    with pytest.raises(PermissionDenied):
        pb.programme(district_office, code="BAD-3")  # a municipal programme is the city's
    with pytest.raises(PermissionDenied):
        services.programme_create(scope=scope(make_user("p-citizen", roles.CITIZEN)), code="X", name="x",
            level="municipal", opens_on=dt.date.today(), closes_on=dt.date.today(), funding_per_project="1",
            awards=1, criteria=pb.CRITERIA)  # fmt: skip


def test_a_citizen_declares_once_within_the_window_for_at_most_the_funding():
    office = pb.office()
    programme = pb.programme(office)
    employer = make_employer(name="天津新材料研究院")
    citizen = pb.citizen("李娜", employer=employer)
    first = pb.declare(citizen, programme)
    assert first.employer == employer and first.status == DeclarationStatus.SUBMITTED
    assert pb.declare(citizen, programme, title="另一个").pk == first.pk  # one per person: a retry answers the same
    with pytest.raises(InvalidInput) as refused:
        pb.declare(pb.citizen("王强"), programme, amount="200000.01")
    assert "200000.00" in refused.value.fields["requested_amount"]
    later = pb.programme(office, opens_on=dt.date.today() + dt.timedelta(days=3))
    with pytest.raises(DeclarationWindowClosed) as closed:
        pb.declare(citizen, later)
    assert closed.value.status == 409 and later.name in closed.value.message
    with pytest.raises(PermissionDenied):
        pb.declare(office, programme)
    assert [d.pk for d in reads.declarations_mine(scope=scope(citizen), limit=10)] == [first.pk]


def test_the_draw_excludes_every_conflict_of_interest_and_is_reproducible():
    office = pb.office()
    programme = pb.programme(office, experts=3)
    employer = make_employer(name="申报人的研究院")
    applicant = pb.citizen("赵敏", employer=employer)
    declaration = pb.declare(applicant, programme)
    services.declaration_check(scope=scope(office), declaration_id=declaration.pk, accepted=True)
    colleague = pb.expert(office, "同事专家", employer=employer)  # works for the applicant's employer
    declared_person = pb.expert(office, "回避个人专家")
    declared_employer = pb.expert(office, "回避单位专家")
    services.expert_conflict_add(
        scope=scope(declared_person.account), id_number=applicant.person.id_number, reason="曾为合作者"
    )
    services.expert_conflict_add(
        scope=scope(office), expert_id=declared_employer.pk, credit_code=employer.credit_code, reason="兼职"
    )
    other_field = pb.expert(office, "其他领域专家", specialities="医药卫生")
    inactive = pb.expert(office, "停用专家")
    services.expert_add(
        scope=scope(office), id_number=inactive.person.id_number, name="停用专家", specialities="工程技术", active=False
    )
    # The applicant is in the pool too.
    services.expert_add(scope=scope(office), id_number=applicant.person.id_number, name="赵敏", specialities="工程技术")
    free = [pb.expert(office, f"可选专家{i}") for i in range(2)]
    excluded = {colleague.pk, declared_person.pk, declared_employer.pk, other_field.pk, inactive.pk}
    with pytest.raises(TooFewExperts) as refused:
        services.experts_assign(scope=scope(office), declaration_id=declaration.pk, seed=7)
    assert refused.value.status == 409 and "2" in refused.value.message
    assert not ReviewAssignment.objects.exists()
    free.append(pb.expert(office, "可选专家2"))
    drawn = services.experts_assign(scope=scope(office), declaration_id=declaration.pk, seed=7)
    assert {row.expert_id for row in drawn} == {e.pk for e in free}
    assert not {row.expert_id for row in drawn} & excluded and all(row.seed == 7 for row in drawn)
    assert services.experts_assign(scope=scope(office), declaration_id=declaration.pk) == drawn  # nothing lacking
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.UNDER_REVIEW
    audit = AuditEntry.objects.get(action="talent.experts_assign")
    assert audit.detail["seed"] == 7


def test_a_recusing_expert_is_replaced_and_never_drawn_for_the_applicant_again():
    made = pb.review(applicants=1, pool=4)
    declaration = made.declarations[0]
    drawn = services.experts_assign(scope=scope(made.office), declaration_id=declaration.pk, seed=3)
    leaving = drawn[0]
    account = pb.expert_account(made, leaving.expert_id)
    recusal = services.assignment_recuse(scope=scope(account), assignment_id=leaving.pk, reason="与申报人系师生关系")
    assert recusal.replacement is not None and recusal.replacement.expert_id not in {r.expert_id for r in drawn}
    assert ExpertConflict.objects.filter(expert_id=leaving.expert_id, person=declaration.person).exists()
    assert reads.open_assignments(declaration) == 3
    # The pool is used up: the next recusal leaves a gap the office fills later.
    second = services.assignment_recuse(
        scope=scope(pb.expert_account(made, drawn[1].expert_id)), assignment_id=drawn[1].pk, reason="同一单位"
    )
    assert second.replacement is None and reads.open_assignments(declaration) == 2
    with pytest.raises(TooFewExperts):
        services.experts_assign(scope=scope(made.office), declaration_id=declaration.pk)
    made.experts.append(pb.expert(made.office, "新增专家"))
    assert len(services.experts_assign(scope=scope(made.office), declaration_id=declaration.pk)) == 3
    # Another expert cannot act on an assignment that is not theirs.
    with pytest.raises(NotFound):
        services.sheet_submit(scope=scope(made.experts[-1].account), assignment_id=drawn[2].pk, scores={}, comment="x")


def test_the_whole_review_to_publication_appeal_and_final_result():
    made = pb.review(applicants=3, pool=7, awards=1)
    office = scope(made.office)
    for declaration in made.declarations:
        services.experts_assign(scope=office, declaration_id=declaration.pk, seed=11)
    first, second, third = made.declarations
    pb.score_all(made, first, [(30, 20, 20), (40, 30, 30), (10, 10, 10)])  # 70, 100, 30 -> 70
    pb.score_all(made, second, [(30, 25, 20), (35, 25, 25), (30, 30, 20)])  # 75, 85, 80 -> 80
    # A sheet out of range is refused with the criterion named; a sheet is final.
    pending = ReviewAssignment.objects.filter(declaration=third, status=AssignmentStatus.ASSIGNED).first()
    account = pb.expert_account(made, pending.expert_id)
    with pytest.raises(InvalidInput) as refused:
        services.sheet_submit(
            scope=scope(account),
            assignment_id=pending.pk,
            scores={"创新性": 41, "可行性": 1, "预期效益": 1},
            comment="x",
        )
    assert "创新性" in "".join(refused.value.fields)
    assert services.programme_aggregate(scope=office, programme_code=made.programme.code).scored == 2
    with pytest.raises(Conflict):  # declarations still open
        services.programme_publish(scope=office, programme_code=made.programme.code)
    pb.score_all(made, third, [(20, 20, 20), (20, 20, 20), (20, 20, 21)])  # 60, 60, 61 -> 60
    aggregated = services.programme_aggregate(scope=office, programme_code=made.programme.code)
    assert (aggregated.scored, aggregated.waiting) == (1, 0)
    with pytest.raises(Conflict) as still_open:
        services.programme_publish(scope=office, programme_code=made.programme.code)
    assert still_open.value.code == "programme_open"
    pb.close_declarations(made.programme)
    published = services.programme_publish(scope=office, programme_code=made.programme.code)
    assert published.notice_ends_on == dt.date.today() + dt.timedelta(days=published.notice_days)
    ranked = reads.results(programme=published)
    assert [(r["rank"], r["score"], r["funded"]) for r in ranked] == [
        (1, Decimal("80.00"), True),
        (2, Decimal("70.00"), False),
        (3, Decimal("60.00"), False),
    ]
    assert ranked[0]["name"] == "申*" + "*" * (len("申报人1") - 2)

    # The third appeals; the office upholds it: a fresh set of experts re-reviews it.
    third_citizen = made.citizens[2]
    appeal = services.appeal_lodge(scope=scope(third_citizen), declaration_id=third.pk, reason="评分与实际不符")
    assert services.appeal_lodge(scope=scope(third_citizen), declaration_id=third.pk, reason="再次").pk == appeal.pk
    with pytest.raises(NotFound):
        services.appeal_lodge(scope=scope(made.citizens[0]), declaration_id=third.pk, reason="冒名")
    with pytest.raises(Conflict):
        services.programme_finalise(scope=office, programme_code=made.programme.code)
    services.appeal_decide(scope=office, appeal_id=appeal.pk, upheld=True, reason="评分存在明显差异，重新评审")
    before = {row.expert_id for row in ReviewAssignment.objects.filter(declaration=third)}
    redrawn = services.experts_assign(scope=office, declaration_id=third.pk, seed=5)
    assert not {row.expert_id for row in redrawn} & before and len(redrawn) == 3
    pb.score_all(made, third, [(40, 30, 30), (35, 30, 30), (40, 25, 25)])  # 100, 95, 90 -> 95
    services.programme_aggregate(scope=office, programme_code=made.programme.code)
    third.refresh_from_db()
    appeal.refresh_from_db()
    assert third.score == Decimal("95.00") and appeal.score_before == Decimal("60.00")
    assert (third.rank, third.funded, third.status) == (1, True, DeclarationStatus.PUBLISHED)
    second.refresh_from_db()
    assert (second.rank, second.funded) == (2, False)

    # The second's appeal after the notice period is refused; then the result becomes final.
    Programme.objects.filter(pk=made.programme.pk).update(notice_ends_on=dt.date.today() - dt.timedelta(days=1))
    with pytest.raises(AppealWindowClosed) as late:
        services.appeal_lodge(scope=scope(made.citizens[1]), declaration_id=second.pk, reason="迟到的异议")
    assert late.value.status == 409
    services.programme_finalise(scope=office, programme_code=made.programme.code)
    assert set(Declaration.objects.filter(programme=made.programme).values_list("status", flat=True)) == {"final"}


def test_a_dismissed_appeal_keeps_the_result_and_refusals_at_the_formal_check():
    made = pb.review(applicants=1, pool=3)
    office = scope(made.office)
    declaration = made.declarations[0]
    refused_one = pb.declare(pb.citizen("材料不全者"), made.programme)
    with pytest.raises(InvalidInput):
        services.declaration_check(scope=office, declaration_id=refused_one.pk, accepted=False)  # no reason
    services.declaration_check(scope=office, declaration_id=refused_one.pk, accepted=False, reason="缺少单位推荐意见")
    services.experts_assign(scope=office, declaration_id=declaration.pk)
    pb.score_all(made, declaration, [(30, 20, 20), (30, 20, 20), (30, 20, 20)])
    services.programme_aggregate(scope=office, programme_code=made.programme.code)
    pb.close_declarations(made.programme)
    services.programme_publish(scope=office, programme_code=made.programme.code)
    appeal = services.appeal_lodge(scope=scope(made.citizens[0]), declaration_id=declaration.pk, reason="异议")
    services.appeal_decide(scope=office, appeal_id=appeal.pk, upheld=False, reason="经复核，评分程序合规")
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.PUBLISHED and declaration.score == Decimal("70.00")
    refused_one.refresh_from_db()
    assert refused_one.rank is None and refused_one.refusal_reason == "缺少单位推荐意见"
    # Staff reads of the applicants are audited.
    reads.declarations_office(scope=office, limit=10)
    assert AuditEntry.objects.filter(action="talent.declarations.read", actor=made.office.username).exists()
    far = pb.office(districts=["120103"])
    assert reads.declarations_office(scope=scope(far), limit=10) == []


def test_the_expert_panel_on_the_home_shows_only_to_experts_with_their_tasks():
    from django.test import Client

    from hrss.testing import sign_in

    made = pb.review(applicants=1, pool=3)
    services.experts_assign(scope=scope(made.office), declaration_id=made.declarations[0].pk)
    home = sign_in(Client(), made.experts[0].account).get("/my/").content.decode()
    assert "我的评审任务" in home and "为申报项目“项目0”评分" in home
    assert "我的评审任务" not in sign_in(Client(), made.citizens[0]).get("/my/").content.decode()
    page = sign_in(Client(), made.citizens[0]).get("/talent/reviews/")
    assert page.status_code == 200 and "不在人才计划评审专家库中" in page.content.decode()
