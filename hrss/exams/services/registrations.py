"""Exams and registrations (R4): an exam with its posts is opened by the examination office;
a candidate registers for one post, checked against the registry and the certificates other
apps verify (``hrss.core.exchange``); the office reviews; the fee is paid through the
bureau's payment provider (``hrss.core.payments``), and a paid registration is confirmed."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core import exchange
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound
from hrss.core.payments import Charge, gateway_get
from hrss.core.scope import Scope
from hrss.exams import rules
from hrss.exams.access import office_exam, require_citizen, require_office
from hrss.exams.models import Exam, ExamStatus, FeeOrder, Post, Registration, Site
from hrss.registry.models import Person

FEE_GATEWAY = "thirdparty"
FEE_METHOD = "third_party"
# The provider's callback service (what ``POST /api/v1/exams/payments/{gateway}/notify`` calls).
NOTIFY = "hrss.exams.services.fee_notification_apply"


@transaction.atomic
def exam_create(*, scope: Scope, data: dict[str, Any]) -> Exam:
    """A new exam in preparation with its posts, sites and blueprint (validated at the edge)."""
    require_office(scope)
    if not scope.covers_district(data["district"]):
        raise InvalidInput(fields={"district": _("outside your districts")})
    if data["registration_opens"] > data["registration_closes"] or data["registration_closes"] >= data["held_on"]:
        raise InvalidInput(fields={"held_on": _("registration opens, closes, then the exam is held")})
    start_time, end_time = data.get("start_time"), data.get("end_time")
    if end_time is not None and (start_time is None or end_time <= start_time):
        raise InvalidInput(fields={"end_time": _("the exam ends after it starts")})
    sites = list(Site.objects.filter(code__in=data.get("sites", [])))
    if len(sites) != len(set(data.get("sites", []))):
        raise InvalidInput(fields={"sites": _("unknown exam site")})
    try:
        with transaction.atomic():
            exam = Exam.objects.create(
                code=data["code"],
                name=data["name"],
                district=data["district"],
                fee=data["fee"],
                registration_opens=data["registration_opens"],
                registration_closes=data["registration_closes"],
                held_on=data["held_on"],
                start_time=start_time,
                end_time=end_time,
                blueprint=[dict(line) for line in data["blueprint"]],
                marking_threshold=data["marking_threshold"],
                created_by=scope.actor,
            )
    except IntegrityError as error:
        raise Conflict(_("An examination with this code exists."), code="exam_exists") from error
    Post.objects.bulk_create([Post(exam=exam, **dict(post)) for post in data["posts"]])
    exam.sites.set(sites)
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.exam.create",
        object_type="exam",
        object_id=exam.code,
    )
    return exam


_NEXT = {
    "open": (ExamStatus.DRAFT, ExamStatus.OPEN),
    "close": (ExamStatus.OPEN, ExamStatus.CLOSED),
}


@transaction.atomic
def exam_advance(*, scope: Scope, code: str, step: str) -> Exam:
    """Open registration (it needs posts) or close it."""
    exam = office_exam(scope, code, lock=True)
    if step not in _NEXT:
        raise InvalidInput(fields={"step": "open | close"})
    before, after = _NEXT[step]
    if exam.status != before:
        raise Conflict(_("The examination is %(status)s.") % {"status": exam.get_status_display()}, code="exam_status")
    if step == "open" and not exam.posts.exists():
        raise Conflict(_("An examination without posts cannot open."), code="exam_no_posts")
    exam.status = after
    exam.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=f"exams.exam.{step}",
        object_type="exam",
        object_id=code,
    )
    return exam


def _checks(person: Person, post: Post, exam: Exam, certificate_number: str, on: dt.date) -> list[rules.Check]:
    valid: bool | None = None
    detail = ""
    if post.certificate_kind:
        found = exchange.certificate_check(post.certificate_kind, certificate_number, on=on)
        valid = bool(found and found.valid and found.person_id == person.pk)
        # What the reviewer reads beside the number: the certificate found, or why it fails.
        if found is None:
            detail = "not_found"
        elif found.person_id != person.pk:
            detail = "other_holder"
        elif not found.valid:
            detail = f"status:{found.status}"
        else:
            issued = f"（{found.issued_on:%Y-%m-%d}）" if found.issued_on else ""
            detail = f"{found.title}{issued}"[:200]
    return rules.eligibility(
        birth=person.birth_date,
        on=exam.registration_closes,
        alive=person.status == Person.Status.ACTIVE,
        district=person.household_district_id or "",
        min_age=post.min_age,
        max_age=post.max_age,
        districts=post.districts,
        certificate_required=bool(post.certificate_kind),
        certificate_valid=valid,
        certificate_detail=detail,
    )


def _refusals(checks: list[rules.Check]) -> dict[str, str]:
    messages = {
        "registry": _("your record in the population registry is not active"),
        "age": _("your age on the closing day (%(detail)s) is outside the post's range"),
        "household": _("the post is open to households registered in its districts only"),
        "certificate": _("no valid certificate of yours with this number was found"),
    }
    return {check.name: messages[check.name] % {"detail": check.detail} for check in checks if not check.passed}


def registration_create(*, scope: Scope, exam_code: str, post_code: str, certificate_number: str = "") -> Registration:
    """Register the caller for one post of an open exam. Ineligible: a 422 naming each check
    that failed, nothing kept. The same post again gives back the registration (a retry)."""
    person_id = require_citizen(scope)
    on = timezone.localdate()
    exam = Exam.objects.filter(code=exam_code[:20]).first()
    if exam is None:
        raise NotFound(_("No examination with this code was found."), code="exam_unknown")
    if exam.status != ExamStatus.OPEN or not exam.registration_opens <= on <= exam.registration_closes:
        raise Conflict(_("Registration for this examination is not open."), code="registration_closed")
    post = exam.posts.filter(code=post_code[:20]).first()
    if post is None:
        raise InvalidInput(fields={"post": _("no such post in this examination")})
    existing = Registration.objects.filter(exam=exam, person_id=person_id).first()
    if existing is not None:
        if existing.post_id == post.pk:
            return existing
        raise Conflict(_("You are registered for another post of this examination."), code="registered_already")
    person = Person.objects.get(pk=person_id)
    checks = _checks(person, post, exam, certificate_number.strip().upper()[:40], on)
    refusals = _refusals(checks)
    if refusals:
        raise InvalidInput(_("You do not meet the post's conditions."), code="not_eligible", fields=refusals)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                exam=exam,
                post=post,
                person=person,
                certificate_number=certificate_number.strip().upper()[:40],
                eligibility=[[check.name, check.passed, check.detail] for check in checks],
            )
            audit_record(
                actor=scope.actor,
                actor_role=scope.primary_role,
                action="exams.registration.create",
                object_type="exam_registration",
                object_id=str(registration.pk),
                detail={"exam": exam.code, "post": post.code},
            )
    except IntegrityError:  # the same request twice at once
        return Registration.objects.get(exam=exam, person=person)
    return registration


@transaction.atomic
def registration_review(*, scope: Scope, registration_id: uuid.UUID, approve: bool, note: str = "") -> Registration:
    """The office's review (资格审查): approved, the fee is due (or the registration is
    confirmed when there is none); refused, with the reason the candidate sees."""
    require_office(scope)
    registration = Registration.objects.select_for_update().select_related("exam").filter(pk=registration_id).first()
    if registration is None or not scope.covers_district(registration.exam.district):
        raise NotFound(_("No such registration."))
    if registration.status != Registration.Status.REVIEW:
        raise Conflict(_("This registration is reviewed already."), code="reviewed_already")
    if not approve and not note.strip():
        raise InvalidInput(fields={"note": _("say why the registration is refused")})
    if approve:
        paid = registration.exam.fee <= 0
        registration.status = Registration.Status.CONFIRMED if paid else Registration.Status.PAYMENT
    else:
        registration.status = Registration.Status.REFUSED
    registration.reviewed_by = scope.actor
    registration.reviewed_at = timezone.now()
    registration.review_note = note.strip()[:200]
    registration.save()
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.registration.review",
        object_type="exam_registration",
        object_id=str(registration.pk),
        detail={"approved": approve},
    )
    return registration


def fee_pay(*, scope: Scope, registration_id: uuid.UUID) -> tuple[FeeOrder, str]:
    """Start paying the exam fee; an order still pending is given back (with no new charge)."""
    person_id = require_citizen(scope)
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .select_related("exam")
            .filter(pk=registration_id, person_id=person_id)
            .first()
        )
        if registration is None:
            raise NotFound(_("No such registration."))
        if registration.status != Registration.Status.PAYMENT:
            raise Conflict(_("No fee is due for this registration."), code="fee_not_due")
        pending = registration.fee_orders.filter(status=FeeOrder.Status.PENDING).first()
        if pending is not None:
            return pending, pending.redirect_url  # where the payer confirms it, again
        gateway = gateway_get(FEE_GATEWAY)
        order = FeeOrder.objects.create(
            registration=registration,
            reference=f"EX{timezone.localdate():%Y%m%d}{secrets.token_hex(6).upper()}",
            amount=registration.exam.fee,
            gateway=gateway.name,
        )
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="exams.fee.start",
            object_type="exam_fee",
            object_id=order.reference,
            detail={"amount": str(order.amount)},
        )
    result = gateway.start(
        Charge(
            reference=order.reference,
            amount=order.amount,
            description=_("Examination fee: %(exam)s") % {"exam": registration.exam.name},
            method=FEE_METHOD,
            notify=NOTIFY,
            return_url=reverse("exams:mine"),
        )
    )
    order.gateway_reference = result.gateway_reference[:64]
    order.redirect_url = result.redirect_url[:500]
    order.save(update_fields=["gateway_reference", "redirect_url", "updated_at"])
    if result.status in ("paid", "failed"):
        fee_settle(order=order, status=result.status, amount=order.amount, actor=f"gateway:{gateway.name}")
        order.refresh_from_db()
    return order, result.redirect_url


def fee_notification_apply(*, gateway_name: str, body: bytes, headers: dict[str, str]) -> FeeOrder:
    """The provider's callback: authenticated by the gateway, amount checked, applied once."""
    gateway = gateway_get(gateway_name)
    note = gateway.notification(body=body, headers=headers)
    order = FeeOrder.objects.filter(reference=note.reference[:32], gateway=gateway.name).first()
    if order is None:
        raise NotFound(_("No such payment order."), code="payment_unknown")
    if note.status not in ("paid", "failed"):
        raise InvalidInput(fields={"status": note.status})
    return fee_settle(order=order, status=note.status, amount=note.amount, actor=f"gateway:{gateway.name}")


@transaction.atomic
def fee_settle(*, order: FeeOrder, status: str, amount: Decimal, actor: str) -> FeeOrder:
    locked = FeeOrder.objects.select_for_update().get(pk=order.pk)
    if locked.status != FeeOrder.Status.PENDING:
        return locked  # final: a repeated callback changes nothing
    if amount != locked.amount:
        raise Conflict(_("The notified amount differs from the order."), code="payment_amount_mismatch")
    locked.status = FeeOrder.Status.PAID if status == "paid" else FeeOrder.Status.FAILED
    locked.paid_at = timezone.now() if status == "paid" else None
    locked.save()
    if locked.status == FeeOrder.Status.PAID:
        Registration.objects.filter(pk=locked.registration_id, status=Registration.Status.PAYMENT).update(
            status=Registration.Status.CONFIRMED, updated_at=timezone.now()
        )
    audit_record(
        actor=actor,
        action="exams.fee.status",
        object_type="exam_fee",
        object_id=locked.reference,
        detail={"status": locked.status},
    )
    return locked
