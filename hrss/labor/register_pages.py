"""Pages of the rights-protection register (L2, issue #20): the staff's workbench (the queue,
transfers awaiting receipt, candidate duplicates, recording a petition or a fraud case), one
item with its steps and history, and one person's view. Thin views over the register's
services and reads; a step refused is said on the page, never a 500."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user
from hrss.labor import register
from hrss.labor.models import FraudKind, FraudSource, PetitionChannel, Unit
from hrss.labor.services import register as services
from hrss.labor.services import transfers
from hrss.labor.services.complaints import is_rights_staff

PAGE_SIZE = 50
EVENT_LABELS = {
    "file": pgettext_lazy("labor register", "Recorded"),
    "accept": pgettext_lazy("labor register", "Accepted"),
    "not_accept": pgettext_lazy("labor register", "Not accepted"),
    "extend": pgettext_lazy("labor register", "Answer period extended"),
    "answer": pgettext_lazy("labor register", "Answered"),
    "close": pgettext_lazy("labor register", "Closed"),
    "confirmed": pgettext_lazy("labor register", "Confirmed"),
    "dismissed": pgettext_lazy("labor register", "Dismissed"),
    "closed": pgettext_lazy("labor register", "Closed"),
    "link_recovery": pgettext_lazy("labor register", "Linked to a recovery case"),
    "transfer": pgettext_lazy("labor register", "Transferred"),
    "receive": pgettext_lazy("labor register", "Receipt acknowledged"),
    "merged_into": pgettext_lazy("labor register", "Merged into"),
    "merged_from": pgettext_lazy("labor register", "Duplicate merged in"),
}


def _scope(request: HttpRequest) -> Scope:
    scope = scope_for_user(request.user)
    if not is_rights_staff(scope):
        raise PermissionDenied(_("This is work for the rights-protection staff."))
    return scope


def _reader_scope(request: HttpRequest) -> Scope:
    """The rights-protection staff, or a fund supervisor (who reads fraud cases only)."""
    scope = scope_for_user(request.user)
    if not (is_rights_staff(scope) or register.is_fraud_reader(scope)):
        raise PermissionDenied(_("This is work for the rights-protection staff."))
    return scope


def _page(request: HttpRequest) -> int:
    try:
        return max(0, min(int(request.GET.get("page", "0")), 10_000))
    except ValueError:
        return 0


def _workbench(
    request: HttpRequest, scope: Scope, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in ("petition", "complaint", "fraud"):
        kind = ""
    overdue = request.GET.get("overdue") == "1"
    context = {
        "entries": register.queue(
            scope=scope, kind=kind, overdue=overdue, limit=PAGE_SIZE, offset=_page(request) * PAGE_SIZE
        ),
        "kind": kind,
        "overdue": overdue,
        "kinds": [(k, register.KIND_LABELS[k]) for k in ("petition", "complaint", "fraud")],
        "pending": register.transfers_pending(scope=scope, limit=PAGE_SIZE, offset=0),
        "duplicates": [
            d for k in ("petition", "complaint", "fraud") for d in register.duplicate_candidates(scope=scope, kind=k)
        ],
        "channels": PetitionChannel.choices,
        "fraud_kinds": FraudKind.choices,
        "fraud_sources": FraudSource.choices,
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
        "new_key": uuid.uuid4().hex,
    }
    return render(request, "labor/register.html", context, status=status)


@login_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    return _workbench(request, _scope(request))


def _record(kind: str) -> Callable[..., HttpResponse]:
    """A POST from the workbench's forms: record a petition or open a fraud case."""

    @login_required
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        scope = _scope(request)
        post = request.POST
        common: dict[str, Any] = {
            "id_number": post.get("id_number", ""),
            "credit_code": post.get("credit_code", ""),
            "district": post.get("district", ""),
            "idempotency_key": post.get("idempotency_key", ""),
        }
        try:
            if kind == "petition":
                row: Any = services.petition_record(
                    scope=scope,
                    channel=post.get("channel", ""),
                    subject=post.get("subject", ""),
                    content=post.get("content", ""),
                    petitioner_name=post.get("petitioner_name", ""),
                    petitioner_phone=post.get("petitioner_phone", ""),
                    **common,
                )
            else:
                row = services.fraud_open(
                    scope=scope,
                    kind=post.get("fraud_kind", ""),
                    found_by=post.get("found_by", ""),
                    amount=post.get("amount", ""),
                    description=post.get("description", ""),
                    **common,
                )
        except (InvalidInput, PermissionDenied) as error:
            messages.error(request, str(error.message))
            return _workbench(request, scope, errors={k: str(error.message) for k in error.fields or {}}, status=422)
        messages.success(request, _("Recorded as %(reference)s.") % {"reference": row.reference})
        return HttpResponseRedirect(reverse("labor:register-item", args=[kind, row.reference]))

    return view


