"""Production settings refuse development keys; the embedded defaults stay usable."""

import base64
import os
import subprocess
import sys

import pytest


def _load_production(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HRSS_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="hrss.settings.production", HRSS_VAR_DIR=env.get("HRSS_VAR_DIR", ""))
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60)


def _rsa_pem():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture
def production_env(tmp_path):
    return {
        "HRSS_VAR_DIR": str(tmp_path),
        "HRSS_SECRET_KEY": "p" * 20 + "roduction-secret-key-with-enough-entropy-0123456789",
        "HRSS_FIELD_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
        "HRSS_BLIND_INDEX_KEY": "production-blind-index-key",
        "HRSS_CARD_TOKEN_KEY": "production-card-token-key-0123456789",
        "HRSS_OIDC_PRIVATE_KEY": _rsa_pem(),
    }


def test_production_starts_with_real_keys(production_env):
    result = _load_production(**production_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    "missing", ["HRSS_SECRET_KEY", "HRSS_FIELD_KEYS", "HRSS_BLIND_INDEX_KEY", "HRSS_CARD_TOKEN_KEY"]
)
def test_production_refuses_missing_keys(production_env, missing):
    env = {k: v for k, v in production_env.items() if k != missing}
    result = _load_production(**env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_refuses_development_keys(production_env):
    result = _load_production(**{**production_env, "HRSS_SECRET_KEY": "dev-" + "x" * 60})
    assert result.returncode != 0
    assert "development keys are refused" in result.stderr
