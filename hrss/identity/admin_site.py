"""The back office requires a verified second factor and the one hrss sign-in (X1)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class HrssAdminSite(OTPAdminSite):
    """``OTPAdminSite`` (staff must be OTP-verified) whose login is /accounts/login/."""

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        target = request.GET.get("next") or reverse("admin:index")
        return HttpResponseRedirect(f"{reverse('identity:login')}?{urlencode({'next': target})}")
