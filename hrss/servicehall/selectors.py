"""Reads of the service hall, always scoped by the caller.

Scoping of applications (decided for 全城通办, any office handles any item):

* an application belongs to the applicant's district (residence of the person, else the
  household district; the employer's district) and staff whose scope covers that
  district see it;
* staff of any other district see an application only while or after they hold one of
  its work items (the office that accepted a walk-in, a reviewer it was dispatched to);
* city-wide staff see all; citizens and employer agents see only their own.

Out-of-scope and unknown references give the same "not found", so a guessed reference
tells nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core import scope as roles
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.core.workdays import workdays_between
from hrss.servicehall import engine, formdata, rules
from hrss.servicehall.models import (
    ROLE_LABELS,
    Application,
    ApplicationLog,
    Channel,
    ServiceItem,
    StaffProfile,
    WorkItem,
)


def item_list(*, query: str = "", applicant_type: str = "", channel: str = "") -> list[ServiceItem]:
    items = ServiceItem.objects.filter(active=True)
    if applicant_type:
        items = items.filter(applicant_type=applicant_type)
    if query:
        query = query.strip()
        items = items.filter(
            Q(name_zh_hans__icontains=query)
            | Q(name_zh_hant__icontains=query)
            | Q(name_en__icontains=query)
            | Q(summary_zh_hans__icontains=query)
            | Q(summary_en__icontains=query)
            | Q(code__iexact=query)
        )
    found = list(items)
    if channel:  # JSON containment differs between SQLite and PostgreSQL; the catalogue is small.
        found = [item for item in found if channel in item.channels]
    return found


def item_get(*, code: str) -> ServiceItem:
    item = ServiceItem.objects.filter(code=code, active=True).first()
    if item is None:
        raise NotFound(code="item_not_found")
    return item


@dataclass(frozen=True)
class ItemStatistics:
    """X2: time taken, visits needed, share finished fully online."""

    applications: int
    decided: int
    open: int
    average_workdays: float | None
    average_visits: float | None
    share_fully_online: float | None
    overdue: int


def item_statistics(*, item: ServiceItem) -> ItemStatistics:
    applications = Application.objects.filter(item=item)
    decided = applications.filter(status__in=[Application.Status.APPROVED, Application.Status.REJECTED])
    totals = decided.aggregate(
        n=Count("id"),
        mean_visits=Avg("visits"),
        fully_online=Count("id", filter=Q(visits=0) & ~Q(channel=Channel.COUNTER)),
    )
    durations = [
        workdays_between(timezone.localdate(submitted), timezone.localdate(decided_at))
        for submitted, decided_at in decided.values_list("submitted_at", "decided_at")[:2000]
        if decided_at
    ]
    n = totals["n"] or 0
    return ItemStatistics(
        applications=applications.count(),
        decided=n,
        open=applications.filter(status__in=Application.OPEN_STATUSES).count(),
        average_workdays=round(sum(durations) / len(durations), 1) if durations else None,
        average_visits=round(float(totals["mean_visits"]), 2) if totals["mean_visits"] is not None else None,
        share_fully_online=round(totals["fully_online"] / n, 3) if n else None,
        overdue=applications.filter(overdue=True, status__in=Application.OPEN_STATUSES).count(),
    )


def application_queryset(*, scope: Scope) -> QuerySet[Application]:
    """Every application the caller may see, and no other (see the module docstring)."""
    applications = Application.objects.all()
    if scope.is_staff:
        if scope.city_wide:
            return applications
        held = WorkItem.objects.filter(Q(assignee__username=scope.actor) | Q(completed_by=scope.actor)).values(
            "application_id"
        )
        return applications.filter(Q(district_id__in=list(scope.districts or ())) | Q(pk__in=held))
    mine = Q()
    if scope.person_id:
        mine |= Q(applicant_person_id=scope.person_id)
    if scope.employer_id and scope.has_role(roles.EMPLOYER_AGENT):
        mine |= Q(applicant_employer_id=scope.employer_id)
    return applications.filter(mine) if mine else applications.none()


def application_get(*, scope: Scope, reference: str, purpose: str = "") -> Application:
    application = (
        application_queryset(scope=scope)
        .select_related("item", "applicant_person", "applicant_employer", "district", "process")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if application is None:
        raise NotFound(code="application_not_found")
    if scope.is_staff:
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="servicehall.application.read",
            object_type="application",
            object_id=str(application.pk),
            purpose=purpose,
        )
    return application


def application_form(*, scope: Scope, application: Application) -> dict[str, Any]:
    """The application's form answers for the caller: in the clear for the applicant,
    sensitive answers masked for staff (see ``formdata``). A sealed answer that does not
    decrypt raises ``FormDataUnreadable`` (409), never a server error."""
    if scope.is_staff:
        return formdata.masked(application.item.form, application.pk, application.form_data)
    return formdata.unseal(application.pk, application.form_data)


def application_form_in_list(*, scope: Scope, application: Application) -> tuple[dict[str, Any], bool]:
    """``(answers, readable)`` for one entry of a list: an application whose sealed answer
    does not decrypt is listed without its sensitive answers (``readable`` False) instead
    of failing the whole list; opening it still answers 409."""
    try:
        return application_form(scope=scope, application=application), True
    except formdata.FormDataUnreadable:
        hidden = formdata.sensitive_names(application.item.form)
        answers = {
            name: value
            for name, value in application.form_data.items()
            if name not in hidden and not formdata.is_sealed(value)
        }
        return answers, False


def application_list(*, scope: Scope, status: str = "", limit: int = 50, offset: int = 0) -> list[Application]:
    # Everything a list entry shows comes in a fixed number of queries, however long the list.
    applications = (
        application_queryset(scope=scope)
        .select_related("item")
        .prefetch_related("work_items", "supplements", "materials")
    )
    if status:
        applications = applications.filter(status=status)
    return list(applications.order_by("-submitted_at")[offset : offset + limit])


PREVIEW_SUFFIX = "_preview"  # result variables a process keeps for the reviewer (see the README)
FINAL_RESULT = "result"


def application_previews(*, scope: Scope, application: Application) -> list[tuple[str, dict[str, Any]]]:
    """What the process's service tasks have computed so far, for staff (A3, S1).

    Every result variable whose name ends in ``_preview``, in the order the process stored
    them, then the final ``result`` unless it repeats a preview (a handler's refusal stores
    its figures under both). Previews are the reviewer's figures before a decision, so only
    staff read them; the applicant sees the decision and its result.
    """
    if not scope.is_staff:
        raise PermissionDenied(_("Computed figures are for bureau staff."))
    data = engine.workflow_data(engine.workflow_load(application.workflow_state)) if application.workflow_state else {}
    answers = [
        (name, value)
        for name, value in data.items()
        if name.endswith(PREVIEW_SUFFIX) and isinstance(value, dict) and value
    ]
    result = data.get(FINAL_RESULT) or application.result
    if isinstance(result, dict) and result and all(result != value for _name, value in answers):
        answers.append((FINAL_RESULT, result))
    return answers


def application_timeline(*, application: Application, for_applicant: bool) -> list[ApplicationLog]:
    log = application.log.all()
    if for_applicant:
        log = log.filter(visible_to_applicant=True)
    return list(log)


def applicant_messages(*, scope: Scope, limit: int = 100) -> list[ApplicationLog]:
    """The in-app messages of a citizen or employer: the visible timeline of their applications."""
    return list(
        ApplicationLog.objects.filter(application__in=application_queryset(scope=scope), visible_to_applicant=True)
        .select_related("application", "application__item")
        .order_by("-created_at")[:limit]
    )


def work_item_queryset(*, scope: Scope) -> QuerySet[WorkItem]:
    return WorkItem.objects.filter(application__in=application_queryset(scope=scope))


def fast_track_condition(*, through: str = "") -> Q:
    """``rules.on_fast_track`` in SQL: class A and no risk flag, on an application or on the
    application reached through ``through`` (``"application__"`` from a work item)."""
    return Q(**{f"{through}credit_class": rules.FAST_TRACK_CLASS, f"{through}risk_flags": []})


def in_queue_order(work_items: QuerySet[WorkItem]) -> QuerySet[WorkItem]:
    """Most urgent first: escalated work, then the fast track (绿色通道, A7), then by due date.

    Every staff queue orders this way: my queue, "take next", the supervisor's view.
    """
    return work_items.annotate(
        on_fast_track=Case(
            When(fast_track_condition(through="application__"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by("-escalation_level", "-on_fast_track", "due_date", "created_at")


def my_queue(*, scope: Scope, user: Any) -> list[WorkItem]:
    return list(
        in_queue_order(
            WorkItem.objects.filter(assignee=user, state=WorkItem.State.OPEN)
            .exclude(role=engine.APPLICANT_LANE)
            .select_related("application", "application__item", "assignee")
        )
    )


def work_pool(*, scope: Scope, user: Any) -> QuerySet[WorkItem]:
    """Unassigned open items this person may take: their roles, their districts, their skills."""
    work_roles = [role for role in scope.roles if role in engine.WORK_ROLES]
    pool = WorkItem.objects.filter(state=WorkItem.State.OPEN, assignee__isnull=True, role__in=work_roles)
    if not scope.city_wide:
        pool = pool.filter(district_id__in=list(scope.districts or ()))
    profile = StaffProfile.objects.filter(user=user).first()
    if profile and profile.skills:
        pool = pool.filter(
            Q(application__item__code__in=profile.skills) | Q(application__item__category__in=profile.skills)
        )
    # 职责分离: not a tier of an application whose other tier this person already did.
    acted_on_other_tier = (
        WorkItem.objects.filter(application_id=OuterRef("application_id"), state=WorkItem.State.DONE, assignee=user)
        .exclude(step=OuterRef("step"))
        .exclude(role=engine.APPLICANT_LANE)
    )
    return pool.exclude(Q(application__item__separation_of_duties=True) & Exists(acted_on_other_tier))


def _other_tiers_done(*, application: Application, step: str, role: str) -> QuerySet[WorkItem]:
    """Done staff steps of the application other than ``step``, when its item separates duties."""
    if role == engine.APPLICANT_LANE or not application.item.separation_of_duties:
        return WorkItem.objects.none()
    return (
        WorkItem.objects.filter(application_id=application.pk, state=WorkItem.State.DONE, assignee__isnull=False)
        .exclude(step=step)
        .exclude(role=engine.APPLICANT_LANE)
    )


def other_tier_staff(*, work_item: WorkItem) -> set[Any]:
    """Ids of the staff who acted on another review tier of the work item's application (职责分离)."""
    done = _other_tiers_done(application=work_item.application, step=work_item.step, role=work_item.role)
    return set(done.values_list("assignee_id", flat=True))


