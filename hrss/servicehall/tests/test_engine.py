"""BPMN files are data: validated at load, refused with a clear reason, and a new version changes the flow."""

from pathlib import Path

import pytest

from hrss.servicehall import engine, services
from hrss.servicehall.checks import shipped_processes
from hrss.servicehall.extension_points import process_file
from hrss.servicehall.models import ProcessDefinition
from hrss.servicehall.tests.builders import key, shipped

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", shipped_processes(), ids=lambda p: p.stem)
def test_every_shipped_process_is_valid(path):
    validated = engine.process_validate(path.read_text(encoding="utf-8"), expected_key=path.stem)
    assert validated.key == path.stem
    assert validated.service_handlers


def refused(xml: str) -> str:
    with pytest.raises(engine.ProcessInvalid) as caught:
        engine.process_validate(xml)
    assert caught.value.code == "process_invalid"
    return str(caught.value.message)


def test_malformed_xml_is_refused():
    assert "not well-formed XML" in refused("<bpmn:definitions")


def test_xml_outside_the_bpmn_schema_is_refused():
    xml = shipped("contribution_certificate").replace("<bpmn:documentation>", "<bpmn:bogus/><bpmn:documentation>", 1)
    assert "not valid BPMN 2.0" in refused(xml)


def test_script_task_is_refused():
    xml = shipped("contribution_certificate").replace("bpmn:serviceTask", "bpmn:scriptTask")
    assert "element 'issue' is a scriptTask: script tasks run arbitrary code" in refused(xml)


def test_unknown_lane_is_refused():
    xml = shipped("unemployment_registration").replace('name="reviewer"', 'name="janitor"')
    message = refused(xml)
    assert "user task 'first_review' is in lane 'janitor', which names no role" in message


def test_unregistered_handler_is_refused():
    xml = shipped("contribution_certificate").replace("insurance.contribution_certificate", "nobody.nothing")
    assert "service task 'issue' calls 'nobody.nothing', which no app has registered" in refused(xml)


def test_code_in_a_condition_is_refused():
    xml = shipped("unemployment_registration").replace(
        'len(risk_flags) &gt; 0 or credit_class in ("C", "D")', "__import__('os').system('true')"
    )
    assert "is not allowed" in refused(xml)


def test_gateway_without_default_is_refused():
    xml = shipped("unemployment_registration").replace(' default="flow_gw_accept_first_review"', "")
    assert "gateway 'gw_accept' has no default flow" in refused(xml)


def test_refused_upload_stores_nothing():
    before = ProcessDefinition.objects.count()
    with pytest.raises(engine.ProcessInvalid):
        services.process_load(
            xml=shipped("unemployment_registration").replace('name="reviewer"', 'name="x"'), source="upload"
        )
    assert ProcessDefinition.objects.count() == before


@pytest.mark.parametrize(
    ("expression", "ok"),
    [
        ('amount > 100000 or credit_class == "D"', True),
        ("len(risk_flags) > 0 and not channel in ('counter',)", True),
        ("open('/etc/passwd')", False),
        ("risk_flags.__class__", False),
        ("[x for x in risk_flags]", False),
        ("amount >", False),
    ],
)
def test_condition_check(expression, ok):
    assert (engine.condition_check(expression) is None) is ok


def test_a_new_process_version_changes_the_flow_without_code(city):
    """Upload a version of unemployment registration whose accept goes straight to handling."""
    xml = shipped("unemployment_registration").replace(
        '<bpmn:sequenceFlow id="flow_gw_accept_first_review" sourceRef="gw_accept" targetRef="first_review" />',
        '<bpmn:sequenceFlow id="flow_gw_accept_first_review" sourceRef="gw_accept" targetRef="handle" />',
    )
    assert xml != shipped("unemployment_registration")
    services.process_current("unemployment_registration")  # the shipped version is v1
    definition = services.process_load(xml=xml, source="upload", actor="admin")
    assert definition.version == 2
    application, _ = services.application_submit(
        scope=city.scope(city.citizen),
        user=city.citizen,
        item_code="SH-JY-001",
        form_data={"phone": "13800138000", "unemployed_since": "2026-10-01"},
        idempotency_key=key(),
        channel="web",
    )
    assert application.process == definition
    accept = application.work_items.get(state="open")
    application = services.work_item_complete(
        scope=city.scope(city.clerk), user=city.clerk, work_item=accept, decision="approve"
    )
    assert application.status == "approved"
    assert list(application.work_items.values_list("step", flat=True)) == ["accept"]


