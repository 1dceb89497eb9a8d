"""Writes of the service hall: processes, applications, work items, supplements, escalation (A1, A3, X2).

Every state change goes through one function here: atomic, audited, and announced with
a domain event after commit (notifications subscribe to those events).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core import scope as roles
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from hrss.core.events import Event, publish
from hrss.core.scope import Scope
from hrss.core.workdays import add_workdays, workdays_between
from hrss.identity.models import User
from hrss.registry.models import Employer, Person
from hrss.servicehall import engine, formdata, rules
from hrss.servicehall.models import (
    Application,
    ApplicationLog,
    Channel,
    Material,
    ProcessDefinition,
    ServiceItem,
    StaffProfile,
    SupplementRequest,
    WorkItem,
)

PROCESS_DIR = Path(__file__).resolve().parent / "processes"
MAX_MATERIAL_BYTES = 10 * 1024 * 1024
# Accepted upload types, recognised by their first bytes (the declared type is not trusted).
MATERIAL_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class ApplicationSubmitted(Event):
    application_id: Any
    reference: str
    item_code: str


@dataclass(frozen=True)
class ApplicationStepNotified(Event):
    """Something the applicant should hear about (SMS / WeChat / in-app via notify)."""

    application_id: Any
    reference: str
    person_id: Any
    employer_id: Any
    step: str
    status: str
    message: str


@dataclass(frozen=True)
class ApplicationDecided(Event):
    application_id: Any
    reference: str
    item_code: str
    outcome: str
    person_id: Any
    employer_id: Any


@dataclass(frozen=True)
class WorkItemEscalated(Event):
    work_item_id: Any
    application_id: Any
    reference: str
    level: int
    assignee: str


# ---------------------------------------------------------------- processes


def process_load(*, xml: str, source: str, filename: str = "", actor: str = "system") -> ProcessDefinition:
    """Validate a BPMN file and store it as the newest version of its process (refused if invalid)."""
    validated = engine.process_validate(xml)
    with transaction.atomic():
        latest = (
            ProcessDefinition.objects.select_for_update().filter(process_key=validated.key).order_by("-version").first()
        )
        if latest is not None and latest.sha256 == validated.sha256 and latest.active:
            return latest
        definition = ProcessDefinition.objects.create(
            process_key=validated.key,
            version=(latest.version + 1) if latest else 1,
            bpmn_xml=xml,
            sha256=validated.sha256,
            source=source,
            filename=filename,
            loaded_by=actor,
        )
        audit_record(
            actor=actor,
            action="servicehall.process.load",
            object_type="process",
            object_id=str(definition.pk),
            detail={"key": validated.key, "version": definition.version, "sha256": validated.sha256},
        )
    return definition


def process_current(key: str) -> ProcessDefinition:
    """The version new applications use: a changed shipped file becomes a new version on first use.

    Every shipped file was validated at start-up (system check ``hrss.S001``); two processes
    loading the same file at once store it once.
    """
    path = PROCESS_DIR / f"{key}.bpmn"
    if path.is_file():
        xml = path.read_text(encoding="utf-8")
        sha = hashlib.sha256(xml.encode()).hexdigest()
        if not ProcessDefinition.objects.filter(
            process_key=key, sha256=sha, source=ProcessDefinition.Source.FILE
        ).exists():
            try:
                with transaction.atomic():  # a savepoint: the caller's transaction survives a lost race
                    process_load(xml=xml, source=ProcessDefinition.Source.FILE, filename=path.name)
            except IntegrityError:
                # Another server process loaded the same file at the same moment (same key
                # and version): its row is the current version, read below.
                pass
    definition = ProcessDefinition.objects.filter(process_key=key, active=True).order_by("-version").first()
    if definition is None:
        raise NotFound(_("The process %(key)s has not been loaded.") % {"key": key}, code="process_missing")
    return definition


# ---------------------------------------------------------------- helpers


def _new_reference() -> str:
    today = timezone.localdate()
    while True:
        reference = f"SH{today:%y%m%d}{secrets.randbelow(10**6):06d}"
        if not Application.objects.filter(reference=reference).exists():
            return reference


def _payload_hash(item_code: str, form_data: dict[str, Any], applicant: str) -> str:
    body = json.dumps({"item": item_code, "form": form_data, "applicant": applicant}, sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _log(application: Application, *, step: str, message: str, actor: str, visible: bool = True) -> None:
    ApplicationLog.objects.create(
        application=application, step=step, message=message, actor=actor, visible_to_applicant=visible
    )
    if visible:
        publish(
            ApplicationStepNotified(
                application_id=application.pk,
                reference=application.reference,
                person_id=application.applicant_person_id,
                employer_id=application.applicant_employer_id,
                step=step,
                status=application.status,
                message=message,
            )
        )


def _audit(scope: Scope, action: str, application: Application, **detail: Any) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type="application",
        object_id=str(application.pk),
        detail={"reference": application.reference, **detail},
    )


def _credit_class(person: Person | None, employer: Employer | None) -> str | None:
    """The applicant's credit class, from whichever app registered a provider (A7)."""
    from hrss.servicehall.providers import credit_class_for

    return credit_class_for(person=person, employer=employer)