def separation_of_duties_refusal(*, work_item: WorkItem, user: Any) -> PermissionDenied | None:
    """Why ``user`` may not do this step, if they acted on another tier of the same application.

    One person acts on at most one review tier (受理, 初审, 复审, 审批) of an application,
    unless the item's ``separation_of_duties`` is off. Doing the same tier again (after a
    supplement sent it back) is allowed.
    """
    done = (
        _other_tiers_done(application=work_item.application, step=work_item.step, role=work_item.role)
        .filter(assignee_id=user.pk)
        .order_by("completed_at")
        .first()
    )
    if done is None:
        return None
    return PermissionDenied(
        _(
            "You did the %(done)s step of this application, so a colleague must do the %(step)s step: "
            "one person may act on only one review tier of an application."
        )
        % {"done": done.step_name, "step": work_item.step_name},
        code="separation_of_duties",
    )


def work_item_get(*, scope: Scope, work_item_id: Any) -> WorkItem:
    work_item = (
        work_item_queryset(scope=scope)
        .select_related("application", "application__item", "assignee")
        .filter(pk=work_item_id)
        .first()
    )
    if work_item is None:
        raise NotFound(code="work_item_not_found")
    return work_item


@dataclass(frozen=True)
class StaffLoad:
    username: str
    name: str
    roles: list[str]
    open_items: int
    overdue: int
    on_duty: bool

    @property
    def role_labels(self) -> list[str]:
        return [str(ROLE_LABELS.get(role, role)) for role in self.roles]


