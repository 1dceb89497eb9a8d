"""What an app answers other departments through the exchange (S3, A6), without the exchange
importing it.

An app declares ``exchange = "hrss.<app>.exchange"`` on its AppConfig. That module may have

* ``QUESTIONS``: ``{question: label}``, the yes/no questions about a person it answers
  (e.g. ``"insured"``), and ``answers(questions, person_id, *, on) -> dict[str, bool]``,
  read set-based (a query or two for all the questions it owns);
* ``CERTIFICATES``: ``{kind: label}``, the kinds of certificate it verifies by number, and
  ``certificate_check(kind, number, *, on) -> CertificateCheck | None`` (None: no such
  certificate).

The exchange adds what the registry knows (whether the person is alive), signs every answer
and audits it; an app only answers for its own records, yes or no where that is enough.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class CertificateCheck:
    kind: str
    number: str
    valid: bool  # issued by the bureau and neither revoked nor superseded
    status: str  # e.g. valid, revoked, superseded
    person_id: uuid.UUID  # whose it is: the caller learns only whether it matches the ID number they give
    title: str  # e.g. the qualification and level
    issued_on: dt.date | None
