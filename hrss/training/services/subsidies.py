"""Training subsidies (T1): claims computed from attendance and certification, reviewed
through the hall (职业培训补贴申领 SH-PX-001), and paid idempotently.

The rules are data (``training.subsidy.*`` in the policy parameters): the amount by the
certificate's level, a ratio for shortage occupations and one per person category, at
most ``max_per_year`` subsidies a person a year, paid to the person or the institution.
Each person, course and level is subsidised at most once (and each occupation and level
once a year): the database enforces it, and a payment run pays only lines no file has
paid, so running it twice pays nobody twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.selectors import parameter_value
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, FUND_SUPERVISOR, Scope
from hrss.registry.models import Employment
from hrss.servicehall import services as hall
from hrss.training import rules
from hrss.training.models import (
    Certificate,
    Course,
    Enrolment,
    Institution,
    ShortageOccupation,
    SubsidyClaim,
    SubsidyLine,
    SubsidyPaymentFile,
)
from hrss.training.services.access import audit, institution_of

CLAIM_ITEM = "SH-PX-001"
# The insurance payment-file columns (hrss.insurance.services.payments), the period left out:
# a subsidy is paid once, not for a month.
PAYMENT_COLUMNS = ("credit_code", "id_number", "name", "amount", "paid_on", "reference")


def _category(person_id: uuid.UUID, on: dt.date) -> str:
    employed = Employment.objects.filter(person_id=person_id, start_date__lte=on).exclude(end_date__lt=on).exists()
    return "employed" if employed else "not_employed"


def _shortage(qualification_id: uuid.UUID, on: dt.date) -> bool:
    from django.db.models import Q

    return ShortageOccupation.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on), qualification_id=qualification_id, valid_from__lte=on
    ).exists()


def claim_lines_compute(*, course: Course) -> list[dict[str, Any]]:
    """The lines a claim for this course would have now: completed trainees with a valid
    certificate of the course's occupation and level, not yet subsidised for it."""
    on = timezone.localdate()
    level_amount = parameter_value(f"training.subsidy.level_{course.level}", on=on)
    shortage_ratio = parameter_value("training.subsidy.shortage_ratio", on=on)
    per_year = int(parameter_value("training.subsidy.max_per_year", on=on))
    to_institution = parameter_value("training.subsidy.payee_institution", on=on) >= 1
    shortage = _shortage(course.qualification_id, on)
    completed = list(
        Enrolment.objects.filter(course=course, status=Enrolment.Status.COMPLETED).values_list("person_id", flat=True)
    )
    certificates = dict(
        Certificate.objects.filter(
            person_id__in=completed,
            qualification_id=course.qualification_id,
            level=course.level,
            status=Certificate.Status.VALID,
        ).values_list("person_id", "number")
    )
    claimed = set(
        SubsidyLine.objects.filter(
            person_id__in=completed, qualification_id=course.qualification_id, level=course.level
        )
        .filter(year=on.year)
        .values_list("person_id", flat=True)
    ) | set(SubsidyLine.objects.filter(person_id__in=completed, course=course).values_list("person_id", flat=True))
    lines = []
    for person_id in completed:
        if person_id not in certificates or person_id in claimed:
            continue
        if SubsidyLine.objects.filter(person_id=person_id, year=on.year).count() >= per_year:
            continue
        category = _category(person_id, on)
        ratio = parameter_value(f"training.subsidy.category.{category}", on=on)
        lines.append(
            {
                "person_id": person_id,
                "category": category,
                "shortage": shortage,
                "amount_fen": rules.subsidy_fen(
                    level_amount=level_amount, shortage=shortage, shortage_ratio=shortage_ratio, category_ratio=ratio
                ),
                "payee": SubsidyLine.Payee.INSTITUTION if to_institution else SubsidyLine.Payee.PERSON,
                "certificate_number": certificates[person_id],
            }
        )
    return lines


