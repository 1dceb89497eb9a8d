"""Request and response shapes of the archive API (A4, B2); every request body carries an example."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class EntryOut(Schema):
    title: str
    on: dt.date | None
    detail: str
    status: str
    reference: str
    link: str


class SectionOut(Schema):
    key: str
    title: str
    total: int
    entries: list[EntryOut]


class DossierOut(Schema):
    subject_kind: str
    name: str
    code: str
    district: str
    on: dt.date
    sections: list[SectionOut]


class OfferOut(Schema):
    kind: str
    ref: str
    title: str
    label: str


class CertificateIssueIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"kind": "insurance.contributions", "ref": ""}]})

    kind: str = Field(..., min_length=3, max_length=40, pattern=r"^[a-z_]+\.[a-z_]+$")
    ref: str = Field("", max_length=64)


class IssuedOut(Schema):
    code: str
    number: str
    kind: str
    ref: str
    title: str
    issued_on: dt.date
    status: str
    file_sha256: str
    size: int
    download: str


class SummaryItemOut(Schema):
    label: str
    value: str


class CertificateVerificationOut(Schema):
    code: str
    found: bool
    title: str
    number: str
    issued_on: dt.date | None
    status: str
    superseded_by: str
    holder: str
    id_number: str
    file_sha256: str
    summary: list[SummaryItemOut]
    still_matches: bool | None

    @staticmethod
    def resolve_summary(obj: Any) -> list[dict[str, str]]:
        return [{"label": label, "value": value} for label, value in obj.summary]
