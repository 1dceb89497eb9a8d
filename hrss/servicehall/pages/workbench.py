"""The staff counter workbench (综合柜员): the work list, a step done, walk-in applications, the supervisor's view."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.core import scope as roles
from hrss.core.errors import DomainError, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.servicehall import computed_figures, selectors, services
from hrss.servicehall.models import Application, Channel, WorkItem
from hrss.servicehall.pages.shared import (
    application_context,
    current_language,
    request_scope,
    safe_back,
    staff_required,
)

# The workbench is named after the caller's tier of the work (窗口受理, 审核, 审批).
WORKBENCH_TITLES = (
    (roles.COUNTER_CLERK, pgettext_lazy("workbench", "Counter clerk's workbench")),
    (roles.REVIEWER, pgettext_lazy("workbench", "Reviewer's workbench")),
    (roles.APPROVER, pgettext_lazy("workbench", "Approver's workbench")),
)


def workbench_title(scope: Scope) -> str:
    """The caller's workbench title: their tier's, or the plain "Workbench" when they hold
    several tiers or none of these (an arbitrator, an inspector)."""
    titles = [title for role, title in WORKBENCH_TITLES if scope.has_role(role)]
    return str(titles[0]) if len(titles) == 1 else str(pgettext_lazy("workbench", "Workbench"))


@staff_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    return render(
        request,
        "servicehall/workbench/queue.html",
        {
            "title": workbench_title(scope),
            "queue": selectors.my_queue(scope=scope, user=request.user),
            "pool": selectors.work_pool(scope=scope, user=request.user).count(),
            "is_supervisor": services.staff_is_supervisor(scope, request.user),  # type: ignore[arg-type]
            "notice": request.session.pop("servicehall_notice", None),
        },
    )


@staff_required
@require_POST
def take_next(request: HttpRequest) -> HttpResponse:
    work_item = services.work_item_take_next(scope=request_scope(request), user=request.user)  # type: ignore[arg-type]
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
    scope = request_scope(request)
    work_item = selectors.work_item_get(scope=scope, work_item_id=work_item_id)
    application = selectors.application_get(scope=scope, reference=work_item.application.reference, purpose="handle")
    context = application_context(scope, application, for_applicant=False)
    separation = selectors.separation_of_duties_refusal(work_item=work_item, user=request.user)
    failed = request.session.pop("servicehall_errors", None) or {}
    context.update(
        {
            "work_item": work_item,
            "record": _applicant_record(scope, application),
            "can_decide": work_item.state == WorkItem.State.OPEN
            and scope.has_role(work_item.role)
            and work_item.assignee_id in (None, request.user.pk)
            and separation is None,
            # Why this person may not decide (职责分离), said before they try.
            "separation": str(separation.message) if separation is not None and work_item.state == "open" else "",
            "message": failed.get("message", "") if isinstance(failed, dict) else str(failed),
            "errors": failed.get("fields", {}) if isinstance(failed, dict) else {},
            "overdue_days": selectors.overdue_workdays(work_item=work_item),
            # What the service tasks computed (the pension, the benefit months): the
            # reviewer decides with the figures in front of them.
            "computed": computed_figures.figure_sections(
                selectors.application_previews(scope=scope, application=application), fields=context["form_fields"]
            ),
        }
    )
    return render(request, "servicehall/workbench/work.html", context)


@staff_required
@require_POST
def decide(request: HttpRequest, work_item_id: uuid.UUID) -> HttpResponse:
    scope = request_scope(request)
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
        # The sentence above the form, and each field's sentence next to its field.
        request.session["servicehall_errors"] = {
            "message": str(error.message),
            "fields": {name: str(text) for name, text in error.fields.items()},
        }
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

    scope = request_scope(request)
    work_item = selectors.work_item_get(scope=scope, work_item_id=work_item_id)
    assignee = User.objects.filter(username=request.POST.get("assignee", ""), is_active=True).first()
    try:
        if assignee is None:
            raise NotFound(_("No such staff member."))
        services.work_item_assign(scope=scope, user=request.user, work_item=work_item, assignee=assignee)  # type: ignore[arg-type]
    except DomainError as error:
        request.session["servicehall_notice"] = str(error.message)
    return redirect(safe_back(request, reverse("servicehall:supervisor")))


@staff_required
@require_GET
def staff_application(request: HttpRequest, reference: str) -> HttpResponse:
    scope = request_scope(request)
    application = selectors.application_get(scope=scope, reference=reference, purpose="view")
    context = application_context(scope, application, for_applicant=False)
    context["record"] = _applicant_record(scope, application)
    context["work_items"] = list(application.work_items.select_related("assignee").order_by("created_at"))
    context["computed"] = computed_figures.figure_sections(
        selectors.application_previews(scope=scope, application=application), fields=context["form_fields"]
    )
    return render(request, "servicehall/workbench/application.html", context)


@staff_required
@require_GET
def walk_in(request: HttpRequest) -> HttpResponse:
    """Accept for a citizen standing at the counter: find them by ID number (全城通办: any district);
    or for an employer's agent at the counter, by the employer's credit code."""
    from hrss.registry.selectors import person_get_by_id_number
    from hrss.servicehall.extension_points import person_by_card

    scope = request_scope(request)
    context: dict[str, Any] = {
        "id_number": request.GET.get("id_number", "").strip()[:18],
        "card_number": request.GET.get("card_number", "").strip()[:20],
        "credit_code": request.GET.get("credit_code", "").strip()[:18],
    }
    if context["credit_code"] and not (context["id_number"] or context["card_number"]):
        try:
            employer = _walk_in_employer(scope, context["credit_code"])
        except DomainError as error:
            context["error"] = str(error.message)
        else:
            context["employer"] = employer
            context["credit_code"] = employer.credit_code
            context["items"] = [
                i for i in selectors.item_list(applicant_type="employer") if Channel.COUNTER in i.channels
            ]
            context["applications"] = list(
                Application.objects.filter(applicant_employer=employer)
                .select_related("item")
                .order_by("-submitted_at")[:20]
            )
    elif context["id_number"] or context["card_number"]:
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


def _walk_in_employer(scope: Scope, credit_code: str) -> Any:
    """The employer whose agent stands at the counter with its licence (any district), audited."""
    from hrss.codes.identifiers import parse_credit_code
    from hrss.core.audit import audit_record
    from hrss.registry.selectors import employer_get

    code = parse_credit_code(credit_code)
    employer = employer_get(scope=_counter_scope(scope), credit_code=code.value)
    audit_record(
        actor=scope.actor,
        action="registry.employer.read",
        object_type="employer",
        object_id=str(employer.pk),
        purpose="walk-in",
        actor_role=scope.primary_role,
    )
    return employer


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

    scope = request_scope(request)
    item = selectors.item_get(code=code)
    id_number = (request.POST.get("id_number") or request.GET.get("id_number") or "").strip()
    credit_code = (request.POST.get("credit_code") or request.GET.get("credit_code") or "").strip()
    person = employer = None
    if item.applicant_type == "employer":
        employer = _walk_in_employer(scope, credit_code)
    else:
        person = person_get_by_id_number(scope=_counter_scope(scope), id_number=id_number, purpose="walk-in")
    values: dict[str, Any] = selectors.prefill(item=item, person=person, employer=employer)
    errors: dict[str, str] = {}
    message = ""
    status = 200
    # Told before filling in the form: a second open application, the owning app's refusals.
    # A form sent anyway goes to the service, which replays a retried submit first.
    refusal = (
        selectors.submission_refusal(item=item, person=person, employer=employer, on_behalf=True)
        if request.method == "GET"
        else None
    )
    if refusal is not None:
        message = str(refusal.message)
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
                employer=employer,
            )
        except DomainError as error:
            errors, message, status = {k: str(v) for k, v in error.fields.items()}, str(error.message), error.status
            refusal = selectors.submission_refusal(
                item=item, person=person, employer=employer, on_behalf=True
            )  # then the form would not help
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
            "employer": employer,
            "id_number": id_number,
            "credit_code": employer.credit_code if employer is not None else "",
            "fields": selectors.form_fields(item=item, language=current_language(), values=values),
            "errors": errors,
            "message": message,
            "refused": refusal is not None,
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        },
        status=status,
    )


@staff_required
@require_GET
def supervisor(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    if not services.staff_is_supervisor(scope, request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("The supervisor view is for supervisors."))
    return render(request, "servicehall/workbench/supervisor.html", selectors.supervisor_overview(scope=scope))
