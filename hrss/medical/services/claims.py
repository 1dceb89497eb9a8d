"""Settlement of visits by designated institutions (S4): pre-settlement, settlement, reversal
(冲正) and refund (退费).

An institution is an agency client with the grant ``medical:settle`` whose name is bound to
the institution (``Institution.client_name``). The person is identified by the social
security card in the reader with its PIN (the card app's ``card_signin``: only a card in
service) or by an electronic card code (the card app's check, through
``identity.kiosk.ecard_holder``).

Every write locks the person's insurance row first, so a person's running totals and account
are changed by one settlement at a time; ``(institution, transaction_id)`` is unique in the
database, so a retried or concurrent duplicate settles once and answers the first result (the
same request) or is refused (a different request under a used transaction id). Every call
that touches a person is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from hrss.core.prepared import PreparedQuery
from hrss.core.scope import Scope
from hrss.identity import kiosk
from hrss.medical import policy, rules
from hrss.medical.models import Claim, ClaimLine, Institution, Insured, Pooling

GRANT = "medical:settle"
PIN_ATTEMPTS = 5
PIN_LOCK_SECONDS = 15 * 60
ZERO = rules.ZERO


@dataclass(frozen=True)
class LineIn:
    code: str
    quantity: Decimal
    unit_price: Decimal
    name: str = ""


@dataclass(frozen=True)
class Visit:
    """What the institution sends, identity aside."""

    pooling: str
    lines: Sequence[LineIn]
    visit_date: dt.date | None = None
    use_account: bool = True
    doctor: str = ""  # the institution's practitioner code of the treating doctor (optional)
    disease: str = ""  # a recognised chronic or special disease (门特) the outpatient visit is for


# The settlement's hot reads, compiled once per thread (hrss.core.prepared): building their SQL
# cost more CPU than running it (a settlement's service time was about a third SQL compiling).
_INSTITUTION_BY_CLIENT: PreparedQuery[Institution] = PreparedQuery(
    lambda client: Institution.objects.filter(client_name=client).order_by("pk")
)
_CLAIM_BY_TRANSACTION: PreparedQuery[Claim] = PreparedQuery(
    lambda institution_id, transaction_id: Claim.objects.filter(
        institution_id=institution_id, transaction_id=transaction_id
    ).order_by()
)


def standing(start: dt.date, end: dt.date, *, via: str = "") -> Q:
    """Settlements not reversed with a visit from ``start`` to ``end``, as a filter; ``via`` is
    the path to the claim from another model (``"claim__"`` for its lines)."""
    return Q(
        **{
            f"{via}kind": Claim.Kind.SETTLEMENT,
            f"{via}reversed_at__isnull": True,
            f"{via}visit_date__gte": start,
            f"{via}visit_date__lte": end,
        }
    )


def institution_of(scope: Scope) -> Institution:
    """The designated institution this agency client settles for."""
    if GRANT not in scope.grants:
        raise PermissionDenied(
            _("Only designated institutions may settle medical visits."), code="medical_grant_missing"
        )
    institution = _INSTITUTION_BY_CLIENT.first(scope.actor)
    if institution is None:
        raise PermissionDenied(
            _("This client is not bound to a designated institution."), code="medical_institution_unbound"
        )
    return institution


class CardLocked(DomainError):
    status = 429
    code = "medical_card_locked"
    default_message = gettext_lazy("Too many wrong PINs for this card here. Please try again in a quarter of an hour.")


def _card_holder(*, scope: Scope, number: str, pin: str) -> uuid.UUID:
    """The holder of the card in the reader once its PIN is right, if the card is in service: the
    card app's ``card_signin``, which IdentityConfig.ready() collects (a lost, replaced or
    cancelled card settles nothing). Wrong PINs count per institution and
    card; the fifth locks the card there for a quarter of an hour."""
    key = f"medical:pin:{hashlib.sha256(f'{scope.actor}|{number}'.encode()).hexdigest()}"
    if (cache.get(key) or 0) >= PIN_ATTEMPTS:
        raise CardLocked()
    try:
        return uuid.UUID(str(kiosk.card_holder(number=number, pin=pin)))
    except kiosk.CardSigninUnavailable:
        raise NotFound(
            _("Settling with the card in the reader is not available."), code="card_signin_unavailable"
        ) from None
    except PermissionDenied as refused:
        if refused.code == "card_pin_wrong":
            cache.add(key, 0, PIN_LOCK_SECONDS)
            cache.incr(key)
        raise


def person_identify(*, scope: Scope, card_number: str = "", card_pin: str = "", ecard_code: str = "") -> uuid.UUID:
    """The insured person, by the card in the reader with its PIN, or the electronic card's code (exactly one)."""
    if bool(card_number.strip()) == bool(ecard_code.strip()):
        raise InvalidInput(
            _("Give either the card number or the electronic card code."),
            code="medical_identity_missing",
            fields={"card_number": _("card number or electronic card code")},
        )
    if ecard_code.strip():
        return kiosk.ecard_holder(code=ecard_code)
    return _card_holder(scope=scope, number=card_number.strip(), pin=card_pin)


