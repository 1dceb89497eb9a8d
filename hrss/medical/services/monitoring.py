"""The smart monitoring (智能监控, S6): a run over the claims of a window, and the cases staff
work from its findings.

A run reads the window's settlements (each once, with its person and policy), their bill lines
(reversed settlements and refunded lines left out) and the institutions, three queries whatever
the number of claims, and the catalogue's drug codes in another, and hands them to
``screening`` (pure, set-based), which joins them. Each finding becomes a case unless one of
the same rule, subject and period exists (a later run raises nothing new; the database
backstops a concurrent one). Thresholds are the dated ``medical.monitor.*`` parameters in
force on the run's date; the run records them, the isolation forest's random state among
them, so a run can be repeated.

A case is decided by a fund supervisor, reviewer or administrator of the institution's
district: dismissed with a reason, or confirmed with the overpaid amount, which opens a
recovery case among the insurance app's recovery cases (``InsuranceConfig.recovery_cases``,
found through the app registry, never imported); the recovery, when made or waived, is
recorded through the same module and closes both. Every step is audited.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import CharField, F, FloatField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.codes.selectors import parameter_value
from hrss.core.audit import audit_record
from hrss.core.declarations import DeclaredModule
from hrss.core.errors import Conflict, InvalidInput
from hrss.core.scope import Scope
from hrss.medical import access, crosschecks, reference, screening
from hrss.medical.models import CatalogueItem, Claim, ClaimLine, Institution, MonitoringFlag, MonitoringRun
from hrss.medical.services import crosschecks as cross_insurance
from hrss.medical.services.claims import standing

# The insurance app's recovery cases (``InsuranceConfig.recovery_cases``), registered in ready().
recovery = DeclaredModule(
    "recovery_cases",
    missing=gettext_lazy("Overpayment recovery is not available."),
    code="recovery_unavailable",
)
PARAMETERS = {
    "window_days": "medical.monitor.window_days",
    "refill_grace_days": "medical.monitor.refill_grace_days",
    "default_daily_dose": "medical.monitor.default_daily_dose",
    "readmission_days": "medical.monitor.readmission_days",
    "billing_jump_ratio": "medical.monitor.billing_jump_ratio",
    "billing_jump_min_increase": "medical.monitor.billing_jump_min_increase",
    "forest_contamination": "medical.monitor.forest_contamination",
    "forest_min_subjects": "medical.monitor.forest_min_subjects",
    "forest_trees": "medical.monitor.forest_trees",
    "forest_seed": "medical.monitor.forest_seed",
    "doctor_min_claims": "medical.monitor.doctor_min_claims",
    "forest_max_flags": "medical.monitor.forest_max_flags",
}
WHOLE = (
    "window_days",
    "readmission_days",
    "forest_min_subjects",
    "forest_trees",
    "forest_seed",
    "doctor_min_claims",
    "forest_max_flags",
)
CENT = Decimal("0.01")


def thresholds(on: dt.date) -> tuple[screening.Thresholds, int]:
    """The thresholds in force on ``on`` and the window's length in days."""
    values = {key: parameter_value(name, on=on) for key, name in PARAMETERS.items()}
    figures: dict[str, Any] = {k: int(v) if k in WHOLE else float(v) for k, v in values.items()}
    window = figures.pop("window_days")
    return screening.Thresholds(**figures), window


