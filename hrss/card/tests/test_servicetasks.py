"""The hall's card item does real work: approved → a card application in the card app (A5, A3);
and the daily job that lets temporary loss reports lapse."""

import dataclasses
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from hrss.card import services, servicetasks
from hrss.card.models import Card, CardEvent
from hrss.card.rules import CardStatus
from hrss.card.tests.builders import AT_OUTLET, BY_POST, ITEM, OFFICE, active_card, holder_scope
from hrss.core.errors import Conflict, InvalidInput
from hrss.core.models import AuditEntry
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, handler_for, is_recording_default
from hrss.servicehall import services as hall
from hrss.servicehall.models import Application, ServiceItem
from hrss.servicehall.tests.builders import approve_every_step, key
from hrss.testing import make_person

pytestmark = pytest.mark.django_db


def submit(city, form, channel="web"):
    application, created = hall.application_submit(
        scope=city.scope(city.citizen),
        user=city.citizen,
        item_code=ITEM,
        form_data=form,
        idempotency_key=key(),
        channel=channel,
    )
    assert created
    return application


def context_of(application):
    """The context the hall's engine gives the handler for this application (for a re-run)."""
    return ServiceTaskContext(
        application_id=str(application.pk),
        reference=application.reference,
        item_code=ITEM,
        person_id=str(application.applicant_person_id),
        employer_id="",
        form_data=application.form_data,
        workflow_data={**application.gateway_data(), "decided_by": application.decided_by},
    )


def test_the_card_app_answers_card_apply_not_the_recording_default():
    assert handler_for("card.apply") is servicetasks.card_apply
    assert not is_recording_default("card.apply")


def test_an_approved_application_applies_for_the_card(city):
    application = approve_every_step(city, submit(city, AT_OUTLET, channel="app"))

    assert application.status == "approved"
    card = Card.objects.get(person=city.person)
    assert (card.status, card.kind, card.channel, card.number) == (CardStatus.APPLIED, "first", "app", None)
    result = application.result
    assert result["card_id"] == str(card.pk)
    assert (result["card_status"], result["delivery"], result["application"]) == (
        "applied",
        "outlet",
        application.reference,
    )
    assert "collect it at an outlet" in result["what"]
    # The card's own history says where the application came from and how the card goes out.
    apply = CardEvent.objects.get(card=card, action="apply")
    assert apply.note == f"servicehall:{application.reference}; delivery:outlet"
    assert apply.actor == city.clerk.username  # the staff member whose decision led to it
    audit = AuditEntry.objects.get(action="card.apply", object_id=str(card.pk))
    assert audit.actor == city.clerk.username and audit.detail["note"] == apply.note
    # The holder sees the application on their card pages like one made there.
    assert services.card_withdraw(scope=holder_scope(city.person), card_id=card.pk).status == CardStatus.CANCELLED


def test_delivery_by_post_is_recorded(city):
    application = approve_every_step(city, submit(city, BY_POST))
    card = Card.objects.get(person=city.person)
    assert application.result["delivery"] == "post" and "by post" in application.result["what"]
    assert card.channel == "web"
    assert CardEvent.objects.get(card=card, action="apply").note.endswith("delivery:post")


def test_by_post_without_an_address_is_refused(city):
    # At the edge: the catalogue's form asks for the address whenever delivery is by post.
    with pytest.raises(InvalidInput) as caught:
        submit(city, AT_OUTLET | {"delivery": "post"})
    assert "address" in caught.value.fields
    # And by the handler, for a form definition that does not (an item edited in the admin).
    item = ServiceItem.objects.get(code=ITEM)
    item.form = [{k: v for k, v in field.items() if k != "required_when"} for field in item.form]
    item.save(update_fields=["form"])
    application = approve_every_step(city, submit(city, AT_OUTLET | {"delivery": "post"}))
    assert application.status == "rejected"
    assert "needs a postal address" in application.decision_reasons
    assert not Card.objects.filter(person=city.person).exists()


def test_a_card_holder_is_refused_at_submission_with_the_reason(city, tmp_path):
    """Known when the application comes in (one card per person): refused then, not after two approvals."""
    held = active_card(tmp_path, city.person)
    with pytest.raises(Conflict) as refused:
        submit(city, AT_OUTLET)

    assert refused.value.code == "card_already_held"
    assert "already hold a social security card" in str(refused.value.message)
    assert not Application.objects.filter(applicant_person=city.person).exists()
    assert list(Card.objects.filter(person=city.person).values_list("pk", flat=True)) == [held.pk]


