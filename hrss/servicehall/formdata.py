"""Sensitive form answers, encrypted at rest (X1): seal on write, unseal on read, mask for staff.

A field of an item's form marked ``"sensitive": true`` (a bank account, a postal address)
is stored in ``Application.form_data`` as ``{"$sealed": "<kid>$<base64>"}``: the answer,
JSON-encoded, encrypted with ``hrss.core.crypto.encrypt_text`` under associated data
``servicehall:<application id>:<field name>``, so a ciphertext copied to another
application or field does not decrypt. The marker is an object, which no validated form
answer can be, so a clear legacy value is never mistaken for a ciphertext. The workflow's
copy of the form (``form`` in the task data) is the sealed one too.

Validation runs on the clear values before sealing; readers go through ``unseal`` (the
applicant's pages and the API, the service-task handlers) or ``masked`` (staff pages: the
last four characters of a bank account, the first six of an address).
"""

from __future__ import annotations

import binascii
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from hrss.core.crypto import DecryptionError, decrypt_text, encrypt_text
from hrss.core.errors import Conflict

SEALED = "$sealed"
MASK_HEAD = "head"  # ``"mask": "head"`` keeps the start (an address's city and district)
_KEEP = 4
_KEEP_HEAD = 6

logger = logging.getLogger(__name__)


class FormDataUnreadable(Conflict):
    """A sealed answer did not decrypt: unknown key id, a copied or tampered ciphertext."""

    code = "form_data_unreadable"
    default_message = _("Part of this application's form could not be read. Please contact the bureau.")


def aad_for(application_id: Any, name: str) -> str:
    return f"servicehall:{application_id}:{name}"


def sensitive_names(form: Iterable[Mapping[str, Any]]) -> set[str]:
    return {str(field["name"]) for field in form if field.get("sensitive")}


def is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {SEALED} and isinstance(value[SEALED], str)


def seal(form: Iterable[Mapping[str, Any]], application_id: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with every sensitive answer encrypted (already sealed and empty answers stay)."""
    names = sensitive_names(form)
    sealed = dict(data)
    for name in names & set(data):
        value = data[name]
        if value in (None, "") or is_sealed(value):
            continue
        sealed[name] = {SEALED: encrypt_text(json.dumps(value, ensure_ascii=False), aad=aad_for(application_id, name))}
    return sealed


def unseal(application_id: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with every sealed answer decrypted; ``FormDataUnreadable`` if one does not decrypt."""
    clear = dict(data)
    for name, value in data.items():
        if not is_sealed(value):
            continue
        try:
            clear[name] = json.loads(decrypt_text(value[SEALED], aad=aad_for(application_id, name)))
        except (DecryptionError, binascii.Error, ValueError, UnicodeDecodeError) as error:
            logger.warning("sealed form answer %s of application %s does not decrypt: %s", name, application_id, error)
            raise FormDataUnreadable(fields={name: _("could not be read")}) from error
    return clear


def mask(value: Any, *, head: bool = False) -> str:
    """The value with all but its last four characters (``head``: its first six) starred."""
    text = str(value).replace(" ", "") if not head else str(value).strip()
    if head:
        shown = text[:_KEEP_HEAD] if len(text) > _KEEP_HEAD else ""
        return shown + "*" * (len(text) - len(shown))
    kept = text[-_KEEP:] if len(text) > _KEEP else ""
    return "*" * (len(text) - len(kept)) + kept


def map_workflow_forms(state: str, change: Callable[[dict[str, Any]], dict[str, Any] | None]) -> str | None:
    """The serialised workflow with ``change`` applied to every task's copy of the form (a
    node holding ``form`` and ``application_id``); ``change`` returns None for a form it
    leaves alone, and the result is None when it left every one alone."""
    if not state:
        return None
    changed = False

    def walk(node: Any) -> None:
        nonlocal changed
        if isinstance(node, dict):
            if isinstance(node.get("form"), dict) and "application_id" in node:
                form = change(node["form"])
                if form is not None:
                    node["form"] = form
                    changed = True
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    tree = json.loads(state)
    walk(tree)
    # SpiffWorkflow writes plain ``json.dumps`` output; key order survives the round trip.
    return json.dumps(tree) if changed else None


def masked(form: Iterable[Mapping[str, Any]], application_id: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """Unsealed ``data`` with every sensitive answer masked, for staff pages and staff API answers."""
    fields = {str(field["name"]): field for field in form}
    names = sensitive_names(fields.values()) | {name for name, value in data.items() if is_sealed(value)}
    shown = unseal(application_id, data)
    for name in names & set(shown):
        if shown[name] not in (None, ""):
            shown[name] = mask(shown[name], head=fields.get(name, {}).get("mask") == MASK_HEAD)
    return shown