def _audit(scope: Scope, action: str, object_type: str, object_id: Any, **detail: Any) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        purpose="medical settlement",
        detail={k: str(v) for k, v in detail.items()},
    )


def _insured(person_id: uuid.UUID, *, lock: bool) -> Insured:
    rows = Insured.objects.select_related("category")
    insured = (rows.select_for_update() if lock else rows).filter(person_id=person_id).first()
    if insured is None:
        raise Conflict(_("This person has no basic medical insurance with us."), code="medical_not_insured")
    return insured


def _visit_check(visit: Visit) -> dt.date:
    if visit.pooling not in (Pooling.INPATIENT, Pooling.OUTPATIENT):
        raise InvalidInput(fields={"pooling": _("inpatient or outpatient")})
    if visit.disease.strip() and visit.pooling != Pooling.OUTPATIENT:
        raise InvalidInput(fields={"disease": _("only an outpatient visit settles for a chronic or special disease")})
    if not visit.lines:
        raise InvalidInput(_("A bill needs at least one line."), code="medical_no_lines")
    if len({line.code for line in visit.lines}) != len(visit.lines):
        raise InvalidInput(_("Each catalogue code may appear once in a bill."), code="medical_duplicate_line")
    today = timezone.localdate()
    on = visit.visit_date or today
    if on > today or on.year < today.year - 1:
        raise InvalidInput(fields={"visit_date": _("not in the future, and this year or last")})
    return on