def _facts(item: ServiceItem, person: Person | None, employer: Employer | None, phone: str) -> rules.ApplicantFacts:
    same_item = Application.objects.filter(item=item)
    if person is not None:
        same_item = same_item.filter(applicant_person=person)
    elif employer is not None:
        same_item = same_item.filter(applicant_employer=employer)
    year_ago = timezone.now() - dt.timedelta(days=365)
    registry_phone = (person.phone if person else employer.contact_phone if employer else "") or ""
    return rules.ApplicantFacts(
        status=person.status if person else "active",
        open_same_item=same_item.filter(status__in=Application.OPEN_STATUSES).count(),
        rejected_recently=same_item.filter(status=Application.Status.REJECTED, decided_at__gte=year_ago).count(),
        phone_matches_registry=not phone or not registry_phone or phone == registry_phone,
        credit_class=_credit_class(person, employer),
    )


def _workflow_data(application: Application) -> dict[str, Any]:
    return {
        **application.gateway_data(),
        "application_id": str(application.pk),
        "reference": application.reference,
        "person_id": str(application.applicant_person_id or ""),
        "employer_id": str(application.applicant_employer_id or ""),
        "form": application.form_data,
    }


# ---------------------------------------------------------------- submit


def application_submit(
    *,
    scope: Scope,
    user: User,
    item_code: str,
    form_data: dict[str, Any],
    idempotency_key: str,
    channel: str,
    person: Person | None = None,
    employer: Employer | None = None,
) -> tuple[Application, bool]:
    """Submit an application from any channel; a retried submit returns the first one (A1).

    Citizens and employer agents apply for themselves; a counter clerk applies on behalf of
    a walk-in applicant (``person``/``employer`` given) at any office (全城通办).
    Returns (application, created).
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise ValidationError(
            _("An idempotency key of 1 to 100 characters is required."), fields={"idempotency_key": "required"}
        )
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel."), fields={"channel": channel})
    item = ServiceItem.objects.filter(code=item_code, active=True).first()
    if item is None:
        raise NotFound(_("No such service item."), code="item_not_found")
    if channel not in item.channels:
        raise ValidationError(_("This item is not offered on this channel."), code="channel_not_offered")

    on_behalf = scope.has_role(roles.COUNTER_CLERK) and (person is not None or employer is not None)
    if not on_behalf:
        person = Person.objects.filter(pk=scope.person_id).first() if scope.person_id else None
        employer = Employer.objects.filter(pk=scope.employer_id).first() if scope.employer_id else None
    if item.applicant_type == "citizen":
        employer = None
        if person is None:
            raise PermissionDenied(
                _("This item is for citizens: sign in with a real-name account."), code="not_a_citizen"
            )
    else:
        person = None
        if employer is None:
            raise PermissionDenied(
                _("This item is for employers: sign in as an employer agent."), code="not_an_employer"
            )

    # What the registry knows fills gaps, and read-only fields always come from the registry.
    from hrss.servicehall.selectors import prefill

    known = prefill(item=item, person=person, employer=employer)
    readonly = {f["name"] for f in item.form if f.get("readonly")}
    submitted = {name: value for name, value in form_data.items() if name not in readonly}
    merged = {**known, **{k: v for k, v in submitted.items() if v not in (None, "")}}
    cleaned, errors = rules.form_clean(item.form, merged)
    if errors:
        raise ValidationError(fields=errors)
    applicant = str(person.pk if person else employer.pk)  # type: ignore[union-attr]
    payload_hash = _payload_hash(item.code, cleaned, applicant)

    existing = Application.objects.filter(submitted_by=user, idempotency_key=key).first()
    if existing is not None:
        return _replay(existing, payload_hash)
    try:
        with transaction.atomic():
            application = _create(
                scope=scope,
                user=user,
                item=item,
                cleaned=cleaned,
                key=key,
                payload_hash=payload_hash,
                channel=channel,
                person=person,
                employer=employer,
                on_behalf=on_behalf,
            )
    except IntegrityError:
        # A concurrent retry won the race: answer with its application.
        existing = Application.objects.filter(submitted_by=user, idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(existing, payload_hash)
    return application, True


def _replay(existing: Application, payload_hash: str) -> tuple[Application, bool]:
    if existing.payload_hash != payload_hash:
        raise Conflict(
            _("This idempotency key was already used for a different application."), code="idempotency_key_reused"
        )
    return existing, False


def _create(
    *,
    scope: Scope,
    user: User,
    item: ServiceItem,
    cleaned: dict[str, Any],
    key: str,
    payload_hash: str,
    channel: str,
    person: Person | None,
    employer: Employer | None,
    on_behalf: bool,
) -> Application:
    process = process_current(item.process_key)
    facts = _facts(item, person, employer, str(cleaned.get("phone") or cleaned.get("contact_phone") or ""))
    district_id = (person.residence_district_id or person.household_district_id) if person else employer.district_id  # type: ignore[union-attr]
    now = timezone.now()
    application = Application(
        reference=_new_reference(),
        item=item,
        process=process,
        applicant_person=person,
        applicant_employer=employer,
        district_id=district_id,
        accepted_office=(sorted(scope.districts)[0] if scope.districts else "city") if on_behalf else "",
        channel=channel,
        submitted_by=user,
        idempotency_key=key,
        payload_hash=payload_hash,
        risk_flags=rules.risk_flags(facts),
        credit_class=facts.credit_class or "",
        amount=rules.gateway_amount(item.form, cleaned),
        submitted_at=now,
        deadline=add_workdays(timezone.localdate(now), item.time_limit_workdays),
        visits=1 if channel == Channel.COUNTER else 0,
    )
    # Validated in the clear above; sensitive answers are stored (and copied into the
    # workflow) encrypted, bound to this application's id, known before the insert.
    application.form_data = formdata.seal(item.form, application.pk, cleaned)
    application.save(force_insert=True)
    _audit(scope, "servicehall.application.submit", application, item=item.code, channel=channel)
    _log(
        application,
        step="submitted",
        message=_("Your application %(reference)s for %(item)s was received.")
        % {"reference": application.reference, "item": item.name},
        actor=scope.actor,
    )
    workflow = engine.workflow_start(
        key=process.process_key, sha256=process.sha256, xml=process.bpmn_xml, data=_workflow_data(application)
    )
    _sync(application, workflow, actor=scope.actor, walk_in_clerk=user if on_behalf else None)
    publish(ApplicationSubmitted(application_id=application.pk, reference=application.reference, item_code=item.code))
    return application


# ---------------------------------------------------------------- workflow sync


def _sync(application: Application, workflow: Any, *, actor: str, walk_in_clerk: User | None = None) -> None:
    """Mirror the workflow's ready user tasks as work items, then derive the application's status."""
    ready = {step.task_id: step for step in engine.ready_steps(workflow)}
    open_items = {item.task_id: item for item in application.work_items.filter(state=WorkItem.State.OPEN)}
    now = timezone.now()
    for task_id, item in open_items.items():
        if task_id not in ready:
            item.state = WorkItem.State.CANCELLED
            item.save(update_fields=["state", "updated_at"])
    today = timezone.localdate()
    for task_id, step in ready.items():
        if task_id in open_items:
            continue
        work_item = WorkItem.objects.create(
            application=application,
            task_id=task_id,
            step=step.step,
            step_name=step.name,
            role=step.role,
            district_id=application.district_id,
            due_date=add_workdays(today, step.limit_workdays),
        )
        if step.role == engine.APPLICANT_LANE:
            work_item.assignee = application.submitted_by if application.channel != Channel.COUNTER else None
            work_item.assigned_at = now if work_item.assignee else None
            work_item.save(update_fields=["assignee", "assigned_at", "updated_at"])
        elif walk_in_clerk is not None and step.role in walk_in_clerk.role_codes():
            # Accepted at the counter where the applicant stands (全城通办).
            _assign(work_item, walk_in_clerk, actor=actor)
        else:
            work_item_dispatch(work_item=work_item, actor=actor)

    application.workflow_state = engine.workflow_dump(workflow)
    previous = application.status
    if workflow.completed:
        data = engine.workflow_data(workflow)
        application.status = rules.outcome_status(data.get("decision"))
        application.decided_at = now
        application.result = data.get("result") or {}
        application.decided_by = str(data.get("decided_by") or actor)
        application.decision_reasons = str(data.get("reasons") or "")
        application.overdue = False
    elif any(step.role == engine.APPLICANT_LANE for step in ready.values()):
        application.status = Application.Status.SUPPLEMENT
    elif application.work_items.filter(state=WorkItem.State.DONE).exists():
        application.status = Application.Status.IN_PROGRESS
    else:
        application.status = Application.Status.SUBMITTED
    application.save()
    if workflow.completed and previous in Application.OPEN_STATUSES:
        _decided(application, actor=actor)


def _decided(application: Application, *, actor: str) -> None:
    if application.status == Application.Status.APPROVED:
        message = _("Your application %(reference)s was approved.") % {"reference": application.reference}
    else:
        message = _("Your application %(reference)s was not approved: %(reasons)s") % {
            "reference": application.reference,
            "reasons": application.decision_reasons,
        }
    _log(application, step=application.status, message=message, actor=actor)
    publish(
        ApplicationDecided(
            application_id=application.pk,
            reference=application.reference,
            item_code=application.item.code,
            outcome=application.status,
            person_id=application.applicant_person_id,
            employer_id=application.applicant_employer_id,
        )
    )


# ---------------------------------------------------------------- dispatch


def _profile(user: User) -> StaffProfile:
    profile, _created = StaffProfile.objects.get_or_create(user=user)
    return profile


def _assign(work_item: WorkItem, user: User, *, actor: str) -> None:
    now = timezone.now()
    work_item.assignee = user
    work_item.assigned_at = now
    work_item.save(update_fields=["assignee", "assigned_at", "updated_at"])
    StaffProfile.objects.update_or_create(user=user, defaults={"last_assigned_at": now})


def dispatch_candidates(work_item: WorkItem, *, exclude: set[Any] | None = None) -> list[rules.Candidate]:
    """Staff who may take the item: role, data scope, skills, on duty; with their current load."""
    item = work_item.application.item
    users = list(
        User.objects.filter(is_active=True, roles__code=work_item.role)
        .filter(Q(city_wide=True) | Q(districts__code=work_item.district_id))
        .exclude(pk__in=exclude or set())
        .select_related("servicehall_profile")
        .distinct()
    )
    # Counted apart: joined with the district filter, a count would repeat per district row.
    loads = dict(
        WorkItem.objects.filter(state=WorkItem.State.OPEN, assignee__in=[u.pk for u in users])
        .values_list("assignee")
        .annotate(n=Count("id"))
        .values_list("assignee", "n")
    )
    candidates = []
    for user in users:
        profile = getattr(user, "servicehall_profile", None)
        skills = profile.skills if profile else []
        if profile is not None and not profile.on_duty:
            continue
        if not rules.skills_match(skills, item_code=item.code, category=item.category):
            continue
        candidates.append(
            rules.Candidate(
                user_id=user.pk,
                open_items=loads.get(user.pk, 0),
                capacity=profile.capacity if profile else StaffProfile._meta.get_field("capacity").default,  # type: ignore[union-attr]
                last_assigned_at=profile.last_assigned_at if profile else None,
                username=user.username,
            )
        )
    return candidates


def work_item_dispatch(*, work_item: WorkItem, actor: str, exclude: set[Any] | None = None) -> User | None:
    """Assign to the least-loaded eligible staff member (fair among equals); else leave it in the pool."""
    chosen = rules.choose_assignee(dispatch_candidates(work_item, exclude=exclude))
    if chosen is None:
        return None
    user = User.objects.get(pk=chosen.user_id)
    _assign(work_item, user, actor=actor)
    return user


def staff_is_supervisor(scope: Scope, user: User) -> bool:
    if scope.has_role(roles.ADMINISTRATOR):
        return True
    profile = StaffProfile.objects.filter(user=user).first()
    return bool(profile and profile.supervisor)


def work_item_assign(*, scope: Scope, user: User, work_item: WorkItem, assignee: User) -> WorkItem:
    """A supervisor moves a work item to someone else who may do it."""
    if not staff_is_supervisor(scope, user):
        raise PermissionDenied(_("Only a supervisor may re-assign work."), code="not_supervisor")
    if work_item.state != WorkItem.State.OPEN or work_item.role == engine.APPLICANT_LANE:
        raise Conflict(_("This work item cannot be re-assigned."), code="not_assignable")
    if not scope.covers_district(work_item.district_id):
        raise NotFound()
    eligible = {c.user_id for c in dispatch_candidates(work_item)} | {
        u.pk
        for u in User.objects.filter(pk=assignee.pk, roles__code=work_item.role).filter(
            Q(city_wide=True) | Q(districts__code=work_item.district_id)
        )
    }
    if assignee.pk not in eligible:
        raise ValidationError(
            _("%(name)s may not do this step (role or district).") % {"name": assignee.username},
            fields={"assignee": "not eligible"},
        )
    with transaction.atomic():
        previous = work_item.assignee.username if work_item.assignee else ""
        _assign(work_item, assignee, actor=scope.actor)
        _audit(
            scope,
            "servicehall.work_item.assign",
            work_item.application,
            step=work_item.step,
            frm=previous,
            to=assignee.username,
        )
    return work_item


def work_item_take_next(*, scope: Scope, user: User) -> WorkItem | None:
    """The counter's "take next": the most urgent unassigned item this person may do."""
    from hrss.servicehall.selectors import work_pool

    with transaction.atomic():
        pool = work_pool(scope=scope, user=user).select_for_update(skip_locked=True, of=("self",))
        work_item = pool.order_by("-escalation_level", "due_date", "created_at").first()
        if work_item is None:
            return None
        _assign(work_item, user, actor=scope.actor)
    return work_item


