"""The training lifecycle through the real services: enrol, sign in, complete, sit an
appraisal, get a signed certificate that verifies; consistency cases; revocation."""

from __future__ import annotations

import datetime as dt

import pytest

from hrss.core.errors import Conflict, PermissionDenied
from hrss.core.scope import Scope
from hrss.training import selectors, services
from hrss.training.models import Attendance, Certificate, ConsistencyCase
from hrss.training.tests import builders
from hrss.training.tests.builders import scope

pytestmark = pytest.mark.django_db


def test_a_citizen_trains_sits_an_appraisal_and_gets_a_certificate_that_verifies(town):
    _course, enrolment = builders.trained(town)
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.completed_on is not None
    assert Attendance.objects.filter(enrolment=enrolment, method="face").count() == 2

    certificate = builders.certified(town)
    assert certificate is not None and certificate.status == "valid"
    assert certificate.level == 5 and certificate.qualification.code == builders.QUALIFICATION

    anyone = selectors.certificate_verify(scope=Scope.anonymous(), number=certificate.number)
    assert anyone.status == "valid" and anyone.signature_valid
    assert anyone.holder_masked and anyone.holder == "学**"

    code, _expires = services.consent_code_create(scope=scope(town.citizen), certificate_id=certificate.pk)
    consented = selectors.certificate_verify(scope=Scope.anonymous(), number=certificate.number, consent_code=code)
    assert not consented.holder_masked and consented.holder == town.citizen.person.name
    assert selectors.certificate_verify(
        scope=Scope.anonymous(), number=certificate.number, consent_code="WRONG"
    ).holder_masked

    mine = selectors.certificates_mine(scope=scope(town.citizen))
    assert [c.number for c in mine] == [certificate.number]


def test_a_revoked_certificate_verifies_as_revoked_and_an_unknown_number_as_unknown(town):
    builders.trained(town)
    certificate = builders.certified(town)
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(scope=scope(town.citizen), number=certificate.number, reason="不应撤销")
    services.certificate_revoke(scope=scope(town.approver), number=certificate.number, reason="考试作弊，经调查核实")
    answer = selectors.certificate_verify(scope=Scope.anonymous(), number=certificate.number)
    assert answer.status == "revoked" and answer.revoked_reason == "考试作弊，经调查核实"
    assert selectors.certificate_verify(scope=Scope.anonymous(), number="Y1200002026500999900").status == "unknown"
    assert selectors.certificate_verify(scope=Scope.anonymous(), number="not a number").status == "unknown"


def test_a_certificate_whose_signature_does_not_check_is_unknown(town):
    builders.trained(town)
    certificate = builders.certified(town)
    Certificate.objects.filter(pk=certificate.pk).update(level=3)  # altered in the database
    assert selectors.certificate_verify(scope=Scope.anonymous(), number=certificate.number).status == "unknown"


def test_a_planted_double_sign_in_at_two_sites_at_once_raises_a_case(town):
    here = builders.course(town, site=town.site_a, title="电工班（和平）")
    there = builders.course(town, site=town.site_b, title="电工班（河西）")
    user = town.citizen
    services.enrol(scope=scope(user), course_id=here.pk)
    services.enrol(scope=scope(user), course_id=there.pk)
    first, second = here.sessions.order_by("starts_at")[0], there.sessions.order_by("starts_at")[0]
    builders.sign_in_face(town, first, user, at=first.starts_at)
    assert not ConsistencyCase.objects.exists()
    builders.sign_in_face(town, second, user, at=second.starts_at + dt.timedelta(minutes=5))
    case = ConsistencyCase.objects.get()
    assert case.kind == "double_sign_in" and case.person_id == user.person_id
    assert case.detail["sites"] == sorted([str(town.site_a.pk), str(town.site_b.pk)])
    # signing in again, or re-running the check, opens no second case
    builders.sign_in_face(town, second, user)
    services.attendance_check(attendance=Attendance.objects.get(session=second))
    assert ConsistencyCase.objects.count() == 1
    assert [c.pk for c in selectors.cases(scope=scope(town.approver), limit=10)] == [case.pk]