def _compute(
    insured: Insured, institution: Institution, visit: Visit, on: dt.date
) -> tuple[Claim, list[ClaimLine], policy.Terms]:
    """The claim and its lines as settlement would write them (unsaved). A visit for a chronic or
    special disease needs the person's recognition of it in force, and settles in its pooling."""
    pooling, disease = visit.pooling, visit.disease.strip()
    if disease:
        if policy.recognition_for(person_id=insured.person_id, disease=disease, on=on) is None:
            raise Conflict(
                _("This person has no recognition of this chronic or special disease in force on the visit date."),
                code="medical_disease_not_recognised",
                fields={"disease": disease},
            )
        pooling = Pooling.CHRONIC
    terms = policy.terms_for(insured=insured, institution=institution, pooling=pooling, on=on)
    items = policy.catalogue_items(codes=[line.code for line in visit.lines], region=institution.region, on=on)
    lines = []
    for number, line in enumerate(visit.lines, start=1):
        item = items.get(line.code)
        split = rules.line_split(
            quantity=line.quantity,
            unit_price=line.unit_price,
            klass=item.klass if item else None,
            self_pay_share=item.self_pay_share if item else ZERO,
        )
        lines.append(
            ClaimLine(
                line_no=number,
                code=line.code,
                name=(item.name if item else line.name)[:120] or line.code,
                klass=item.klass if item else "C",
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=split.amount,
                out_of_catalogue=split.out_of_catalogue,
                class_b_self_pay=split.class_b_self_pay,
            )
        )
    total = sum((line.amount for line in lines), ZERO)
    outside = sum((line.out_of_catalogue for line in lines), ZERO)
    class_b = sum((line.class_b_self_pay for line in lines), ZERO)
    result = rules.settle(
        total=total,
        out_of_catalogue=outside,
        class_b_self_pay=class_b,
        deductible=terms.deductible,
        bands=terms.bands,
        cap_remaining=terms.cap_remaining,
    )
    paid = rules.payment_split(
        patient=result.patient,
        account_balance=insured.account_balance,
        use_account=visit.use_account and insured.category.has_account,
    )
    claim = Claim(
        institution=institution,
        person_id=insured.person_id,
        policy=terms.policy,
        pooling=pooling,
        visit_date=on,
        disease=disease,
        doctor=visit.doctor.strip(),
        cross_region=terms.cross_region,
        referred=terms.referred,
        total=total,
        out_of_catalogue=outside,
        class_b_self_pay=class_b,
        scope=result.scope,
        deductible_applied=rules.money(min(result.scope, terms.deductible)),
        fund=result.fund,
        over_cap=result.over_cap,
        patient=result.patient,
        account=paid.account,
        cash=paid.cash,
    )
    return claim, lines, terms


def claim_presettle(
    *, scope: Scope, card_number: str = "", card_pin: str = "", ecard_code: str = "", visit: Visit
) -> Claim:
    """What settling this bill now would give (预结算), written nowhere but the audit log."""
    institution = institution_of(scope)
    on = _visit_check(visit)
    person_id = person_identify(scope=scope, card_number=card_number, card_pin=card_pin, ecard_code=ecard_code)
    insured = _insured(person_id, lock=False)
    claim, lines, _terms = _compute(insured, institution, visit, on)
    _audit(scope, "medical.presettle", "person", insured.person_id, institution=institution.code)
    claim.pending_lines = lines  # type: ignore[attr-defined]  # shown with the quote, never saved
    return claim


