"""Writing the knowledge base: staff draft, a reviewer publishes (never their own text),
a changed policy figure sends the articles that cite it back to review, and the generator
keeps one article per service item and per policy topic in step with the catalogue and the
policy tables."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from importlib import resources
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hrss.codes.models import PolicyParameter
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, APPROVER, COUNTER_CLERK, REVIEWER, Scope
from hrss.hotline.models import Article
from hrss.servicehall.models import Channel, ServiceItem

AUTHORS = (COUNTER_CLERK, ADMINISTRATOR)
REVIEWERS = (REVIEWER, APPROVER, ADMINISTRATOR)
EDITABLE = (Article.Status.DRAFT, Article.Status.PENDING, Article.Status.REVIEW, Article.Status.PUBLISHED)
TEXT_FIELDS = ("kind", "title", "question", "body", "link", "keywords", "valid_from", "valid_to")
_NATIONAL = "100000"


def _require(scope: Scope, roles: tuple[str, ...]) -> None:
    if not scope.has_role(*roles):
        raise PermissionDenied(_("Only knowledge-base staff may do this."))


def _locked(code: str) -> Article:
    found = Article.objects.select_for_update().filter(code=code).first()
    if found is None:
        raise NotFound(_("No such article."))
    return found


def _check(values: dict[str, Any]) -> None:
    start, end = values.get("valid_from"), values.get("valid_to")
    if start and end and end < start:
        raise InvalidInput(fields={"valid_to": _("The end of validity is before its start.")})
    names = values.get("parameters") or []
    known = set(PolicyParameter.objects.filter(name__in=names).values_list("name", flat=True))
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InvalidInput(fields={"parameters": _("Unknown policy parameter: %(name)s") % {"name": unknown[0]}})
    codes = values.get("items") or []
    found = set(ServiceItem.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = [c for c in codes if c not in found]
    if missing:
        raise InvalidInput(fields={"items": _("Unknown service item: %(code)s") % {"code": missing[0]}})


@transaction.atomic
def article_create(*, scope: Scope, values: dict[str, Any]) -> Article:
    """A staff draft. Creating the same code again with the same text is the same request (a
    retry) and answers the existing draft; other text under a taken code is a conflict."""
    _require(scope, AUTHORS)
    _check(values)
    existing = Article.objects.filter(code=values["code"]).first()
    if existing is not None:
        same = all(getattr(existing, f) == values.get(f, getattr(existing, f)) for f in TEXT_FIELDS)
        if same and existing.status == Article.Status.DRAFT:
            return existing
        raise Conflict(_("An article with this code exists."), fields={"code": values["code"]})
    article = Article.objects.create(
        code=values["code"],
        **{f: values[f] for f in TEXT_FIELDS if f in values},
        parameters=list(values.get("parameters") or []),
        origin=Article.Origin.STAFF,
        author=scope.actor,
    )
    article.items.set(ServiceItem.objects.filter(code__in=values.get("items") or []))
    audit_record(
        actor=scope.actor, action="hotline.article.create", object_type="hotline.article", object_id=article.code
    )
    return article


@transaction.atomic
def article_update(*, scope: Scope, code: str, values: dict[str, Any]) -> Article:
    """New text waits for review before any channel answers with it again."""
    _require(scope, AUTHORS)
    article = _locked(code)
    if article.status not in EDITABLE:
        raise Conflict(_("A retired article cannot be edited."))
    _check(values)
    for field in TEXT_FIELDS:
        if field in values:
            setattr(article, field, values[field])
    if "parameters" in values:
        article.parameters = list(values["parameters"] or [])
    article.status = Article.Status.PENDING
    article.author = scope.actor
    article.save()
    if "items" in values:
        article.items.set(ServiceItem.objects.filter(code__in=values["items"] or []))
    audit_record(actor=scope.actor, action="hotline.article.update", object_type="hotline.article", object_id=code)
    return article


@transaction.atomic
def article_submit(*, scope: Scope, code: str) -> Article:
    _require(scope, AUTHORS)
    article = _locked(code)
    if article.status == Article.Status.PENDING:
        return article  # a retry
    if article.status != Article.Status.DRAFT:
        raise Conflict(_("Only a draft can be sent for review."))
    article.status = Article.Status.PENDING
    article.save(update_fields=["status", "updated_at"])
    return article


@transaction.atomic
def article_publish(*, scope: Scope, code: str) -> Article:
    """A reviewer publishes a text awaiting review, or confirms one flagged by a figure's change."""
    _require(scope, REVIEWERS)
    article = _locked(code)
    if article.status == Article.Status.PUBLISHED:
        return article  # a retry
    if article.status not in (Article.Status.PENDING, Article.Status.REVIEW):
        raise Conflict(_("Only an article awaiting review can be published."))
    if article.author and article.author == scope.actor:
        raise PermissionDenied(_("An article is published by someone other than its author."))
    article.status = Article.Status.PUBLISHED
    article.review_reason = ""
    article.version += 1
    article.reviewer = scope.actor
    article.published_at = timezone.now()
    article.save()
    audit_record(actor=scope.actor, action="hotline.article.publish", object_type="hotline.article", object_id=code)
    return article


