"""HTML pages: the citizen and employer web hall (网上营业厅) and the staff counter workbench (综合柜员).

Thin views: parse, authorise through the caller's scope, call a service or selector, render.
Elderly mode (长者模式) and kiosk mode (自助一体机) are cookies read by the base template.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.core import scope as roles
from hrss.core.errors import DomainError, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user
from hrss.servicehall import figures, selectors, services
from hrss.servicehall.models import Application, Channel, Material, WorkItem

ELDERLY_COOKIE = "hrss_elderly"
KIOSK_COOKIE = "hrss_kiosk"
_YEAR = 365 * 24 * 3600


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def _channel(request: HttpRequest) -> str:
    if request.COOKIES.get(KIOSK_COOKIE) == "1":
        return Channel.KIOSK
    if request.GET.get("source") == "pwa" or request.POST.get("source") == "pwa":
        return Channel.APP
    return Channel.WEB


def _language() -> str:
    return (translation.get_language() or "zh-hans").lower()


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _scope(request).is_staff:
            raise PermissionDenied(_("The workbench is for bureau staff."))
        return view(request, *args, **kwargs)

    return wrapped


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


# ---------------------------------------------------------------- citizen and employer hall


@require_GET
def hall_home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    applicant_type = request.GET.get("applicant_type", "")
    if applicant_type not in ("", "citizen", "employer"):
        applicant_type = ""
    items = selectors.item_list(query=query, applicant_type=applicant_type)
    context: dict[str, Any] = {"items": items, "q": query, "applicant_type": applicant_type}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "servicehall/hall/home.html#item-list", context)
    scope = _scope(request)
    if scope.person_id or scope.employer_id:
        context["attention"] = selectors.applications_needing_attention(scope=scope)
    return render(request, "servicehall/hall/home.html", context)


@require_GET
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.item_get(code=code)
    return render(
        request,
        "servicehall/hall/item.html",
        {"item": item, "stats": selectors.item_statistics(item=item), "channel_labels": dict(Channel.choices)},
    )


def _applicant(scope: Scope) -> tuple[Any, Any]:
    from hrss.registry.selectors import employer_queryset, person_queryset

    person = person_queryset(scope=scope).filter(pk=scope.person_id).first() if scope.person_id else None
    employer = employer_queryset(scope=scope).filter(pk=scope.employer_id).first() if scope.employer_id else None
    return person, employer


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.item_get(code=code)
    scope = _scope(request)
    person, employer = _applicant(scope)
    errors: dict[str, str] = {}
    message = ""
    values: dict[str, Any] = selectors.prefill(item=item, person=person, employer=employer)
    if request.method == "POST":
        values = {**values, **{f["name"]: request.POST.get(f["name"], "") for f in item.form if not f.get("readonly")}}
        try:
            application, _created = services.application_submit(
                scope=scope,
                user=request.user,  # type: ignore[arg-type]
                item_code=item.code,
                form_data=values,
                idempotency_key=request.POST.get("idempotency_key", ""),
                channel=_channel(request),
            )
        except DomainError as error:
            errors, message = {k: str(v) for k, v in error.fields.items()}, str(error.message)
        else:
            return redirect("servicehall:application", reference=application.reference)
    eligible = (item.applicant_type == "citizen" and person is not None) or (
        item.applicant_type == "employer" and employer is not None
    )
    return render(
        request,
        "servicehall/hall/apply.html",
        {
            "item": item,
            "fields": selectors.form_fields(item=item, language=_language(), values=values),
            "errors": errors,
            "message": message,
            "eligible": eligible,
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        },
        status=422 if message else 200,
    )


@login_required
@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    return render(
        request,
        "servicehall/hall/applications.html",
        {"applications": selectors.application_list(scope=scope, limit=100)},
    )


def _application_context(scope: Scope, application: Application, *, for_applicant: bool) -> dict[str, Any]:
    open_request = application.supplements.filter(answered_at__isnull=True).first()
    material_names = {m["code"]: m["name"] for m in application.item.materials}
    return {
        "application": application,
        "item": application.item,
        "timeline": selectors.application_timeline(application=application, for_applicant=for_applicant),
        "open_request": open_request,
        "missing": [
            (kind, material_names.get(kind, kind)) for kind in (open_request.missing_materials if open_request else [])
        ],
        "materials": list(application.materials.all()),
        "material_kinds": [*application.item.materials, {"code": "other", "name": _("Other document")}],
        "current": list(application.work_items.filter(state=WorkItem.State.OPEN)),
        "form_fields": selectors.form_fields(
            item=application.item,
            language=_language(),
            values=selectors.application_form(scope=scope, application=application),
        ),
    }


@login_required
@require_GET
def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    scope = _scope(request)
    application = selectors.application_get(scope=scope, reference=reference)
    context = _application_context(scope, application, for_applicant=True)
    context["errors"] = request.session.pop("servicehall_errors", None)
    return render(request, "servicehall/hall/application.html", context)


@login_required
@require_POST
def application_upload(request: HttpRequest, reference: str) -> HttpResponse:
    scope = _scope(request)
    application = selectors.application_get(scope=scope, reference=reference)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError(_("Choose a file to upload."))
        services.material_upload(scope=scope, application=application, kind=request.POST.get("kind", ""), upload=upload)
    except DomainError as error:
        request.session["servicehall_errors"] = str(error.message)
    return redirect(_back(request, reverse("servicehall:application", args=[application.reference])))


@login_required
@require_POST
def application_supplement(request: HttpRequest, reference: str) -> HttpResponse:
    scope = _scope(request)
    application = selectors.application_get(scope=scope, reference=reference)
    try:
        services.supplement_answer(
            scope=scope,
            user=request.user,  # type: ignore[arg-type]
            application=application,
            answer=request.POST.get("answer", ""),
        )
    except DomainError as error:
        request.session["servicehall_errors"] = str(error.message)
    return redirect(_back(request, reverse("servicehall:application", args=[application.reference])))


@login_required
@require_POST
def application_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    scope = _scope(request)
    application = selectors.application_get(scope=scope, reference=reference)
    services.application_withdraw(scope=scope, application=application)
    return redirect("servicehall:application", reference=application.reference)


@login_required
@require_GET
def material_download(request: HttpRequest, material_id: uuid.UUID) -> FileResponse:
    scope = _scope(request)
    material = (
        Material.objects.filter(pk=material_id, application__in=selectors.application_queryset(scope=scope))
        .select_related("application")
        .first()
    )
    if material is None:
        raise NotFound()
    return FileResponse(material.file.open("rb"), content_type=material.content_type, filename=material.filename)


@login_required
@require_GET
def messages(request: HttpRequest) -> HttpResponse:
    return render(
        request, "servicehall/hall/messages.html", {"messages_": selectors.applicant_messages(scope=_scope(request))}
    )


@require_GET
def kiosk(request: HttpRequest) -> HttpResponse:
    """Entry page of a self-service kiosk: turns kiosk mode on for this browser."""
    response = render(request, "servicehall/hall/kiosk.html", {"items": selectors.item_list(channel=Channel.KIOSK)})
    response.set_cookie(KIOSK_COOKIE, "1", max_age=_YEAR, samesite="Lax", httponly=True)
    response.set_cookie(ELDERLY_COOKIE, "1", max_age=_YEAR, samesite="Lax", httponly=True)
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    import json

    body = {
        "name": _("HR and Social Security service hall"),
        "short_name": _("HRSS hall"),
        "start_url": reverse("servicehall:home") + "?source=pwa",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b4a8b",
        "lang": _language(),
        "icons": [
            {"src": static("servicehall/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            {"src": static("servicehall/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("servicehall/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(request, "servicehall/sw.js", content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


# ---------------------------------------------------------------- staff workbench


@staff_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    return render(
        request,
        "servicehall/workbench/queue.html",
        {
            "queue": selectors.my_queue(scope=scope, user=request.user),
            "pool": selectors.work_pool(scope=scope, user=request.user).count(),
            "is_supervisor": services.staff_is_supervisor(scope, request.user),  # type: ignore[arg-type]
            "notice": request.session.pop("servicehall_notice", None),
        },
    )


@staff_required
@require_POST
def take_next(request: HttpRequest) -> HttpResponse:
    work_item = services.work_item_take_next(scope=_scope(request), user=request.user)  # type: ignore[arg-type]
    if work_item is None:
        request.session["servicehall_notice"] = _("Nothing is waiting in your pool.")
        return redirect("servicehall:workbench")
    return redirect("servicehall:work", work_item_id=work_item.pk)


def _applicant_record(scope: Scope, application: Application) -> dict[str, Any]:
    """The applicant's full record for the clerk: registry facts and every application in scope."""
    record: dict[str, Any] = {"person": application.applicant_person, "employer": application.applicant_employer}
    others = selectors.application_queryset(scope=scope).exclude(pk=application.pk).select_related("item")
    if application.applicant_person_id:
        others = others.filter(applicant_person_id=application.applicant_person_id)
        person = application.applicant_person
        record["employments"] = list(person.employments.select_related("employer").order_by("-start_date")[:10])  # type: ignore[union-attr]
    else:
        others = others.filter(applicant_employer_id=application.applicant_employer_id)
    record["others"] = list(others.order_by("-submitted_at")[:20])
    return record