petition_new = _record("petition")
fraud_new = _record("fraud")


@login_required
@require_GET
def item(request: HttpRequest, kind: str, reference: str) -> HttpResponse:
    scope = _reader_scope(request)
    detail = register.item_detail(scope=scope, kind=kind, reference=reference)
    context = {
        **detail,
        "kind": kind,
        "read_only": not is_rights_staff(scope),
        "events": [
            {"at": e.at, "what": EVENT_LABELS.get(e.action, e.action), "actor": e.actor, "note": e.note}
            for e in detail["events"]
        ],
        "units": list(Unit.objects.filter(active=True).order_by("code")),
        "new_key": uuid.uuid4().hex,
    }
    return render(request, "labor/register_item.html", context)


def _step(scope: Scope, request: HttpRequest, kind: str, reference: str, step: str) -> Any:
    post = request.POST
    steps: dict[str, Callable[[], Any]] = {
        "accept": lambda: services.petition_decide(scope=scope, reference=reference, accept=True),
        "not-accept": lambda: services.petition_decide(
            scope=scope, reference=reference, accept=False, reason=post.get("reason", "")
        ),
        "extend": lambda: services.petition_extend(scope=scope, reference=reference, reason=post.get("reason", "")),
        "answer": lambda: services.petition_answer(scope=scope, reference=reference, answer=post.get("answer", "")),
        "close": lambda: services.petition_close(scope=scope, reference=reference),
        "status": lambda: services.fraud_status(
            scope=scope, reference=reference, status=post.get("status", ""), note=post.get("note", "")
        ),
        "recovery": lambda: services.fraud_link_recovery(
            scope=scope, reference=reference, recovery_case=post.get("recovery_case", "")
        ),
        "transfer": lambda: transfers.transfer_send(
            scope=scope,
            kind=kind,
            reference=reference,
            to_unit=post.get("to_unit", ""),
            reason=post.get("reason", ""),
            idempotency_key=post.get("idempotency_key", ""),
        ),
        "merge": lambda: transfers.merge(scope=scope, kind=kind, reference=reference, into=post.get("into", "")),
    }
    petition_only = {"accept", "not-accept", "extend", "answer", "close"}
    if (
        step not in steps
        or (step in petition_only and kind != "petition")
        or (step in {"status", "recovery"} and kind != "fraud")
    ):
        raise NotFound(code="labor_register_step_not_found")
    return steps[step]()


STEP_DONE = gettext_lazy("Done.")


@login_required
@require_http_methods(["GET", "POST"])
def item_step(request: HttpRequest, kind: str, reference: str, step: str) -> HttpResponse:
    target = reverse("labor:register-item", args=[kind, reference])
    if request.method == "GET":
        return HttpResponseRedirect(target)
    scope = _scope(request)
    try:
        _step(scope, request, kind, reference, step)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(STEP_DONE))
        if step == "merge":
            target = reverse("labor:register-item", args=[kind, request.POST.get("into", "")])
    return HttpResponseRedirect(target)


@login_required
@require_POST
def transfer_receive(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = transfers.transfer_receive(scope=_scope(request), transfer_id=transfer_id)
    messages.success(request, _("Receipt acknowledged."))
    return HttpResponseRedirect(reverse("labor:register-item", args=[transfer.item_kind, transfer.item_reference]))


@login_required
@require_GET
def fraud_cases(request: HttpRequest) -> HttpResponse:
    """Fund supervisors' view of the register (read only): the fraud cases of their districts
    still being handled, the nearest deadline first."""
    scope = _reader_scope(request)
    overdue = request.GET.get("overdue") == "1"
    entries = register.queue(
        scope=scope, kind="fraud", overdue=overdue, limit=PAGE_SIZE, offset=_page(request) * PAGE_SIZE
    )
    context = {"entries": entries, "overdue": overdue, "read_only": not is_rights_staff(scope)}
    return render(request, "labor/fraud_cases.html", context)


@login_required
@require_GET
def person(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    view = register.person_view(scope=_scope(request), person_id=person_id)
    return render(request, "labor/person_register.html", view)