@transaction.atomic
def article_retire(*, scope: Scope, code: str) -> Article:
    _require(scope, REVIEWERS)
    article = _locked(code)
    if article.status != Article.Status.RETIRED:
        article.status = Article.Status.RETIRED
        article.save(update_fields=["status", "updated_at"])
        audit_record(actor=scope.actor, action="hotline.article.retire", object_type="hotline.article", object_id=code)
    return article


def mark_for_review(*, parameter_names: list[str], reason: str) -> int:
    """Published articles citing any of these parameters go back to review (set-based; the
    answer stays available, flagged, until a reviewer confirms or replaces it)."""
    cites = Q()
    for name in parameter_names:
        cites |= Q(parameters__contains=[name]) if _json_contains_supported() else Q(parameters__icontains=f'"{name}"')
    return Article.objects.filter(cites, status=Article.Status.PUBLISHED).update(
        status=Article.Status.REVIEW, review_reason=reason[:300], updated_at=timezone.now()
    )


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


# --- generated articles ---------------------------------------------------------------


def _topics() -> list[dict[str, Any]]:
    text = resources.files("hrss.hotline").joinpath("data", "topics.json").read_text(encoding="utf-8")
    topics: list[dict[str, Any]] = json.loads(text)["topics"]
    return topics


def _in_force(name: str, on: dt.date) -> PolicyParameter | None:
    rows = PolicyParameter.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on), name=name, valid_from__lte=on
    ).filter(region__in=(settings.HRSS_CITY_REGION, _NATIONAL))
    by_region = {row.region: row for row in rows}
    return by_region.get(settings.HRSS_CITY_REGION) or by_region.get(_NATIONAL)


def _figure(row: PolicyParameter) -> str:
    value = row.value.normalize()
    amount = f"{value:f}"
    unit = row.unit
    if unit == PolicyParameter.Unit.RATIO:
        return f"{(row.value * 100).normalize():f}%"
    if unit in (PolicyParameter.Unit.YUAN_PER_MONTH, PolicyParameter.Unit.YUAN_PER_YEAR):
        return _("%(amount)s yuan") % {"amount": f"{row.value.quantize(Decimal('0.01')):,f}"}
    labels: dict[str, str] = {
        PolicyParameter.Unit.MONTHS.value: _("%(n)s months"),
        PolicyParameter.Unit.YEARS.value: _("%(n)s years"),
        PolicyParameter.Unit.DAYS.value: _("%(n)s days"),
        PolicyParameter.Unit.MULTIPLE.value: _("%(n)s times"),
    }
    return labels[unit] % {"n": amount} if unit in labels else amount


# A source a caller can be read: a document number or statute article, in Chinese. Sources
# recorded as working notes (English, third-party tables) are not read out as such.
_NOTE = re.compile(r"[A-Za-z]{3,}")


def _source(row: PolicyParameter) -> str:
    text = row.source if not _NOTE.search(row.source) else _("compiled figures")
    if not row.verified:
        text += _(", not yet checked against the official document")
    return text


