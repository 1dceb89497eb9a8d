"""`hrss keys rotate`: re-encrypt personal data still under an older field key.

Put the new key first in HRSS_FIELD_KEYS (keeping the old ones after it), run this, then
drop the old keys once it reports nothing left. Besides every ``EncryptedTextField``
column, it runs the rekeyers apps register in ``hrss.core.rekey`` (the service hall's
sealed form answers).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Q

from hrss.core.crypto import EncryptedTextField, keyring
from hrss.core.rekey import rekeyers


class Command(BaseCommand):
    help = "Field keys: `hrss keys rotate` re-encrypts every encrypted column under the active key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate", help="re-encrypt values stored under older keys")
        rotate.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        active, _keys = keyring()
        prefix = f"{active.kid}$"
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            # Rows with a value under another key id: compared on the raw column, no decryption needed.
            stale = Q()
            for field in fields:
                stale |= ~Q(**{f"{field.name}__startswith": prefix}) & ~Q(**{field.name: ""})
            total = 0
            while True:
                with transaction.atomic():
                    batch = list(model._default_manager.select_for_update().filter(stale)[: options["batch_size"]])
                    if not batch:
                        break
                    # Loading decrypts with the old key; saving encrypts with the active one.
                    model._default_manager.bulk_update(batch, [f.name for f in fields])
                total += len(batch)
            self.stdout.write(f"{model._meta.label}: {total} rows re-encrypted under {active.kid}")
        for name, rekey in sorted(rekeyers().items()):
            total = rekey(batch_size=options["batch_size"])
            self.stdout.write(f"{name}: {total} rows re-encrypted under {active.kid}")
