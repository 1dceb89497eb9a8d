"""What an app answers other departments through the exchange (S3, A6), without the exchange
importing it.

An app declares ``exchange = "hrss.<app>.exchange"`` on its AppConfig. That module may have

* ``QUESTIONS``: ``{question: label}``, the yes/no questions about a person it answers
  (e.g. ``"insured"``), and ``answers(questions, person_id, *, on) -> dict[str, bool]``,
  read set-based (a query or two for all the questions it owns);
* ``CERTIFICATES``: ``{kind: label}``, the kinds of certificate it verifies by number, and
  ``certificate_check(kind, number, *, on) -> CertificateCheck | None`` (None: no such
  certificate), and ``certificates_of(person_id, *, on) -> list[CertificateCheck]``, the
  person's own certificates of those kinds (what the holder sees of them, R1).

The declarations are collected once, in ``CoreConfig.ready()`` (``collect()``); the exchange
app and any app that needs a certificate checked (the exams' posts) ask here, so no app
imports the one that issues a certificate.

The exchange adds what the registry knows (whether the person is alive), signs every answer
and audits it; an app only answers for its own records, yes or no where that is enough.
"""

from __future__ import annotations

import datetime as dt
import importlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from hrss.core.errors import Conflict


@dataclass(frozen=True)
class CertificateCheck:
    kind: str
    number: str
    valid: bool  # issued by the bureau and neither revoked nor superseded
    status: str  # e.g. valid, revoked, superseded
    person_id: uuid.UUID  # whose it is: the caller learns only whether it matches the ID number they give
    title: str  # e.g. the qualification and level
    issued_on: dt.date | None


_ANSWERS: dict[str, ModuleType] = {}  # question -> module
_CERTIFICATES: dict[str, ModuleType] = {}  # kind -> module
_LABELS: dict[str, object] = {}  # question or kind -> label


def collect() -> None:
    """Find every installed app's ``exchange`` module (called from ``CoreConfig.ready()``)."""
    _ANSWERS.clear()
    _CERTIFICATES.clear()
    _LABELS.clear()
    for config in apps.get_app_configs():
        path = getattr(config, "exchange", None)
        if not path:
            continue
        module = importlib.import_module(path)
        for question, label in getattr(module, "QUESTIONS", {}).items():
            _ANSWERS[question] = module
            _LABELS[question] = label
        for kind, label in getattr(module, "CERTIFICATES", {}).items():
            _CERTIFICATES[kind] = module
            _LABELS[kind] = label


def questions() -> dict[str, ModuleType]:
    """question -> the module that answers it."""
    return dict(_ANSWERS)


def certificate_kinds() -> dict[str, ModuleType]:
    """certificate kind -> the module that verifies it."""
    return dict(_CERTIFICATES)


def label(name: str) -> str:
    """The label an app gave a question or a kind of certificate."""
    return str(_LABELS.get(name, name))


def certificate_check(kind: str, number: str, *, on: dt.date) -> CertificateCheck | None:
    """The certificate of this kind and number, or None (unknown kind, no such number)."""
    module = _CERTIFICATES.get(kind)
    if module is None or not number:
        return None
    found: CertificateCheck | None = module.certificate_check(kind, number, on=on)
    return found


def certificates_of(person_id: uuid.UUID, *, on: dt.date) -> list[CertificateCheck]:
    """Every certificate of the person the apps know, each app asked once."""
    found: list[CertificateCheck] = []
    for module in dict.fromkeys(_CERTIFICATES.values()):
        of = getattr(module, "certificates_of", None)
        if of is not None:
            found.extend(of(person_id, on=on))
    return sorted(found, key=lambda c: (c.issued_on or dt.date.min, c.number), reverse=True)


# --- reads with the person's consent code (S4, S7) -----------------------------------------------
#
# The exchange app keeps the consent codes a person makes, lists and revokes, and records every
# answer given about them. An app that lets its own callers read a person's records with such a
# code (the medical app's designated institutions) asks here; the exchange registers the gate in
# its ready(), so neither app imports the other.

ConsentGate = Callable[..., dict[str, Any]]
_GATE: list[ConsentGate] = []


def register_consent_gate(gate: ConsentGate) -> None:
    """The exchange's ``consented(*, scope, grant, use, id_number, consent_code, purpose, read)``."""
    _GATE[:] = [gate]


def consented(
    *,
    scope: Any,
    grant: str,
    use: str,
    id_number: str,
    consent_code: str,
    purpose: str,
    read: Callable[[uuid.UUID], dict[str, Any]],
) -> dict[str, Any]:
    """Read a person's records with their consent code: the exchange checks the caller's grant,
    the code (made for ``use``, neither expired nor revoked, bound to the first caller that
    shows it), calls ``read(person_id)`` for the answer's body, signs it, records it for the
    person and audits it; ``{"answer", "jws"}``. Refuses as the exchange does."""
    if not _GATE:
        raise Conflict(_("Reads with a consent code are not available."), code="consent_unavailable")
    return _GATE[0](
        scope=scope, grant=grant, use=use, id_number=id_number, consent_code=consent_code, purpose=purpose, read=read
    )
