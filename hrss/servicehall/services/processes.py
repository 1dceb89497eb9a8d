"""Processes: BPMN definitions stored as versions; the shipped file becomes the current version on first use."""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import NotFound
from hrss.servicehall import engine
from hrss.servicehall.extension_points import process_file
from hrss.servicehall.models import ProcessDefinition


def process_load(*, xml: str, source: str, filename: str = "", actor: str = "system") -> ProcessDefinition:
    """Validate a BPMN file and store it as the newest version of its process (refused if invalid)."""
    validated = engine.process_validate(xml)
    with transaction.atomic():
        latest = (
            ProcessDefinition.objects.select_for_update().filter(process_key=validated.key).order_by("-version").first()
        )
        if latest is not None and latest.sha256 == validated.sha256 and latest.active:
            return latest
        definition = ProcessDefinition.objects.create(
            process_key=validated.key,
            version=(latest.version + 1) if latest else 1,
            bpmn_xml=xml,
            sha256=validated.sha256,
            source=source,
            filename=filename,
            loaded_by=actor,
        )
        audit_record(
            actor=actor,
            action="servicehall.process.load",
            object_type="process",
            object_id=str(definition.pk),
            detail={"key": validated.key, "version": definition.version, "sha256": validated.sha256},
        )
    return definition


def process_current(key: str) -> ProcessDefinition:
    """The version new applications use: a changed shipped file becomes a new version on first use.

    Every shipped file was validated at start-up (system check ``hrss.S001``); two processes
    loading the same file at once store it once.
    """
    path = process_file(key)  # in the owning app's ``processes_dir`` (extension_points)
    if path is not None:
        xml = path.read_text(encoding="utf-8")
        sha = hashlib.sha256(xml.encode()).hexdigest()
        if not ProcessDefinition.objects.filter(
            process_key=key, sha256=sha, source=ProcessDefinition.Source.FILE
        ).exists():
            try:
                with transaction.atomic():  # a savepoint: the caller's transaction survives a lost race
                    process_load(xml=xml, source=ProcessDefinition.Source.FILE, filename=path.name)
            except IntegrityError:
                # Another server process loaded the same file at the same moment (same key
                # and version): its row is the current version, read below.
                pass
    definition = ProcessDefinition.objects.filter(process_key=key, active=True).order_by("-version").first()
    if definition is None:
        raise NotFound(_("The process %(key)s has not been loaded.") % {"key": key}, code="process_missing")
    return definition
