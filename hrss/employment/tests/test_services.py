import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from hrss.core.errors import InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.employment import selectors, services
from hrss.employment.models import JobSeekerProfile, UnemploymentRegistration
from hrss.employment.tests import builders
from hrss.identity.auth import token_create
from hrss.servicehall.tests.builders import approve_every_step, make_city, submit

pytestmark = pytest.mark.django_db


def test_the_hall_item_registers_the_person_and_opens_their_profile():
    city = make_city()
    application = approve_every_step(city, submit(city))
    assert application.status == "approved", application.decision_reasons
    registration = UnemploymentRegistration.objects.get(person=city.person)
    assert registration.hall_reference == application.reference
    assert registration.unemployed_since == dt.date(2026, 10, 1)
    profile = JobSeekerProfile.objects.get(person=city.person)
    assert profile.districts == ["120101"]
    assert AuditEntry.objects.filter(action="employment.unemployment_register").count() == 1
    # The engine may run the task again: the same registration answers.
    from hrss.core.scope import Scope

    again = services.unemployment_register(
        scope=Scope.system("reviewer1"),
        person_id=city.person.pk,
        unemployed_since=dt.date(2026, 10, 1),
        reference=application.reference,
    )
    assert again.pk == registration.pk
    assert UnemploymentRegistration.objects.count() == 1


def test_a_second_registration_is_refused_and_the_application_rejected():
    from hrss.core.scope import Scope

    city = make_city()
    services.unemployment_register(
        scope=Scope.system("clerk"), person_id=city.person.pk, unemployed_since=dt.date(2026, 9, 1), reference="SH1"
    )
    application = approve_every_step(city, submit(city))
    assert application.status == "rejected"
    assert UnemploymentRegistration.objects.filter(person=city.person).count() == 1


def test_a_citizen_cannot_register_directly_and_a_future_date_is_refused():
    from hrss.core.scope import Scope

    user = builders.seeker()
    with pytest.raises(PermissionDenied):
        services.unemployment_register(
            scope=builders.scope(user), person_id=user.person_id, unemployed_since=dt.date(2026, 1, 1), reference="x"
        )
    with pytest.raises(InvalidInput):
        services.unemployment_register(
            scope=Scope.system("clerk"), person_id=user.person_id, unemployed_since=dt.date(2099, 1, 1), reference="y"
        )


def test_a_discriminatory_vacancy_is_refused_naming_the_phrase():
    agent = builders.agent()
    with pytest.raises(InvalidInput) as refused:
        builders.vacancy(agent, description="要求：35岁以下，限男性")
    assert refused.value.code == "discriminatory_requirement"
    assert refused.value.fields["description"] in {"35岁以下", "限男性"}


def test_the_api_refuses_a_discriminatory_vacancy_with_422():
    agent = builders.agent()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=agent)}")
    body = {**builders.vacancy_values(description="已婚已育优先"), "valid_until": "2099-01-01"}
    body = {k: str(v) if isinstance(v, Decimal) else v for k, v in body.items()}
    response = client.post("/api/v1/employment/vacancies", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "discriminatory_requirement"
    assert "已婚已育" in response.json()["message"]


def test_vacancy_posting_is_idempotent_and_closing_hides_it():
    agent, other = builders.agent(), builders.agent(name="别家")
    values = builders.vacancy_values()
    first = services.vacancy_post(scope=builders.scope(agent), values=values, idempotency_key="k1")
    again = services.vacancy_post(scope=builders.scope(agent), values=values, idempotency_key="k1")
    assert first.pk == again.pk
    with pytest.raises(NotFound):
        services.vacancy_close(scope=builders.scope(other), vacancy_id=first.pk)
    services.vacancy_close(scope=builders.scope(agent), vacancy_id=first.pk)
    citizen = builders.seeker()
    with pytest.raises(NotFound):
        selectors.vacancy_get(scope=builders.scope(citizen), vacancy_id=first.pk)
    assert selectors.vacancy_get(scope=builders.scope(agent), vacancy_id=first.pk).status == "closed"


def test_matching_ranks_open_vacancies_for_the_seeker_with_reasons():
    agent = builders.agent()
    best = builders.vacancy(agent, title="最合适", skills=["Python"])
    group = builders.vacancy(agent, title="同大类", occupation="2-05", district="120103")
    builders.vacancy(agent, title="别的大类别的区", occupation="4-01", district="120119")  # far: 蓟州区
    builders.vacancy(agent, title="工资太低", wage_min=Decimal("3000"), wage_max=Decimal("5000"))
    closed = builders.vacancy(agent, title="已关闭")
    services.vacancy_close(scope=builders.scope(agent), vacancy_id=closed.pk)
    user = builders.seeker()
    builders.profile(user)
    ranked = selectors.matches_mine(scope=builders.scope(user), limit=10)
    assert [r.vacancy.pk for r in ranked] == [best.pk, group.pk]
    assert [reason.code for reason in ranked[0].match.reasons] == ["same_occupation", "district", "wage", "skills"]


def test_profile_validates_codes_and_is_the_callers_own():
    user = builders.seeker()
    with pytest.raises(InvalidInput):
        builders.profile(user, occupations=["9-99"])
    with pytest.raises(InvalidInput):
        builders.profile(user, districts=["999999"])
    with pytest.raises(PermissionDenied):
        builders.profile(builders.agent())
    profile = builders.profile(user, skills=[" Python ", "Python", "数据分析"])
    assert profile.skills == ["Python", "数据分析"]
    assert profile.person_id == user.person_id
