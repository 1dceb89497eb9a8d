# hrss — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HRSS := $(VENV)/bin/hrss
PYTHON ?= python3
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install assets run test test-postgres lint bench loadtest fuzz-live messages clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,spark,s3]'
	touch $(STAMP)

install: $(STAMP)

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch node_modules/.installed

assets: node_modules/.installed

messages: install
	$(HRSS) i18n compile

run: install assets messages
	$(HRSS) migrate --no-input
	$(HRSS) kb generate
	$(HRSS) collectstatic --no-input --verbosity 0
	# Demo accounts are development data, asked for explicitly; the server runs with DEBUG off.
	$(HRSS) demo
	# The statistics lake the analysts' pages read (incremental: a rerun writes nothing twice).
	$(HRSS) lake export
	$(HRSS) serve

PYTEST_ARGS ?=
test: install assets messages
	$(PY) -m pytest -q $(PYTEST_ARGS)

test-postgres: install assets messages
	HRSS_DATABASE_URL=$(PG_URL) $(PY) -m pytest -q $(PYTEST_ARGS)

# schemathesis (st run, default phases, not_a_server_error) against a fresh `make run`-style
# server, anonymously and as each demo account (tools/fuzz_live.py, docs/reliability.md).
fuzz-live: install assets messages
	$(PY) tools/fuzz_live.py

lint: install
	$(VENV)/bin/ruff check hrss conftest.py tests bench loadtest tools
	$(VENV)/bin/ruff format --check hrss conftest.py tests bench loadtest tools
	$(VENV)/bin/mypy hrss
	$(VENV)/bin/lint-imports
	$(HRSS) makemigrations --check --dry-run
	$(VENV)/bin/bandit -r hrss -lll -q --exclude '*/tests/*'
	$(PY) tools/audit_dependencies.py
	DJANGO_SETTINGS_MODULE=hrss.settings.production \
	  HRSS_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  HRSS_FIELD_KEYS=k1:$$($(PY) -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())') \
	  HRSS_BLIND_INDEX_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(32))') \
	  HRSS_CARD_TOKEN_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(32))') \
	  HRSS_AUDIT_SIGNING_KEY=$$($(PY) -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())') \
	  HRSS_LAKE_KEY=$$($(PY) -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())') \
	  HRSS_TRAINING_CERTIFICATE_KEY=$$($(PY) -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())') \
	  HRSS_OIDC_PRIVATE_KEY="$$($(PY) -c 'from cryptography.hazmat.primitives import serialization as s; from cryptography.hazmat.primitives.asymmetric import rsa; print(rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()).decode())')" \
	  HRSS_DOCUMENT_SIGNING_PEM="$$($(PY) -c 'from hrss.core.signing import self_signed_pem; print(self_signed_pem("hrss deploy check"))')" \
	  $(HRSS) check --deploy --fail-level WARNING

# Benchmarks with same-run baselines (docs/performance.md); SCALE=large for the 1M runs.
SCALE ?= small
bench: install
	$(HRSS) bench --scale $(SCALE)

# Locust against `hrss serve` on loopback with a synthetic city (docs/reliability.md).
USERS ?= 20
DURATION ?= 60
loadtest: install
	$(PY) loadtest/run.py --users $(USERS) --duration $(DURATION)

clean:
	rm -rf $(VENV) node_modules var
