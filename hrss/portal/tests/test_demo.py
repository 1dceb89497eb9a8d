"""`hrss demo` as `make run` runs it: the synthetic city, the accounts, the citizen's history
and card, the hall's applications; and a second run that changes nothing."""

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from hrss.identity.models import User
from hrss.insurance import rules
from hrss.insurance.models import AccountEntry, EmployerRegistration, Enrolment, PaymentFile
from hrss.portal.demo import HISTORY_YEARS, history_months
from hrss.servicehall.models import Application
from hrss.testing import sign_in

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEBUG = True
    settings.HRSS_CARD_FACTORY_DIR = tmp_path / "factory"
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_gives_the_citizen_and_the_employer_a_history_and_a_second_run_changes_nothing(demo, client):
    # One test: the demo city takes a while to generate, so it is generated once.
    _citizen_pages(demo, client)
    _employer_pages(Client())
    _second_run_changes_nothing(demo)


def _citizen_pages(demo, client):
    citizen = User.objects.get(username="citizen")
    sign_in(client, citizen, second_factor=False)
    today = dt.date.today()

    # /insurance/ of the current year: every month so far, and the account with interest.
    page = client.get("/insurance/")
    assert page.status_code == 200
    assert len(page.context["months"]) == today.month
    account = page.context["account"]
    assert account.balance > 0
    assert account.contribution_months >= 12 * HISTORY_YEARS
    kinds = {entry.kind for entry in AccountEntry.objects.filter(person=citizen.person)}
    assert kinds == {AccountEntry.Kind.CONTRIBUTION, AccountEntry.Kind.INTEREST}
    earlier = client.get(f"/insurance/?year={today.year - 1}")
    assert len(earlier.context["months"]) == 12
    # Enrolled through the demo employer, which is registered from the first month.
    first = history_months(today)[0]
    assert set(Enrolment.objects.filter(person=citizen.person).values_list("start_month", flat=True)) == {first}
    assert EmployerRegistration.objects.filter(start_month=first).count() == 3

    # /card/: the card applied for in the hall is active, with its electronic card.
    card_page = client.get("/card/")
    assert card_page.status_code == 200
    assert card_page.context["current"].status == "active"
    assert card_page.context["ecard"]
    assert Application.objects.filter(idempotency_key="demo-card", status="approved").exists()
    assert Application.objects.filter(submitted_by=citizen, status__in=["submitted", "in_progress"]).exists()
    assert "Demo history:" in demo
    # /medical/: the demo hospital's earlier visit on the card; the hospital's client is printed.
    assert "DEMO-0001" in demo and "medical:settle" in demo
    assert "天津医科大学总医院" in client.get("/medical/").content.decode()
    # The arbitrators on the roster sign in with the arbitrator's role: a case the demo's staff
    # accept in the hall goes to the one of its district.
    from hrss.labor.models import Arbitrator

    on_roster = set(Arbitrator.objects.filter(active=True).values_list("username", flat=True))
    assert on_roster == {"arbitrator", "arbitrator_hexi"}
    assert User.objects.filter(username__in=on_roster, roles__code="arbitrator").count() == 2


def _employer_pages(client):
    agent = User.objects.get(username="employer")
    sign_in(client, agent, second_factor=False)
    last_month = rules.add_months(rules.month_start(dt.date.today()), -1)

    page = client.get(f"/insurance/employer/?period={last_month:%Y-%m}")
    assert page.status_code == 200
    statement = page.context["statement"]
    assert statement.lines and statement.totals
    assert statement.paid == statement.due > 0 and statement.outstanding == 0

    # The current month is assessed and still due.
    current = client.get(f"/insurance/employer/?period={dt.date.today():%Y-%m}")
    assert current.context["statement"].due > 0 and current.context["statement"].paid == 0
    assert PaymentFile.objects.filter(posted_by="demo").count() == 1

    # The demo employer's open vacancies, which the citizen may apply for: four its agent
    # posted and one the demo HR agency posted for it under its licence.
    vacancies = client.get("/employment/vacancies/")
    assert vacancies.status_code == 200
    assert len([v for v in vacancies.context["vacancies"] if v.status == "open"]) == 5


def _second_run_changes_nothing(demo):
    before = _row_counts()
    out = StringIO()
    call_command("demo", stdout=out)
    after = _row_counts()
    assert {label: (before[label], after[label]) for label in before if before[label] != after[label]} == {}
    assert out.getvalue().splitlines()[-12:] == demo.splitlines()[-12:]
