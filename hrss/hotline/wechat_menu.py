"""The WeChat official account's custom menu as data (``data/wechat_menu.json``), exported in
WeChat's ``menu/create`` JSON (A1, #24), and what a ``click`` button's key answers.

WeChat's limits are checked here, so a menu that WeChat would refuse never leaves:
at most 3 buttons, at most 5 sub-buttons each, names of at most 16 bytes (buttons) and
60 bytes (sub-buttons), keys of at most 128 bytes, URLs of at most 1024 bytes.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from hrss.core.errors import InvalidInput

DATA = Path(__file__).resolve().parent / "data" / "wechat_menu.json"
MAX_BUTTONS, MAX_SUB_BUTTONS = 3, 5
MAX_NAME_BYTES, MAX_SUB_NAME_BYTES, MAX_KEY_BYTES, MAX_URL_BYTES = 16, 60, 128, 1024
KINDS = ("click", "view")
DEFAULT_PUBLIC_URL = "http://localhost:8000"


def public_url() -> str:
    """Where citizens reach the site (``HRSS_PUBLIC_URL``), without a trailing slash."""
    found = getattr(settings, "HRSS_PUBLIC_URL", "") or os.environ.get("HRSS_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL
    return str(found).rstrip("/")


def absolute(path: str) -> str:
    return public_url() + path


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return dict(json.loads(DATA.read_text(encoding="utf-8")))


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def menu_build(data: dict[str, Any]) -> dict[str, Any]:
    """WeChat's menu JSON from our data; every problem at once in one InvalidInput."""
    errors: list[str] = []
    buttons = data.get("button") or []
    if not 1 <= len(buttons) <= MAX_BUTTONS:
        errors.append(f"1 to {MAX_BUTTONS} buttons, not {len(buttons)}")
    out: list[dict[str, Any]] = []
    for button in buttons:
        name = str(button.get("name", ""))
        if not name or _bytes(name) > MAX_NAME_BYTES:
            errors.append(f"button {name!r}: name must be 1-{MAX_NAME_BYTES} bytes")
        subs = button.get("sub_button") or []
        if not 1 <= len(subs) <= MAX_SUB_BUTTONS:
            errors.append(f"button {name!r}: 1 to {MAX_SUB_BUTTONS} sub-buttons")
        built = []
        for sub in subs:
            sub_name, kind = str(sub.get("name", "")), sub.get("type")
            if not sub_name or _bytes(sub_name) > MAX_SUB_NAME_BYTES:
                errors.append(f"{sub_name!r}: name must be 1-{MAX_SUB_NAME_BYTES} bytes")
            if kind == "click":
                key = str(sub.get("key", ""))
                if not key or _bytes(key) > MAX_KEY_BYTES:
                    errors.append(f"{sub_name!r}: key must be 1-{MAX_KEY_BYTES} bytes")
                built.append({"type": "click", "name": sub_name, "key": key})
            elif kind == "view":
                try:
                    url = absolute(reverse(str(sub.get("link", ""))))
                except NoReverseMatch:
                    errors.append(f"{sub_name!r}: no page is named {sub.get('link')!r}")
                    continue
                if _bytes(url) > MAX_URL_BYTES:
                    errors.append(f"{sub_name!r}: URL longer than {MAX_URL_BYTES} bytes")
                built.append({"type": "view", "name": sub_name, "url": url})
            else:
                errors.append(f"{sub_name!r}: type must be one of {', '.join(KINDS)}")
        out.append({"name": name, "sub_button": built})
    if errors:
        raise InvalidInput(
            _("The WeChat menu is not valid."), code="wechat_menu_invalid", fields={"menu": "; ".join(errors)}
        )
    return {"button": out}


def menu_json() -> dict[str, Any]:
    """The shipped menu, ready to post to WeChat's ``menu/create``."""
    return menu_build(_data())


def click_keys() -> list[str]:
    return [s["key"] for b in _data().get("button", []) for s in b.get("sub_button", []) if s.get("type") == "click"]