def _fetch(rows: Any) -> list[tuple[Any, ...]]:
    """A values_list queryset's rows as the database gives them: one query, no model instances
    and no per-value conversion (UUIDs and dates stay text, numbers floats)."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _claim_rows(start: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
    """The window's settlements in force, each once with its person and policy, in
    ``screening.CLAIM_SCHEMA`` order."""
    text, number = CharField(), FloatField()
    return _fetch(
        # in no order: the frames are joined and sorted where a rule needs it
        Claim.objects.filter(standing(start, end))
        .order_by()
        .values_list(
            Cast("id", text),
            F("transaction_id"),
            Cast("institution_id", text),
            Cast("person_id", text),
            F("person__sex"),
            Cast("person__birth_date", text),
            Cast("person__death_date", text),
            Cast("visit_date", text),
            F("pooling"),
            Cast("fund", number),
            Cast("total", number),
            F("doctor"),
            F("policy__category_id"),
            F("policy__region"),
        )
    )


def _bill_line_rows(start: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
    """The bill lines of those settlements that no refund returned, in
    ``screening.BILL_LINE_SCHEMA`` order."""
    text, number = CharField(), FloatField()
    # The settled lines a refund returned, computed once (an uncorrelated subquery): a correlated
    # NOT EXISTS is planned per line, and once the claims are analysed (nearly every original_id
    # null) SQLite searches every line of that number for each.
    refunded = ClaimLine.objects.filter(
        claim__corrections__kind=Claim.Kind.REFUND, claim__corrections__lines__line_no=F("line_no")
    ).values("pk")
    return _fetch(
        ClaimLine.objects.filter(standing(start, end, via="claim__"))  # a join: IN (settlements) ran slower
        .exclude(pk__in=refunded)
        .order_by()
        .values_list(Cast("claim_id", text), F("code"), F("klass"), Cast("quantity", number), Cast("amount", number))
    )


def _institution_rows() -> list[tuple[Any, ...]]:
    return _fetch(Institution.objects.values_list(Cast("id", CharField()), F("district"), F("region")))


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP) if value else Decimal("0.00")


def monitoring_run(*, scope: Scope, on: dt.date | None = None) -> MonitoringRun:
    """Screen the claims of the window ending ``on`` (today) with every rule and the screen;
        raise a case for each new finding. Returns the run (``new_flags``: cases raised by it); a run
    that raises nothing new is audited but not stored, so a rerun changes no table."""
    access.require_monitor(scope)
    started = time.perf_counter()
    on = on or timezone.localdate()
    t, window = thresholds(on)
    start = on - dt.timedelta(days=window)
    claims = screening.typed_frame(_claim_rows(start, on), screening.CLAIM_SCHEMA)
    institutions = screening.typed_frame(_institution_rows(), screening.INSTITUTION_SCHEMA)
    bill_lines = screening.typed_frame(_bill_line_rows(start, on), screening.BILL_LINE_SCHEMA)
    lines = screening.lines_from(claims, bill_lines, institutions)
    items = screening.items_frame(reference.monitoring_items())
    drugs = set(CatalogueItem.objects.filter(kind=CatalogueItem.Kind.DRUG).values_list("code", flat=True))
    findings, screen = screening.evaluate(lines, items, drugs, t, on=on, since=start)
    # the cross-insurance screens (S7), over the same settlements
    findings += cross_insurance.findings(start, on, claims=cross_insurance.claims_of(claims, institutions))
    periods = {f.period for f in findings}
    existing = set(
        MonitoringFlag.objects.filter(period__in=periods).values_list("rule", "subject", "period").iterator()
    )
    fresh: dict[tuple[str, str, str], screening.Finding] = {}
    for finding in findings:
        key = (finding.rule, finding.subject, finding.period)
        if key not in existing:
            fresh.setdefault(key, finding)
    counts = {rule: {"found": 0, "new": 0} for rule in (*screening.RULES, *crosschecks.RULES)}
    for finding in findings:
        counts[finding.rule]["found"] += 1
    for rule, _subject, _period in fresh:
        counts[rule]["new"] += 1
    parameters = {**vars(t), "window_days": window, "screen": screen}
    run = MonitoringRun(
        actor=scope.actor,
        window_from=start,
        window_to=on,
        claims=lines["claim_id"].n_unique() if len(lines) else 0,
        lines=len(lines),
        parameters=parameters,
        counts=counts,
    )
    if not fresh:  # nothing new: the run is answered and audited, not stored (a rerun changes nothing)
        run.seconds = round(time.perf_counter() - started, 3)
        _audit_run(scope, run, start, on)
        return run
    with transaction.atomic():
        run.save(force_insert=True)
        MonitoringFlag.objects.bulk_create(
            (
                MonitoringFlag(
                    run=run,
                    rule=f.rule,
                    subject=f.subject[:200],
                    period=f.period,
                    institution_id=uuid.UUID(f.institution_id),
                    person_id=uuid.UUID(f.person_id) if f.person_id else None,
                    district=f.district,
                    amount=_money(f.amount),
                    score=f.score,
                    evidence={"claims": [str(uuid.UUID(c)) for c in f.claims], "figures": f.figures},
                )
                for f in fresh.values()
            ),
            batch_size=1000,
            ignore_conflicts=True,
        )
        run.new_flags = len(fresh)
        run.seconds = round(time.perf_counter() - started, 3)
        run.save(update_fields=["new_flags", "seconds", "updated_at"])
        _audit_run(scope, run, start, on)
    return run


def _audit_run(scope: Scope, run: MonitoringRun, start: dt.date, on: dt.date) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="medical.monitor.run",
        object_type="medical_monitoring_run",
        object_id=str(run.pk) if run.new_flags else "",
        purpose="medical fund supervision",
        detail={"claims": run.claims, "new_flags": run.new_flags, "window_from": str(start), "window_to": str(on)},
    )


def _audit(scope: Scope, action: str, flag: MonitoringFlag, **detail: Any) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type="medical_monitoring_flag",
        object_id=str(flag.pk),
        purpose="medical fund supervision",
        detail={"rule": flag.rule, "institution": flag.institution.code, **{k: str(v) for k, v in detail.items()}},
    )


def _at_stake_limit(flag: MonitoringFlag) -> Decimal | None:
    """What was billed on the case's claims (an overpayment cannot exceed it); None for a case
    about an institution's billing as a whole."""
    claims = flag.evidence.get("claims") or []
    if not claims:
        return None
    return sum((total for total in Claim.objects.filter(pk__in=claims).values_list("total", flat=True)), Decimal(0))


