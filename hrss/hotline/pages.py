"""Pages of the knowledge base: the public 政策问答 search (htmx as one types), an article,
and the staff's queue where reviewers publish. Thin views: scope, a service or selector, a
template."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.core.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, Scope
from hrss.hotline import selectors, services, tickets
from hrss.hotline.api import SEARCH_LIMIT
from hrss.hotline.models import Ticket
from hrss.hotline.search import MAX_QUERY_CHARS
from hrss.identity.auth import scope_for_user


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]
    found = selectors.search(query=query, limit=SEARCH_LIMIT) if query else []
    context = {"query": query, "found": found}
    template = "hotline/search.html#results" if request.htmx else "hotline/search.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_GET
def article(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "hotline/article.html", {"article": selectors.article_public(code=code)})


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    scope = scope_for_user(request.user)
    waiting = selectors.work_queue(scope=scope, status=request.GET.get("status", ""))
    can_publish = scope.has_role(*services.REVIEWERS)
    return render(request, "hotline/review.html", {"waiting": waiting, "can_publish": can_publish})


@login_required
@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for_user(request.user)
    if not scope.has_role(*services.REVIEWERS):
        raise PermissionDenied(_("Only knowledge-base staff may do this."))
    try:
        services.article_publish(scope=scope, code=code)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Published."))
    return HttpResponseRedirect(reverse("hotline:review"))


# --- the agent desk ---------------------------------------------------------------------


def _form_values(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    return {
        "kind": post.get("kind", ""),
        "category": post.get("category", ""),
        "summary": post.get("summary", "").strip(),
        "answer": post.get("answer", "").strip(),
        "resolved_on_call": post.get("resolved_on_call") == "on",
        "articles": [c.strip() for c in post.get("articles", "").replace("，", ",").split(",") if c.strip()],
        "id_number": post.get("id_number", "").strip(),
        "caller_phone": "".join(c for c in post.get("caller_phone", "") if c.isdigit()),
        "employer_credit_code": post.get("employer_credit_code", "").strip(),
        "callback": post.get("callback") == "on",
    }


def _desk_context(request: HttpRequest, scope: Scope, **extra: Any) -> dict[str, Any]:
    return {
        "routes": list(tickets.routes().values()),
        "kinds": Ticket.Kind.choices,
        "retry_key": secrets.token_urlsafe(16),
        "callbacks": tickets.callbacks_due(scope=scope),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest) -> HttpResponse:
    """The call handler's desk: who is calling, the knowledge base beside it, the ticket."""
    scope = scope_for_user(request.user)
    if not scope.has_role(*tickets.AGENTS):
        raise PermissionDenied(_("Only hotline agents may do this."))
    caller = None
    error = None
    id_number = request.GET.get("id_number", "").strip()
    phone = request.GET.get("phone", "").strip()
    if request.method == "POST":
        values = _form_values(request)
        try:
            if not values["summary"]:
                raise InvalidInput(fields={"summary": _("Say what the caller asked or reported.")})
            ticket = tickets.ticket_open(scope=scope, values=values, idempotency_key=request.POST.get("retry_key", ""))
        except DomainError as failure:
            context = _desk_context(request, scope, error=failure, values=values)
            return render(request, "hotline/desk.html", context, status=422)
        messages.success(request, _("Ticket %(reference)s recorded.") % {"reference": ticket.reference})
        return HttpResponseRedirect(reverse("hotline:ticket", args=[ticket.reference]))
    if id_number or phone:
        try:
            caller = tickets.caller_lookup(scope=scope, id_number=id_number, phone=phone)
        except DomainError as failure:
            error = failure
    context = _desk_context(request, scope, caller=caller, error=error, values={"id_number": id_number})
    return render(request, "hotline/desk.html", context, status=200 if error is None else 422)


@login_required
@require_GET
def ticket_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_user(request.user)
    overdue = request.GET.get("overdue") == "1"
    found = tickets.ticket_list(scope=scope, status=request.GET.get("status", ""), overdue=overdue, limit=100)
    return render(
        request,
        "hotline/tickets.html",
        {"tickets": found, "overdue": overdue, "units": tickets.unit_names(), "today": timezone.localdate()},
    )


@login_required
@require_GET
def ticket_detail(request: HttpRequest, reference: str) -> HttpResponse:
    scope = scope_for_user(request.user)
    ticket = tickets.ticket_get(scope=scope, reference=reference)
    route = tickets.routes().get(ticket.category)
    context = {
        "ticket": ticket,
        "unit_name": tickets.unit_names().get(ticket.unit, ""),
        "category_label": route.label if route else ticket.category,
        "can_resolve": ticket.status == Ticket.Status.ROUTED
        and route is not None
        and scope.has_role(route.role, ADMINISTRATOR),
        "can_call_back": ticket.callback_due is not None
        and ticket.callback_done_at is None
        and scope.has_role(*tickets.AGENTS),
        "can_score": ticket.sampled_on is not None and scope.has_role(ADMINISTRATOR),
        "articles": list(ticket.articles.all()),
    }
    return render(request, "hotline/ticket.html", context)


@login_required
@require_POST
def ticket_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    scope = scope_for_user(request.user)
    text = request.POST.get("text", "").strip()
    try:
        if action == "resolve":
            tickets.ticket_resolve(scope=scope, reference=reference, resolution=text)
        elif action == "callback":
            tickets.callback_done(scope=scope, reference=reference, note=text)
        elif action == "quality":
            try:
                score = int(request.POST.get("score", ""))
            except ValueError as error:
                raise InvalidInput(fields={"score": _("Score from 1 to 5.")}) from error
            tickets.quality_score(scope=scope, reference=reference, score=score, note=text)
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Saved."))
    return HttpResponseRedirect(reverse("hotline:ticket", args=[reference]))


def _day(value: str, default: dt.date) -> dt.date:
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise InvalidInput(fields={"since": _("Enter a date as YYYY-MM-DD.")}) from error


@login_required
@require_http_methods(["GET", "POST"])
def desk_statistics(request: HttpRequest) -> HttpResponse:
    scope = scope_for_user(request.user)
    today = timezone.localdate()
    sample: list[Ticket] | None = None
    if request.method == "POST":
        sample = tickets.quality_sample(scope=scope, day=_day(request.POST.get("day", ""), today))
    since = _day(request.GET.get("since", ""), today - dt.timedelta(days=29))
    until = _day(request.GET.get("until", ""), today)
    found = tickets.statistics(scope=scope, since=since, until=until)
    peak = max((row["calls"] for row in found.by_hour), default=0)
    context = {
        "stats": found,
        "peak": peak,
        "sample": sample,
        "today": today,
        "can_sample": scope.has_role(ADMINISTRATOR),
    }
    return render(request, "hotline/statistics.html", context)
