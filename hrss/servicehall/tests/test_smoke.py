import pytest

from hrss.servicehall import services
from hrss.servicehall.models import Application, ServiceItem
from hrss.servicehall.tests.conftest import FLEXIBLE_FORM, key

pytestmark = pytest.mark.django_db


def test_catalogue_is_seeded():
    assert ServiceItem.objects.filter(code="SH-YL-001").exists()
    assert ServiceItem.objects.get(code="SH-YL-001").name_zh_hant == "靈活就業人員參保登記"


def test_submit_accept_approve(city):
    application, created = services.application_submit(
        scope=city.scope(city.citizen),
        user=city.citizen,
        item_code="SH-YL-001",
        form_data=FLEXIBLE_FORM,
        idempotency_key=key(),
        channel="web",
    )
    assert created and application.status == Application.Status.SUBMITTED
    work = application.work_items.get(state="open")
    assert work.step == "accept" and work.assignee == city.clerk
    application = services.work_item_complete(
        scope=city.scope(city.clerk), user=city.clerk, work_item=work, decision="approve"
    )
    assert application.status == Application.Status.APPROVED
    assert application.result["handled_by"] == "servicehall.recording"
