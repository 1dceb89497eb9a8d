"""Production settings: the base settings plus refusals and transport hardening.

Start with ``DJANGO_SETTINGS_MODULE=hrss.settings.production``. It refuses to start
with a development key (generated into var/) or DEBUG on; ``manage.py check --deploy``
passes with it.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from hrss.core.payments import production_gateway_problems as _payment_gateway_problems
from hrss.identity.cardreader import production_reader_problems as _card_reader_problems
from hrss.settings import *  # noqa: F403
from hrss.settings import (
    BLIND_INDEX_KEY,
    FIELD_KEYS,
    HRSS_AUDIT_SIGNING_KEY,
    HRSS_CARD_PAYMENT_GATEWAYS,
    HRSS_CARD_TOKEN_KEY,
    HRSS_LAKE_KEY,
    HRSS_PAYMENT_GATEWAYS,
    HRSS_TRAINING_CERTIFICATE_KEY,
    SECRET_KEY,
)

DEBUG = False
# Marks the production settings module: `hrss demo` refuses to run, development keys are refused.
HRSS_PRODUCTION = True

for _name, _value in (
    ("HRSS_SECRET_KEY", SECRET_KEY),
    ("HRSS_FIELD_KEYS", FIELD_KEYS),
    ("HRSS_BLIND_INDEX_KEY", BLIND_INDEX_KEY),
    ("HRSS_CARD_TOKEN_KEY", HRSS_CARD_TOKEN_KEY),
    ("HRSS_AUDIT_SIGNING_KEY", HRSS_AUDIT_SIGNING_KEY),
    # Certificates verify against this key for years: one derived from the secret key would
    # turn every certificate into "unknown" the day the secret key is rotated.
    ("HRSS_TRAINING_CERTIFICATE_KEY", HRSS_TRAINING_CERTIFICATE_KEY),
    # The lake's pseudonyms must stay the same across runs and rotations of the secret key.
    ("HRSS_LAKE_KEY", HRSS_LAKE_KEY),
):
    if not os.environ.get(_name) or _value.startswith("dev"):
        raise ImproperlyConfigured(f"{_name} must be set to a production value (development keys are refused).")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("HRSS_SECRET_KEY must be at least 50 characters.")
# ID tokens must be signed with the bureau's own key, never one generated into var/.
if not os.environ.get("HRSS_OIDC_PRIVATE_KEY", "").strip().startswith("-----BEGIN"):
    raise ImproperlyConfigured("HRSS_OIDC_PRIVATE_KEY must be set to the PEM private key that signs OIDC ID tokens.")
# Documents must be signed with the bureau's own key and certificate, never a generated one.
_signing_pem = os.environ.get("HRSS_DOCUMENT_SIGNING_PEM", "")
if "PRIVATE KEY-----" not in _signing_pem or "-----BEGIN CERTIFICATE-----" not in _signing_pem:
    raise ImproperlyConfigured(
        "HRSS_DOCUMENT_SIGNING_PEM must be set to the bureau's PEM private key and certificate that sign documents."
    )
OAUTH2_PROVIDER = {**OAUTH2_PROVIDER, "ALLOWED_REDIRECT_URI_SCHEMES": ["https"]}  # noqa: F405

# Payment providers: never the recording gateway (it believes any callback) nor any backend
# but the signed HTTP gateway, in either setting (the older card-only one included). None
# configured is allowed: online payment then answers that no payment provider is available,
# instead of falling back to the recording defaults.
_gateway_problems = _payment_gateway_problems(HRSS_PAYMENT_GATEWAYS, HRSS_CARD_PAYMENT_GATEWAYS)
if _gateway_problems:
    raise ImproperlyConfigured("payment gateways refused: " + "; ".join(_gateway_problems))
HRSS_PAYMENT_GATEWAYS = HRSS_PAYMENT_GATEWAYS if HRSS_PAYMENT_GATEWAYS is not None else HRSS_CARD_PAYMENT_GATEWAYS
if HRSS_PAYMENT_GATEWAYS is None:
    HRSS_PAYMENT_GATEWAYS = {}

# The kiosks' card reader: never the recording reader (it believes any "inserted" card); the
# signed HTTP reader needs https and a real key. Unset means no reader (the kiosk's card way
# says so; the electronic card code and the face check still work).
HRSS_CARD_READER_BACKEND = os.environ.get("HRSS_CARD_READER_BACKEND", "")
_reader_problems = _card_reader_problems(
    HRSS_CARD_READER_BACKEND,
    os.environ.get("HRSS_CARD_READER_URL", ""),
    os.environ.get("HRSS_CARD_READER_SECRET", ""),
)
if _reader_problems:
    raise ImproperlyConfigured("card reader refused: " + "; ".join(_reader_problems))

SECURE_SSL_REDIRECT = os.environ.get("HRSS_SSL_REDIRECT", "true").lower() != "false"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("HRSS_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
