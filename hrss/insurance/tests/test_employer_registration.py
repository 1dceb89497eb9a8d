"""用人单位社会保险登记 (SH-YL-003) end to end through the service hall: an employer agent
applies through the API, the registration is worked out for the reviewer, staff approve, and
the employer is registered for its insurances with its work-injury class from the first month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from hrss.codes.selectors import parameter_value
from hrss.core import scope as roles
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.core.servicetasks import ServiceTaskContext, handler_for, is_recording_default
from hrss.identity.auth import token_create
from hrss.insurance import services
from hrss.insurance.models import EmployerRegistration, EmployerWorkInjuryRate, IndustryRiskClass
from hrss.insurance.tests.builders import employee, open_step, step, submit, workflow_value
from hrss.servicehall.models import Application
from hrss.servicehall.tests.builders import sign_in
from hrss.testing import make_employer, make_user

pytestmark = pytest.mark.django_db
ITEM = "SH-YL-003"
FORM = {
    "contact_phone": "13800138000",
    "start_month": "2025-03-15",
    "insure_pension": True,
    "insure_medical": True,
    "insure_unemployment": True,
    "insure_work_injury": True,
    "headcount": 12,
}


@pytest.fixture
def employer() -> Any:
    return make_employer(district="120101", name="天津新设科技有限公司", industry="65")


@pytest.fixture
def agent_user(employer: Any) -> Any:
    return make_user("agent_er", roles.EMPLOYER_AGENT, employer=employer)


def api_submit(user: Any, form: dict[str, Any], key: str = "er-1") -> Any:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")
    return client.post(
        "/api/v1/servicehall/applications",
        {"item_code": ITEM, "form": form, "channel": "web"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def approve_all(staff: dict[str, Any], application: Application) -> Application:
    while application.status in ("submitted", "in_progress"):
        application = step(staff, application)
    return application


def test_insurance_answers_the_registration_steps_not_the_recording_default():
    for name in ("insurance.employer_register_preview", "insurance.employer_register"):
        assert handler_for(name) is not None and not is_recording_default(name)


def test_an_employer_registers_through_the_hall(employer, agent_user, staff):
    industry_class = IndustryRiskClass.objects.get(industry_id="65").risk_class
    answer = api_submit(agent_user, FORM)
    assert answer.status_code == 201, answer.content
    application = Application.objects.get(reference=answer.json()["application"]["reference"])

    application = step(staff, application)  # accepted: the registration is worked out
    assert open_step(application) == "review"
    preview = workflow_value(application, "registration_preview")
    assert preview["start_month"] == "2025-03" and preview["headcount"] == 12
    # the codes table's names, in the order of their codes
    assert preview["insurances"] == ["职工基本医疗保险", "企业职工基本养老保险", "失业保险", "工伤保险"]
    assert (preview["work_injury_risk_class"], preview["risk_class_source"]) == (industry_class, "industry")
    rate = parameter_value(f"work_injury.class_rate.{industry_class}", on=dt.date(2025, 3, 1))
    assert preview["work_injury_base_rate"] == f"{(rate * 100).normalize():f}%"
    assert not EmployerRegistration.objects.exists()  # the preview writes nothing

    # The reviewer sees the worked-out registration on the workbench.
    review = application.work_items.get(state="open")
    reviewer = sign_in(Client(), staff[roles.REVIEWER])
    page = reviewer.get(f"/workbench/work/{review.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="computed-h"' in page and preview["what"] in page  # in the language it was computed in
    assert '<time datetime="2025-03">2025-03</time>' in page and "工伤保险" in page
    assert "<dt>Work injury risk class</dt>" in page
    chinese = reviewer.get(f"/workbench/work/{review.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<dt>工伤保险行业风险类别</dt>" in chinese and "<dt>参保起始月份</dt>" in chinese

    application = approve_all(staff, application)
    assert application.status == "approved", application.decision_reasons
    rows = EmployerRegistration.objects.filter(employer=employer).order_by("insurance_type")
    assert [(r.insurance_type, r.start_month, r.end_month, r.application) for r in rows] == [
        (code, dt.date(2025, 3, 1), None, application.reference)
        for code in ("medical_employee", "pension_enterprise", "unemployment", "work_injury")
    ]
    wi_rate = EmployerWorkInjuryRate.objects.get(employer=employer)
    assert (wi_rate.risk_class, wi_rate.floating_percent, wi_rate.valid_from, wi_rate.valid_to) == (
        industry_class,
        100,
        dt.date(2025, 3, 1),
        None,
    )
    assert wi_rate.decided_by == staff[roles.APPROVER].username
    result = application.result
    assert result["start_month"] == "2025-03" and result["work_injury_risk_class"] == industry_class
    assert len(result["registered"]) == 4 and result["application"] == application.reference
    audit = AuditEntry.objects.get(action="insurance.employer_registration.create")
    assert audit.object_id == str(employer.pk) and audit.detail["application"] == application.reference

    # The task run again for the same application answers with the same registration.
    context = ServiceTaskContext(
        application_id=str(application.pk),
        reference=application.reference,
        item_code=ITEM,
        person_id=None,
        employer_id=str(employer.pk),
        form_data=application.form_data,
        workflow_data={"decided_by": application.decided_by},
    )
    again = handler_for("insurance.employer_register")(context)
    assert again["registered"] == result["registered"]
    assert EmployerRegistration.objects.filter(employer=employer).count() == 4
    assert AuditEntry.objects.filter(action="insurance.employer_registration.create").count() == 1


def test_a_declared_class_and_some_insurances_only(employer, agent_user, staff):
    form = {k: v for k, v in FORM.items() if k not in ("insure_medical", "insure_unemployment")}
    application = submit(agent_user, ITEM, form | {"risk_class": "5"})
    application = approve_all(staff, application)
    assert application.status == "approved", application.decision_reasons
    assert sorted(EmployerRegistration.objects.values_list("insurance_type", flat=True)) == [
        "pension_enterprise",
        "work_injury",
    ]
    assert EmployerWorkInjuryRate.objects.get(employer=employer).risk_class == 5
    assert workflow_value(application, "registration_preview")["risk_class_source"] == "declared"


def test_an_unknown_class_is_refused_at_submission(agent_user):
    answer = api_submit(agent_user, FORM | {"risk_class": "9"})
    assert answer.status_code == 422
    assert set(answer.json()) == {"code", "message", "fields"} and "risk_class" in answer.json()["fields"]
    missing_month = api_submit(agent_user, {k: v for k, v in FORM.items() if k != "start_month"}, key="er-2")
    assert missing_month.status_code == 422 and "start_month" in missing_month.json()["fields"]
    assert not Application.objects.exists()


def test_an_industry_without_a_class_is_refused_before_review(agent_user, staff):
    IndustryRiskClass.objects.filter(industry_id="65").delete()
    application = step(staff, submit(agent_user, ITEM, FORM))
    assert application.status == "rejected"
    assert "no work-injury risk class on record" in application.decision_reasons
    assert application.decided_by == "insurance.employer_register_preview"
    assert not EmployerRegistration.objects.exists() and not EmployerWorkInjuryRate.objects.exists()


def test_no_insurance_chosen_is_refused(agent_user, staff):
    form = {k: v for k, v in FORM.items() if not k.startswith("insure_")}
    application = step(staff, submit(agent_user, ITEM, form))
    assert application.status == "rejected" and "at least one insurance" in application.decision_reasons


def test_an_employer_already_registered_is_refused(employer, agent_user, staff):
    first = approve_all(staff, submit(agent_user, ITEM, FORM))
    assert first.status == "approved"
    second = step(staff, submit(agent_user, ITEM, FORM | {"start_month": "2025-06-01"}))
    assert second.status == "rejected"
    assert "already registered for" in second.decision_reasons and "工伤保险 (2025-03)" in second.decision_reasons
    assert EmployerRegistration.objects.filter(employer=employer).count() == 4


def test_an_employer_whose_employees_are_insured_counts_as_registered(staff):
    employer = make_employer(district="120101", name="天津老牌制造有限公司", industry="65")
    employee(employer, start=dt.date(2025, 1, 1), wage=Decimal("9000"))
    agent_user = make_user("agent_old", roles.EMPLOYER_AGENT, employer=employer)
    application = step(staff, submit(agent_user, ITEM, FORM))
    assert application.status == "rejected" and "already registered for" in application.decision_reasons


def test_registered_again_in_between_is_refused_at_the_grant(employer, agent_user, staff):
    """Checked again after approval: a registration made meanwhile (at the counter) wins."""
    application = submit(agent_user, ITEM, FORM)
    application = step(staff, step(staff, application))  # accepted, reviewed
    services.employer_registration_create(
        scope=Scope.system("counter-test"),
        employer_id=employer.pk,
        insurance_types=["work_injury"],
        start_month=dt.date(2025, 2, 1),
    )
    application = approve_all(staff, application)
    assert application.status == "rejected" and "already registered" in application.decision_reasons
    assert EmployerRegistration.objects.filter(employer=employer).count() == 1


def test_the_migration_gives_a_database_seeded_before_the_new_form(employer, agent_user, staff):
    import importlib

    from django.apps import apps

    from hrss.servicehall.models import ServiceItem

    migration = importlib.import_module("hrss.servicehall.migrations.0007_employer_registration_form")
    item = ServiceItem.objects.get(code=ITEM)
    new_form = item.form
    item.form = [field for field in new_form if field["name"] in ("employer_name", "credit_code", "contact_phone")]
    item.form += [{"name": "headcount", "label": {"zh-hans": "参保人数"}, "type": "integer", "required": True}]
    item.name_zh_hans = "用人单位社会保险登记(管理员改过的名称)"
    item.save()

    migration.update(apps, None)

    item.refresh_from_db()
    assert item.form == new_form and "工伤保险按行业风险类别" in item.summary_zh_hans
    assert item.name_zh_hans == "用人单位社会保险登记(管理员改过的名称)"  # the rest is left alone
    assert approve_all(staff, submit(agent_user, ITEM, FORM)).status == "approved"


def test_staff_read_the_registrations_in_the_back_office(employer, agent_user, staff):
    approve_all(staff, submit(agent_user, ITEM, FORM))
    admin = make_user("admin_er", roles.ADMINISTRATOR, city_wide=True)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    page = sign_in(Client(), admin).get("/admin/insurance/employerregistration/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.content.decode().count("天津新设科技有限公司") == 4


def test_the_employer_applies_on_the_halls_page(employer, agent_user, staff):
    client = sign_in(Client(), agent_user)
    form = client.get(f"/hall/items/{ITEM}/apply/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'type="checkbox" id="f-insure_work_injury"' in form and 'name="start_month"' in form
    assert '<option value="8">八类</option>' in form
    answer = client.post(
        f"/hall/items/{ITEM}/apply/",
        {
            "idempotency_key": "page-1",
            "contact_phone": "13800138000",
            "start_month": "2025-03-01",
            "insure_pension": "true",
            "insure_work_injury": "true",
            "headcount": "3",
        },
    )
    assert answer.status_code == 302
    application = Application.objects.get(submitted_by=agent_user)
    assert approve_all(staff, application).status == "approved"
    assert sorted(EmployerRegistration.objects.values_list("insurance_type", flat=True)) == [
        "pension_enterprise",
        "work_injury",
    ]
