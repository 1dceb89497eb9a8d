"""``{% kiosk_idle_seconds %}``: the kiosk's idle limit (``HRSS_KIOSK_IDLE_SECONDS``) for its page script."""

from __future__ import annotations

from django import template

from hrss.identity.kiosk import idle_seconds

register = template.Library()


@register.simple_tag
def kiosk_idle_seconds() -> int:
    return idle_seconds()
