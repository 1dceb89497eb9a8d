"""Links in messages: absolute when the site's public origin is known."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def site_url(name: str, *args: Any) -> str:
    """An absolute link for a message (the first trusted origin), else the path alone."""
    path = reverse(name, args=args)
    origins = list(getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
    return (origins[0].rstrip("/") + path) if origins else path