def supervisor_overview(*, scope: Scope) -> dict[str, Any]:
    """Queues per staff member, the unassigned pool and overdue work, within the supervisor's scope."""
    from hrss.identity.models import User

    today = timezone.localdate()
    items = WorkItem.objects.filter(state=WorkItem.State.OPEN).exclude(role=engine.APPLICANT_LANE)
    staff = User.objects.filter(roles__code__in=list(engine.WORK_ROLES), is_active=True).distinct()
    if not scope.city_wide:
        districts = list(scope.districts or ())
        items = items.filter(district_id__in=districts)
        staff = staff.filter(Q(districts__code__in=districts) | Q(city_wide=True)).distinct()
    loads = []
    for user in staff.prefetch_related("roles").select_related("servicehall_profile").order_by("username"):
        mine = WorkItem.objects.filter(assignee=user, state=WorkItem.State.OPEN)
        profile = getattr(user, "servicehall_profile", None)
        loads.append(
            StaffLoad(
                username=user.username,
                name=user.get_full_name() or user.username,
                roles=sorted(user.role_codes() & engine.WORK_ROLES),
                open_items=mine.count(),
                overdue=mine.filter(due_date__lt=today).count(),
                on_duty=profile.on_duty if profile else True,
            )
        )
    listed = in_queue_order(items.select_related("application", "application__item", "assignee"))
    return {
        "staff": loads,
        "pool": list(listed.filter(assignee__isnull=True)[:200]),
        "overdue": list(listed.filter(due_date__lt=today)[:200]),
        "by_step": list(items.values("step_name").annotate(n=Count("id")).order_by("-n")),
        "applications_overdue": Application.objects.filter(
            overdue=True, status__in=Application.OPEN_STATUSES, pk__in=application_queryset(scope=scope).values("pk")
        ).count(),
    }


