"""The exchange's answers to other departments (S3, A6, S7) and the consent codes persons
give them. Every answer is minimised (yes/no where that is enough), signed (JWS), recorded as
an ``Inquiry`` the person can see, audited with the caller's purpose, and rate-limited per
department system."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.identifiers import parse_id_number
from hrss.core import exchange as offered
from hrss.core.audit import audit_record
from hrss.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import AGENCY_CLIENT, CITIZEN, Scope
from hrss.exchange import providers, rules, signing
from hrss.exchange.models import Consent, Inquiry
from hrss.registry.models import Person
from hrss.registry.services import id_number_index

STATUS_GRANT = "verify:benefit_eligibility"
CERTIFICATE_GRANT = "verify:certificates"
HISTORY_GRANT = "exchange:read"
ALIVE = "alive"
HISTORY_LIMIT = 200


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = _("Too many requests from this system; wait a minute and try again.")


def _caller(scope: Scope, grant: str, purpose: str) -> str:
    """The department system's name, once it is known to hold the grant and has said why."""
    if not scope.has_role(AGENCY_CLIENT) or grant not in scope.grants:
        raise PermissionDenied(_("This system holds no grant for this exchange service."))
    if len(purpose.strip()) < 2:
        raise InvalidInput(fields={"purpose": _("Declare the purpose of the request.")})
    _rate(scope.actor)
    return scope.actor


def _rate(client: str) -> None:
    """At most ``HRSS_EXCHANGE_RATE_PER_MINUTE`` answers a minute per system, counted in the
    shared cache so that every web worker counts the same requests.

    The minute's first answer costs the cache as many round trips as any other (a missed
    ``incr`` then an ``add``, against an ``incr``), so a request's queries on the database cache
    do not depend on where in the minute it falls."""
    limit = int(getattr(settings, "HRSS_EXCHANGE_RATE_PER_MINUTE", 120))
    key = f"exchange:rate:{client}:{_minute()}"
    try:
        count = cache.incr(key)
    except ValueError:  # the minute's first answer
        count = 1 if cache.add(key, 1, timeout=120) else cache.incr(key)
    if count > limit:
        raise RateLimited()