def _url(name: str, *args: str) -> str:
    if not name:
        return ""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _topic_values(topic: dict[str, Any], on: dt.date) -> dict[str, Any]:
    lines = [topic["intro"], "", _("Figures in force on %(date)s:") % {"date": on.isoformat()}]
    cited = []
    for name, label in topic["parameters"].items():
        row = _in_force(name, on)
        if row is None:
            continue
        cited.append(name)
        lines.append(
            _("- %(label)s: %(figure)s (source: %(source)s)")
            % {
                "label": label,
                "figure": _figure(row),
                "source": _source(row),
            }
        )
    return {
        "kind": Article.Kind.QA,
        "title": topic["title"],
        "question": topic["question"],
        "body": "\n".join(lines),
        "link": _url(topic.get("link", "")),
        "keywords": topic.get("keywords", ""),
        "parameters": cited,
    }


def _item_values(item: ServiceItem) -> dict[str, Any]:
    channels = dict(Channel.choices)
    lines = [item.summary_zh_hans, ""]
    lines.append(_("Channels: %(list)s") % {"list": "、".join(str(channels.get(c, c)) for c in item.channels)})
    lines.append(_("Handled by: %(department)s") % {"department": item.department})
    lines.append(_("Statutory time limit: %(days)s working days") % {"days": item.time_limit_workdays})
    if item.promised_workdays:
        lines.append(_("Promised time limit: %(days)s working days") % {"days": item.promised_workdays})
    lines.append(_("Fees: %(fees)s") % {"fees": item.fees})
    if item.materials:
        lines.append(_("Materials:"))
        for material in item.materials:
            mark = pgettext("hotline", "required") if material.get("required") else _("if applicable")
            note = f"（{material['note']}）" if material.get("note") else ""
            lines.append(f"- {material.get('name', '')}（{mark}）{note}")
    lines.append(_("Legal basis: %(basis)s") % {"basis": item.legal_basis})
    return {
        "kind": Article.Kind.ARTICLE,
        "title": item.name_zh_hans,
        "question": _("How do I apply for %(name)s?") % {"name": item.name_zh_hans},
        "body": "\n".join(lines),
        "link": _url("servicehall:item", item.code),
        "keywords": item.category,
        "parameters": [],
    }


def _upsert_generated(code: str, values: dict[str, Any], items: list[ServiceItem]) -> str:
    """Create or refresh one generated article; the outcome: created, updated or unchanged."""
    article = Article.objects.select_for_update().filter(code=code).first()
    now = timezone.now()
    if article is None:
        article = Article.objects.create(
            code=code,
            origin=Article.Origin.GENERATED,
            status=Article.Status.PUBLISHED,
            version=1,
            published_at=now,
            **values,
        )
        article.items.set(items)
        return "created"
    if article.origin != Article.Origin.GENERATED:
        return "unchanged"  # staff took the article over; the generator leaves it alone
    changed = any(getattr(article, field) != value for field, value in values.items())
    if not changed and article.status == Article.Status.PUBLISHED:
        return "unchanged"
    for field, value in values.items():
        setattr(article, field, value)
    if article.status in (Article.Status.REVIEW, Article.Status.PUBLISHED):
        # The text now reads the figures in force: what the review was asked for.
        article.status = Article.Status.PUBLISHED
        article.review_reason = ""
        article.version += 1
        article.published_at = now
    article.save()
    article.items.set(items)
    return "updated" if changed else "unchanged"


@transaction.atomic
def generate(*, on: dt.date | None = None) -> dict[str, int]:
    """One article per service item of the catalogue and per policy topic (``data/topics.json``),
    from the data they describe. Safe to run again: unchanged articles stay as they are."""
    on = on or timezone.localdate()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with translation.override("zh-hans"):
        for item in ServiceItem.objects.order_by("code"):
            outcome = _upsert_generated(f"item-{item.code.lower()}", _item_values(item), [item])
            counts[outcome] += 1
        for topic in _topics():
            outcome = _upsert_generated(topic["code"], _topic_values(topic, on), [])
            counts[outcome] += 1
    return counts
