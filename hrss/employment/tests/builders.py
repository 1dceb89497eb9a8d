"""Test data of employment services: an employer with its agent, a seeker, vacancies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hrss.core import scope as roles
from hrss.employment import services
from hrss.identity.auth import scope_for_user
from hrss.testing import make_employer, make_person, make_user

_counter = [0]


def _n() -> int:
    _counter[0] += 1
    return _counter[0]


def seeker(district: str = "120101", **kw: Any) -> Any:
    """A citizen user bound to a new person."""
    person = make_person(district=district, name=kw.pop("name", "求职人"))
    return make_user(f"seeker{_n()}", roles.CITIZEN, person=person)


def agent(district: str = "120101", name: str = "招聘单位") -> Any:
    employer = make_employer(district=district, name=name)
    return make_user(f"agent{_n()}", roles.EMPLOYER_AGENT, employer=employer)


def scope(user: Any) -> Any:
    user._hrss_scope = None
    return scope_for_user(user)


def vacancy_values(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "软件开发工程师",
        "description": "负责系统开发与维护。",
        "occupation": "2-02",
        "district": "120101",
        "address": "和平区南京路100号",
        "wage_min": Decimal("8000"),
        "wage_max": Decimal("12000"),
        "education": None,
        "skills": ["Python", "SQL"],
        "headcount": 2,
        "valid_until": timezone.localdate() + dt.timedelta(days=60),
        **overrides,
    }


def vacancy(user: Any, **overrides: Any) -> Any:
    return services.vacancy_post(scope=scope(user), values=vacancy_values(**overrides))


def profile(user: Any, **overrides: Any) -> Any:
    values = {
        "occupations": ["2-02"],
        "districts": ["120101"],
        "wage_min": Decimal("7000"),
        "education": None,
        "skills": ["Python"],
        "available_from": None,
        "visible_to_employers": False,
        **overrides,
    }
    return services.profile_save(scope=scope(user), **values)


def licence(
    client_name: str = "和平人力资源服务系统", districts: tuple[str, ...] = ("120101",), **overrides: Any
) -> Any:
    """An HR service licence in force, recorded by an administrator."""
    from hrss.core.scope import Scope
    from hrss.employment import agencies

    values = {
        "licence_number": f"津人服证字〔2026〕第{_n():010d}号",
        "agency_name": "和平人力资源服务有限公司",
        "client_name": client_name,
        "districts": list(districts),
        "valid_from": timezone.localdate() - dt.timedelta(days=30),
        "valid_until": timezone.localdate() + dt.timedelta(days=365),
        **overrides,
    }
    return agencies.licence_record(scope=Scope.system("licence-test"), **values)


def agency_client(name: str = "和平人力资源服务系统", scopes: tuple[str, ...] = ("employment:vacancies",)) -> Any:
    """An agency client's API test client with an access token for ``scopes``."""
    import base64

    from django.test import Client

    from hrss.identity.clients import agency_client_create

    credentials = agency_client_create(name=name, scopes=list(scopes))
    basic = base64.b64encode(f"{credentials.client_id}:{credentials.client_secret}".encode()).decode()
    response = Client().post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": " ".join(scopes)},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    token = response.json()["access_token"]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")