def _request_hash(**parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _replay(institution: Institution, transaction_id: str, request_hash: str) -> Claim | None:
    earlier = _CLAIM_BY_TRANSACTION.first(institution.pk, transaction_id)  # (institution, transaction id) is unique
    if earlier is None:
        return None
    if earlier.request_hash != request_hash:
        raise Conflict(
            _("This transaction id was used for a different request."),
            code="medical_transaction_reused",
            fields={"transaction_id": transaction_id},
        )
    return earlier


def _transaction_id(value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 64:
        raise InvalidInput(fields={"transaction_id": _("1 to 64 characters")})
    return value


def _save(claim: Claim, lines: Sequence[ClaimLine]) -> Claim:
    """Insert the claim, its lines, and the account movement; a duplicate that got past the
    check (a concurrent delivery) hits the unique constraint and answers the first."""
    try:
        with transaction.atomic():
            claim.save(force_insert=True)
            for line in lines:
                line.claim = claim
            ClaimLine.objects.bulk_create(lines)
            if claim.account:
                Insured.objects.filter(person_id=claim.person_id).update(
                    account_balance=F("account_balance") - claim.account
                )
    except IntegrityError:
        earlier = _replay(claim.institution, claim.transaction_id, claim.request_hash)
        if earlier is None:
            raise
        return earlier
    return claim


def claim_settle(
    *,
    scope: Scope,
    transaction_id: str,
    card_number: str = "",
    card_pin: str = "",
    ecard_code: str = "",
    visit: Visit,
) -> Claim:
    """Settle a bill (结算): the fund's share, then the personal account, then cash."""
    institution = institution_of(scope)
    transaction_id = _transaction_id(transaction_id)
    on = _visit_check(visit)
    request_hash = _request_hash(
        kind=Claim.Kind.SETTLEMENT,
        pooling=visit.pooling,
        on=on,
        account=visit.use_account,
        lines=[(line.code, str(line.quantity), str(line.unit_price)) for line in visit.lines],
        **({"doctor": visit.doctor.strip()} if visit.doctor.strip() else {}),
        **({"disease": visit.disease.strip()} if visit.disease.strip() else {}),
    )
    earlier = _replay(institution, transaction_id, request_hash)
    if earlier is not None:
        return earlier
    person_id = person_identify(scope=scope, card_number=card_number, card_pin=card_pin, ecard_code=ecard_code)
    with transaction.atomic():
        insured = _insured(person_id, lock=True)
        earlier = _replay(institution, transaction_id, request_hash)  # a duplicate that held the lock first
        if earlier is not None:
            return earlier
        claim, lines, _terms = _compute(insured, institution, visit, on)
        claim.transaction_id = transaction_id
        claim.request_hash = request_hash
        claim = _save(claim, lines)
        _audit(scope, "medical.settle", "medical_claim", claim.pk, institution=institution.code, fund=claim.fund)
    return claim


def _original(institution: Institution, original_transaction_id: str) -> Claim:
    original = (
        Claim.objects.select_related("person")
        .filter(institution=institution, transaction_id=original_transaction_id, kind=Claim.Kind.SETTLEMENT)
        .first()
    )
    if original is None:
        raise NotFound(_("No settlement of this institution has that transaction id."))
    return original


AMOUNTS = (
    "total",
    "out_of_catalogue",
    "class_b_self_pay",
    "scope",
    "deductible_applied",
    "fund",
    "over_cap",
    "patient",
    "account",
    "cash",
)


def _current(original: Claim) -> dict[str, Decimal]:
    """The settlement as it stands after its earlier refunds."""
    rows = [original, *original.corrections.all()]
    return {name: sum((getattr(row, name) for row in rows), ZERO) for name in AMOUNTS}


def _correction(original: Claim, kind: str, transaction_id: str, request_hash: str) -> Claim:
    return Claim(
        institution=original.institution,
        transaction_id=transaction_id,
        request_hash=request_hash,
        kind=kind,
        original=original,
        person_id=original.person_id,
        policy=original.policy,
        pooling=original.pooling,
        visit_date=original.visit_date,
        disease=original.disease,
        doctor=original.doctor,
        cross_region=original.cross_region,
        referred=original.referred,
    )


def claim_reverse(*, scope: Scope, transaction_id: str, original_transaction_id: str) -> Claim:
    """Undo a settlement whole (冲正): a row of opposite amounts, the account paid back."""
    institution = institution_of(scope)
    transaction_id = _transaction_id(transaction_id)
    request_hash = _request_hash(kind=Claim.Kind.REVERSAL, original=original_transaction_id)
    earlier = _replay(institution, transaction_id, request_hash)
    if earlier is not None:
        return earlier
    original = _original(institution, original_transaction_id)
    with transaction.atomic():
        _insured(original.person_id, lock=True)
        earlier = _replay(institution, transaction_id, request_hash)
        if earlier is not None:
            return earlier
        original = Claim.objects.select_for_update().get(pk=original.pk)
        if original.reversed_at is not None:
            raise Conflict(_("This settlement has already been reversed."), code="medical_already_reversed")
        current = _current(original)
        reversal = _correction(original, Claim.Kind.REVERSAL, transaction_id, request_hash)
        for name, value in current.items():
            setattr(reversal, name, -value)
        refunded = set(ClaimLine.objects.filter(claim__original=original).values_list("line_no", flat=True))
        lines = [_negated(line) for line in original.lines.all() if line.line_no not in refunded]
        reversal = _save(reversal, lines)
        Claim.objects.filter(pk=original.pk).update(reversed_at=timezone.now())
        _audit(
            scope, "medical.reverse", "medical_claim", reversal.pk, original=original.pk, institution=institution.code
        )
    return reversal


def _negated(line: ClaimLine) -> ClaimLine:
    return ClaimLine(
        line_no=line.line_no,
        code=line.code,
        name=line.name,
        klass=line.klass,
        quantity=-line.quantity,
        unit_price=line.unit_price,
        amount=-line.amount,
        out_of_catalogue=-line.out_of_catalogue,
        class_b_self_pay=-line.class_b_self_pay,
    )


def claim_refund(
    *, scope: Scope, transaction_id: str, original_transaction_id: str, line_numbers: Sequence[int]
) -> Claim:
    """Return some lines of a settlement (退费): the rest is settled again under the terms the
    settlement had, and the difference is the refund's row (negative amounts)."""
    institution = institution_of(scope)
    transaction_id = _transaction_id(transaction_id)
    wanted = sorted(set(line_numbers))
    request_hash = _request_hash(kind=Claim.Kind.REFUND, original=original_transaction_id, lines=wanted)
    earlier = _replay(institution, transaction_id, request_hash)
    if earlier is not None:
        return earlier
    original = _original(institution, original_transaction_id)
    with transaction.atomic():
        _insured(original.person_id, lock=True)
        earlier = _replay(institution, transaction_id, request_hash)
        if earlier is not None:
            return earlier
        original = Claim.objects.select_for_update().get(pk=original.pk)
        if original.reversed_at is not None:
            raise Conflict(_("This settlement has already been reversed."), code="medical_already_reversed")
        refunded = set(ClaimLine.objects.filter(claim__original=original).values_list("line_no", flat=True))
        lines = {line.line_no: line for line in original.lines.all()}
        if not wanted or any(n not in lines or n in refunded for n in wanted):
            raise InvalidInput(fields={"line_numbers": _("lines of this settlement not yet refunded")})
        keep = [line for n, line in lines.items() if n not in refunded and n not in wanted]
        current = _current(original)
        after = _resettle(original, keep, current)
        refund = _correction(original, Claim.Kind.REFUND, transaction_id, request_hash)
        for name in AMOUNTS:
            setattr(refund, name, after[name] - current[name])
        refund = _save(refund, [_negated(lines[n]) for n in wanted])
        _audit(scope, "medical.refund", "medical_claim", refund.pk, original=original.pk, institution=institution.code)
    return refund


def _resettle(original: Claim, keep: Sequence[ClaimLine], current: dict[str, Decimal]) -> dict[str, Decimal]:
    """The remaining lines settled under the original's terms: its deductible (what it applied
    was all that was left, unless the bill was below it) and its cap (binding only if it cut)."""
    total = sum((line.amount for line in keep), ZERO)
    outside = sum((line.out_of_catalogue for line in keep), ZERO)
    class_b = sum((line.class_b_self_pay for line in keep), ZERO)
    bands = rules.bands_check(original.policy.bands)
    if original.cross_region and not original.referred:
        bands = rules.bands_reduce(bands, original.policy.outing_reduction)
    result = rules.settle(
        total=total,
        out_of_catalogue=outside,
        class_b_self_pay=class_b,
        deductible=original.deductible_applied,
        bands=bands,
        cap_remaining=original.fund if original.over_cap > 0 else None,
    )
    account = rules.money(min(result.patient, current["account"]))
    return {
        "total": total,
        "out_of_catalogue": outside,
        "class_b_self_pay": class_b,
        "scope": result.scope,
        "deductible_applied": rules.money(min(result.scope, original.deductible_applied)),
        "fund": result.fund,
        "over_cap": result.over_cap,
        "patient": result.patient,
        "account": account,
        "cash": result.patient - account,
    }
