"""Production settings refuse development keys; the embedded defaults stay usable."""

import base64
import os
import subprocess
import sys

import pytest

from hrss.core.signing import self_signed_pem


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
        "HRSS_AUDIT_SIGNING_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "HRSS_TRAINING_CERTIFICATE_KEY": "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=",
        "HRSS_OIDC_PRIVATE_KEY": _rsa_pem(),
        "HRSS_DOCUMENT_SIGNING_PEM": self_signed_pem("test bureau"),
        "HRSS_LAKE_KEY": base64.b64encode(os.urandom(32)).decode(),
    }


def test_production_starts_with_real_keys(production_env):
    result = _load_production(**production_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    "missing",
    [
        "HRSS_SECRET_KEY",
        "HRSS_FIELD_KEYS",
        "HRSS_BLIND_INDEX_KEY",
        "HRSS_CARD_TOKEN_KEY",
        "HRSS_AUDIT_SIGNING_KEY",
        "HRSS_TRAINING_CERTIFICATE_KEY",
        "HRSS_DOCUMENT_SIGNING_PEM",
        "HRSS_LAKE_KEY",
    ],
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


def _load_base(code: str, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HRSS_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="hrss.settings")
    setup = "import django; django.setup(); from django.conf import settings; "
    return subprocess.run([sys.executable, "-c", setup + code], env=clean, capture_output=True, text=True, timeout=60)


def test_the_base_settings_serve_with_debug_off_unless_asked(tmp_path):
    # `make run` (hrss serve with the base settings) must never answer with a traceback.
    quiet = _load_base("print(settings.DEBUG)", HRSS_VAR_DIR=str(tmp_path))
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout.strip() == "False"
    development = _load_base("print(settings.DEBUG)", HRSS_VAR_DIR=str(tmp_path), HRSS_DEBUG="1")
    assert development.stdout.strip() == "True"


@pytest.mark.parametrize(
    ("cache_url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/0", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_cache_is_one_every_process_shares(tmp_path, cache_url, backend):
    result = _load_base(
        'print(settings.CACHES["default"]["BACKEND"])', HRSS_VAR_DIR=str(tmp_path), HRSS_CACHE_URL=cache_url
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


def test_a_per_process_cache_is_refused(tmp_path):
    result = _load_base("pass", HRSS_VAR_DIR=str(tmp_path), HRSS_CACHE_URL="locmem://")
    assert result.returncode != 0 and "HRSS_CACHE_URL" in result.stderr


def test_the_medical_pooling_region_is_a_six_digit_code(tmp_path):
    ours = _load_base("print(settings.HRSS_MEDICAL_REGION)", HRSS_VAR_DIR=str(tmp_path), HRSS_MEDICAL_REGION="320500")
    assert ours.returncode == 0 and ours.stdout.strip() == "320500", ours.stderr
    refused = _load_base("pass", HRSS_VAR_DIR=str(tmp_path), HRSS_MEDICAL_REGION="苏州")
    assert refused.returncode != 0 and "HRSS_MEDICAL_REGION" in refused.stderr


def test_production_refuses_the_recording_card_reader(production_env):
    refused = _load_production(
        **production_env, HRSS_CARD_READER_BACKEND="hrss.identity.cardreader.RecordingCardReader"
    )
    assert refused.returncode != 0 and "card reader refused" in refused.stderr
    allowed = _load_production(
        **production_env,
        HRSS_CARD_READER_BACKEND="hrss.identity.cardreader.HttpCardReader",
        HRSS_CARD_READER_URL="https://reader.kiosk.example",
        HRSS_CARD_READER_SECRET="r" * 40,
    )
    assert allowed.returncode == 0, allowed.stderr
