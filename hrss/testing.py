"""Test helpers shared by every app's tests: valid synthetic identifiers and role fixtures.

Data is built through the real services (person_apply, employer_apply), as users would.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from stdnum.cn import ric, uscc

from hrss.codes.identifiers import organisation_check_character, parse_credit_code, parse_id_number
from hrss.core import scope as roles
from hrss.core.scope import Scope


class FastArgon2Hasher(Argon2PasswordHasher):
    """Argon2 still (salted, same algorithm name), with test-sized costs: the production costs
    take about 0.3 s a hash, and the suite makes thousands of accounts, PINs and sign-ins. The
    root conftest puts it in force for every test; a test of the production costs overrides it."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


FAST_HASHERS = ["hrss.testing.FastArgon2Hasher"]

_sequence = itertools.count(101)
_org_sequence = itertools.count(1)


def make_id_number(district: str = "120101", birth: dt.date = dt.date(1990, 3, 7), sex: str = "M") -> str:
    """A valid 18-digit ID number for a synthetic person."""
    while True:
        seq = next(_sequence) % 1000
        if (seq % 2 == 1) == (sex == "M"):
            break
    body = f"{district}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_credit_code(district: str = "120101") -> str:
    body16 = f"91{district}MA{next(_org_sequence):06d}"
    body17 = body16 + organisation_check_character(body16[8:16])
    return body17 + uscc.calc_check_digit(body17)


def make_person(
    *, district: str = "120101", name: str = "测试人", source: str = "public_security", **values: Any
) -> Any:
    from hrss.registry import services

    number = parse_id_number(
        values.pop("id_number", None)
        or make_id_number(district, **{k: values.pop(k) for k in ("birth", "sex") if k in values})
    )
    values = {"name": name, "household_district": district, "residence_district": district, **values}
    return services.person_apply(id_number=number, values=values, source=source).obj


def make_employer(*, district: str = "120101", name: str = "测试单位", **values: Any) -> Any:
    from hrss.registry import services

    code = parse_credit_code(values.pop("credit_code", None) or make_credit_code(district))
    values = {"name": name, "district": district, "industry": "65", **values}
    return services.employer_apply(credit_code=code, values=values, source="market_regulation").obj


def make_employment(person: Any, employer: Any, start: dt.date = dt.date(2015, 1, 1), **kw: Any) -> Any:
    from hrss.registry import services

    return services.employment_record(
        id_number=parse_id_number(person.id_number),
        credit_code=parse_credit_code(employer.credit_code),
        start_date=start,
        end_date=kw.get("end"),
        occupation=kw.get("occupation"),
        monthly_wage=kw.get("wage", Decimal("8000")),
        source="tax",
    ).obj


def make_user(
    username: str, *role_codes: str, districts: list[str] | None = None, city_wide: bool = False, **kw: Any
) -> Any:
    from hrss.identity.models import Role, User

    user = User.objects.create_user(username=username, password="correct horse battery staple", **kw)
    user.roles.set(Role.objects.filter(code__in=role_codes))
    user.city_wide = city_wide
    user.save()
    if districts:
        user.districts.set(districts)  # type: ignore[arg-type]  # District primary keys
    return user


def staff_scope(*, districts: list[str] | None = None, role: str = roles.COUNTER_CLERK) -> Scope:
    return Scope(
        actor=f"test-{role}", roles=frozenset({role}), districts=None if districts is None else frozenset(districts)
    )


def sign_in(client: Any, user: Any, *, second_factor: bool = True) -> Any:
    """Sign a test client in as ``user``. Staff sessions count only after a second factor
    (admin, staff pages, session API), so by default the session is also OTP-verified, as
    after ``/accounts/otp/``."""
    client.force_login(user)
    if second_factor:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