@transaction.atomic
def flag_decide(
    *, scope: Scope, flag_id: uuid.UUID | str, confirm: bool, reason: str, overpaid: Decimal | None = None
) -> MonitoringFlag:
    """Dismiss the case with a reason, or confirm it with the overpaid amount: then a recovery
    case is opened (one per monitoring case) against the institution."""
    flag = access.flag_for(scope, flag_id, lock=True)
    if flag.status != MonitoringFlag.Status.OPEN:
        raise Conflict(_("This case has already been decided."), code="medical_flag_decided")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(fields={"reason": _("say why")})
    if confirm:
        limit = _at_stake_limit(flag)
        if overpaid is None or overpaid <= 0 or (limit is not None and overpaid > limit):
            what = _("more than nothing and at most %(limit)s") % {"limit": limit} if limit else _("more than nothing")
            raise InvalidInput(fields={"overpaid": what})
        overpaid = overpaid.quantize(CENT, rounding=ROUND_HALF_UP)
        rule = reference.monitoring_rules().get(flag.rule, {})
        flag.recovery_case = recovery.get().recovery_open(
            reference=f"medical.flag:{flag.pk}",
            reason=recovery.get().MEDICAL,
            debtor=f"{flag.institution.code} {flag.institution.name}",
            district=flag.district,
            person_id=None,
            overpaid_fen=int(overpaid * 100),
            first_period=dt.date.fromisoformat(f"{flag.period}-01"),
            evidence={
                "summary": f"{rule.get('name', flag.rule)}（{flag.period}）",
                "basis": rule.get("basis", ""),
                "monitoring_case": str(flag.pk),
                "claims": flag.evidence.get("claims", []),
                "reason": reason,
            },
            actor=scope.actor,
        )
        flag.status, flag.overpaid = MonitoringFlag.Status.CONFIRMED, overpaid
    else:
        flag.status = MonitoringFlag.Status.DISMISSED
    flag.reason, flag.decided_by, flag.decided_at = reason, scope.actor, timezone.now()
    flag.save(update_fields=["status", "overpaid", "reason", "decided_by", "decided_at", "recovery_case", "updated_at"])
    _audit(scope, "medical.monitor.decide", flag, status=flag.status, overpaid=flag.overpaid or "")
    return flag


@transaction.atomic
def flag_recovery_record(*, scope: Scope, flag_id: uuid.UUID | str, recovered: bool, note: str = "") -> MonitoringFlag:
    """Record that the overpayment of a confirmed case was recovered (or waived): its recovery
    case is closed through the recovery cases' own service (caseworkers of the district)."""
    flag = access.flag_for(scope, flag_id, lock=True)
    if flag.status != MonitoringFlag.Status.CONFIRMED or flag.recovery_case is None:
        raise Conflict(
            _("Only a confirmed case with an open recovery can be closed."), code="medical_flag_not_confirmed"
        )
    recovery.get().recovery_close(scope=scope, case_id=flag.recovery_case, recovered=recovered, note=note.strip())
    flag.status = MonitoringFlag.Status.RECOVERED if recovered else MonitoringFlag.Status.WAIVED
    flag.save(update_fields=["status", "updated_at"])
    _audit(scope, "medical.monitor.recovery", flag, status=flag.status)
    return flag