def claim_submit(
    *, scope: Scope, user: Any, course_id: uuid.UUID, idempotency_key: str, channel: str = "web"
) -> SubsidyClaim:
    """The institution claims the subsidy of a course: its lines are computed and held (so
    no other claim takes them), and the claim goes to review in the hall. A retry with the
    same key answers with the first claim."""
    with transaction.atomic():
        institution = institution_of(scope, Institution.Kind.TRAINING)
        key = idempotency_key.strip()[:64]
        if not key:
            raise InvalidInput(fields={"idempotency_key": _("An idempotency key is required.")})
        earlier = SubsidyClaim.objects.filter(institution=institution, idempotency_key=key).first()
        if earlier is not None:
            return earlier
        course = Course.objects.filter(pk=course_id, institution=institution).select_related("qualification").first()
        if course is None:
            raise NotFound()
        if not course.subsidy_eligible:
            raise Conflict(_("This course is not eligible for training subsidies."), code="not_subsidy_eligible")
        lines = claim_lines_compute(course=course)
        if not lines:
            raise Conflict(
                _("No trainee of this course has a certificate that is not yet subsidised."), code="nothing_to_claim"
            )
        claim = SubsidyClaim.objects.create(
            institution=institution,
            course=course,
            amount_fen=sum(line["amount_fen"] for line in lines),
            submitted_by=scope.actor,
            idempotency_key=key,
        )
        year = timezone.localdate().year
        SubsidyLine.objects.bulk_create(
            [
                SubsidyLine(
                    claim=claim,
                    course=course,
                    qualification=course.qualification,
                    level=course.level,
                    year=year,
                    **line,
                )
                for line in lines
            ]
        )
        application, _created = hall.application_submit(
            scope=scope,
            user=user,
            item_code=CLAIM_ITEM,
            form_data={
                "claim": str(claim.pk),
                "course": course.title,
                "trainees": len(lines),
                "amount": str(Decimal(claim.amount_fen) / 100),
            },
            idempotency_key=f"training-claim-{claim.pk}",
            channel=channel,
        )
        claim.hall_reference = application.reference
        claim.save(update_fields=["hall_reference", "updated_at"])
        audit(scope, "training.claim_submit", "subsidy_claim", claim.pk, lines=len(lines), amount_fen=claim.amount_fen)
    return claim


@transaction.atomic
def claim_decide(*, scope: Scope, claim_id: uuid.UUID, approved: bool, reference: str) -> SubsidyClaim:
    """The hall's decision on a claim: approved (its lines wait for the next payment run) or
    rejected (its lines are released, so a corrected claim may take them again). Idempotent."""
    claim = SubsidyClaim.objects.select_for_update().filter(pk=claim_id, hall_reference=reference).first()
    if claim is None:
        raise NotFound()
    if claim.status != SubsidyClaim.Status.SUBMITTED:
        return claim
    claim.status = SubsidyClaim.Status.APPROVED if approved else SubsidyClaim.Status.REJECTED
    claim.decided_by = scope.actor
    claim.save(update_fields=["status", "decided_by", "updated_at"])
    if not approved:
        claim.lines.filter(payment_file__isnull=True).delete()
    audit(scope, "training.claim_decide", "subsidy_claim", claim.pk, approved=approved, reference=reference)
    return claim


@transaction.atomic
def subsidy_pay(*, scope: Scope) -> SubsidyPaymentFile | None:
    """Pay every approved, unpaid line into one payment file; None when nothing is due."""
    if not (scope.has_role(FUND_SUPERVISOR, ADMINISTRATOR)):
        raise PermissionDenied()
    lines = list(
        SubsidyLine.objects.select_for_update()
        .filter(claim__status=SubsidyClaim.Status.APPROVED, payment_file__isnull=True)
        .select_related("person", "claim__institution__employer")
        .order_by("claim__created_at", "id")
    )
    if not lines:
        return None
    today = timezone.localdate()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PAYMENT_COLUMNS)
    for line in lines:
        to_institution = line.payee == SubsidyLine.Payee.INSTITUTION
        writer.writerow(
            [
                line.claim.institution.employer.credit_code if to_institution else "",
                "" if to_institution else line.person.id_number,
                line.claim.institution.name if to_institution else line.person.name,
                f"{Decimal(line.amount_fen) / 100:.2f}",
                today.isoformat(),
                f"{line.claim.hall_reference}-{str(line.pk)[:8]}",
            ]
        )
    content = buffer.getvalue()
    payment_file = SubsidyPaymentFile.objects.create(
        filename=f"training-subsidy-{today:%Y%m%d}-{uuid.uuid4().hex[:6]}.csv",
        content=content,
        sha256=hashlib.sha256(content.encode()).hexdigest(),
        rows=len(lines),
        total_fen=sum(line.amount_fen for line in lines),
        created_by=scope.actor,
    )
    paid = SubsidyLine.objects.filter(pk__in=[line.pk for line in lines], payment_file__isnull=True).update(
        payment_file=payment_file, paid_on=today
    )
    if paid != len(lines):  # another run took some of them first: keep nothing of this one
        raise Conflict(code="payment_run_overlap")
    audit(scope, "training.subsidy_pay", "subsidy_payment_file", payment_file.pk, rows=len(lines))
    return payment_file
