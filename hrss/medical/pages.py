"""The citizen's page: my medical insurance and visits (就医一卡通), with each bill's lines; the
smart monitoring's pages (S6) for fund supervisors and reviewers: the queue of cases of their
districts with a run on demand, a case's evidence, its decision and the recovery; the
institutions' reconciled days (S4) and business against finance (S7); the agency staff's
chronic and special disease recognitions (门特认定)."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.core.errors import DomainError, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user
from hrss.medical import access, reference, selectors, services
from hrss.medical.models import Claim, MonitoringFlag, SettlementDifference
from hrss.registry.selectors import person_get_by_id_number


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    scope = scope_for_user(request.user)
    if scope.person_id is None:
        raise PermissionDenied(_("This page is for citizens."))
    context = {
        "insurance": selectors.insurance_mine(scope=scope),
        "claims": selectors.claims_mine(scope=scope, limit=100),
        "credits": selectors.account_credits_mine(scope=scope, limit=24),
    }
    return render(request, "medical/mine.html", context)


# --- the smart monitoring (S6): the queue, a case, its decision and recovery ----------------------

# What a finding's figures and a screen's explanation are called on the page.
FIGURE_LABELS = {
    "code": gettext_lazy("Catalogue code"),
    "previous_visit": gettext_lazy("Previous supply on"),
    "visit": gettext_lazy("Visit date"),
    "days_supplied_before": gettext_lazy("Days the previous supply lasts"),
    "days_remaining": gettext_lazy("Days of supply left at this visit"),
    "grace_days": gettext_lazy("Days of supply allowed left"),
    "daily_dose": gettext_lazy("Daily dose (units)"),
    "sex": gettext_lazy("Sex of the insured"),
    "age": gettext_lazy("Age at the visit"),
    "limit_sex": gettext_lazy("Item limited to sex"),
    "min_age": gettext_lazy("Lowest age allowed"),
    "max_age": gettext_lazy("Highest age allowed"),
    "settlements": gettext_lazy("Settlements of the item that day"),
    "previous_settlement": gettext_lazy("Previous inpatient settlement"),
    "settlement": gettext_lazy("This inpatient settlement"),
    "days_between": gettext_lazy("Days between"),
    "limit_days": gettext_lazy("Days limit"),
    "quantity": gettext_lazy("Quantity"),
    "limit": gettext_lazy("Limit for one bill"),
    "death_date": gettext_lazy("Death date in the registry"),
    "regions": gettext_lazy("Pooling regions"),
    "fund": gettext_lazy("Fund payments in the month"),
    "average_of_three_months_before": gettext_lazy("Monthly average of the three months before"),
    "ratio": gettext_lazy("Ratio"),
    "limit_ratio": gettext_lazy("Ratio limit"),
    "fund_total": gettext_lazy("Fund payments in the window"),
    "doctor": gettext_lazy("Doctor code"),
}
FEATURE_LABELS = {
    "claims": gettext_lazy("settlements"),
    "persons": gettext_lazy("insured persons treated"),
    "institutions": gettext_lazy("institutions visited"),
    "visit_days": gettext_lazy("days with a visit"),
    "fund_total": gettext_lazy("fund payments"),
    "fund_per_claim": gettext_lazy("fund payment per settlement"),
    "claims_per_person": gettext_lazy("settlements per person"),
    "lines_per_claim": gettext_lazy("items per bill"),
    "inpatient_share": gettext_lazy("inpatient share of the amount"),
    "drug_share": gettext_lazy("drug share of the amount"),
    "class_bc_share": gettext_lazy("class B and C share of the amount"),
}
RECOVERY_STATUS = {
    "open": gettext_lazy("recovery open"),
    "recovered": gettext_lazy("recovered"),
    "waived": gettext_lazy("waived"),
}


def _monitor_scope(request: HttpRequest) -> Scope:
    scope = scope_for_user(request.user)
    access.require_monitor(scope)
    return scope


@login_required
@require_GET
def monitoring(request: HttpRequest) -> HttpResponse:
    scope = _monitor_scope(request)
    status = request.GET.get("status", "open")
    if status not in MonitoringFlag.Status.values:
        status = ""
    rules = reference.monitoring_rules()
    flags = selectors.monitoring_flags(scope=scope, status=status, limit=200)
    for flag in flags:
        flag.rule_name = rules.get(flag.rule, {}).get("name", flag.rule)  # type: ignore[attr-defined]
    context = {
        "flags": flags,
        "runs": selectors.monitoring_runs(scope=scope, limit=5),
        "status": status,
        "statuses": MonitoringFlag.Status.choices,
    }
    return render(request, "medical/monitoring.html", context)


@login_required
@require_POST
def monitoring_run(request: HttpRequest) -> HttpResponse:
    run = services.monitoring_run(scope=_monitor_scope(request))
    messages.success(
        request,
        _("Monitoring run done: %(claims)s settlements screened, %(new)s new cases.")
        % {"claims": run.claims, "new": run.new_flags},
    )
    return HttpResponseRedirect(reverse("medical:monitoring"))


@login_required
@require_GET
def monitoring_flag(request: HttpRequest, flag_id: uuid.UUID) -> HttpResponse:
    case = selectors.monitoring_flag(scope=_monitor_scope(request), flag_id=flag_id)
    flag = case["flag"]
    figures = flag.evidence.get("figures") or {}
    context = {
        **case,
        "figures": [
            (FIGURE_LABELS.get(key, key), "、".join(map(str, value)) if isinstance(value, list) else value)
            for key, value in figures.items()
            if key != "explanation" and value not in (None, "")
        ],
        "explanation": [
            {**row, "label": FEATURE_LABELS.get(row["feature"], row["feature"])}
            for row in figures.get("explanation", [])
        ],
        "recovery_label": RECOVERY_STATUS.get(case["recovery_status"], ""),
    }
    return render(request, "medical/monitoring_flag.html", context)


def _refused(request: HttpRequest, error: DomainError) -> None:
    if error.status in (401, 403, 404):
        raise error
    details = "；".join(f"{value}" for value in (error.fields or {}).values())
    messages.error(request, f"{error.message}{'：' + details if details else ''}")


@login_required
@require_POST
def monitoring_decide(request: HttpRequest, flag_id: uuid.UUID) -> HttpResponse:
    scope = _monitor_scope(request)
    confirm = request.POST.get("decision") == "confirm"
    try:
        overpaid = Decimal(request.POST.get("overpaid", "").strip() or "0") if confirm else None
    except InvalidOperation:
        overpaid = Decimal(0)
    try:
        services.flag_decide(
            scope=scope,
            flag_id=flag_id,
            confirm=confirm,
            reason=request.POST.get("reason", "")[:1000],
            overpaid=overpaid,
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("The case is confirmed and a recovery case opened.") if confirm else _("The case is dismissed.")
        )
    return HttpResponseRedirect(reverse("medical:monitoring_flag", args=[flag_id]))


@login_required
@require_POST
def monitoring_recovery(request: HttpRequest, flag_id: uuid.UUID) -> HttpResponse:
    scope = _monitor_scope(request)
    recovered = request.POST.get("recovered") != "no"
    try:
        services.flag_recovery_record(
            scope=scope, flag_id=flag_id, recovered=recovered, note=request.POST.get("note", "")[:1000]
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The recovery is recorded.") if recovered else _("The recovery is waived."))
    return HttpResponseRedirect(reverse("medical:monitoring_flag", args=[flag_id]))


# --- reconciliation (S4) and business against finance (S7) ----------------------------------------

AMOUNT_LABELS = {
    "kind": gettext_lazy("claim kind"),
    "total": gettext_lazy("total"),
    "fund": gettext_lazy("paid by the fund"),
    "account": gettext_lazy("paid from the personal account"),
    "cash": gettext_lazy("paid in cash"),
}


@login_required
@require_GET
def reconciliations(request: HttpRequest) -> HttpResponse:
    scope = scope_for_user(request.user)
    with_differences = request.GET.get("differences") == "1"
    context = {
        "reconciliations": selectors.reconciliations(scope=scope, with_differences=with_differences, limit=200),
        "with_differences": with_differences,
    }
    return render(request, "medical/reconciliations.html", context)


@login_required
@require_GET
def reconciliation(request: HttpRequest, reconciliation_id: uuid.UUID) -> HttpResponse:
    record = selectors.reconciliation(scope=scope_for_user(request.user), reconciliation_id=reconciliation_id)
    kinds = dict(Claim.Kind.choices)
    rows = []
    for item in record.differences.all():
        if item.kind == SettlementDifference.Kind.AMOUNT:
            note = "、".join(str(AMOUNT_LABELS.get(name, name)) for name in item.note.split(",") if name)
        elif item.kind == SettlementDifference.Kind.REVERSED_ONE_SIDE:
            note = item.note
        else:
            note = str(kinds.get(item.note, item.note))
        rows.append({"item": item, "ours": item.ours, "theirs": item.theirs, "note": note})
    return render(request, "medical/reconciliation.html", {"record": record, "rows": rows})


@login_required
@require_GET
def finance(request: HttpRequest) -> HttpResponse:
    scope = scope_for_user(request.user)
    access.require_finance(scope)
    month = request.GET.get("month", "").strip() or timezone.localdate().strftime("%Y-%m")
    try:
        selectors.month_bounds(month)
    except DomainError:
        month = timezone.localdate().strftime("%Y-%m")
    differences_only = request.GET.get("differences") == "1"
    lines = selectors.finance(scope=scope, month=month, differences_only=differences_only)
    context = {
        "lines": lines,
        "month": month,
        "differences_only": differences_only,
        "statements": selectors.clearing_statements(scope=scope, month=month),
    }
    return render(request, "medical/finance.html", context)


# --- chronic and special disease recognitions (门特认定) --------------------------------------------


class RecognitionForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=18)
    disease = forms.ChoiceField(label=gettext_lazy("Chronic or special disease"))
    valid_from = forms.DateField(
        label=gettext_lazy("First day in force"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=gettext_lazy("Last day in force (blank: no end)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    diagnosed_by = forms.CharField(label=gettext_lazy("Diagnosing institution"), max_length=120, required=False)
    note = forms.CharField(
        label=pgettext_lazy("medical monitoring", "Note"), max_length=1000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args: Any, diseases: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disease"].choices = [(d.code, f"{d.code} {d.name}") for d in diseases]  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET", "POST"])
def diseases(request: HttpRequest) -> HttpResponse:
    """The agency's staff record a person's chronic or special disease on a designated
    hospital's diagnosis, and see the latest recognitions of their districts' persons."""
    scope = scope_for_user(request.user)
    access.require_recognise(scope)
    known = selectors.chronic_diseases()
    form = RecognitionForm(request.POST or None, diseases=known, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = person_get_by_id_number(
                scope=scope, id_number=data["id_number"], purpose="medical chronic disease recognition"
            )
            services.disease_recognise(
                scope=scope,
                person_id=person.pk,
                disease=data["disease"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                diagnosed_by=data["diagnosed_by"],
                note=data["note"],
            )
        except DomainError as error:
            if error.status in (401, 403):
                raise
            for field, message in (error.fields or {}).items():
                form.add_error(field if field in form.fields else None, str(message))
            if not error.fields:
                form.add_error("id_number" if error.status == 404 else None, error.message)
        else:
            messages.success(request, _("The recognition is recorded."))
            return HttpResponseRedirect(reverse("medical:diseases"))
    context = {"form": form, "recognitions": selectors.disease_recognitions(scope=scope, limit=100)}
    return render(request, "medical/diseases.html", context, status=422 if form.errors else 200)
