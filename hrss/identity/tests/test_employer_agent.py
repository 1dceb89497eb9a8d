"""Employer agents: the employer's registered contact confirms; the agent sees that employer only."""

import pytest
from django.test import Client

from hrss.identity import services
from hrss.identity.auth import token_create
from hrss.testing import make_employment, make_person, make_user

pytestmark = pytest.mark.django_db


def test_contact_confirms_and_the_agent_sees_only_that_employer(zhang, employers, last_code):
    ours, other = employers
    worker = make_person(name="李工", phone="13700000009")
    make_employment(worker, ours)
    stranger = make_person(name="路人")
    make_employment(stranger, other)
    user = make_user("zw", "citizen", person=zhang)
    client = Client()
    client.post("/accounts/login/", {"username": "zw", "password": "correct horse battery staple"})
    page = client.post("/accounts/me/employer/", {"credit_code": ours.credit_code})
    assert page.status_code == 200 and "registered contact" in page.content.decode()
    code = last_code("13900000001")  # the employer's contact, not the applicant
    assert client.post("/accounts/me/employer/", {"code": code}).status_code == 302
    user.refresh_from_db()
    assert user.employer == ours and "employer_agent" in set(user.roles.values_list("code", flat=True))

    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")
    assert api.get(f"/api/v1/registry/employers/{ours.credit_code}").status_code == 200
    assert api.get(f"/api/v1/registry/employers/{other.credit_code}").status_code == 404
    names = [p["name"] for p in api.get("/api/v1/registry/persons?limit=50").json()]
    assert "李工" in names and "路人" not in names


def test_a_wrong_code_does_not_make_an_agent(zhang, employers, last_code):
    ours, _other = employers
    user = make_user("zw", "citizen", person=zhang)
    challenge = services.employer_agent_start(user=user, credit_code=ours.credit_code)
    right = last_code("13900000001")
    with pytest.raises(Exception) as error:
        services.employer_agent_confirm(user=user, challenge_id=challenge.pk, code=f"{(int(right) + 1) % 10**6:06d}")
    assert error.value.code == "code_invalid"
    user.refresh_from_db()
    assert user.employer is None


def test_only_real_name_accounts_can_ask(employers):
    user = make_user("anon", "citizen")
    with pytest.raises(Exception) as error:
        services.employer_agent_start(user=user, credit_code=employers[0].credit_code)
    assert error.value.code == "not_bound"


def test_someone_elses_code_cannot_be_used(zhang, employers, last_code):
    asker = make_user("zw", "citizen", person=zhang)
    thief = make_user("thief", "citizen", person=make_person(name="某人"))
    challenge = services.employer_agent_start(user=asker, credit_code=employers[0].credit_code)
    with pytest.raises(Exception) as error:
        services.employer_agent_confirm(user=thief, challenge_id=challenge.pk, code=last_code("13900000001"))
    assert error.value.code == "permission_denied"
