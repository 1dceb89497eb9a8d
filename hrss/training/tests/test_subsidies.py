"""Training subsidies: computed from attendance and certification, reviewed in the hall
(SH-PX-001), paid into a payment file once per person, course and level."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest

from hrss.core.errors import Conflict, PermissionDenied
from hrss.training import services
from hrss.training.models import SubsidyClaim, SubsidyLine
from hrss.training.tests import builders
from hrss.training.tests.builders import scope

pytestmark = pytest.mark.django_db


def test_a_claim_goes_through_review_to_a_payment_file_and_a_second_run_pays_nobody_twice(
    town, django_capture_on_commit_callbacks
):
    course, _enrolment = builders.trained(town)
    builders.certified(town)
    claim = builders.claim(town, course)
    assert claim.status == "submitted" and claim.hall_reference
    line = claim.lines.get()
    # 电工 is on the shortage list in force: level 5's amount × the shortage ratio (policy parameters)
    assert line.shortage and line.amount_fen == 120000 and line.payee == "institution"
    assert builders.claim(town, course).pk == claim.pk  # a retry with the same key

    with django_capture_on_commit_callbacks(execute=True):
        application = builders.hall_decide(claim.hall_reference)
    assert application.status == "approved"
    claim.refresh_from_db()
    assert claim.status == "approved"

    with pytest.raises(PermissionDenied):
        services.subsidy_pay(scope=scope(town.agent))
    paid = services.subsidy_pay(scope=scope(town.supervisor))
    assert paid is not None and paid.rows == 1 and paid.total_fen == 120000
    assert paid.sha256 == hashlib.sha256(paid.content.encode()).hexdigest()
    rows = list(csv.DictReader(io.StringIO(paid.content)))
    assert rows == [
        {
            "credit_code": town.institution.employer.credit_code,
            "id_number": "",
            "name": town.institution.name,
            "amount": "1200.00",
            "paid_on": paid.created_at.astimezone().date().isoformat(),
            "reference": f"{claim.hall_reference}-{str(line.pk)[:8]}",
        }
    ]

    assert services.subsidy_pay(scope=scope(town.supervisor)) is None  # the second run pays nobody
    assert SubsidyLine.objects.filter(payment_file=paid).count() == 1
    with pytest.raises(Conflict) as refused:  # nor can the same trainee be claimed again
        builders.claim(town, course, key="claim-2")
    assert refused.value.code == "nothing_to_claim"


def test_a_rejected_claim_releases_its_trainees(town, django_capture_on_commit_callbacks):
    course, _enrolment = builders.trained(town)
    builders.certified(town)
    claim = builders.claim(town, course)
    with django_capture_on_commit_callbacks(execute=True):
        application = builders.hall_decide(claim.hall_reference, decision="reject")
    assert application.status == "rejected"
    claim.refresh_from_db()
    assert claim.status == SubsidyClaim.Status.REJECTED and not claim.lines.exists()
    assert services.subsidy_pay(scope=scope(town.supervisor)) is None
    assert builders.claim(town, course, key="claim-2").lines.count() == 1


def test_no_certificate_no_claim(town):
    course, _enrolment = builders.trained(town)
    with pytest.raises(Conflict) as refused:
        builders.claim(town, course)
    assert refused.value.code == "nothing_to_claim"