# ------------------------------------------------------------- handlers that refuse or fail


@pytest.fixture
def unemployment_handler():
    """Stand in for the handler of unemployment registration for one test, then restore it."""
    from hrss.core import servicetasks
    from hrss.employment.servicetasks import UNEMPLOYMENT_REGISTER as RECORD_DECISION
    from hrss.employment.servicetasks import unemployment_register as record_decision

    assert servicetasks.handler_for(RECORD_DECISION) is record_decision

    def install(handler):
        servicetasks.register_handler(RECORD_DECISION)(handler)

    yield install
    current = servicetasks.handler_for(RECORD_DECISION)
    if current is not None and current is not record_decision:
        servicetasks.unregister_handler(RECORD_DECISION, current)
    servicetasks.register_handler(RECORD_DECISION)(record_decision)
    assert servicetasks.handler_for(RECORD_DECISION) is record_decision


def _registration_to_handling(city):
    application, _ = services.application_submit(
        scope=city.scope(city.citizen),
        user=city.citizen,
        item_code="SH-JY-001",
        form_data={"phone": "13800138000", "unemployed_since": "2026-10-01"},
        idempotency_key=key(),
        channel="web",
    )
    accept = application.work_items.get(state="open")
    application = services.work_item_complete(
        scope=city.scope(city.clerk), user=city.clerk, work_item=accept, decision="approve"
    )
    return application, application.work_items.get(state="open")  # first review: then the handler runs


def test_a_refusing_handler_ends_the_application_rejected_with_its_reasons(city, unemployment_handler):
    from hrss.core.servicetasks import ServiceTaskRefused

    def refuse(context):
        raise ServiceTaskRefused("Registered as employed since 2026-10-15.", result={"employed_since": "2026-10-15"})

    unemployment_handler(refuse)
    application, review = _registration_to_handling(city)
    application = services.work_item_complete(
        scope=city.scope(city.reviewer), user=city.reviewer, work_item=review, decision="approve"
    )
    assert application.status == "rejected"
    assert application.decision_reasons == "Registered as employed since 2026-10-15."
    assert application.decided_by == "employment.unemployment_register"
    assert application.result == {"employed_since": "2026-10-15"}
    assert application.log.filter(step="rejected", visible_to_applicant=True).exists()


def test_a_handler_error_is_the_staff_members_error_and_changes_nothing(city, unemployment_handler):
    from hrss.codes.selectors import ParameterMissing

    def fail(context):
        raise ParameterMissing()  # a configuration fault, not the applicant's: no rejection

    unemployment_handler(fail)
    application, review = _registration_to_handling(city)
    with pytest.raises(ParameterMissing):
        services.work_item_complete(
            scope=city.scope(city.reviewer), user=city.reviewer, work_item=review, decision="approve"
        )
    application.refresh_from_db()
    review.refresh_from_db()
    assert (application.status, review.state) == ("in_progress", "open")


def test_each_items_process_ships_with_its_owning_app_and_the_hall_keeps_only_its_own():
    """An item's BPMN file is in its owning app's ``processes_dir``; an item whose app does
    not exist yet runs a generic process the hall ships, which names no domain handler."""
    from django.apps import apps

    from hrss.core.servicetasks import handler_names
    from hrss.servicehall.catalogue import read_items

    hall = apps.get_app_config("servicehall")
    for item in read_items():
        path = process_file(item["process_key"])
        assert path is not None, item["code"]
        owner = item["owning_app"]
        folder = apps.get_app_config(owner).path if apps.is_installed(f"hrss.{owner}") else hall.path
        assert path.parent.parent == Path(folder), (item["code"], path)
    for path in (Path(hall.path) / "processes").glob("*.bpmn"):
        validated = engine.process_validate(path.read_text(encoding="utf-8"), expected_key=path.stem)
        assert validated.service_handlers <= {"servicehall.record_decision"}, path.name
        assert validated.service_handlers <= handler_names()
