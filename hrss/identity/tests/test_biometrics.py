"""Biometric checks go to a provider; hrss keeps the answer and the evidence id (A6, S3)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import Client

from hrss.core.scope import Scope
from hrss.identity import biometrics
from hrss.identity.auth import token_create
from hrss.identity.models import BiometricCheck
from hrss.testing import make_person, make_user, staff_scope

pytestmark = pytest.mark.django_db


def test_recording_provider_answers_from_its_table(settings, zhang):
    settings.HRSS_BIOMETRIC_TABLE = {"media/live-1.mp4": {"matched": True, "score": 0.9731}}
    check = biometrics.biometric_verify(
        scope=staff_scope(), person_id=zhang.pk, kind="liveness_video", reference="media/live-1.mp4", purpose="资格认证"
    )
    assert check.matched and str(check.score) == "0.9731" and check.evidence_id.startswith("dev-")
    [request] = biometrics.recorded
    assert request.person_ref == str(zhang.pk) and zhang.id_number not in json.dumps(request.__dict__)
    miss = biometrics.biometric_verify(
        scope=staff_scope(), person_id=zhang.pk, kind="photo", reference="unknown.jpg", purpose="资格认证"
    )
    assert not miss.matched and miss.score == 0


def test_citizen_may_check_only_themself_through_the_api(zhang):
    citizen = make_user("zw", "citizen", person=zhang)
    other = make_person(name="别人")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=citizen)}")
    body = {"kind": "photo", "reference": "selfie.jpg", "purpose": "养老金资格认证"}
    assert (
        api.post(
            "/api/v1/identity/biometric-checks", {**body, "person_id": str(zhang.pk)}, content_type="application/json"
        ).status_code
        == 201
    )
    refused = api.post(
        "/api/v1/identity/biometric-checks", {**body, "person_id": str(other.pk)}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert BiometricCheck.objects.count() == 1


def test_agency_needs_the_biometric_grant(zhang):
    without = Scope(actor="x", roles=frozenset({"agency_client"}), districts=None, grants=frozenset({"registry:read"}))
    with pytest.raises(Exception) as error:
        biometrics.biometric_verify(scope=without, person_id=zhang.pk, kind="photo", reference="a", purpose="b")
    assert error.value.code == "permission_denied"


class _Provider(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert self.headers["X-Hrss-Signature"]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(
            json.dumps({"matched": True, "score": 0.88, "evidence_id": f"ev-{body['request_id'][:8]}"}).encode()
        )

    def log_message(self, *args):
        pass


def test_http_provider_shape(settings, zhang):
    server = HTTPServer(("127.0.0.1", 0), _Provider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.HRSS_BIOMETRIC_PROVIDER = "hrss.identity.biometrics.HttpBiometricProvider"
        settings.HRSS_BIOMETRIC_URL = f"http://127.0.0.1:{server.server_port}/verify"
        check = biometrics.biometric_verify(
            scope=staff_scope(), person_id=zhang.pk, kind="photo", reference="p.jpg", purpose="高风险业务"
        )
        assert check.matched and check.provider == "http" and check.evidence_id.startswith("ev-")
        settings.HRSS_BIOMETRIC_URL = "http://127.0.0.1:9/unreachable"
        with pytest.raises(biometrics.ProviderUnavailable):
            biometrics.biometric_verify(
                scope=staff_scope(), person_id=zhang.pk, kind="photo", reference="p", purpose="x"
            )
    finally:
        server.shutdown()
        server.server_close()
