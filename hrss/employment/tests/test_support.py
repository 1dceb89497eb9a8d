"""The bureau's support for people (E1, E2): special groups identified by rule or with
evidence, ended by the set-based review, measures and follow-ups due in the caller's
districts; guidance slots booked once; start-ups registered with their guidance."""

import datetime as dt
import itertools
import threading

import pytest
from django.db import connection
from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.employment import support, support_selectors
from hrss.employment.models import UnemploymentRegistration
from hrss.employment.notify_templates import GUIDANCE_BOOKED_TEMPLATE
from hrss.employment.support_models import GuidanceBooking, SpecialGroupMembership
from hrss.employment.tests import builders
from hrss.notify.models import OutboundMessage
from hrss.testing import make_employer, make_employment, make_person, make_user

pytestmark = pytest.mark.django_db
_names = itertools.count(1)


def registered(person, since: dt.date) -> UnemploymentRegistration:
    return UnemploymentRegistration.objects.create(
        person=person,
        unemployed_since=since,
        registered_on=since,
        hall_reference=f"SHT{person.pk.hex[:12]}",
        registered_by="test",
    )


def clerk(district: str = "120101", name: str = "support_clerk"):
    return builders.scope(make_user(name, roles.COUNTER_CLERK, districts=[district]))


def reviewer():
    return builders.scope(make_user(f"support_reviewer{next(_names)}", roles.REVIEWER, city_wide=True))


def test_rule_based_groups_are_identified_from_the_registry_and_registrations_and_near_misses_refused():
    today = timezone.localdate()
    staff = clerk()
    woman_41 = make_person(name="大龄女", birth=today.replace(year=today.year - 41) - dt.timedelta(days=1), sex="F")
    registered(woman_41, today - dt.timedelta(days=40))
    man_45 = make_person(name="中年男", birth=today.replace(year=today.year - 45), sex="M")  # men: 50
    registered(man_45, today - dt.timedelta(days=40))
    woman_unregistered = make_person(name="未登记女", birth=dt.date(1970, 1, 1), sex="F")
    long_term = make_person(name="长期失业", birth=dt.date(1995, 5, 5))
    registered(long_term, today - dt.timedelta(days=400))
    short_term = make_person(name="短期失业", birth=dt.date(1995, 5, 5))
    registered(short_term, today - dt.timedelta(days=200))

    membership = support.special_group_identify(scope=staff, person_id=woman_41.pk, category="older_unemployed")
    assert membership.identified_by == staff.actor and membership.next_follow_up == today
    assert {"code": "age", "age": 41, "needed": 40, "sex": "F"} in membership.basis
    assert "就业促进法" in membership.basis[0]["basis"]
    again = support.special_group_identify(scope=staff, person_id=woman_41.pk, category="older_unemployed")
    assert again.pk == membership.pk and SpecialGroupMembership.objects.count() == 1

    for person, category in (
        (man_45, "older_unemployed"),
        (woman_unregistered, "older_unemployed"),
        (short_term, "long_term_unemployed"),
    ):
        with pytest.raises(Conflict) as refused:
            support.special_group_identify(scope=staff, person_id=person.pk, category=category)
        assert refused.value.code == "group_conditions_not_met"
    long = support.special_group_identify(scope=staff, person_id=long_term.pk, category="long_term_unemployed")
    assert long.basis[1] == {"code": "unemployed_months", "months": 13, "needed": 12}
    with pytest.raises(InvalidInput):
        support.special_group_identify(scope=staff, person_id=long_term.pk, category="no_such_group")
    assert AuditEntry.objects.filter(action="employment.special_group_identify").count() == 2


def test_declared_groups_need_evidence_and_graduates_a_recent_date():
    today = timezone.localdate()
    staff = clerk()
    person = make_person(name="残疾人")
    with pytest.raises(InvalidInput) as refused:
        support.special_group_identify(scope=staff, person_id=person.pk, category="disabled")
    assert "evidence" in refused.value.fields
    membership = support.special_group_identify(
        scope=staff, person_id=person.pk, category="disabled", evidence="残疾人证 12010119900307321442"
    )
    assert membership.evidence.startswith("残疾人证")
    graduate = make_person(name="毕业生")
    with pytest.raises(Conflict):
        support.special_group_identify(
            scope=staff,
            person_id=graduate.pk,
            category="unemployed_graduate",
            evidence="毕业证书",
            evidence_date=today - dt.timedelta(days=800),
        )
    support.special_group_identify(
        scope=staff,
        person_id=graduate.pk,
        category="unemployed_graduate",
        evidence="毕业证书",
        evidence_date=today - dt.timedelta(days=100),
    )


