"""Applications: tiered review by gateway data, idempotent submit, supplements, scope, escalation, dispatch."""

import datetime as dt
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.workdays import add_workdays, is_workday
from hrss.servicehall import extension_points, selectors, services
from hrss.servicehall.models import Application, ServiceItem, WorkItem
from hrss.servicehall.tests.builders import (
    ARBITRATION_FORM,
    FLEXIBLE_FORM,
    PNG,
    UNEMPLOYMENT_FORM,
    another_citizen,
    bearer,
    do,
    key,
    second_reviewer,
    submit,
    submit_rated,
)
from hrss.testing import make_person, make_user

pytestmark = pytest.mark.django_db


def steps(application):
    return list(application.work_items.filter(state="done").order_by("created_at").values_list("step", flat=True))


# ------------------------------------------------------------- tiered review


def test_low_risk_unemployment_has_two_tiers(city):
    application = submit(city)
    assert application.risk_flags == []
    application = do(city, do(city, application))
    assert application.status == "approved"
    assert steps(application) == ["accept", "first_review"]


def test_risk_flag_adds_a_second_review_by_another_reviewer(city):
    second = second_reviewer(city)
    application = submit(city, form={**UNEMPLOYMENT_FORM, "phone": "13900000009"})
    assert application.risk_flags == ["phone_differs_from_registry"]
    application = do(city, do(city, application))
    # The first reviewer did 初审: 复审 goes to the other reviewer (职责分离).
    assert application.work_items.get(state="open").assignee == second
    application = do(city, application)
    assert application.status == "approved"
    assert steps(application) == ["accept", "first_review", "second_review"]
    assert list(application.work_items.order_by("created_at").values_list("assignee__username", flat=True)) == [
        "clerk_hp",
        "reviewer1",
        "reviewer2",
    ]


# ------------------------------------------------------------- separation of duties (职责分离)


def _at_second_review(city):
    """A large arbitration claim accepted and through 初审 by ``city.reviewer``; 复审 waits in the pool."""
    application = submit(city, "SH-ZC-001", {**ARBITRATION_FORM, "amount": "250000"})
    application = do(city, do(city, application))
    work = application.work_items.get(state="open")
    assert work.step == "second_review"
    return application, work


def test_a_reviewer_who_did_one_tier_is_refused_the_next(city):
    application, work = _at_second_review(city)
    assert work.assignee is None  # the only reviewer did 初审: 复审 waits in the pool
    with pytest.raises(PermissionDenied) as refused:
        services.work_item_complete(
            scope=city.scope(city.reviewer), user=city.reviewer, work_item=work, decision="approve"
        )
    assert refused.value.code == "separation_of_duties"
    assert "初审" in str(refused.value.message) and "复审" in str(refused.value.message)
    work.refresh_from_db()
    assert work.state == "open"
    # Nor does "take next" hand it to them, nor a supervisor assign it to them.
    assert services.work_item_take_next(scope=city.scope(city.reviewer), user=city.reviewer) is None
    admin = make_user("admin1", roles.ADMINISTRATOR, city_wide=True)
    with pytest.raises(PermissionDenied) as assigned:
        services.work_item_assign(scope=city.scope(admin), user=admin, work_item=work, assignee=city.reviewer)
    assert assigned.value.code == "separation_of_duties"
    # Another reviewer takes it and does it.
    second = second_reviewer(city)
    assert services.work_item_take_next(scope=city.scope(second), user=second) == work
    application = do(city, application, user=second)
    assert application.work_items.get(state="open").step == "approve"


def test_one_person_with_every_role_does_one_tier_only(city):
    everything = make_user("all_roles", roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, city_wide=True)
    application = submit(city, "SH-ZC-001", ARBITRATION_FORM)
    application = do(city, application, user=everything)  # 受理
    first_review = application.work_items.get(state="open")
    assert first_review.assignee == city.reviewer  # dispatch passed them over
    WorkItem.objects.filter(pk=first_review.pk).update(assignee=None)  # back in the pool
    with pytest.raises(PermissionDenied) as refused:
        do(city, application, user=everything)
    assert refused.value.code == "separation_of_duties"