def overdue_work_count(*, scope: Scope) -> int:
    """Open work past its due date in the caller's districts (the supervisor's figure, one query)."""
    items = WorkItem.objects.filter(state=WorkItem.State.OPEN, due_date__lt=timezone.localdate()).exclude(
        role=engine.APPLICANT_LANE
    )
    if not scope.city_wide:
        items = items.filter(district_id__in=list(scope.districts or ()))
    return items.count()


def feed_items() -> list[dict[str, Any]]:
    """The catalogue in the shape a city-wide government service platform takes in (A1, X2)."""
    return [
        {
            "item_code": item.code,
            "item_name": item.name_zh_hans,
            "item_name_traditional": item.name_zh_hant,
            "item_name_en": item.name_en,
            "department": item.department,
            "legal_basis": item.legal_basis,
            "time_limit_workdays": item.time_limit_workdays,
            "promised_workdays": item.promised_workdays,
            "materials": [m.get("name", "") for m in item.materials],
            "fees": item.fees,
            "channels": item.channels,
            "online_level": item.online_level,
            "applicant_type": item.applicant_type,
            "updated_at": item.updated_at.isoformat(),
        }
        for item in ServiceItem.objects.filter(active=True)
    ]


def _as_utc(moment: dt.datetime, *, field: str) -> dt.datetime:
    """A client's time in UTC: any offset ISO 8601 allows (PostgreSQL refuses offsets past
    ±15:59), naive times read as local; a time outside the calendar is the caller's error."""
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise InvalidInput(_("The time is outside the range of dates."), fields={field: str(moment)}) from None


