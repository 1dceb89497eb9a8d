"""Intake of files from other departments (A2): validate every row, apply the valid ones.

Each row is validated before anything is written; valid rows are applied in batches, each
batch one transaction and each row its own savepoint, so a bad row never leaves
half-written data and a crash loses at most the batch in flight. Re-importing a file
changes nothing (every write is idempotent), which also makes a killed import safe to run
again.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes import selectors as codes
from hrss.codes.identifiers import parse_credit_code, parse_id_number
from hrss.codes.models import EducationLevel, Industry, Occupation
from hrss.core.audit import audit_record
from hrss.core.errors import DomainError, InvalidInput
from hrss.core.logging import mask_id_number
from hrss.registry import services
from hrss.registry.models import Employer, ImportBatch, Source

MOBILE = re.compile(r"^1[3-9]\d{9}$")
MAX_WAGE = Decimal("10000000")


@dataclass
class RowError:
    row: int
    key: str
    code: str
    message: str
    fields: dict[str, str]


@dataclass
class ParsedRow:
    row: int
    key: str
    apply: Callable[[ImportBatch], services.ApplyResult]


class _Reference:
    """Code sets loaded once per import."""

    def __init__(self) -> None:
        self.industries = set(Industry.objects.values_list("code", flat=True))
        self.occupations = set(Occupation.objects.values_list("code", flat=True))
        self.education = set(EducationLevel.objects.values_list("code", flat=True))


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("Dates are written YYYY-MM-DD."), fields={field: value}) from None


def _district(value: str, field: str) -> str:
    current = codes.district_current_code(value)
    if not value.isdigit() or current is None:
        raise InvalidInput(_("Unknown district code (GB/T 2260)."), fields={field: value})
    return current


def _person_row(
    raw: dict[str, str], ref: _Reference, source: str, rankings: Any
) -> tuple[str, Callable[[ImportBatch], services.ApplyResult]]:
    id_number = parse_id_number(raw.get("id_number", ""))
    values: dict[str, Any] = {}
    if raw.get("name"):
        name = raw["name"]
        if len(name) > 100:
            raise InvalidInput(_("The name is longer than 100 characters."), fields={"name": name[:20]})
        values["name"] = name
    for column in ("household_district", "residence_district"):
        if raw.get(column):
            values[column] = _district(raw[column], column)
    if raw.get("phone"):
        if not MOBILE.match(raw["phone"]):
            raise InvalidInput(_("A mobile number has 11 digits and starts with 1."), fields={"phone": raw["phone"]})
        values["phone"] = raw["phone"]
    if raw.get("death_date"):
        death = _date(raw["death_date"], "death_date")
        if death < id_number.birth_date or death > dt.date.today():
            raise InvalidInput(_("The death date is not possible."), fields={"death_date": raw["death_date"]})
        values["death_date"] = death
    if raw.get("education"):
        if raw["education"] not in ref.education:
            raise InvalidInput(_("Unknown education level code."), fields={"education": raw["education"]})
        values["education"] = raw["education"]
    return id_number.value, lambda batch: services.person_apply(
        id_number=id_number, values=values, source=source, rankings=rankings, batch=batch
    )


def _employer_row(
    raw: dict[str, str], ref: _Reference, source: str, rankings: Any
) -> tuple[str, Callable[[ImportBatch], services.ApplyResult]]:
    credit_code = parse_credit_code(raw.get("credit_code", ""))
    values: dict[str, Any] = {}
    if raw.get("name"):
        values["name"] = raw["name"][:200]
    if raw.get("industry"):
        if raw["industry"] not in ref.industries:
            raise InvalidInput(_("Unknown industry code (GB/T 4754)."), fields={"industry": raw["industry"]})
        values["industry"] = raw["industry"]
    if raw.get("district"):
        values["district"] = _district(raw["district"], "district")
    if raw.get("size"):
        if raw["size"] not in Employer.Size.values:
            raise InvalidInput(_("Size is one of micro, small, medium, large."), fields={"size": raw["size"]})
        values["size"] = raw["size"]
    if raw.get("contact_phone"):
        if not MOBILE.match(raw["contact_phone"]):
            raise InvalidInput(
                _("A mobile number has 11 digits and starts with 1."), fields={"contact_phone": raw["contact_phone"]}
            )
        values["contact_phone"] = raw["contact_phone"]
    return credit_code.value, lambda batch: services.employer_apply(
        credit_code=credit_code, values=values, source=source, rankings=rankings, batch=batch
    )


def _employment_row(
    raw: dict[str, str], ref: _Reference, source: str, rankings: Any
) -> tuple[str, Callable[[ImportBatch], services.ApplyResult]]:
    id_number = parse_id_number(raw.get("id_number", ""))
    credit_code = parse_credit_code(raw.get("credit_code", ""))
    start = _date(raw.get("start_date", ""), "start_date")
    end = _date(raw["end_date"], "end_date") if raw.get("end_date") else None
    if end and end < start:
        raise InvalidInput(_("The end date is before the start date."), fields={"end_date": raw["end_date"]})
    if start < id_number.birth_date:
        raise InvalidInput(_("The start date is before the person's birth."), fields={"start_date": raw["start_date"]})
    occupation = raw.get("occupation") or None
    if occupation and occupation not in ref.occupations:
        raise InvalidInput(_("Unknown occupation code."), fields={"occupation": occupation})
    wage = None
    if raw.get("monthly_wage"):
        try:
            wage = Decimal(raw["monthly_wage"])
        except InvalidOperation:
            raise InvalidInput(_("The wage is not a number."), fields={"monthly_wage": raw["monthly_wage"]}) from None
        if wage < 0 or wage > MAX_WAGE or wage.as_tuple().exponent < -2:  # type: ignore[operator]
            raise InvalidInput(
                _("The wage must be between 0 and 10,000,000 with at most two decimals."),
                fields={"monthly_wage": raw["monthly_wage"]},
            )
    key = f"{id_number.value}@{credit_code.value}"
    return key, lambda batch: services.employment_record(
        id_number=id_number,
        credit_code=credit_code,
        start_date=start,
        end_date=end,
        occupation=occupation,
        monthly_wage=wage,
        source=source,
    )


PARSERS = {
    ImportBatch.Kind.PERSONS: (_person_row, "person", ("id_number",)),
    ImportBatch.Kind.EMPLOYERS: (_employer_row, "employer", ("credit_code",)),
    ImportBatch.Kind.EMPLOYMENTS: (_employment_row, "person", ("id_number", "credit_code", "start_date")),
}


def _masked_key(kind: str, key: str) -> str:
    if kind == ImportBatch.Kind.EMPLOYERS:
        return key
    id_number, _sep, rest = key.partition("@")
    return mask_id_number(id_number) + (f"@{rest}" if rest else "")


def registry_import(
    *,
    stream: IO[bytes],
    filename: str,
    kind: str,
    source: str,
    actor: str,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> ImportBatch:
    """Import a CSV (UTF-8, header row) of persons, employers or employments from a source."""
    if kind not in ImportBatch.Kind.values:
        raise InvalidInput(_("Unknown import kind."), fields={"kind": kind})
    if source not in Source.values:
        raise InvalidInput(_("Unknown data source."), fields={"source": source})
    content = stream.read()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("The file is not UTF-8 text."), fields={"file": filename}) from None
    reader = csv.DictReader(io.StringIO(text))
    parse, rank_entity, required = PARSERS[kind]  # type: ignore[index]
    missing = [column for column in required if column not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(_("The file lacks required columns."), fields={"columns": ", ".join(missing)})

    batch = ImportBatch.objects.create(
        kind=kind,
        source=source,
        filename=Path(filename).name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        started_by=actor,
    )
    ref = _Reference()
    rankings = services.source_rankings(rank_entity)
    errors: list[RowError] = []
    counts = {"created": 0, "updated": 0, "unchanged": 0, "conflict": 0}

    def parsed_rows() -> Iterator[ParsedRow]:
        for number, raw in enumerate(reader, start=2):  # row 1 is the header
            row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
            try:
                key, apply = parse(row, ref, source, rankings)
            except DomainError as error:
                key = row.get("id_number") or row.get("credit_code") or ""
                errors.append(
                    RowError(number, _masked_key(kind, key), error.code, str(error.message), error.as_dict()["fields"])
                )
                continue
            yield ParsedRow(number, key, apply)

    applied = 0
    for chunk in _chunks(parsed_rows(), batch_size):
        with transaction.atomic():
            for row in chunk:
                try:
                    with transaction.atomic():
                        result = row.apply(batch)
                except DomainError as error:
                    errors.append(
                        RowError(
                            row.row,
                            _masked_key(kind, row.key),
                            error.code,
                            str(error.message),
                            error.as_dict()["fields"],
                        )
                    )
                    continue
                counts[result.outcome] += 1
                if result.outcome == "conflict":
                    errors.append(
                        RowError(
                            row.row,
                            _masked_key(kind, row.key),
                            "sent_to_review",
                            _("A less authoritative source differs from the current value; sent to review."),
                            dict.fromkeys(result.conflicts, "conflict"),
                        )
                    )
            applied += len(chunk)
        if progress:
            progress(applied)

    batch.rows_created, batch.rows_updated = counts["created"], counts["updated"]
    batch.rows_unchanged, batch.rows_conflict = counts["unchanged"], counts["conflict"]
    batch.rows_invalid = sum(1 for e in errors if e.code != "sent_to_review")
    batch.rows_total = (
        batch.rows_created + batch.rows_updated + batch.rows_unchanged + batch.rows_conflict + batch.rows_invalid
    )
    batch.report = [e.__dict__ for e in sorted(errors, key=lambda e: e.row)]
    batch.status = ImportBatch.Status.FINISHED
    batch.finished_at = timezone.now()
    with transaction.atomic():
        batch.save()
        audit_record(
            actor=actor,
            action="registry.import",
            object_type="import_batch",
            object_id=str(batch.pk),
            detail={
                "kind": kind,
                "source": source,
                "sha256": batch.sha256,
                "rows": batch.rows_total,
                "invalid": batch.rows_invalid,
                "conflicts": batch.rows_conflict,
            },
        )
    return batch


def _chunks(rows: Iterable[ParsedRow], size: int) -> Iterator[list[ParsedRow]]:
    chunk: list[ParsedRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_report(batch: ImportBatch, path: Path) -> None:
    """Write the row-level report as CSV: row, key (masked), code, message, fields."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "key", "code", "message", "fields"])
        for entry in batch.report:
            fields = "; ".join(f"{k}={v}" for k, v in entry["fields"].items())
            writer.writerow([entry["row"], entry["key"], entry["code"], entry["message"], fields])