def _minute() -> int:
    """The minute a request is counted in (its number since the epoch)."""
    return int(time.time() // 60)


def _person(id_number: str) -> Person:
    value = parse_id_number(id_number).value
    person = Person.objects.filter(id_number_index=id_number_index(value)).first()
    if person is None:
        raise NotFound(_("No person with this ID number is registered."), code="person_not_found")
    return person


def _answer(
    *, kind: str, client: str, purpose: str, person: Person | None, body: dict[str, Any], consent: Consent | None = None
) -> dict[str, Any]:
    """Sign the answer, record it for the person and the audit chain, and return it with its JWS."""
    inquiry_id = uuid.uuid4()
    payload = {
        "iss": "hrss",
        "id": str(inquiry_id),
        "kind": kind,
        "client": client,
        "purpose": purpose,
        "answered_at": timezone.now().isoformat(timespec="seconds"),
        **body,
    }
    token = signing.sign(payload)
    with transaction.atomic():
        Inquiry.objects.create(
            id=inquiry_id,
            kind=kind,
            client=client,
            purpose=purpose,
            person=person,
            consent=consent,
            answer=payload,
            jws=token,
        )
        audit_record(
            actor=client,
            actor_role=AGENCY_CLIENT,
            action=f"exchange.{kind}",
            object_type="person" if person else "certificate",
            object_id=str(person.pk) if person else str(body.get("number", "")),
            purpose=purpose,
            detail={"inquiry": str(inquiry_id)},
        )
    return {"answer": payload, "jws": token}


# --- S3: yes/no status ------------------------------------------------------------------------


def status(*, scope: Scope, id_number: str, questions: list[str], purpose: str) -> dict[str, Any]:
    """Yes/no answers about a person (alive, insured, drawing a pension …), each from the app
    that owns the record; nothing else about the person is said."""
    client = _caller(scope, STATUS_GRANT, purpose)
    known = {ALIVE: None, **offered.questions()}
    asked = list(dict.fromkeys(q.strip() for q in questions if q.strip()))
    unknown = [q for q in asked if q not in known]
    if not asked or unknown:
        raise InvalidInput(
            _("Ask one or more of the questions this service answers."),
            code="unknown_question",
            fields={"questions": " ".join(sorted(known))},
        )
    person = _person(id_number)
    on = timezone.localdate()
    answers: dict[str, bool] = {}
    if ALIVE in asked:
        answers[ALIVE] = person.status != Person.Status.DECEASED
    by_module: dict[Any, set[str]] = {}
    for question in asked:
        if question != ALIVE:
            by_module.setdefault(known[question], set()).add(question)
    for module, owned in by_module.items():
        answers.update({q: bool(v) for q, v in module.answers(owned, person.pk, on=on).items() if q in owned})
    body = {"id_number": rules.mask_id_number(person.id_number), "on": on.isoformat(), "answers": answers}
    return _answer(kind=Inquiry.Kind.STATUS, client=client, purpose=purpose, person=person, body=body)


def questions_offered() -> list[tuple[str, str]]:
    return [(ALIVE, str(_("Is the person alive?"))), *sorted((q, offered.label(q)) for q in offered.questions())]


# --- A6: certificate verification -------------------------------------------------------------


def certificate(*, scope: Scope, kind: str, number: str, id_number: str, purpose: str) -> dict[str, Any]:
    """Whether a certificate of this number is genuine, valid and the holder's whose ID number
    the caller gives: yes/no, with the certificate's title; the holder's name is not said."""
    client = _caller(scope, CERTIFICATE_GRANT, purpose)
    module = offered.certificate_kinds().get(kind)
    if module is None:
        raise InvalidInput(
            _("This kind of certificate is not verified here."),
            code="unknown_certificate_kind",
            fields={"kind": " ".join(sorted(offered.certificate_kinds()))},
        )
    holder = parse_id_number(id_number).value
    number = number.strip()[:40]
    check = module.certificate_check(kind, number, on=timezone.localdate())
    person = None
    matches = False
    if check is not None:
        person = Person.objects.filter(pk=check.person_id).first()
        matches = person is not None and person.id_number_index == id_number_index(holder)
    body: dict[str, Any] = {
        "certificate_kind": kind,
        "number": number,
        "found": check is not None,
        "holder_matches": matches,
        "valid": bool(check and check.valid and matches),
        "status": check.status if check and matches else "",
        "title": check.title if check and matches else "",
        "issued_on": check.issued_on.isoformat() if check and matches and check.issued_on else None,
    }
    return _answer(
        kind=Inquiry.Kind.CERTIFICATE, client=client, purpose=purpose, person=person if matches else None, body=body
    )


# --- S7: history with consent -----------------------------------------------------------------


def _consent(*, person: Person, code: str, client: str, use: str) -> Consent:
    """The person's consent code for ``use``, neither expired nor revoked, given to ``client``:
    the first system that presents the code is the one it was given to; no other may use it."""
    consent = Consent.objects.filter(
        person=person,
        code_hash=rules.consent_hash(code),
        use=use,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()
    if consent is None:
        raise PermissionDenied(
            _("No valid consent code of this person was given; ask the person for one."), code="consent_required"
        )
    Consent.objects.filter(pk=consent.pk, client="").update(client=client)
    consent.refresh_from_db(fields=["client"])
    if consent.client != client:
        raise PermissionDenied(
            _("This consent code was given to another department; ask the person for one of your own."),
            code="consent_required",
        )
    return consent


def history(*, scope: Scope, id_number: str, consent_code: str, purpose: str) -> dict[str, Any]:
    """The person's employment and insurance history, given only with a consent code the
    person made for this purpose and not yet expired or revoked."""
    client = _caller(scope, HISTORY_GRANT, purpose)
    person = _person(id_number)
    consent = _consent(person=person, code=consent_code, client=client, use=Consent.Use.HISTORY)
    on = timezone.localdate()
    sections = []
    for module in providers.history_modules():
        for section in module.person_sections(person.pk, on=on, limit=HISTORY_LIMIT):
            if section.total:
                sections.append(
                    {
                        "key": section.key,
                        "title": str(section.title),
                        "total": section.total,
                        "entries": [
                            {
                                "title": e.title,
                                "on": e.on.isoformat() if e.on else None,
                                "detail": e.detail,
                                "status": e.status,
                            }
                            for e in section.entries
                        ],
                    }
                )
    Consent.objects.filter(pk=consent.pk).update(uses=F("uses") + 1)
    body = {
        "id_number": rules.mask_id_number(person.id_number),
        "name": person.name,
        # What the person consented to, beside the purpose the system declared.
        "consent": {"recipient": consent.recipient, "purpose": consent.purpose},
        "on": on.isoformat(),
        "sections": sorted(sections, key=lambda s: s["key"]),
    }
    return _answer(kind=Inquiry.Kind.HISTORY, client=client, purpose=purpose, person=person, body=body, consent=consent)


# --- S4: another app's records with consent ------------------------------------------------------


def consented(
    *,
    scope: Scope,
    grant: str,
    use: str,
    id_number: str,
    consent_code: str,
    purpose: str,
    read: Callable[[uuid.UUID], dict[str, Any]],
) -> dict[str, Any]:
    """Another app's records of a person (``read(person_id)``, e.g. the medical settlements a
    designated institution reads), given only to a caller with ``grant`` and a consent code the
    person made for ``use``; signed, recorded for the person and audited like the history
    (registered in ``hrss.core.exchange`` by ``ExchangeConfig.ready()``)."""
    if use not in Consent.Use.values or use == Consent.Use.HISTORY:
        raise InvalidInput(code="unknown_consent_use", fields={"use": " ".join(Consent.Use.values)})
    client = _caller(scope, grant, purpose)
    person = _person(id_number)
    consent = _consent(person=person, code=consent_code, client=client, use=use)
    body = read(person.pk)
    Consent.objects.filter(pk=consent.pk).update(uses=F("uses") + 1)
    body = {
        "id_number": rules.mask_id_number(person.id_number),
        "consent": {"recipient": consent.recipient, "purpose": consent.purpose},
        **body,
    }
    return _answer(kind=use, client=client, purpose=purpose, person=person, body=body, consent=consent)


# --- consent codes, by the person ----------------------------------------------------------------


def consent_create(
    *, scope: Scope, recipient: str, purpose: str, days: int, use: str = Consent.Use.HISTORY
) -> tuple[Consent, str]:
    """A consent code for one department (or medical institution, ``use="medical"``) and
    purpose, valid ``days`` days (1–90); the code is shown once, only its hash is kept."""
    if not scope.has_role(CITIZEN) or scope.person_id is None:
        raise PermissionDenied(_("Only the person themselves gives a consent code."))
    errors = {}
    if not recipient.strip():
        errors["recipient"] = _("Name the department you give the code to.")
    if not purpose.strip():
        errors["purpose"] = _("Say what the department needs it for.")
    if not 1 <= days <= 90:
        errors["days"] = _("A consent code is valid for 1 to 90 days.")
    if use not in Consent.Use.values:
        errors["use"] = _("Choose what the code opens.")
    if errors:
        raise InvalidInput(fields=errors)
    code = rules.new_consent_code()
    row = Consent.objects.create(
        person_id=scope.person_id,
        code_hash=rules.consent_hash(code),
        hint=code[-4:],
        recipient=recipient.strip()[:100],
        purpose=purpose.strip()[:200],
        use=use,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return row, code


def consent_revoke(*, scope: Scope, consent_id: uuid.UUID) -> Consent:
    row = Consent.objects.filter(pk=consent_id, person_id=scope.person_id or uuid.UUID(int=0)).first()
    if row is None:
        raise NotFound(_("No such consent code of yours."))
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at", "updated_at"])
    return row