def test_staff_of_another_district_and_citizens_find_no_one():
    person = make_person(name="和平区居民")
    with pytest.raises(NotFound):
        support.special_group_identify(
            scope=clerk("120103", "other_clerk"), person_id=person.pk, category="disabled", evidence="残疾人证"
        )
    with pytest.raises(PermissionDenied):
        support.special_group_identify(
            scope=builders.scope(builders.seeker()), person_id=person.pk, category="disabled", evidence="x"
        )


def test_measures_follow_ups_and_the_due_list_of_the_callers_districts():
    today = timezone.localdate()
    staff = clerk()
    here = make_person(name="本区人员")
    there = make_person(name="外区人员", district="120103")
    mine = support.special_group_identify(scope=staff, person_id=here.pk, category="disabled", evidence="残疾人证")
    support.special_group_identify(
        scope=clerk("120103", "clerk_3"), person_id=there.pk, category="disabled", evidence="残疾人证"
    )
    due = support_selectors.members(scope=staff, limit=50, due=True)
    assert [m.person_id for m in due] == [here.pk]
    assert AuditEntry.objects.filter(action="employment.special_groups_read").exists()
    support.support_measure_give(scope=staff, membership_id=mine.pk, kind="skills_training", given_on=today)
    support.follow_up_record(
        scope=staff,
        membership_id=mine.pk,
        on=today,
        way="phone",
        notes="已参加培训",
        next_due=today + dt.timedelta(days=30),
    )
    assert support_selectors.members(scope=staff, limit=50, due=True) == []
    detail = support_selectors.member_get(scope=staff, membership_id=mine.pk)
    assert [m.kind for m in detail.measures.all()] == ["skills_training"]
    assert detail.follow_ups.get().way == "phone"
    with pytest.raises(InvalidInput):
        support.follow_up_record(scope=staff, membership_id=mine.pk, on=today, way="telepathy")
    with pytest.raises(InvalidInput):
        support.follow_up_record(scope=staff, membership_id=mine.pk, on=today, way="visit", next_due=today)


def test_the_review_ends_who_found_work_or_no_longer_meets_a_rule_in_a_few_statements():
    today = timezone.localdate()
    staff = clerk()
    found_work = make_person(name="已就业", birth=dt.date(1970, 1, 1), sex="F")
    registered(found_work, today - dt.timedelta(days=30))
    ended_registration = make_person(name="登记已结束", birth=dt.date(1970, 1, 1), sex="F")
    registration = registered(ended_registration, today - dt.timedelta(days=30))
    still = make_person(name="仍失业", birth=dt.date(1970, 1, 1), sex="F")
    registered(still, today - dt.timedelta(days=30))
    declared = make_person(name="残疾人员")
    ids = {}
    for person in (found_work, ended_registration, still):
        ids[person.pk] = support.special_group_identify(
            scope=staff, person_id=person.pk, category="older_unemployed"
        ).pk
    support.special_group_identify(scope=staff, person_id=declared.pk, category="disabled", evidence="残疾人证")
    make_employment(found_work, make_employer(name="新单位"), start=today)
    registration.status = UnemploymentRegistration.Status.ENDED
    registration.save()
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        counts = support.special_groups_review(scope=reviewer())
    assert counts == {"employed": 1, "expired": 1}
    assert len(queries) <= 16  # a constant: parameters, savepoints, two updates, the audit entry
    status = dict(SpecialGroupMembership.objects.values_list("person_id", "end_reason"))
    assert status[found_work.pk] == "employed" and status[ended_registration.pk] == "expired"
    assert status[still.pk] == "" and status[declared.pk] == ""
    with pytest.raises(PermissionDenied):
        support.special_groups_review(scope=staff)
    assert support.special_groups_review(scope=reviewer()) == {"employed": 0, "expired": 0}


def _slot(staff, hours: int = 48):
    return support.guidance_slot_publish(
        scope=staff,
        starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(hours=hours),
        place="和平区人力资源市场三楼",
        district="120101",
    )


