"""Applications: submit from any channel (idempotent), withdraw (A1)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.events import publish
from hrss.core.scope import Scope
from hrss.core.workdays import add_workdays
from hrss.identity.models import User
from hrss.registry.models import Employer, Person
from hrss.servicehall import engine, formdata, rules
from hrss.servicehall.events import ApplicationSubmitted
from hrss.servicehall.models import Application, Channel, ServiceItem, WorkItem
from hrss.servicehall.services.history import audit_application, log_step
from hrss.servicehall.services.processes import process_current
from hrss.servicehall.services.workflow import workflow_sync


def _new_reference() -> str:
    today = timezone.localdate()
    while True:
        reference = f"SH{today:%y%m%d}{secrets.randbelow(10**6):06d}"
        if not Application.objects.filter(reference=reference).exists():
            return reference


def _payload_hash(item_code: str, form_data: dict[str, Any], applicant: str) -> str:
    body = json.dumps({"item": item_code, "form": form_data, "applicant": applicant}, sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _credit_class(person: Person | None, employer: Employer | None) -> str | None:
    """The applicant's credit class, from whichever app registered a provider (A7)."""
    from hrss.servicehall.extension_points import credit_class_for

    return credit_class_for(person=person, employer=employer)


def _facts(item: ServiceItem, person: Person | None, employer: Employer | None, phone: str) -> rules.ApplicantFacts:
    same_item = Application.objects.filter(item=item)
    if person is not None:
        same_item = same_item.filter(applicant_person=person)
    elif employer is not None:
        same_item = same_item.filter(applicant_employer=employer)
    year_ago = timezone.now() - dt.timedelta(days=365)
    registry_phone = (person.phone if person else employer.contact_phone if employer else "") or ""
    return rules.ApplicantFacts(
        status=person.status if person else "active",
        open_same_item=same_item.filter(status__in=Application.OPEN_STATUSES).count(),
        rejected_recently=same_item.filter(status=Application.Status.REJECTED, decided_at__gte=year_ago).count(),
        phone_matches_registry=not phone or not registry_phone or phone == registry_phone,
        credit_class=_credit_class(person, employer),
    )


def _workflow_data(application: Application) -> dict[str, Any]:
    return {
        **application.gateway_data(),
        "application_id": str(application.pk),
        "reference": application.reference,
        "person_id": str(application.applicant_person_id or ""),
        "employer_id": str(application.applicant_employer_id or ""),
        "form": application.form_data,
    }