def test_separation_of_duties_is_configurable_per_item(city):
    ServiceItem.objects.filter(code="SH-ZC-001").update(separation_of_duties=False)
    application, work = _at_second_review(city)
    assert work.assignee == city.reviewer
    application = do(city, application, user=city.reviewer)
    assert application.work_items.get(state="open").step == "approve"


def test_the_same_tier_again_after_a_supplement_is_allowed(city):
    application = submit(city, "SH-ZC-001", ARBITRATION_FORM)
    application = do(city, application)  # accepted
    application = do(city, application, decision="supplement", reasons="请补充证据。")
    application = services.supplement_answer(scope=city.scope(city.citizen), user=city.citizen, application=application)
    work = application.work_items.get(state="open")
    assert work.step == "first_review"
    application = do(city, application, user=city.reviewer)
    assert application.work_items.get(state="open").step == "approve"


def test_the_api_refuses_the_next_tier_with_a_stable_code(city):
    _application, work = _at_second_review(city)
    answer = bearer(city.reviewer).post(
        f"/api/v1/servicehall/work-items/{work.pk}/complete",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "separation_of_duties"
    assert "复审" in answer.json()["message"]


# ------------------------------------------------------------- refused at submission


def test_a_second_open_application_is_refused_at_submission(city):
    first = submit(city)
    with pytest.raises(Conflict) as refused:
        submit(city)
    assert refused.value.code == "duplicate_open_application"
    assert first.reference in str(refused.value.message)
    assert Application.objects.count() == 1
    # Once the first is withdrawn, the applicant may apply again.
    services.application_withdraw(scope=city.scope(city.citizen), application=first)
    assert submit(city).is_open


def test_a_walk_in_duplicate_is_refused_too(city):
    submit(city)
    with pytest.raises(Conflict) as refused:
        submit(city, user=city.clerk, channel="counter", person=city.person)
    assert refused.value.code == "duplicate_open_application"
    assert "This applicant" in str(refused.value.message)


def test_items_that_allow_several_open_applications_flag_them_for_review(city):
    submit(city, "SH-ZC-001", ARBITRATION_FORM)
    second = submit(city, "SH-ZC-001", {**ARBITRATION_FORM, "respondent": "另一公司"})
    assert second.risk_flags == ["duplicate_open_application"]


def test_an_app_registers_a_submission_check_for_its_item(city):
    def no_flexible_work(*, item_code, person, employer, form_data):
        if form_data is not None and form_data.get("work_type") == "platform":
            raise Conflict("platform work is enrolled by the platform", code="enrolled_elsewhere")

    extension_points.register_submission_check("SH-YL-001", no_flexible_work)
    try:
        with pytest.raises(Conflict) as refused:
            submit(city, "SH-YL-001", FLEXIBLE_FORM)
        assert refused.value.code == "enrolled_elsewhere"
        assert submit(city, "SH-YL-001", {**FLEXIBLE_FORM, "work_type": "part_time"}).is_open
    finally:
        extension_points.unregister_submission_check("SH-YL-001", no_flexible_work)


def test_a_retried_submit_is_answered_not_refused_as_a_duplicate(city):
    first = submit(city, idempotency_key="same")
    again = submit(city, idempotency_key="same")
    assert again.pk == first.pk


def test_poor_credit_adds_a_tier_and_good_credit_skips_review(city):
    def credit(person=None, employer=None):
        return "C" if person is not None and person.name == "张伟" else "A"

    extension_points.register_credit_provider(credit)
    try:
        risky = submit(city, "SH-YL-001", FLEXIBLE_FORM)
        other = make_person(district="120101", name="李娜", phone="13900000001")
        other_user = make_user("citizen2", roles.CITIZEN, person=other)
        good = submit(city, "SH-YL-001", {**FLEXIBLE_FORM, "phone": "13900000001"}, user=other_user)
    finally:
        extension_points.unregister_credit_provider(credit)
    assert (risky.credit_class, good.credit_class) == ("C", "A")
    risky = do(city, do(city, risky))
    good = do(city, good)
    assert (risky.status, good.status) == ("approved", "approved")
    assert steps(risky) == ["accept", "first_review"]
    assert steps(good) == ["accept"]


def test_large_arbitration_claim_adds_second_review_then_approval(city):
    second_reviewer(city)
    form = {"phone": "13800138000", "respondent": "某公司", "claims": "支付拖欠工资", "amount": "250000"}
    application = submit(city, "SH-ZC-001", form)
    assert float(application.amount) == 250000
    for _ in range(4):
        application = do(city, application)
    assert application.status == "approved"
    assert steps(application) == ["accept", "first_review", "second_review", "approve"]
    # The labour app accepts the case (立案): its award clock starts.
    assert application.result["handled_by"] == "labor" and application.result["award_due"]


def test_instant_item_is_done_on_submit(city):
    application = submit(city, "SH-YL-002", {"purpose": "housing"})
    assert application.status == "approved" and application.decided_at
    assert application.result["certificate_number"].startswith("JFZM-")
    assert not application.work_items.exists()


def test_rejection_needs_reasons_and_ends_the_process(city):
    application = submit(city)
    with pytest.raises(InvalidInput):
        do(city, application, decision="reject")
    application = do(city, application, decision="reject", reasons="Still employed according to tax records.")
    assert application.status == "rejected"
    assert application.decision_reasons == "Still employed according to tax records."


# ------------------------------------------------------------- idempotent submit


def test_retried_submit_returns_the_same_application(city):
    first, created = services.application_submit(
        scope=city.scope(city.citizen),
        user=city.citizen,
        item_code="SH-JY-001",
        form_data=UNEMPLOYMENT_FORM,
        idempotency_key="retry-1",
        channel="app",
    )
    again, created_again = services.application_submit(
        scope=city.scope(city.citizen),
        user=city.citizen,
        item_code="SH-JY-001",
        form_data=UNEMPLOYMENT_FORM,
        idempotency_key="retry-1",
        channel="app",
    )
    assert created and not created_again and first.pk == again.pk
    assert Application.objects.count() == 1
    assert WorkItem.objects.count() == 1
    with pytest.raises(Conflict) as caught:
        services.application_submit(
            scope=city.scope(city.citizen),
            user=city.citizen,
            item_code="SH-JY-001",
            form_data={**UNEMPLOYMENT_FORM, "unemployed_since": "2026-09-01"},
            idempotency_key="retry-1",
            channel="app",
        )
    assert caught.value.code == "idempotency_key_reused"


def test_bad_form_is_a_validation_error_with_fields(city):
    with pytest.raises(InvalidInput) as caught:
        submit(city, form={"phone": "12345", "unemployed_since": "yesterday"})
    assert set(caught.value.fields) == {"phone", "unemployed_since"}


def test_readonly_fields_come_from_the_registry(city):
    application = submit(city, form={**UNEMPLOYMENT_FORM, "name": "冒名"})
    assert application.form_data["name"] == "张伟"


# ------------------------------------------------------------- supplements and materials


def test_supplement_round_trip_with_materials(city):
    application = submit(city, "SH-KA-001", {"phone": "13800138000", "delivery": "post", "address": "和平区南京路1号"})
    application = do(
        city, application, decision="supplement", reasons="The photo is missing.", missing_materials=["photo"]
    )
    assert application.status == "supplement"
    request = application.supplements.get()
    assert request.missing_materials == ["photo"]
    with pytest.raises(InvalidInput) as caught:
        services.supplement_answer(scope=city.scope(city.citizen), user=city.citizen, application=application)
    assert caught.value.code == "materials_missing"
    material = services.material_upload(
        scope=city.scope(city.citizen),
        application=application,
        kind="photo",
        upload=SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
    )
    assert len(material.sha256) == 64 and material.content_type == "image/png"
    same = services.material_upload(
        scope=city.scope(city.citizen),
        application=application,
        kind="photo",
        upload=SimpleUploadedFile("again.png", PNG, content_type="image/png"),
    )
    assert same.pk == material.pk
    application = services.supplement_answer(
        scope=city.scope(city.citizen), user=city.citizen, application=application, answer="Photo attached."
    )
    assert application.status == "in_progress"
    assert application.work_items.get(state="open").step == "accept"
    application = do(city, application)
    assert application.status == "approved"
    assert steps(application) == ["accept", "supplement", "accept"]


def test_upload_refuses_files_that_are_not_documents(city):
    application = submit(city, "SH-KA-001", {"phone": "13800138000", "delivery": "post", "address": "和平区南京路1号"})
    with pytest.raises(InvalidInput) as caught:
        services.material_upload(
            scope=city.scope(city.citizen),
            application=application,
            kind="photo",
            upload=SimpleUploadedFile("x.png", b"MZ\x90\x00 not an image", content_type="image/png"),
        )
    assert caught.value.code == "file_type"


# ------------------------------------------------------------- scope


def test_staff_cannot_open_an_application_outside_their_scope(city):
    application = submit(city)  # the applicant lives in 和平区 120101
    hexi = city.scope(city.clerk_hexi)
    with pytest.raises(NotFound):
        selectors.application_get(scope=hexi, reference=application.reference)
    work = application.work_items.get()
    with pytest.raises(NotFound):
        services.work_item_complete(scope=hexi, user=city.clerk_hexi, work_item=work, decision="approve")
    assert selectors.application_get(scope=city.scope(city.clerk), reference=application.reference) == application


def test_any_office_accepts_a_walk_in_and_then_sees_it(city):
    """全城通办: a 河西 clerk takes in a 和平 resident; the application stays 和平's for scoping."""
    application, created = services.application_submit(
        scope=city.scope(city.clerk_hexi),
        user=city.clerk_hexi,
        item_code="SH-JY-001",
        form_data=UNEMPLOYMENT_FORM,
        idempotency_key=key(),
        channel="counter",
        person=city.person,
    )
    assert created and application.district_id == "120101" and application.accepted_office == "120103"
    work = application.work_items.get()
    assert work.assignee == city.clerk_hexi
    assert selectors.application_get(scope=city.scope(city.clerk_hexi), reference=application.reference)
    application = services.work_item_complete(
        scope=city.scope(city.clerk_hexi), user=city.clerk_hexi, work_item=work, decision="approve"
    )
    assert application.visits == 1 and application.status == "in_progress"


def test_citizen_sees_only_their_own(city):
    application = submit(city)
    other = make_person(district="120101", name="王芳", phone="13900000002")
    other_user = make_user("citizen3", roles.CITIZEN, person=other)
    with pytest.raises(NotFound):
        selectors.application_get(scope=city.scope(other_user), reference=application.reference)


# ------------------------------------------------------------- escalation over a public holiday


def test_escalation_counts_working_days_across_national_day(city):
    assert not is_workday(dt.date(2025, 10, 3)) and is_workday(dt.date(2025, 10, 11))  # 2025 arrangement
    application = submit(city)
    work = application.work_items.get()
    first_holder = work.assignee
    WorkItem.objects.filter(pk=work.pk).update(due_date=dt.date(2025, 9, 30))
    # A week of holiday later nothing is overdue in working days.
    assert services.escalate_overdue(today=dt.date(2025, 10, 8))["escalated"] == 0
    assert services.escalate_overdue(today=dt.date(2025, 10, 9))["escalated"] == 1
    work.refresh_from_db()
    assert work.escalation_level == 1 and work.assignee == first_holder
    # The same level is not escalated twice.
    assert services.escalate_overdue(today=dt.date(2025, 10, 10))["escalated"] == 0
    # 9, 10, 11 (a make-up Saturday) are three working days over: back to dispatch.
    result = services.escalate_overdue(today=dt.date(2025, 10, 11))
    assert result == {"escalated": 1, "redispatched": 1, "applications_overdue": 0}
    work.refresh_from_db()
    assert work.escalation_level == 2 and work.assignee != first_holder


def test_applications_past_their_deadline_are_flagged(city):
    application = submit(city)
    Application.objects.filter(pk=application.pk).update(deadline=dt.date(2025, 9, 30))
    assert services.escalate_overdue(today=dt.date(2025, 10, 9))["applications_overdue"] == 1


def test_escalate_command(city, capsys):
    from django.core.management import call_command

    submit(city)
    call_command("servicehall", "escalate", "--today", "2099-01-01")
    assert "escalated" in capsys.readouterr().out


# ------------------------------------------------------------- dispatch


def test_dispatch_spreads_work_evenly_and_fairly(city):
    clerks = [city.clerk] + [make_user(f"clerk_{i}", roles.COUNTER_CLERK, districts=["120101"]) for i in range(2)]
    make_user("clerk_far", roles.COUNTER_CLERK, districts=["120103"])
    applications = [submit(city, "SH-ZC-001", ARBITRATION_FORM) for _ in range(6)]
    holders = [a.work_items.get().assignee.username for a in applications]
    assert sorted(holders.count(c.username) for c in clerks) == [2, 2, 2]
    assert "clerk_far" not in holders
    # Among equally loaded clerks, the one who waited longest gets the next item.
    assert len(set(holders[:3])) == 3 and holders[3:] == holders[:3]
    # Whoever finishes first has the lightest load and gets the next one.
    first = applications[0].work_items.get()
    do(city, applications[0], user=first.assignee)
    nxt = submit(city, "SH-ZC-001", ARBITRATION_FORM).work_items.filter(step="accept").get()
    assert nxt.assignee == first.assignee


def test_skills_and_duty_limit_dispatch(city):
    from hrss.servicehall.models import StaffProfile

    insurance_only = make_user("clerk_ins", roles.COUNTER_CLERK, districts=["120101"])
    StaffProfile.objects.create(user=insurance_only, skills=["insurance"])
    StaffProfile.objects.create(user=city.clerk, on_duty=False)
    application = submit(city)  # employment item: nobody eligible on duty -> pool
    work = application.work_items.get()
    assert work.assignee is None
    taken = services.work_item_take_next(scope=city.scope(city.clerk), user=city.clerk)
    assert taken == work


def test_fast_track_work_comes_after_escalated_work_and_before_earlier_due_work(city):
    """绿色通道 (A7): class A without a risk flag is taken and listed first, after escalated work."""
    from hrss.servicehall.models import StaffProfile

    StaffProfile.objects.create(user=city.clerk, on_duty=False)  # 受理 waits in the pool for "take next"
    ordinary = submit(city)  # 张伟: not rated
    flagged = submit_rated(
        city, "A", form={**UNEMPLOYMENT_FORM, "phone": "13900000009"}, user=another_citizen("c3", "赵磊", "13900000003")
    )
    escalated = submit(
        city, form={**UNEMPLOYMENT_FORM, "phone": "13900000004"}, user=another_citizen("c4", "王芳", "13900000004")
    )
    fast = submit_rated(
        city, "A", form={**UNEMPLOYMENT_FORM, "phone": "13900000001"}, user=another_citizen("c2", "李娜", "13900000001")
    )
    assert (fast.credit_class, fast.risk_flags, fast.fast_track) == ("A", [], True)
    assert flagged.credit_class == "A" and flagged.risk_flags == ["phone_differs_from_registry"]
    assert not (flagged.fast_track or ordinary.fast_track or escalated.fast_track)
    work = {
        name: application.work_items.get()
        for name, application in {
            "ordinary": ordinary,
            "flagged": flagged,
            "escalated": escalated,
            "fast": fast,
        }.items()
    }
    assert all(w.assignee is None for w in work.values())
    due = fast.work_items.get().due_date
    # The ordinary and the flagged work are due before the fast-track work; the escalated one after it.
    WorkItem.objects.filter(pk=work["flagged"].pk).update(due_date=due - dt.timedelta(days=2))
    WorkItem.objects.filter(pk=work["ordinary"].pk).update(due_date=due - dt.timedelta(days=1))
    WorkItem.objects.filter(pk=work["escalated"].pk).update(due_date=due + dt.timedelta(days=1), escalation_level=1)
    expected = [work[name] for name in ("escalated", "fast", "flagged", "ordinary")]
    supervisor = make_user("super", roles.COUNTER_CLERK, districts=["120101"])
    assert selectors.supervisor_overview(scope=city.scope(supervisor))["pool"] == expected
    taken = [services.work_item_take_next(scope=city.scope(city.clerk), user=city.clerk) for _ in expected]
    assert taken == expected
    assert services.work_item_take_next(scope=city.scope(city.clerk), user=city.clerk) is None
    assert selectors.my_queue(scope=city.scope(city.clerk), user=city.clerk) == expected


def test_supervisor_reassigns(city):
    from hrss.servicehall.models import StaffProfile

    other = make_user("clerk_other", roles.COUNTER_CLERK, districts=["120101"])
    supervisor = make_user("super", roles.COUNTER_CLERK, districts=["120101"])
    StaffProfile.objects.create(user=supervisor, supervisor=True, on_duty=False)
    application = submit(city)
    work = application.work_items.get()
    target = other if work.assignee != other else city.clerk
    with pytest.raises(Exception, match="supervisor"):
        services.work_item_assign(scope=city.scope(city.clerk), user=city.clerk, work_item=work, assignee=target)
    services.work_item_assign(scope=city.scope(supervisor), user=supervisor, work_item=work, assignee=target)
    work.refresh_from_db()
    assert work.assignee == target
    with pytest.raises(InvalidInput):
        services.work_item_assign(
            scope=city.scope(supervisor), user=supervisor, work_item=work, assignee=city.clerk_hexi
        )


def test_withdraw(city):
    application = submit(city)
    application = services.application_withdraw(scope=city.scope(city.citizen), application=application)
    assert application.status == "withdrawn"
    assert not application.work_items.filter(state="open").exists()


def test_statistics(city):
    submit(city, "SH-YL-002", {"purpose": "housing"})
    application = submit(city)
    do(city, do(city, application))
    stats = selectors.item_statistics(item=application.item)
    assert stats.decided == 1 and stats.share_fully_online == 1.0 and stats.average_visits == 0


def test_events_notify_the_applicant(city, django_capture_on_commit_callbacks):
    from hrss.notify.models import OutboundMessage

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        submit(city)
    channels = set(OutboundMessage.objects.values_list("channel", flat=True))
    assert {"sms", "in_app"} <= channels


def test_escalation_task(city, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from hrss.servicehall.tasks import escalate_overdue_work

    application = submit(city)
    WorkItem.objects.filter(application=application).update(due_date=dt.date(2025, 9, 30))
    result = escalate_overdue_work.enqueue("2025-10-09")
    assert result.return_value["escalated"] == 1


def test_escalation_tells_the_holder_and_supervisors(city, django_capture_on_commit_callbacks):
    from hrss.notify.models import OutboundMessage
    from hrss.servicehall.models import StaffProfile

    boss = make_user("boss2", roles.COUNTER_CLERK, districts=["120101"])
    StaffProfile.objects.create(user=boss, supervisor=True, on_duty=False)
    application = submit(city)
    WorkItem.objects.filter(application=application).update(due_date=dt.date(2025, 9, 30))
    with django_capture_on_commit_callbacks(execute=True):
        services.escalate_overdue(today=dt.date(2025, 10, 9))
    recipients = set(
        OutboundMessage.objects.filter(channel="in_app", template="servicehall_escalated").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {str(boss.pk), str(city.clerk.pk)}


def test_clerk_takes_in_a_supplement_for_a_walk_in_applicant(city):
    application, _ = services.application_submit(
        scope=city.scope(city.clerk),
        user=city.clerk,
        item_code="SH-KA-001",
        form_data={"phone": "13800138000", "delivery": "outlet"},
        idempotency_key=key(),
        channel="counter",
        person=city.person,
    )
    application = do(city, application, "supplement", reasons="Bring a photo.", missing_materials=["photo"])
    supplement = application.work_items.get(state="open")
    assert supplement.role == "applicant" and supplement.assignee is None
    services.material_upload(
        scope=city.scope(city.clerk),
        application=application,
        kind="photo",
        upload=SimpleUploadedFile("p.png", PNG, content_type="image/png"),
    )
    application = services.supplement_answer(scope=city.scope(city.clerk), user=city.clerk, application=application)
    assert application.visits == 2 and application.status == "in_progress"


# ------------------------------------------------------------- promised dates


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moment=st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31)),
    code=st.sampled_from(["SH-ZC-001", "SH-YL-002"]),
)
def test_promised_dates_follow_the_submission_date(city, moment, code):
    """Submitted at any moment (midnight in Beijing included), the deadline and every step's
    due date fall on or after the day of submission, in the bureau's time zone."""
    moment = timezone.make_aware(moment)
    form = ARBITRATION_FORM if code == "SH-ZC-001" else {"purpose": "housing"}
    with mock.patch("django.utils.timezone.now", return_value=moment):
        application = submit(city, code, form)
    submitted_on = timezone.localdate(application.submitted_at)
    assert application.submitted_at == moment
    assert application.deadline >= submitted_on
    assert application.deadline == add_workdays(submitted_on, application.item.time_limit_workdays)
    for work in application.work_items.all():
        assert work.due_date >= submitted_on