def test_a_card_on_its_way_is_refused_at_submission(city):
    services.card_apply(person=city.person, channel="counter", scope=OFFICE)
    with pytest.raises(Conflict) as refused:
        submit(city, BY_POST)
    assert refused.value.code == "card_application_pending"
    assert "already in progress" in str(refused.value.message)


def test_a_card_applied_for_after_submission_is_still_refused_at_the_step(city):
    """Between submission and approval a card may be applied for elsewhere (at an outlet)."""
    application = submit(city, BY_POST)
    services.card_apply(person=city.person, channel="counter", scope=OFFICE)
    application = approve_every_step(city, application)

    assert application.status == "rejected"
    assert "already in progress" in application.decision_reasons
    assert application.result == {"card_status": "applied"}
    assert Card.objects.filter(person=city.person).count() == 1


def test_a_retried_task_does_not_apply_twice(city):
    application = approve_every_step(city, submit(city, BY_POST))
    card = Card.objects.get(person=city.person)
    audits = AuditEntry.objects.filter(action="card.apply").count()

    again = handler_for("card.apply")(context_of(application))

    assert again["card_id"] == str(card.pk) == application.result["card_id"]
    assert Card.objects.filter(person=city.person).count() == 1
    assert CardEvent.objects.filter(card__person=city.person, action="apply").count() == 1
    assert AuditEntry.objects.filter(action="card.apply").count() == audits


def test_another_application_of_the_same_person_is_still_refused(city):
    """The retry key is the hall application: another application is no retry (refused at
    submission, and by the handler should one reach it)."""
    first = approve_every_step(city, submit(city, BY_POST))
    assert first.status == "approved"
    with pytest.raises(Conflict):
        submit(city, AT_OUTLET)
    with pytest.raises(ServiceTaskRefused) as refused:
        handler_for("card.apply")(dataclasses.replace(context_of(first), reference="SH260101000001"))
    assert refused.value.code == "card_application_pending"
    assert Card.objects.filter(person=city.person).count() == 1


# --- the daily lapse job ------------------------------------------------------------------


def _temporarily_lost(tmp_path, *, due: bool):
    card = active_card(tmp_path, make_person())
    services.card_report_temporary_loss(scope=holder_scope(card.person), card_id=card.pk, channel="app")
    if due:  # its time ran out (the report's period is a dated policy parameter, 15 days)
        Card.objects.filter(pk=card.pk).update(temporary_loss_until=timezone.now() - dt.timedelta(minutes=1))
    return card


def _lapse_history(card):
    return list(
        CardEvent.objects.filter(card=card, action="temporary_loss_lapse").values_list(
            "from_status", "to_status", "actor", "channel"
        )
    )


def test_the_lapse_command_lapses_due_reports_only(tmp_path):
    due = _temporarily_lost(tmp_path / "a", due=True)
    running = _temporarily_lost(tmp_path / "b", due=False)

    out = io.StringIO()
    call_command("card", "lapse-losses", stdout=out)

    assert "1 temporary loss reports lapsed" in out.getvalue()
    due.refresh_from_db()
    running.refresh_from_db()
    assert (due.status, due.temporary_loss_until) == (CardStatus.ACTIVE, None)
    assert running.status == CardStatus.TEMPORARILY_LOST and running.temporary_loss_until > timezone.now()
    assert _lapse_history(due) == [("temporarily_lost", "active", "card", "system")]
    assert _lapse_history(running) == []
    audit = AuditEntry.objects.get(action="card.temporary_loss_lapse")
    assert audit.object_id == str(due.pk) and audit.detail["to"] == "active"
    # Running again finds nothing more to do.
    out = io.StringIO()
    call_command("card", "lapse-losses", stdout=out)
    assert "0 temporary loss reports lapsed" in out.getvalue()


def test_the_lapse_task_reaches_every_due_report(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from hrss.card.tasks import temporary_losses_lapse

    cards = [_temporarily_lost(tmp_path / str(n), due=True) for n in range(3)]
    assert services.temporary_losses_lapse(chunk=2) == 3  # more due than one chunk holds
    assert set(Card.objects.filter(pk__in=[c.pk for c in cards]).values_list("status", flat=True)) == {"active"}

    late = _temporarily_lost(tmp_path / "late", due=True)
    assert temporary_losses_lapse.enqueue().return_value == 1
    late.refresh_from_db()
    assert late.status == CardStatus.ACTIVE
    assert AuditEntry.objects.filter(action="card.temporary_loss_lapse").count() == 4