@staff_required
@require_GET
def work(request: HttpRequest, work_item_id: uuid.UUID) -> HttpResponse:
    scope = _scope(request)
    work_item = selectors.work_item_get(scope=scope, work_item_id=work_item_id)
    application = selectors.application_get(scope=scope, reference=work_item.application.reference, purpose="handle")
    context = _application_context(scope, application, for_applicant=False)
    context.update(
        {
            "work_item": work_item,
            "record": _applicant_record(scope, application),
            "can_decide": work_item.state == WorkItem.State.OPEN
            and scope.has_role(work_item.role)
            and work_item.assignee_id in (None, request.user.pk),
            "errors": request.session.pop("servicehall_errors", None),
            "overdue_days": selectors.overdue_workdays(work_item=work_item),
            # What the service tasks computed (the pension, the benefit months): the
            # reviewer decides with the figures in front of them.
            "computed": figures.figure_sections(
                selectors.application_previews(scope=scope, application=application), fields=context["form_fields"]
            ),
        }
    )
    return render(request, "servicehall/workbench/work.html", context)


@staff_required
@require_POST
def decide(request: HttpRequest, work_item_id: uuid.UUID) -> HttpResponse:
    scope = _scope(request)
    work_item = selectors.work_item_get(scope=scope, work_item_id=work_item_id)
    try:
        services.work_item_complete(
            scope=scope,
            user=request.user,  # type: ignore[arg-type]
            work_item=work_item,
            decision=request.POST.get("decision", ""),
            reasons=request.POST.get("reasons", ""),
            missing_materials=request.POST.getlist("missing"),
        )
    except DomainError as error:
        request.session["servicehall_errors"] = (
            str(error.message) + " " + " ".join(str(v) for v in error.fields.values())
        )
        return redirect("servicehall:work", work_item_id=work_item.pk)
    request.session["servicehall_notice"] = _("Done: %(reference)s, %(step)s.") % {
        "reference": work_item.application.reference,
        "step": work_item.step_name,
    }
    return redirect("servicehall:workbench")