def application_submit(
    *,
    scope: Scope,
    user: User,
    item_code: str,
    form_data: dict[str, Any],
    idempotency_key: str,
    channel: str,
    person: Person | None = None,
    employer: Employer | None = None,
) -> tuple[Application, bool]:
    """Submit an application from any channel; a retried submit returns the first one (A1).

    Citizens and employer agents apply for themselves; a counter clerk applies on behalf of
    a walk-in applicant (``person``/``employer`` given) at any office (全城通办).
    What is known to be refused at submission is refused here, with the reason
    (``selectors.submission_refusal``: a second open application, the owning app's checks).
    Returns (application, created).
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise InvalidInput(
            _("An idempotency key of 1 to 100 characters is required."), fields={"idempotency_key": "required"}
        )
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."), fields={"channel": channel})
    item = ServiceItem.objects.filter(code=item_code, active=True).first()
    if item is None:
        raise NotFound(_("No such service item."), code="item_not_found")
    if channel not in item.channels:
        raise InvalidInput(_("This item is not offered on this channel."), code="channel_not_offered")

    on_behalf = scope.has_role(roles.COUNTER_CLERK) and (person is not None or employer is not None)
    if not on_behalf:
        person = Person.objects.filter(pk=scope.person_id).first() if scope.person_id else None
        employer = Employer.objects.filter(pk=scope.employer_id).first() if scope.employer_id else None
    if item.applicant_type == "citizen":
        employer = None
        if person is None:
            raise PermissionDenied(
                _("This item is for citizens: sign in with a real-name account."), code="not_a_citizen"
            )
    else:
        person = None
        if employer is None:
            raise PermissionDenied(
                _("This item is for employers: sign in as an employer agent."), code="not_an_employer"
            )

    # What the registry knows fills gaps, and read-only fields always come from the registry.
    from hrss.servicehall.selectors import prefill, submission_refusal

    known = prefill(item=item, person=person, employer=employer)
    readonly = {f["name"] for f in item.form if f.get("readonly")}
    submitted = {name: value for name, value in form_data.items() if name not in readonly}
    merged = {**known, **{k: v for k, v in submitted.items() if v not in (None, "")}}
    cleaned, errors = rules.form_clean(item.form, merged)
    if errors:
        raise InvalidInput(fields=errors)
    applicant = str(person.pk if person else employer.pk)  # type: ignore[union-attr]
    payload_hash = _payload_hash(item.code, cleaned, applicant)

    existing = Application.objects.filter(submitted_by=user, idempotency_key=key).first()
    if existing is not None:
        return _replay(existing, payload_hash)
    try:
        with transaction.atomic():
            # Serialise one applicant's submissions (a row lock on PostgreSQL; SQLite's
            # IMMEDIATE transactions already serialise writers), so that what is refused
            # below (a second open application, one card per person) cannot race past.
            _lock_applicant(person, employer)
            existing = Application.objects.filter(submitted_by=user, idempotency_key=key).first()
            if existing is not None:
                return _replay(existing, payload_hash)
            refusal = submission_refusal(
                item=item, person=person, employer=employer, form_data=cleaned, on_behalf=on_behalf
            )
            if refusal is not None:
                raise refusal
            application = _create(
                scope=scope,
                user=user,
                item=item,
                cleaned=cleaned,
                key=key,
                payload_hash=payload_hash,
                channel=channel,
                person=person,
                employer=employer,
                on_behalf=on_behalf,
            )
    except IntegrityError:
        # A concurrent retry won the race: answer with its application.
        existing = Application.objects.filter(submitted_by=user, idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(existing, payload_hash)
    return application, True


def _lock_applicant(person: Person | None, employer: Employer | None) -> None:
    # Reading the registry row to lock it, not writing it.
    if person is not None:
        Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()
    elif employer is not None:
        Employer.objects.select_for_update().filter(pk=employer.pk).values_list("pk", flat=True).first()


def _replay(existing: Application, payload_hash: str) -> tuple[Application, bool]:
    if existing.payload_hash != payload_hash:
        raise Conflict(
            _("This idempotency key was already used for a different application."), code="idempotency_key_reused"
        )
    return existing, False


def _create(
    *,
    scope: Scope,
    user: User,
    item: ServiceItem,
    cleaned: dict[str, Any],
    key: str,
    payload_hash: str,
    channel: str,
    person: Person | None,
    employer: Employer | None,
    on_behalf: bool,
) -> Application:
    process = process_current(item.process_key)
    facts = _facts(item, person, employer, str(cleaned.get("phone") or cleaned.get("contact_phone") or ""))
    district_id = (person.residence_district_id or person.household_district_id) if person else employer.district_id  # type: ignore[union-attr]
    now = timezone.now()
    application = Application(
        reference=_new_reference(),
        item=item,
        process=process,
        applicant_person=person,
        applicant_employer=employer,
        district_id=district_id,
        accepted_office=(sorted(scope.districts)[0] if scope.districts else "city") if on_behalf else "",
        channel=channel,
        submitted_by=user,
        idempotency_key=key,
        payload_hash=payload_hash,
        risk_flags=rules.risk_flags(facts),
        credit_class=facts.credit_class or "",
        amount=rules.gateway_amount(item.form, cleaned),
        submitted_at=now,
        deadline=add_workdays(timezone.localdate(now), item.time_limit_workdays),
        promised_by=add_workdays(timezone.localdate(now), item.promised_limit_workdays),
        visits=1 if channel == Channel.COUNTER else 0,
    )
    # Validated in the clear above; sensitive answers are stored (and copied into the
    # workflow) encrypted, bound to this application's id, known before the insert.
    application.form_data = formdata.seal(item.form, application.pk, cleaned)
    application.save(force_insert=True)
    audit_application(scope, "servicehall.application.submit", application, item=item.code, channel=channel)
    log_step(
        application,
        step="submitted",
        message=_("Your application %(reference)s for %(item)s was received.")
        % {"reference": application.reference, "item": item.name},
        actor=scope.actor,
    )
    workflow = engine.workflow_start(
        key=process.process_key, sha256=process.sha256, xml=process.bpmn_xml, data=_workflow_data(application)
    )
    workflow_sync(application, workflow, actor=scope.actor, walk_in_clerk=user if on_behalf else None)
    publish(ApplicationSubmitted(application_id=application.pk, reference=application.reference, item_code=item.code))
    return application


def application_withdraw(*, scope: Scope, application: Application) -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        own_person = scope.person_id is not None and application.applicant_person_id == scope.person_id
        own_employer = scope.employer_id is not None and application.applicant_employer_id == scope.employer_id
        if not (own_person or own_employer):
            raise NotFound()
        if not application.is_open:
            raise Conflict(_("This application is closed."), code="application_closed")
        application.status = Application.Status.WITHDRAWN
        application.decided_at = timezone.now()
        application.save()
        application.work_items.filter(state=WorkItem.State.OPEN).update(state=WorkItem.State.CANCELLED)
        audit_application(scope, "servicehall.application.withdraw", application)
        log_step(application, step="withdrawn", message=_("You withdrew the application."), actor=scope.actor)
    return application
