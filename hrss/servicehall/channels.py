"""WeChat official-account and SMS channels: status queries by reply, and WeChat notifications (A1).

WeChat: the official account's server URL points at ``/channels/wechat/``. A GET with
``signature``/``timestamp``/``nonce``/``echostr`` is the platform's check; a POST is a
message. Both are refused unless the signature (SHA-1 over the sorted token, timestamp
and nonce) matches ``HRSS_WECHAT_TOKEN``. Plain-text mode; wechatpy parses and answers.

A follower asks for a status by sending the reference number and the last four
characters of the applicant's ID number (e.g. ``SH261129123456 321X``); a correct answer
also subscribes that follower to template notifications for that application.

SMS: the provider posts replies to ``/channels/sms/`` signed with HMAC-SHA256
(``HRSS_SMS_CALLBACK_SECRET``) over ``timestamp\\nphone\\ntext``. ``CX <reference>`` from
the applicant's own phone is answered by SMS through notify; ``CX`` alone, from the mobile
number of an account (identity's blind index), answers that account's latest application.

Anything else — other SMS texts, WeChat keywords, WeChat menu clicks — goes to the
``channel_reply`` extension point (the 12333 knowledge base), then to the hall's own help.
``TD`` (or 退订) unsubscribes the number from notices by SMS (notify's opt-outs); answers
to the number's own texts still go.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wechatpy import parse_message
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from hrss.core.errors import DomainError
from hrss.identity.models import User
from hrss.identity.onetime import phone_index
from hrss.notify.services import phone_normalise
from hrss.servicehall import extension_points
from hrss.servicehall.models import Application, WechatSubscription, WorkItem

logger = logging.getLogger(__name__)
QUERY_RE = re.compile(r"(SH\d{12})\s*([0-9Xx]{4})?", re.IGNORECASE)
SMS_QUERY_RE = re.compile(r"^\s*CX\s*(SH\d{12})\s*$", re.IGNORECASE)
SMS_OWN_RE = re.compile(r"^\s*CX\s*$", re.IGNORECASE)
# The carriers' unsubscribe words: no more notices by SMS to this number (notify.opt_out).
SMS_OPT_OUT_RE = re.compile(r"^\s*(TD|退订)\s*$", re.IGNORECASE)
STATUS_KEY = "status"
MAX_CLOCK_SKEW = 300


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, ""))


def status_text(application: Application) -> str:
    current = pgettext("list separator", ", ").join(
        w.step_name for w in application.work_items.filter(state=WorkItem.State.OPEN)
    )
    text = _("%(reference)s %(item)s: %(status)s.") % {
        "reference": application.reference,
        "item": application.item.name_zh_hans,
        "status": application.get_status_display(),
    }
    if current:
        text += " " + _("Now at: %(step)s.") % {"step": current}
    if application.is_open and application.answer_due:
        text += " " + _("Due by %(date)s.") % {"date": application.answer_due.isoformat()}
    if application.status == Application.Status.SUPPLEMENT:
        request = application.supplements.filter(answered_at__isnull=True).first()
        if request:
            text += " " + _("Needed: %(message)s") % {"message": request.message}
    return text


def _find_for_wechat(reference: str, id_tail: str) -> Application | None:
    application = (
        Application.objects.select_related("item", "applicant_person", "applicant_employer")
        .filter(reference=reference.upper())
        .first()
    )
    if application is None or not id_tail:
        return None
    if application.applicant_person is not None:
        tail = application.applicant_person.id_number[-4:]
    else:
        tail = application.applicant_employer.credit_code[-4:] if application.applicant_employer else ""
    return application if hmac.compare_digest(tail.upper(), id_tail.upper()) else None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wechat_callback(request: HttpRequest) -> HttpResponse:
    token = _setting("HRSS_WECHAT_TOKEN")
    if not token:
        return HttpResponse(status=503)
    try:
        check_signature(
            token,
            request.GET.get("signature", ""),
            request.GET.get("timestamp", ""),
            request.GET.get("nonce", ""),
        )
    except InvalidSignatureException:
        return HttpResponseForbidden("invalid signature")
    if request.method == "GET":
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain")
    try:
        message = parse_message(request.body)
    except Exception:  # malformed XML from a caller who knew the token: answer nothing
        return HttpResponse("success", content_type="text/plain")
    with translation.override("zh-hans"):
        if message.type == "event" and getattr(message, "event", "") == "click":
            key = str(getattr(message, "key", "") or "")
            answer = (key != STATUS_KEY and extension_points.channel_reply(text=key, channel="wechat")) or _(
                "Send your reference number and the last four characters of your ID number to check a status."
            )
        elif message.type != "text":
            answer = _("Send your reference number and the last four characters of your ID number to check a status.")
        else:
            answer = _wechat_answer(message.content or "", openid=message.source)
        reply = TextReply(content=answer, message=message)
    return HttpResponse(reply.render(), content_type="application/xml")


def _wechat_answer(text: str, *, openid: str) -> str:
    match = QUERY_RE.search(text.strip())
    if not match:
        return extension_points.channel_reply(text=text, channel="wechat") or _(
            "Send your reference number and the last four characters of your ID number to check a status."
        )
    application = _find_for_wechat(match.group(1), match.group(2) or "")
    if application is None:
        return _("No application matches that reference number and ID number.")
    WechatSubscription.objects.get_or_create(application=application, openid=openid[:64])
    return status_text(application)


def _sms_signature(secret: str, timestamp: str, phone: str, text: str) -> str:
    return hmac.new(secret.encode(), f"{timestamp}\n{phone}\n{text}".encode(), hashlib.sha256).hexdigest()


@csrf_exempt
@require_http_methods(["POST"])
def sms_callback(request: HttpRequest) -> HttpResponse:
    secret = _setting("HRSS_SMS_CALLBACK_SECRET")
    if not secret:
        return HttpResponse(status=503)
    phone = request.POST.get("phone", "").strip()
    text = request.POST.get("text", "")
    timestamp = request.POST.get("timestamp", "")
    signature = request.POST.get("signature", "")
    try:
        fresh = abs(time.time() - float(timestamp)) <= MAX_CLOCK_SKEW
    except ValueError:
        fresh = False
    if not fresh or not hmac.compare_digest(_sms_signature(secret, timestamp, phone, text), signature):
        return HttpResponseForbidden("invalid signature")
    with translation.override("zh-hans"):
        reply = _sms_answer(text, phone=phone)
    _send_sms(phone, reply)
    return JsonResponse({"reply": reply})


def _sms_answer(text: str, *, phone: str) -> str:
    if SMS_OWN_RE.match(text):
        return _sms_own_latest(phone)
    if SMS_OPT_OUT_RE.match(text):
        return _sms_opt_out(phone)
    match = SMS_QUERY_RE.match(text)
    if not match:
        return extension_points.channel_reply(text=text, channel="sms") or _(
            "Reply CX for your latest application, or CX followed by a reference number, to check a status."
        )
    application = (
        Application.objects.select_related("item", "applicant_person", "applicant_employer")
        .filter(reference=match.group(1).upper())
        .first()
    )
    owner_phone = ""
    if application is not None:
        owner = application.applicant_person or application.applicant_employer
        owner_phone = (getattr(owner, "phone", "") or getattr(owner, "contact_phone", "")) if owner else ""
    if application is None or not owner_phone or not hmac.compare_digest(owner_phone, phone):
        return _("No application of yours has that reference number.")
    return status_text(application)


def _sms_own_latest(phone: str) -> str:
    """``CX`` alone: the latest application of the account this mobile number belongs to."""
    try:
        index = phone_index(phone_normalise(phone))
    except DomainError:
        index = ""
    user = User.objects.filter(phone_index=index, is_active=True).first() if index else None
    if user is None or (user.person_id is None and user.employer_id is None):
        return _("This mobile number is not linked to an account. Reply CX followed by your reference number.")
    applications = Application.objects.select_related("item")
    if user.person_id is not None:
        applications = applications.filter(applicant_person_id=user.person_id)
    else:
        applications = applications.filter(applicant_employer_id=user.employer_id)
    latest = applications.order_by("-submitted_at").first()
    if latest is None:
        return pgettext("servicehall", "You have no applications yet.")
    return status_text(latest)


def _sms_opt_out(phone: str) -> str:
    from hrss.notify import services

    try:
        services.opt_out(channel="sms", recipient=phone, source="sms_reply")
    except DomainError:
        return _("This number cannot be unsubscribed.")
    return _("You will get no more notices by SMS. Reply CX to check a status at any time.")


def _send_sms(phone: str, text: str) -> None:
    from django.apps import apps

    if not apps.is_installed("hrss.notify"):
        return
    from hrss.notify import services

    try:
        services.send_sms(phone=phone, template="generic", params={"text": text}, reply=True)
    except Exception:  # an unusable number: the JSON answer still carries the reply
        logger.warning("servicehall: SMS reply not sent")


def wechat_openids(application_id: Any) -> list[str]:
    return list(WechatSubscription.objects.filter(application_id=application_id).values_list("openid", flat=True))