@staff_required
@require_POST
def assign(request: HttpRequest, work_item_id: uuid.UUID) -> HttpResponse:
    from hrss.identity.models import User

    scope = _scope(request)
    work_item = selectors.work_item_get(scope=scope, work_item_id=work_item_id)
    assignee = User.objects.filter(username=request.POST.get("assignee", ""), is_active=True).first()
    try:
        if assignee is None:
            raise NotFound(_("No such staff member."))
        services.work_item_assign(scope=scope, user=request.user, work_item=work_item, assignee=assignee)  # type: ignore[arg-type]
    except DomainError as error:
        request.session["servicehall_notice"] = str(error.message)
    return redirect(_back(request, reverse("servicehall:supervisor")))


@staff_required
@require_GET
def staff_application(request: HttpRequest, reference: str) -> HttpResponse:
    scope = _scope(request)
    application = selectors.application_get(scope=scope, reference=reference, purpose="view")
    context = _application_context(scope, application, for_applicant=False)
    context["record"] = _applicant_record(scope, application)
    context["work_items"] = list(application.work_items.select_related("assignee").order_by("created_at"))
    context["computed"] = figures.figure_sections(
        selectors.application_previews(scope=scope, application=application), fields=context["form_fields"]
    )
    return render(request, "servicehall/workbench/application.html", context)