def feed_applications(*, since: dt.datetime | None, limit: int = 500) -> list[dict[str, Any]]:
    """Status of applications changed since a time: no personal data, only what the platform shows."""
    applications = Application.objects.select_related("item").order_by("updated_at")
    if since is not None:
        applications = applications.filter(updated_at__gt=_as_utc(since, field="since"))
    return [
        {
            "reference": a.reference,
            "item_code": a.item.code,
            "status": a.status,
            "channel": a.channel,
            "district": a.district_id or "",
            "submitted_at": a.submitted_at.isoformat(),
            "decided_at": a.decided_at.isoformat() if a.decided_at else None,
            "deadline": a.deadline.isoformat() if a.deadline else None,
            "updated_at": a.updated_at.isoformat(),
        }
        for a in applications[:limit]
    ]


def prefill(*, item: ServiceItem, person: Any = None, employer: Any = None) -> dict[str, Any]:
    """Form values we already know from the registry (少填): the applicant types less."""
    values: dict[str, Any] = {}
    for field in item.form:
        source = field.get("prefill", "")
        value: Any = None
        if source.startswith("person.") and person is not None:
            attribute = source.split(".", 1)[1]
            if attribute == "residence_district":
                district = person.residence_district
                value = district.name if district else ""
            elif attribute == "last_employer":
                spell = person.employments.select_related("employer").order_by("-start_date").first()
                value = spell.employer.name if spell else ""
            else:
                value = getattr(person, attribute, "")
        elif source.startswith("employer.") and employer is not None:
            value = getattr(employer, source.split(".", 1)[1], "")
        if value not in (None, ""):
            values[field["name"]] = value
    return values


def form_fields(*, item: ServiceItem, language: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The item's form, labelled in the language asked for, with current values, for templates."""
    from hrss.servicehall.catalogue import to_traditional

    def text(labels: Any) -> str:
        if isinstance(labels, dict) and language == "zh-hant" and "zh-hant" not in labels:
            return to_traditional(rules.label(labels, "zh-hans"))
        return rules.label(labels, language)

    fields = []
    for field in item.form:
        value = values.get(field["name"], "")
        options = [(str(code), text(labels)) for code, labels in field.get("choices", [])]
        display = dict(options).get(str(value), value) if options else value
        if field.get("type") == "boolean":
            display = _("yes") if value else _("no")
        fields.append(
            {
                **field,
                "text": text(field.get("label", field["name"])),
                "value": value,
                "display": display,
                "options": options,
            }
        )
    return fields


def overdue_workdays(*, work_item: WorkItem, today: dt.date | None = None) -> int:
    return workdays_between(work_item.due_date, today or timezone.localdate())


def applications_needing_attention(*, scope: Scope) -> int:
    return application_queryset(scope=scope).filter(status=Application.Status.SUPPLEMENT).count()


def submission_refusal(
    *,
    item: ServiceItem,
    person: Any = None,
    employer: Any = None,
    form_data: dict[str, Any] | None = None,
    on_behalf: bool = False,
) -> DomainError | None:
    """Why this applicant cannot apply for this item now, known before anyone reviews it.

    A second open application of an item that allows one at a time, and whatever the
    owning app's ``submission_checks`` refuse (the card app: one card per person).
    ``application_submit`` raises it; the apply pages show it before the form is filled in.
    ``form_data`` is None when only the applicant is known (the page before the form).
    """
    from hrss.servicehall.extension_points import submission_checks

    if person is None and employer is None:
        return None
    if item.one_open_application:
        same = Application.objects.filter(item=item, status__in=Application.OPEN_STATUSES)
        same = same.filter(applicant_person=person) if person is not None else same.filter(applicant_employer=employer)
        open_one = same.order_by("submitted_at").first()
        if open_one is not None:
            values = {"item": item.name, "reference": open_one.reference}
            if on_behalf:
                message = _(
                    "This applicant already has an application for %(item)s in progress (%(reference)s); "
                    "a second one is not accepted while it is open."
                )
            else:
                message = _(
                    "You already have an application for %(item)s in progress (%(reference)s). Follow it "
                    "under My applications; apply again only after it is finished or withdrawn."
                )
            return Conflict(message % values, code="duplicate_open_application")
    for check in submission_checks(item.code):
        try:
            check(item_code=item.code, person=person, employer=employer, form_data=form_data)
        except DomainError as error:
            return error
    return None
