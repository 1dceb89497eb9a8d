import pytest
from django.utils import timezone

from hrss.core import scope as roles
from hrss.servicehall.demo import demo_applications
from hrss.servicehall.models import Application, WorkItem
from hrss.testing import make_employer, make_person, make_user

pytestmark = pytest.mark.django_db


def test_demo_applications_cover_every_state_and_are_idempotent():
    person = make_person(district="120101", name="张伟", phone="13800138000")
    employer = make_employer(district="120101")
    make_user("citizen", roles.CITIZEN, person=person)
    make_user("employer", roles.EMPLOYER_AGENT, employer=employer)
    make_user("clerk", roles.COUNTER_CLERK, districts=["120101"])
    make_user("clerk_hexi", roles.COUNTER_CLERK, districts=["120103"])
    make_user("reviewer", roles.REVIEWER, city_wide=True)
    make_user("reviewer2", roles.REVIEWER, city_wide=True)
    make_user("approver", roles.APPROVER, city_wide=True)
    first = demo_applications()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "in_progress", "supplement", "approved", "rejected", "withdrawn"}
    assert Application.objects.filter(overdue=True).exists()
    assert Application.objects.filter(work_items__escalation_level__gt=0).exists()
    assert Application.objects.filter(channel="counter", accepted_office="120103").exists()
    assert Application.objects.filter(applicant_employer=employer).exists()
    count = Application.objects.count()
    assert demo_applications() == first and Application.objects.count() == count


def test_demo_without_accounts_does_nothing():
    assert demo_applications() == []


def _demo_accounts():
    person = make_person(district="120101", name="张伟", phone="13800138000")
    make_user("citizen", roles.CITIZEN, person=person)
    make_user("employer", roles.EMPLOYER_AGENT, employer=make_employer(district="120101"))
    make_user("clerk", roles.COUNTER_CLERK, districts=["120101"])
    make_user("clerk_hexi", roles.COUNTER_CLERK, districts=["120103"])
    make_user("reviewer", roles.REVIEWER, city_wide=True)
    make_user("reviewer2", roles.REVIEWER, city_wide=True)
    make_user("approver", roles.APPROVER, city_wide=True)


def test_demo_promises_no_date_before_the_submission_date():
    """An overdue demo application was once promised completion before it was submitted."""
    _demo_accounts()
    demo_applications()
    for application in Application.objects.all():
        submitted_on = timezone.localdate(application.submitted_at)
        assert application.deadline >= submitted_on, application.reference
        for work in application.work_items.all():
            assert work.created_at >= application.submitted_at, (application.reference, work.step)
            assert work.due_date >= timezone.localdate(work.created_at), (application.reference, work.step)
        for entry in application.log.all():
            assert entry.created_at >= application.submitted_at, (application.reference, entry.step)


def test_the_demo_second_review_goes_to_the_other_reviewer():
    _demo_accounts()
    demo_applications()
    steps = WorkItem.objects.filter(application__idempotency_key="demo-arbitration")
    first_review, second_review = steps.get(step="first_review"), steps.get(state="open")
    assert second_review.step == "second_review"
    assert {first_review.assignee.username, second_review.assignee.username} == {"reviewer", "reviewer2"}