# ---------------------------------------------------------------- work


def _load_workflow(application: Application) -> Any:
    return engine.workflow_load(application.workflow_state)


def work_item_complete(
    *,
    scope: Scope,
    user: User,
    work_item: WorkItem,
    decision: str,
    reasons: str = "",
    missing_materials: list[str] | None = None,
) -> Application:
    """Do a step: approve (pass to the next tier), reject with reasons, or ask for a supplement (补正)."""
    from hrss.servicehall.selectors import application_queryset

    if decision not in rules.DECISIONS:
        raise ValidationError(fields={"decision": "Choose approve, reject or supplement."})
    reasons = (reasons or "").strip()
    if decision in ("reject", "supplement") and not reasons:
        raise ValidationError(_("Give the reasons, so the applicant knows what to do."), fields={"reasons": "required"})
    if not scope.has_role(work_item.role):
        raise PermissionDenied(_("This step needs the %(role)s role.") % {"role": work_item.role})
    with transaction.atomic():
        locked = WorkItem.objects.select_for_update().get(pk=work_item.pk)
        application = (
            application_queryset(scope=scope).select_for_update(of=("self",)).filter(pk=locked.application_id).first()
        )
        if application is None:
            raise NotFound()
        if locked.state != WorkItem.State.OPEN:
            raise Conflict(_("This step has already been done."), code="already_done")
        if locked.assignee_id not in (None, user.pk):
            raise PermissionDenied(_("This work item is assigned to someone else."), code="assigned_elsewhere")
        workflow = _load_workflow(application)
        data = {"decision": decision, "reasons": reasons, "supplement_from": locked.step, "decided_by": scope.actor}
        engine.workflow_complete_step(workflow, task_id=locked.task_id, data=data)
        locked.state = WorkItem.State.DONE
        locked.assignee = locked.assignee or user
        locked.completed_at = timezone.now()
        locked.completed_by = scope.actor
        locked.decision = decision
        locked.reasons = reasons
        locked.save()
        if locked.step == "accept" and not application.accepted_office:
            application.accepted_office = sorted(scope.districts)[0] if scope.districts else "city"
        if decision == "supplement":
            SupplementRequest.objects.create(
                application=application,
                requested_by=scope.actor,
                requested_at_step=locked.step,
                missing_materials=[m for m in (missing_materials or []) if m],
                message=reasons,
            )
            _log(
                application,
                step="supplement_requested",
                message=_("More is needed for %(reference)s: %(reasons)s")
                % {"reference": application.reference, "reasons": reasons},
                actor=scope.actor,
            )
        else:
            _log(
                application,
                step=locked.step,
                message=_("Step done: %(step)s (%(decision)s).") % {"step": locked.step_name, "decision": decision},
                actor=scope.actor,
                visible=decision != "reject",
            )
        _audit(scope, "servicehall.work_item.complete", application, step=locked.step, decision=decision)
        _sync(application, workflow, actor=scope.actor)
    return application


