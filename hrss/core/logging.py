"""Log hygiene: personal data never reaches a log line in clear (X1)."""

from __future__ import annotations

import logging
import re

# 18-digit ID numbers (last may be X), 15-digit legacy numbers, and mainland mobile numbers.
_ID_NUMBER = re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?!\d)|(?<!\d)(\d{6})(\d{6})(\d{3})(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    text = _ID_NUMBER.sub(lambda m: (m.group(1) or m.group(4)) + "********" + ("****" if m.group(1) else "***"), text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


def mask_id_number(value: str) -> str:
    """``120101199001011234`` → ``1201**********1234``: enough to recognise, not to use."""
    if not value:
        return value
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_name(name: str) -> str:
    """张伟 → 张*, 欧阳娜娜 → 欧***: the family name's first character stays."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_phone(value: str) -> str:
    if not value or len(value) < 7:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class ErrorIdFilter(logging.Filter):
    """Appends the failed request's error id (hrss.core.views) to Django's "Internal Server Error" line.

    The same id is in the 500 answer (API ``fields.error_id``, the error page), so an
    operator finds the traceback from what a citizen or a client system reports.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        error_id = getattr(request, "hrss_error_id", None) if request is not None else None
        if error_id and f"error_id={error_id}" not in str(record.msg):
            record.msg, record.args = f"{record.getMessage()} [error_id={error_id}]", None
        return True
