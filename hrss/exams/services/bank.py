"""The question bank and papers (R4): questions encrypted at rest and versioned, a paper
drawn from the blueprint with a recorded seed and sealed."""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound
from hrss.core.scope import Scope
from hrss.exams import rules
from hrss.exams.access import office_exam, require_office
from hrss.exams.models import ExamStatus, Item, ItemKind, Paper

OBJECTIVE = (ItemKind.SINGLE, ItemKind.MULTIPLE, ItemKind.JUDGE)
OPTION_COUNT = {ItemKind.SINGLE: 4, ItemKind.MULTIPLE: 4, ItemKind.JUDGE: 2}


def _item_problems(data: dict[str, Any]) -> tuple[dict[str, str], list[str], str, Decimal | None]:
    problems: dict[str, str] = {}
    kind = data.get("kind", "")
    if kind not in ItemKind.values:
        problems["kind"] = _("one of single, multiple, judge, essay")
    if not str(data.get("tag", "")).strip():
        problems["tag"] = _("required")
    try:
        difficulty = int(data.get("difficulty", 0))
    except (TypeError, ValueError):
        difficulty = 0
    if not 1 <= difficulty <= 5:
        problems["difficulty"] = _("a whole number from 1 to 5")
    try:
        points: Decimal | None = Decimal(str(data.get("points", ""))).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        points = None
    if points is None or not points.is_finite() or not Decimal("0.5") <= points <= Decimal("100"):
        problems["points"] = _("from 0.5 to 100 points")
    if not str(data.get("stem", "")).strip():
        problems["stem"] = _("required")
    options = [str(option).strip() for option in data.get("options") or []]
    key = str(data.get("key", "")).strip()
    if kind in OBJECTIVE:
        if len(options) != OPTION_COUNT[kind] or not all(options):
            problems["options"] = _("%(count)s options") % {"count": OPTION_COUNT[kind]}
        try:
            key = rules.answer_mask(key)
        except ValueError:
            key = ""
        letters = rules.mask_letters(key) if key else ""
        wanted_one = kind in (ItemKind.SINGLE, ItemKind.JUDGE)
        if (
            not letters
            or (wanted_one and len(letters) != 1)
            or (kind == ItemKind.MULTIPLE and len(letters) < 2)
            or any(rules.OPTION_LETTERS.index(letter) >= len(options) for letter in letters)
        ):
            problems["key"] = _("the letters of the right options")
    elif kind == ItemKind.ESSAY:
        options = []
        if not key:
            problems["key"] = _("the marking guide")
    return problems, options, key, points


@transaction.atomic
def item_add(*, scope: Scope, data: dict[str, Any], code: str = "") -> Item:
    """Add a question to the bank, or a new version of question ``code`` (the earlier
    versions stay for the papers that drew them)."""
    require_office(scope)
    problems, options, key, points = _item_problems(data)
    if problems or points is None:
        raise InvalidInput(fields=problems)
    if code:
        latest = Item.objects.select_for_update().filter(code=code[:20]).aggregate(Max("version"))["version__max"]
        if latest is None:
            raise NotFound(_("No question with this code was found."))
        Item.objects.filter(code=code, current=True).update(current=False)
        version = latest + 1
    else:
        code, version = f"Q{timezone.localdate():%y%m}{secrets.token_hex(3).upper()}", 1
    item = Item.objects.create(
        code=code,
        version=version,
        kind=data["kind"],
        tag=str(data["tag"]).strip()[:40],
        difficulty=int(data["difficulty"]),
        points=points,
        stem=str(data["stem"]).strip(),
        options=json.dumps(options, ensure_ascii=False) if options else "",
        key=key,
        created_by=scope.actor,
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.item.create",
        object_type="exam_item",
        object_id=f"{item.code}v{item.version}",
    )
    return item


@transaction.atomic
def paper_assemble(*, scope: Scope, exam_code: str, seed: int | None = None) -> Paper:
    """Draw the exam's paper from the current questions by its blueprint and seal it. The
    seed is recorded: the same seed and bank give the same paper. A sealed paper stays."""
    exam = office_exam(scope, exam_code, lock=True)
    if Paper.objects.filter(exam=exam).exists():
        raise Conflict(_("The paper of this examination is sealed already."), code="paper_sealed")
    if exam.status in (ExamStatus.SCORED, ExamStatus.PUBLISHED):
        raise Conflict(_("This examination is scored already."), code="exam_scored")
    if not exam.blueprint:
        raise Conflict(_("The examination has no blueprint."), code="blueprint_empty")
    seed = seed if seed is not None else secrets.randbits(62)
    pool: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for pk, kind, tag, difficulty in Item.objects.filter(current=True).values_list("pk", "kind", "tag", "difficulty"):
        pool[(kind, tag, difficulty)].append(str(pk))
    try:
        ids = rules.draw_paper(seed=seed, blueprint=exam.blueprint, pool=pool)
    except rules.BlueprintError as error:
        line = error.line
        raise Conflict(
            _("The bank holds %(available)s questions of type %(kind)s, tag %(tag)s, difficulty %(difficulty)s.")
            % {"available": error.available, **{name: line.get(name) for name in ("kind", "tag", "difficulty")}},
            code="bank_too_small",
        ) from error
    items = {str(pk): item for pk, item in Item.objects.in_bulk(ids).items()}
    digest = rules.paper_digest(seed, [(pk, items[pk].stem, items[pk].options, items[pk].key) for pk in ids])
    paper = Paper.objects.create(
        exam=exam, seed=seed, items=ids, sealed_at=timezone.now(), sealed_by=scope.actor, sha256=digest
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="exams.paper.seal",
        object_type="exam",
        object_id=exam.code,
        detail={"seed": seed, "questions": len(ids), "sha256": digest},
    )
    return paper
