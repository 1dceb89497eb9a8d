"""Files the labour app takes (inspection photos, a case's evidence): read once, in chunks, for
their first bytes — the type is recognised from them, never from what the client declared —
and their SHA-256, which is kept with the file."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import UploadedFile


def head_and_digest(upload: UploadedFile) -> tuple[bytes, str]:
    """The file's first 16 bytes and its SHA-256 (hex); the file is rewound for saving."""
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if not head:
            head = chunk[:16]
        digest.update(chunk)
    upload.seek(0)
    return head, digest.hexdigest()