@staff_required
@require_GET
def walk_in(request: HttpRequest) -> HttpResponse:
    """Accept for a citizen standing at the counter: find them by ID number (全城通办: any district)."""
    from hrss.registry.selectors import person_get_by_id_number
    from hrss.servicehall.providers import person_by_card

    scope = _scope(request)
    context: dict[str, Any] = {
        "id_number": request.GET.get("id_number", "").strip()[:18],
        "card_number": request.GET.get("card_number", "").strip()[:20],
    }
    if context["id_number"] or context["card_number"]:
        try:
            if context["id_number"]:
                person = person_get_by_id_number(
                    scope=_counter_scope(scope), id_number=context["id_number"], purpose="walk-in"
                )
            else:
                person = person_by_card(scope=_counter_scope(scope), number=context["card_number"])
                context["id_number"] = person.id_number
        except DomainError as error:
            context["error"] = str(error.message)
        else:
            context["person"] = person
            context["items"] = [
                i for i in selectors.item_list(applicant_type="citizen") if Channel.COUNTER in i.channels
            ]
            context["applications"] = list(
                Application.objects.filter(applicant_person=person)
                .select_related("item")
                .order_by("-submitted_at")[:20]
            )
    return render(request, "servicehall/workbench/walk_in.html", context)


def _counter_scope(scope: Scope) -> Scope:
    """A clerk serving a citizen in person may find them whatever their district (全城通办).

    The citizen shows their ID card at the counter; the read is audited with purpose
    "walk-in" like every staff read.
    """
    if not scope.has_role(roles.COUNTER_CLERK):
        raise PermissionDenied(_("Walk-in acceptance is for counter clerks."))
    return Scope(actor=scope.actor, roles=scope.roles, districts=None, person_id=scope.person_id)


@staff_required
@require_http_methods(["GET", "POST"])
def walk_in_apply(request: HttpRequest, code: str) -> HttpResponse:
    from hrss.registry.selectors import person_get_by_id_number

    scope = _scope(request)
    item = selectors.item_get(code=code)
    id_number = (request.POST.get("id_number") or request.GET.get("id_number") or "").strip()
    person = person_get_by_id_number(scope=_counter_scope(scope), id_number=id_number, purpose="walk-in")
    values: dict[str, Any] = selectors.prefill(item=item, person=person)
    errors: dict[str, str] = {}
    message = ""
    if request.method == "POST":
        values = {**values, **{f["name"]: request.POST.get(f["name"], "") for f in item.form if not f.get("readonly")}}
        try:
            application, _created = services.application_submit(
                scope=scope,
                user=request.user,  # type: ignore[arg-type]
                item_code=item.code,
                form_data=values,
                idempotency_key=request.POST.get("idempotency_key", ""),
                channel=Channel.COUNTER,
                person=person,
            )
        except DomainError as error:
            errors, message = {k: str(v) for k, v in error.fields.items()}, str(error.message)
        else:
            mine = application.work_items.filter(state=WorkItem.State.OPEN, assignee_id=request.user.pk).first()
            if mine is not None:
                return redirect("servicehall:work", work_item_id=mine.pk)
            return redirect("servicehall:staff-application", reference=application.reference)
    return render(
        request,
        "servicehall/workbench/walk_in_apply.html",
        {
            "item": item,
            "person": person,
            "id_number": id_number,
            "fields": selectors.form_fields(item=item, language=_language(), values=values),
            "errors": errors,
            "message": message,
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        },
        status=422 if message else 200,
    )


@staff_required
@require_GET
def supervisor(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if not services.staff_is_supervisor(scope, request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("The supervisor view is for supervisors."))
    return render(request, "servicehall/workbench/supervisor.html", selectors.supervisor_overview(scope=scope))