def supplement_answer(*, scope: Scope, user: User, application: Application, answer: str = "") -> Application:
    """The applicant (or a clerk at the counter for them) answers the open supplement request."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _check_applicant_or_counter(scope, application)
        request = application.supplements.filter(answered_at__isnull=True).first()
        work_item = application.work_items.filter(state=WorkItem.State.OPEN, role=engine.APPLICANT_LANE).first()
        if request is None or work_item is None:
            raise Conflict(_("Nothing is waiting for a supplement."), code="no_supplement_open")
        uploaded = set(application.materials.filter(created_at__gte=request.created_at).values_list("kind", flat=True))
        missing = [kind for kind in request.missing_materials if kind not in uploaded]
        if missing:
            raise ValidationError(
                _("Please upload what was asked for first: %(kinds)s.") % {"kinds": ", ".join(missing)},
                fields={"materials": ", ".join(missing)},
                code="materials_missing",
            )
        now = timezone.now()
        request.answered_at = now
        request.answer = (answer or "").strip()[:2000]
        request.save()
        # The statutory clock stops while the applicant supplements (补正期间不计入办理时限).
        waited = workdays_between(timezone.localdate(request.created_at), timezone.localdate(now))
        if application.deadline and waited:
            application.deadline = add_workdays(application.deadline, waited)
        if scope.has_role(roles.COUNTER_CLERK) and application.applicant_person_id != scope.person_id:
            application.visits += 1
        workflow = _load_workflow(application)
        engine.workflow_complete_step(
            workflow, task_id=work_item.task_id, data={"supplement_answer": request.answer, "decision": "supplemented"}
        )
        work_item.state = WorkItem.State.DONE
        work_item.completed_at = now
        work_item.completed_by = scope.actor
        work_item.decision = "supplemented"
        work_item.save()
        _log(application, step="supplemented", message=_("Thank you: your supplement was received."), actor=scope.actor)
        _audit(scope, "servicehall.application.supplement", application)
        application.save()
        _sync(application, workflow, actor=scope.actor)
    return application


def _check_applicant_or_counter(scope: Scope, application: Application) -> None:
    from hrss.servicehall.selectors import application_queryset

    if not application_queryset(scope=scope).filter(pk=application.pk).exists():
        raise NotFound()
    if scope.is_staff and not scope.has_role(roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.ADMINISTRATOR):
        raise PermissionDenied()


def material_upload(*, scope: Scope, application: Application, kind: str, upload: UploadedFile) -> Material:
    """Attach a document; it is identified by its SHA-256, and the same content is stored once."""
    _check_applicant_or_counter(scope, application)
    if not application.is_open:
        raise Conflict(_("This application is closed."), code="application_closed")
    known_kinds = {m["code"] for m in application.item.materials} | {"other"}
    if kind not in known_kinds:
        raise ValidationError(fields={"kind": "Unknown kind of material."})
    if not upload.size or upload.size > MAX_MATERIAL_BYTES:
        raise ValidationError(_("Files must be between 1 byte and 10 MB."), fields={"file": "size"})
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if not head:
            head = chunk[:16]
        digest.update(chunk)
    content_type = next((ctype for magic, ctype in MATERIAL_SIGNATURES.items() if head.startswith(magic)), None)
    if content_type is None:
        raise ValidationError(_("Upload a PDF, PNG or JPEG file."), fields={"file": "type"}, code="file_type")
    sha = digest.hexdigest()
    existing = Material.objects.filter(application=application, kind=kind, sha256=sha).first()
    if existing is not None:
        return existing
    upload.seek(0)
    with transaction.atomic():
        request = application.supplements.filter(answered_at__isnull=True).first()
        material = Material(
            application=application,
            kind=kind,
            filename=(upload.name or "upload")[-200:],
            content_type=content_type,
            size=upload.size,
            sha256=sha,
            uploaded_by=scope.actor,
            supplement=request,
        )
        material.file.save(f"{application.reference}-{sha[:16]}", upload, save=False)
        material.save()
        _audit(scope, "servicehall.material.upload", application, kind=kind, sha256=sha)
    return material


def application_withdraw(*, scope: Scope, application: Application) -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        own_person = scope.person_id is not None and application.applicant_person_id == scope.person_id
        own_employer = scope.employer_id is not None and application.applicant_employer_id == scope.employer_id
        if not (own_person or own_employer):
            raise NotFound()
        if not application.is_open:
            raise Conflict(_("This application is closed."), code="application_closed")
        application.status = Application.Status.WITHDRAWN
        application.decided_at = timezone.now()
        application.save()
        application.work_items.filter(state=WorkItem.State.OPEN).update(state=WorkItem.State.CANCELLED)
        _audit(scope, "servicehall.application.withdraw", application)
        _log(application, step="withdrawn", message=_("You withdrew the application."), actor=scope.actor)
    return application


# ---------------------------------------------------------------- escalation


def escalate_overdue(*, today: dt.date | None = None) -> dict[str, int]:
    """Escalate overdue work by working days; flag applications past their statutory deadline.

    Level 1 (overdue): the assignee and supervisors are told. Level 2 (three working days
    over): the item goes back to dispatch, to someone other than its assignee.
    """
    today = today or timezone.localdate()
    escalated = redispatched = 0
    system = Scope.system("servicehall.escalation")
    for work_item in (
        WorkItem.objects.filter(state=WorkItem.State.OPEN, due_date__lt=today)
        .exclude(role=engine.APPLICANT_LANE)
        .select_related("application", "assignee")
    ):
        level = rules.escalation_level(workdays_between(work_item.due_date, today))
        if level <= work_item.escalation_level:
            continue
        with transaction.atomic():
            # Locked and read again: a run that started at the same moment (the scheduled
            # one and ``hrss schedule run``) escalates a level once, and tells people once.
            current = (
                WorkItem.objects.select_for_update().filter(pk=work_item.pk).values_list("escalation_level", "state")
            )
            if list(current) != [(work_item.escalation_level, WorkItem.State.OPEN)]:
                continue
            work_item.escalation_level = level
            work_item.escalated_at = timezone.now()
            work_item.save(update_fields=["escalation_level", "escalated_at", "updated_at"])
            previous = work_item.assignee
            if level >= 2:
                work_item.assignee = None
                work_item.assigned_at = None
                work_item.save(update_fields=["assignee", "assigned_at", "updated_at"])
                work_item_dispatch(work_item=work_item, actor=system.actor, exclude={previous.pk} if previous else None)
                redispatched += 1
            escalated += 1
            _audit(system, "servicehall.work_item.escalate", work_item.application, step=work_item.step, level=level)
            _log(
                work_item.application,
                step="escalated",
                message=_("Step %(step)s is overdue (level %(level)s).")
                % {"step": work_item.step_name, "level": level},
                actor=system.actor,
                visible=False,
            )
            publish(
                WorkItemEscalated(
                    work_item_id=work_item.pk,
                    application_id=work_item.application_id,
                    reference=work_item.application.reference,
                    level=level,
                    assignee=previous.username if previous else "",
                )
            )
    overdue = Application.objects.filter(
        status__in=[Application.Status.SUBMITTED, Application.Status.IN_PROGRESS], deadline__lt=today, overdue=False
    ).update(overdue=True)
    return {"escalated": escalated, "redispatched": redispatched, "applications_overdue": overdue}
