"""Pure rules of the archive: verification codes and certificate numbers, the content hash
that makes issuing idempotent, and masking what the public verification shows."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable

# Crockford-like: no 0/O, 1/I/L, so a code read aloud or typed from paper is not mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16


def new_code() -> str:
    """A verification code: 16 characters, about 79 bits, printed on the certificate."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a person typed, as a code: spaces and dashes dropped, upper case; "" when it cannot be one."""
    code = "".join(ch for ch in text.upper() if ch not in " -")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return ""
    return code


def certificate_number(*, issued_on: dt.date, code: str) -> str:
    """The number printed on the certificate: ZM, the day, and the code's first eight characters."""
    return f"ZM{issued_on:%Y%m%d}-{code[:8]}"


def content_hash(
    *, kind: str, ref: str, title: str, facts: Iterable[tuple[str, str]], paragraphs: Iterable[str]
) -> str:
    """SHA-256 of the certificate's content: the same records give the same hash."""
    canonical = json.dumps(
        {"kind": kind, "ref": ref, "title": title, "facts": [list(f) for f in facts], "paragraphs": list(paragraphs)},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***: the family name's first character and one star a character."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def mask_id_number(value: str) -> str:
    """120101199003070015 → 1201**********0015."""
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)
