"""The archive's files in an S3-compatible object store (HRSS_S3_BUCKET): a certificate and a
scan written and read back through django-storages against a real S3 protocol server (moto's,
on loopback), and the settings that choose the store from the environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from hrss.archive import scans, services
from hrss.archive.tests.builders import insured
from hrss.archive.tests.test_scans import a_png
from hrss.insurance.tests import builders as insurance
from hrss.testing import staff_scope

pytestmark = pytest.mark.django_db
BUCKET = "hrss-archive"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def s3(settings: Any) -> Any:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
    client = boto3.client("s3", endpoint_url=endpoint, **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    yield client
    server.stop()


def test_certificates_and_scans_live_in_the_object_store(s3: Any) -> None:
    person, _firm = insured(months=1)
    certificate = services.certificate_issue(
        scope=insurance.citizen(person), kind="insurance.contributions", base_url="http://testserver/"
    )
    scan, _created = scans.scan_add(
        scope=staff_scope(districts=["120101"]),
        id_number=person.id_number,
        doc_type="contract",
        title="劳动合同书",
        doc_date=certificate.issued_on,
        data=a_png(),
    )
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert {certificate.file.name, scan.file.name} <= keys
    stored = s3.get_object(Bucket=BUCKET, Key=certificate.file.name)["Body"].read()
    _row, data = services.certificate_file(scope=insurance.citizen(person), code=certificate.code)
    assert data == stored and len(data) == certificate.size
    assert scans.scan_file(scope=insurance.citizen(person), scan_id=scan.pk)[1] == a_png()


def test_the_environment_chooses_the_object_store() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRSS_S3_")}
    code = "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['default'])"
    plain = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "FileSystemStorage" in plain.stdout, plain.stderr
    env.update(HRSS_S3_BUCKET="records", HRSS_S3_ENDPOINT_URL="http://minio.internal:9000")
    chosen = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "storages.backends.s3.S3Storage" in chosen.stdout and "minio.internal" in chosen.stdout, chosen.stderr
