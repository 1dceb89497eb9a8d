"""The personal dossier (A4): assembled from every app that offers one, the holder's own, staff's
by data scope with a purpose (audited), an employer's labour records for its agent, and a
constant number of queries however many records a person has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hrss.archive import providers, selectors
from hrss.archive.tests.builders import START, insured
from hrss.core import scope as roles
from hrss.core.errors import DomainError, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.insurance.tests import builders as insurance
from hrss.testing import make_person, make_user, sign_in, staff_scope

pytestmark = pytest.mark.django_db


def test_every_app_that_declares_a_dossier_is_registered_in_ready():
    labels = {label for label, _module in providers.modules()}
    assert {"insurance"} <= labels
    assert providers.certificate_module("insurance.contributions") is not None
    assert providers.certificate_module("nothing.here") is None


def test_the_holder_sees_their_records_from_the_apps_that_own_them():
    person, firm = insured(months=3)
    with translation.override("zh-hans"):
        view = selectors.dossier_mine(scope=insurance.citizen(person))
    assert view.subject_kind == "person" and view.name == person.name
    assert person.id_number not in view.code and view.code.endswith(person.id_number[-4:])
    keys = [section.key for section in view.sections]
    assert any(key.startswith("insurance.") for key in keys)
    history = next(section for section in view.sections if section.key == "archive.employment")
    assert [(e.title, e.on, e.status) for e in history.entries] == [(firm.name, START, "在职")]
    assert all(section.total >= len(section.entries) > 0 for section in view.sections)
    assert keys == [s.key for s in sorted(view.sections, key=lambda s: (s.order, s.key))]


def test_a_person_without_records_has_an_empty_dossier_and_an_unbound_account_none():
    nobody = make_person(name="无记录")
    assert selectors.dossier_mine(scope=insurance.citizen(nobody)).sections == []
    with pytest.raises(NotFound):
        selectors.dossier_mine(scope=staff_scope())


def test_staff_open_a_dossier_in_their_districts_with_a_purpose_and_it_is_audited():
    person, _firm = insured(district="120101")
    with pytest.raises(DomainError):
        selectors.dossier_person(scope=staff_scope(districts=["120101"]), id_number=person.id_number, purpose=" ")
    with pytest.raises(NotFound):
        selectors.dossier_person(scope=staff_scope(districts=["120103"]), id_number=person.id_number, purpose="核查")
    with pytest.raises(PermissionDenied):
        selectors.dossier_person(scope=insurance.citizen(person), id_number=person.id_number, purpose="核查")
    view = selectors.dossier_person(scope=staff_scope(districts=["120101"]), id_number=person.id_number, purpose="核查")
    assert view.sections
    entry = AuditEntry.objects.get(action="archive.dossier.read", object_id=str(person.pk))
    assert entry.purpose == "核查"


def test_the_employer_agent_sees_the_employers_labour_records():
    _person, firm = insured(months=2)
    view = selectors.dossier_mine(scope=insurance.agent(firm))
    assert view.subject_kind == "employer" and view.code == firm.credit_code
    assert any(section.key.startswith("insurance.") for section in view.sections)
    staff = selectors.dossier_employer(scope=staff_scope(), credit_code=firm.credit_code, purpose="劳动保障监察")
    assert staff.name == firm.name
    assert AuditEntry.objects.filter(action="archive.dossier.read", object_id=str(firm.pk)).count() == 1


def _queries(person) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        selectors.dossier_mine(scope=insurance.citizen(person))
    return len(captured)


def test_the_dossier_takes_the_same_queries_for_few_and_many_records():
    few, _firm = insured(months=1, name="档案少")
    many, _other = insured(months=12, name="档案多")
    _queries(few)  # the first read fills the code tables' cache
    assert _queries(many) == _queries(few)


def test_the_pages_show_the_dossier_to_its_holder_and_the_look_up_to_staff(client: Client):
    person, _firm = insured()
    client.force_login(make_user("dossier_citizen", roles.CITIZEN, person=person))
    page = client.get("/archive/dossier/")
    assert page.status_code == 200 and "我的档案" in page.content.decode()
    api = client.get("/api/v1/archive/dossier")
    assert api.status_code == 200 and api.json()["sections"]
    staff = sign_in(Client(), make_user("dossier_clerk", roles.COUNTER_CLERK, districts=["120101"]))
    shown = staff.get("/archive/lookup/", {"kind": "person", "code": person.id_number, "purpose": "窗口核查"})
    assert shown.status_code == 200 and person.name in shown.content.decode()
    refused = staff.get("/archive/lookup/", {"kind": "person", "code": person.id_number, "purpose": ""})
    assert refused.status_code == 422
