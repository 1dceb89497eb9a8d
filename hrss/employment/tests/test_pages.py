import datetime as dt

import pytest
from django.test import Client

from hrss.employment.models import Vacancy
from hrss.employment.tests import builders
from hrss.servicehall.tests.builders import approve_every_step, make_city, submit
from hrss.testing import sign_in

pytestmark = pytest.mark.django_db


def test_a_registered_seeker_sets_intentions_and_sees_ranked_jobs_with_reasons_in_chinese():
    city = make_city()
    approve_every_step(city, submit(city))
    agent = builders.agent(name="示范招聘单位")
    builders.vacancy(agent, title="Python开发", skills=["Python", "SQL"])
    client = sign_in(Client(), city.citizen)
    page = client.get("/employment/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2026-10-01" in page  # unemployed since, from the hall's registration
    response = client.post(
        "/employment/profile/",
        {"occupations": ["2-02"], "districts": ["120101"], "wage_min": "7000", "skills": "Python，Linux"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 302
    page = client.get("/employment/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Python开发" in page
    assert "1 of 2 skills" not in page
    assert "2项技能中具备1项" in page


def test_the_vacancy_page_refuses_a_discriminatory_vacancy_and_posts_a_fair_one():
    agent = builders.agent()
    client = sign_in(Client(), agent)
    form = {
        "title": "前台文员",
        "description": "限女性，35岁以下",
        "occupation": "3-01",
        "district": "120101",
        "wage_min": "5000",
        "wage_max": "6000",
        "headcount": "1",
        "valid_until": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
    }
    refused = client.post("/employment/vacancies/", form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 422
    assert "限女性" in refused.content.decode()
    assert not Vacancy.objects.exists()
    posted = client.post("/employment/vacancies/", {**form, "description": "接待来访，整理文件"})
    assert posted.status_code == 302
    vacancy = Vacancy.objects.get()
    client.post(f"/employment/vacancies/{vacancy.pk}/close/")
    vacancy.refresh_from_db()
    assert vacancy.status == "closed"


def test_a_citizen_is_refused_the_employer_page_and_bad_numbers_are_explained():
    user = builders.seeker()
    client = sign_in(Client(), user)
    assert client.get("/employment/vacancies/").status_code == 403
    response = client.post("/employment/profile/", {"wage_min": "很多"})
    assert response.status_code == 422