def test_a_sign_in_outside_the_sessions_time_raises_a_case(town):
    found = builders.course(town)
    services.enrol(scope=scope(town.citizen), course_id=found.pk)
    session = found.sessions.order_by("starts_at")[0]
    builders.sign_in_face(town, session, town.citizen, at=session.ends_at + dt.timedelta(hours=3))
    assert ConsistencyCase.objects.get().kind == "outside_session"


def test_a_face_that_does_not_match_signs_no_one_in(town):
    found = builders.course(town)
    services.enrol(scope=scope(town.citizen), course_id=found.pk)
    with pytest.raises(PermissionDenied):
        services.attendance_sign_in(
            scope=scope(town.agent),
            session_id=found.sessions.first().pk,
            method="face",
            credential=town.citizen.person.id_number,
            face_reference="capture/someone-else.jpg",
        )
    assert not Attendance.objects.exists()


def test_completion_needs_attendance(town):
    found = builders.course(town, sessions=3)
    enrolment = services.enrol(scope=scope(town.citizen), course_id=found.pk)
    builders.sign_in_face(town, found.sessions.order_by("starts_at")[0], town.citizen)
    with pytest.raises(Conflict) as refused:
        services.enrolment_complete(scope=scope(town.agent), enrolment_id=enrolment.pk)
    assert refused.value.code == "not_attended_enough"


def test_appraisal_registration_checks_eligibility(town):
    session = builders.exam(town, level=4)
    with pytest.raises(Conflict) as refused:
        services.candidate_register(scope=scope(town.citizen), session_id=session.pk)
    assert refused.value.code == "not_eligible"
    untrained = builders.exam(town, level=5, days=4)
    with pytest.raises(Conflict):
        services.candidate_register(scope=scope(town.citizen), session_id=untrained.pk)
    builders.trained(town)  # 80 hours of training stand in for a year in the occupation
    assert services.candidate_register(scope=scope(town.citizen), session_id=untrained.pk).eligibility["eligible"]


def test_results_are_checked_by_a_second_person_before_publication(town):
    builders.trained(town)
    session = builders.exam(town)
    candidate = services.candidate_register(scope=scope(town.citizen), session_id=session.pk)
    services.candidate_sign_in(
        scope=scope(town.body_agent), session_id=session.pk, candidate_id=candidate.pk, face_reference=builders.MATCH
    )
    services.results_enter(
        scope=scope(town.body_agent), session_id=session.pk, scores={str(candidate.pk): ("90", "90")}
    )
    with pytest.raises(Conflict):
        services.results_publish(scope=scope(town.body_agent), session_id=session.pk)
    with pytest.raises(PermissionDenied):
        services.results_check(scope=scope(town.body_agent), session_id=session.pk)
    services.results_check(scope=scope(town.body_checker), session_id=session.pk)
    first = services.results_publish(scope=scope(town.body_agent), session_id=session.pk)
    again = services.results_publish(scope=scope(town.body_agent), session_id=session.pk)
    assert [c.number for c in first] == [c.number for c in again] and len(first) == 1


def test_the_same_proctor_on_overlapping_sessions_raises_a_case(town):
    builders.exam(town, proctors=["王监考"])
    builders.exam(town, proctors=["王监考", "李监考"])
    case = ConsistencyCase.objects.get()
    assert case.kind == "proctor_overlap" and case.detail["proctor"] == "王监考"


def test_institutions_are_rated_from_completion_and_certification(town):
    builders.trained(town)
    builders.certified(town)
    rated = services.institution_rate(institution=town.institution)
    assert rated.rating is not None and rated.rating_detail["completion"] == "1.0000"
    assert rated.rating_detail["certification"] == "1.0000"


def test_an_agency_holding_verify_certificates_sees_the_holder_and_the_read_is_audited(town):
    from hrss.core.models import AuditEntry
    from hrss.identity.auth import agency_scope

    builders.trained(town)
    certificate = builders.certified(town)
    agency = agency_scope(name="某用人单位核验系统", scopes=["verify:certificates"])
    answer = selectors.certificate_verify(scope=agency, number=certificate.number)
    assert not answer.holder_masked and answer.holder == town.citizen.person.name
    assert AuditEntry.objects.filter(action="training.certificate.read", actor="某用人单位核验系统").exists()
    other = agency_scope(name="其他系统", scopes=["registry:read"])
    assert selectors.certificate_verify(scope=other, number=certificate.number).holder_masked
