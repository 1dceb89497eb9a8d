"""The talent green card (人才绿卡, R1): issued when the hall approves 人才绿卡申领 (SH-RC-001),
one valid card per person, valid for the years the dated policy says; its benefits (住房补贴,
子女入学, 就医绿色通道) applied for by the holder and decided by the bureau's reviewers and
approvers. Every write atomic and audited."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.registry.models import Person
from hrss.talent import rules, selectors
from hrss.talent.apps import GREEN_CARD_STAFF
from hrss.talent.errors import GreenCardBenefitOpen, GreenCardHeld, GreenCardMissing
from hrss.talent.green_card_policy import green_card_validity_years
from hrss.talent.models import Decision, GreenCard, GreenCardBenefit, GreenCardBenefitKind, GreenCardCategory
from hrss.talent.services.access import audit

GREEN_CARD_ITEM = "SH-RC-001"


def _number(category: str, on: Any) -> str:
    """RC + year + category + a serial of the year: ``RC2026C000001``."""
    serial = GreenCard.objects.filter(issued_on__year=on.year).count() + 1
    while True:
        number = f"RC{on:%Y}{category.upper()}{serial:06d}"
        if not GreenCard.objects.filter(number=number).exists():
            return number
        serial += 1


def green_card_issue(*, scope: Scope, person_id: uuid.UUID, category: str, reference: str) -> GreenCard:
    """Issue the card the hall approved (``talent.green_card_issue``); refused with
    ``green_card_held`` when the person already holds a valid card. Idempotent per application."""
    with transaction.atomic():
        earlier = GreenCard.objects.filter(hall_reference=reference).first()
        if earlier is not None:
            return earlier
        if category not in GreenCardCategory.values:
            raise InvalidInput(fields={"category": _("Choose a green card category of the list.")})
        # One writer per person, so that two approvals cannot both issue a card.
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is None:
            raise NotFound(_("The applicant is not in the person registry."))
        today = timezone.localdate()
        if selectors.green_card_valid(person_id=person.pk, on=today) is not None:
            raise GreenCardHeld()
        card = GreenCard.objects.create(
            person=person,
            number=_number(category, today),
            category=category,
            issued_on=today,
            valid_until=rules.green_card_valid_until(today, green_card_validity_years(on=today)),
            hall_reference=reference,
            issued_by=scope.actor,
        )
        audit(scope, "talent.green_card_issue", "talent_green_card", card.pk, category=category, reference=reference)
    return card


def green_card_benefit_apply(*, scope: Scope, kind: str, details: str, idempotency_key: str) -> GreenCardBenefit:
    """The holder applies for one benefit of their valid card; one of each kind while it is
    pending or granted (``green_card_benefit_open``). A retry with the same key answers with
    the first application."""
    if scope.is_staff or scope.person_id is None:
        raise PermissionDenied(_("The benefits are applied for by the card holder."), code="not_a_citizen")
    key = idempotency_key.strip()[:64]
    if not key:
        raise InvalidInput(fields={"idempotency_key": _("An idempotency key is required.")})
    with transaction.atomic():
        found = selectors.green_card_valid(person_id=scope.person_id, on=timezone.localdate())
        if found is None:
            raise GreenCardMissing()
        card = GreenCard.objects.select_for_update().get(pk=found.pk)
        earlier = GreenCardBenefit.objects.filter(card=card, idempotency_key=key).first()
        if earlier is not None:
            return earlier
        if kind not in GreenCardBenefitKind.values:
            raise InvalidInput(fields={"kind": _("Choose a benefit of the list.")})
        if GreenCardBenefit.objects.filter(
            card=card, kind=kind, status__in=[Decision.SUBMITTED, Decision.APPROVED]
        ).exists():
            raise GreenCardBenefitOpen()
        benefit = GreenCardBenefit.objects.create(
            card=card, kind=kind, details=details.strip()[:500], idempotency_key=key
        )
        audit(scope, "talent.green_card_benefit_apply", "talent_green_card_benefit", benefit.pk, kind=kind)
    return benefit


def green_card_benefit_decide(*, scope: Scope, benefit_id: uuid.UUID, approved: bool, reason: str) -> GreenCardBenefit:
    """A reviewer or approver of the holder's district grants the benefit, or refuses it
    with a reason the holder reads; only a pending application, only while the card is valid."""
    if not scope.has_role(*GREEN_CARD_STAFF):
        raise PermissionDenied()
    reason = reason.strip()[:500]
    with transaction.atomic():
        benefit = (
            GreenCardBenefit.objects.select_for_update()
            .filter(selectors.green_card_benefit_filter(scope), pk=benefit_id)
            .select_related("card")
            .first()
        )
        if benefit is None:
            raise NotFound()
        if benefit.status != Decision.SUBMITTED:
            raise Conflict(_("This application is already decided."), code="green_card_benefit_decided")
        if not approved and not reason:
            raise InvalidInput(fields={"reason": _("Say why the benefit is refused.")})
        if approved and benefit.card.valid_until < timezone.localdate():
            raise GreenCardMissing(_("The holder's green card has expired: the benefit cannot be granted."))
        benefit.status = Decision.APPROVED if approved else Decision.REJECTED
        benefit.reason = reason
        benefit.decided_by = scope.actor
        benefit.decided_at = timezone.now()
        benefit.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])
        audit(
            scope,
            "talent.green_card_benefit_decide",
            "talent_green_card_benefit",
            benefit.pk,
            approved=approved,
            kind=benefit.kind,
        )
    return benefit
