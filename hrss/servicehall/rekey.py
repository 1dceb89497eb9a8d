"""Key rotation for sealed form answers (see ``hrss.servicehall.formdata``).

``hrss keys rotate`` re-encrypts ``EncryptedTextField`` columns by itself; the answers sealed
inside ``Application.form_data`` and inside the workflow's copy of the form
(``workflow_state``) are JSON values it cannot see, so this app registers
``reseal_applications`` as a rekeyer (``hrss.core.rekey``) in ``ServicehallConfig.ready()``.

Every sealed answer whose key id is not the active key's is decrypted and encrypted again
under the active key with the same associated data; answers already under the active key
and clear answers are left alone, so a second run changes nothing. The copy in the workflow
gets the same new ciphertext as ``form_data``. Applications are locked and written one batch
per transaction. An answer that does not decrypt (tampered, or its key already dropped) is
logged and left as it is: it is unreadable either way, and the others still move.
"""

from __future__ import annotations

import binascii
import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from hrss.core.crypto import DecryptionError, decrypt_text, encrypt_text, key_id_of, keyring
from hrss.servicehall.formdata import SEALED, aad_for, is_sealed, map_workflow_forms
from hrss.servicehall.models import Application

logger = logging.getLogger(__name__)

NAME = "servicehall.Application sealed form answers"

# (field name, old token) -> new token, or None when the old one does not decrypt
Resealed = dict[tuple[str, str], str | None]


def reseal(application_id: Any, data: Mapping[str, Any], active_kid: str, done: Resealed) -> dict[str, Any] | None:
    """``data`` with every sealed answer not under ``active_kid`` re-encrypted; None if none was."""
    out = dict(data)
    changed = False
    for name, value in data.items():
        if not is_sealed(value) or key_id_of(value[SEALED]) == active_kid:
            continue
        token = value[SEALED]
        if (name, token) not in done:
            aad = aad_for(application_id, name)
            try:
                done[(name, token)] = encrypt_text(decrypt_text(token, aad=aad), aad=aad)
            except (DecryptionError, binascii.Error, ValueError, UnicodeDecodeError) as error:
                logger.warning("sealed answer %s of application %s not re-encrypted: %s", name, application_id, error)
                done[(name, token)] = None
        new = done[(name, token)]
        if new is not None:
            out[name] = {SEALED: new}
            changed = True
    return out if changed else None


def reseal_workflow(application_id: Any, state: str, active_kid: str, done: Resealed) -> str | None:
    """The serialised workflow with every task's copy of the form resealed; None if nothing changed."""
    if not state or SEALED not in state:
        return None
    return map_workflow_forms(state, lambda form: reseal(application_id, form, active_kid, done))


def reseal_applications(*, batch_size: int = 500) -> int:
    """Re-encrypt every sealed answer not under the active key; the number of applications changed."""
    active_kid = keyring()[0].kid
    candidates = (
        Application.objects.annotate(form_text=Cast("form_data", TextField()))
        .filter(Q(form_text__contains=SEALED) | Q(workflow_state__contains=SEALED))
        .order_by("pk")
    )
    total = 0
    last = None
    while True:
        page = candidates if last is None else candidates.filter(pk__gt=last)
        ids = list(page.values_list("pk", flat=True)[:batch_size])
        if not ids:
            return total
        last = ids[-1]
        with transaction.atomic():
            rows = Application.objects.select_for_update().filter(pk__in=ids).only("pk", "form_data", "workflow_state")
            changed = []
            for application in rows:
                done: Resealed = {}
                form_data = reseal(application.pk, application.form_data or {}, active_kid, done)
                state = reseal_workflow(application.pk, application.workflow_state, active_kid, done)
                if form_data is None and state is None:
                    continue
                if form_data is not None:
                    application.form_data = form_data
                if state is not None:
                    application.workflow_state = state
                changed.append(application)
            if changed:
                Application.objects.bulk_update(changed, ["form_data", "workflow_state"])
        total += len(changed)