def test_a_citizen_books_one_slot_a_retry_answers_the_same_and_the_counsellor_records_the_outcome():
    counsellor = clerk()
    slot = _slot(counsellor)
    assert _slot(counsellor).pk == slot.pk  # publishing again: the same slot
    other_slot = _slot(counsellor, hours=72)
    citizen, other = builders.seeker(), builders.seeker()
    booking = support.guidance_book(scope=builders.scope(citizen), slot_id=slot.pk, topic="转行")
    assert support.guidance_book(scope=builders.scope(citizen), slot_id=slot.pk).pk == booking.pk
    told = OutboundMessage.objects.get(template=GUIDANCE_BOOKED_TEMPLATE)
    assert told.recipient == str(citizen.pk)
    with pytest.raises(Conflict) as taken:
        support.guidance_book(scope=builders.scope(other), slot_id=slot.pk)
    assert taken.value.code == "slot_taken"
    with pytest.raises(Conflict) as second:
        support.guidance_book(scope=builders.scope(citizen), slot_id=other_slot.pk)
    assert second.value.code == "already_booked"
    assert [s.pk for s in support_selectors.slots_open(limit=10)] == [other_slot.pk]
    support.guidance_cancel(scope=builders.scope(citizen), booking_id=booking.pk)
    mine = support.guidance_book(scope=builders.scope(other), slot_id=slot.pk)
    with pytest.raises(NotFound):  # only the slot's counsellor
        support.guidance_outcome(scope=clerk(name="another"), booking_id=mine.pk, attended=True)
    done = support.guidance_outcome(scope=counsellor, booking_id=mine.pk, attended=True, outcome="建议参加电工培训")
    assert done.status == GuidanceBooking.Status.ATTENDED
    with pytest.raises(InvalidInput):
        support.guidance_slot_publish(
            scope=counsellor, starts_at=timezone.now() - dt.timedelta(hours=1), place="x", district="120101"
        )
    with pytest.raises(PermissionDenied):  # another district's slot
        support.guidance_slot_publish(
            scope=counsellor, starts_at=timezone.now() + dt.timedelta(days=2), place="x", district="120103"
        )


@pytest.mark.django_db(transaction=True)
def test_two_citizens_racing_for_one_slot_one_wins():
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL")
    slot = _slot(clerk())
    citizens = [builders.seeker(), builders.seeker()]
    results: list[object] = []

    def book(user):
        try:
            results.append(support.guidance_book(scope=builders.scope(user), slot_id=slot.pk))
        except Conflict as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(user,)) for user in citizens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert GuidanceBooking.objects.filter(slot=slot).count() == 1


def test_start_ups_are_registered_once_validated_and_followed_up():
    today = timezone.localdate()
    citizen = builders.seeker()
    values = {
        "business_name": "和平区小李面馆",
        "started_on": today - dt.timedelta(days=60),
        "industry": "H",
        "district": "120101",
        "employees": 3,
    }
    registration = support.startup_register(scope=builders.scope(citizen), **values)
    assert support.startup_register(scope=builders.scope(citizen), **values).pk == registration.pk
    with pytest.raises(InvalidInput) as refused:
        support.startup_register(
            scope=builders.scope(citizen), **{**values, "business_name": "另一家", "credit_code": "91120101MA05K1230X"}
        )
    assert "credit_code" in refused.value.fields
    with pytest.raises(InvalidInput):
        support.startup_register(
            scope=builders.scope(citizen), **{**values, "started_on": today + dt.timedelta(days=1)}
        )
    staff = clerk()
    support.startup_guidance_record(
        scope=staff, registration_id=registration.pk, on=today, adviser="王老师", topics=["财务", "营销"]
    )
    listed = support_selectors.startups(scope=staff, limit=10)
    assert [s.pk for s in listed] == [registration.pk]
    assert listed[0].guidance.get().topics == ["营销", "财务"] or listed[0].guidance.get().topics == ["财务", "营销"]
    assert support_selectors.startups(scope=clerk("120103", "clerk_far"), limit=10) == []
    on_behalf = support.startup_register(scope=staff, person_id=make_person(name="代办").pk, **values)
    assert on_behalf.registered_by == staff.actor


def test_the_demo_identifies_publishes_and_registers_once_however_often_it_runs(city):
    from hrss.employment.demo import demo_support
    from hrss.employment.support_models import GuidanceSlot, StartupRegistration

    first = demo_support(citizen=city.citizen, clerk=city.clerk)
    second = demo_support(citizen=city.citizen, clerk=city.clerk)
    assert first == second and len(first) == 2
    assert SpecialGroupMembership.objects.count() == 1
    assert GuidanceSlot.objects.count() == 1 and StartupRegistration.objects.count() == 1
