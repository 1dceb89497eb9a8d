"""Pure rules of the exchange: consent codes and their hashes, masking."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O, 1/I/L: a code read out over the phone or typed from a screen is not mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_consent_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def consent_hash(code: str) -> str:
    normal = "".join(ch for ch in code.upper() if ch not in " -")
    return hashlib.sha256(f"hrss-consent:{normal}".encode()).hexdigest()


def mask_id_number(value: str) -> str:
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)
