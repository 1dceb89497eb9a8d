"""Accounts for the load test, in the scratch database the environment points at.

Run by ``loadtest/run.py`` after ``hrss synth``: binds citizen accounts to synthetic persons,
adds counter clerks of the districts they live in, and writes their API tokens (``hrss token``
tokens: for scripts, they stand in for the second factor) to the JSON file given.
"""

from __future__ import annotations

import json
import sys

import django


def main(path: str, citizens: int, clerks: int) -> None:
    django.setup()
    from hrss.core import scope as roles
    from hrss.identity.auth import token_create
    from hrss.identity.models import Role, User
    from hrss.registry.models import Person

    citizen_role = Role.objects.get(code=roles.CITIZEN)
    clerk_role = Role.objects.get(code=roles.COUNTER_CLERK)
    people = list(Person.objects.filter(status=Person.Status.ACTIVE).order_by("id")[:citizens])
    tokens: dict[str, list[str]] = {"citizen": [], "clerk": []}
    districts = sorted({p.residence_district_id for p in people if p.residence_district_id})
    for index, person in enumerate(people):
        user = User.objects.create_user(username=f"load_citizen_{index}", password=None, person=person)
        user.roles.add(citizen_role)
        tokens["citizen"].append(token_create(user=user, name="load test"))
    for index in range(clerks):
        user = User.objects.create_user(username=f"load_clerk_{index}", password=None)
        user.roles.add(clerk_role)
        user.districts.set(districts[index % len(districts) :: max(1, clerks)] or districts)
        tokens["clerk"].append(token_create(user=user, name="load test"))
    with open(path, "w", encoding="utf-8") as out:
        json.dump(tokens, out)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
