"""Pages of labour inspection's follow-through (L3): the inspectors' queue of leads, one lead
on a phone with its steps (findings with photos, an order, compliance, a penalty, closing),
and the public results of completed random inspection plans (双随机一公开)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user
from hrss.labor import inspection_selectors as selectors
from hrss.labor.models import LeadResult, OrderStatus
from hrss.labor.pages import FEATURE_LABELS
from hrss.labor.services import rectification

PAGE_SIZE = 50
CTX = "labor inspection"
SOURCE_LABELS = {
    "complaint": pgettext_lazy(CTX, "Complaint"),
    "warning": pgettext_lazy(CTX, "Wage-arrears warning"),
    "random_plan": pgettext_lazy(CTX, "Random inspection plan"),
    "findings": pgettext_lazy(CTX, "Inspection findings"),
}
EVENT_LABELS = {
    "finding": pgettext_lazy(CTX, "Findings recorded"),
    "order_issue": pgettext_lazy(CTX, "Rectification order issued"),
    "order_comply": pgettext_lazy(CTX, "Order complied with"),
    "order_overdue": pgettext_lazy(CTX, "Order overdue"),
    "order_penalty": pgettext_lazy(CTX, "Administrative penalty imposed"),
    "lead_close": pgettext_lazy(CTX, "Lead closed"),
}
STEP_DONE = {
    "finding": pgettext_lazy(CTX, "The findings are recorded."),
    "order": pgettext_lazy(CTX, "The rectification order is issued."),
    "comply": pgettext_lazy(CTX, "The compliance is recorded."),
    "penalty": pgettext_lazy(CTX, "The penalty is recorded."),
    "close": pgettext_lazy(CTX, "The lead is closed."),
}


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def _page(request: HttpRequest) -> int:
    try:
        return max(0, min(int(request.GET.get("page", "0")), 10_000))
    except ValueError:
        return 0


@login_required
@require_GET
def leads(request: HttpRequest) -> HttpResponse:
    """The inspectors' queue: open leads of their districts, those with an overdue order first."""
    overdue = request.GET.get("overdue") == "1"
    rows = selectors.leads_queue(
        scope=_scope(request), overdue_only=overdue, limit=PAGE_SIZE, offset=_page(request) * PAGE_SIZE
    )
    return render(request, "labor/leads.html", {"leads": rows, "overdue": overdue})


@login_required
@require_GET
def lead(request: HttpRequest, lead_id: uuid.UUID) -> HttpResponse:
    view = selectors.lead_get(scope=_scope(request), lead_id=lead_id)
    today = timezone.localdate()
    for reason in view.lead.reasons:
        reason["label"] = SOURCE_LABELS.get(reason.get("source", ""), reason.get("source", ""))
        reason["rule_labels"] = [str(FEATURE_LABELS.get(rule, rule)) for rule in reason.get("rules", [])]
    open_orders = [o for o in view.orders if o.status in (OrderStatus.ISSUED, OrderStatus.OVERDUE)]
    context = {
        "view": view,
        "lead": view.lead,
        "events": [{"at": e.at, "what": EVENT_LABELS.get(e.action, e.action), "note": e.note} for e in view.events],
        "open_order": open_orders[0] if open_orders else None,
        "can_escalate": bool(open_orders)
        and (open_orders[0].status == OrderStatus.OVERDUE or open_orders[0].due_on < today),
        "has_violation": any(f.violation for f in view.findings),
        "results": LeadResult.choices,
        "max_photos": rectification.MAX_PHOTOS,
    }
    return render(request, "labor/lead.html", context)


def _finding(scope: Scope, request: HttpRequest, lead_id: uuid.UUID) -> None:
    rectification.finding_record(
        scope=scope,
        lead_id=lead_id,
        text=request.POST.get("text", ""),
        violation=request.POST.get("violation") == "1",
        photos=request.FILES.getlist("photos"),
    )


STEPS: dict[str, Callable[[Scope, HttpRequest, uuid.UUID], object]] = {
    "finding": _finding,
    "order": lambda s, r, lead_id: rectification.order_issue(
        scope=s, lead_id=lead_id, requirement=r.POST.get("requirement", "")
    ),
    "comply": lambda s, r, lead_id: rectification.order_comply(
        scope=s, reference=r.POST.get("order", ""), note=r.POST.get("note", "")
    ),
    "penalty": lambda s, r, lead_id: rectification.order_penalty(
        scope=s, reference=r.POST.get("order", ""), amount=r.POST.get("amount", ""), basis=r.POST.get("basis", "")
    ),
    "close": lambda s, r, lead_id: rectification.lead_close(
        scope=s, lead_id=lead_id, result=r.POST.get("result", ""), note=r.POST.get("note", "")
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def lead_step(request: HttpRequest, lead_id: uuid.UUID, step: str) -> HttpResponse:
    """A step from the lead's page: run it, say what happened, go back to the lead."""
    target = reverse("labor:lead", args=[lead_id])
    if step not in STEPS:
        raise Http404
    if request.method == "GET":
        return HttpResponseRedirect(target)
    try:
        STEPS[step](_scope(request), request, lead_id)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(STEP_DONE[step]))
    return HttpResponseRedirect(target)


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    """Public: the completed random inspection plans of a district and each employer's result."""
    districts = selectors.published_districts()
    district = request.GET.get("district", "") or (districts[0][0] if districts else "")
    plans: list[dict[str, object]] = []
    error = ""
    if district:
        try:
            plans = selectors.published_plans(district=district, limit=PAGE_SIZE, offset=_page(request) * PAGE_SIZE)
        except DomainError as failure:
            error = str(failure.message)
    context = {"districts": districts, "district": district, "plans": plans, "error": error}
    return render(request, "labor/inspection_results.html", context, status=422 if error else 200)
