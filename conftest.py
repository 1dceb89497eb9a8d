"""Shared pytest fixtures: test settings, factories and API clients for each role."""

from __future__ import annotations

import base64
import os
import uuid

import pytest

# Fixed test keys: tests never depend on keys generated into var/.
os.environ.setdefault("HRSS_FIELD_KEYS", "test1:" + base64.b64encode(b"k" * 32).decode())
os.environ.setdefault("HRSS_BLIND_INDEX_KEY", "test-blind-index-key")
os.environ.setdefault("HRSS_SECRET_KEY", "test-secret-key-" + "x" * 40)
os.environ.setdefault("HRSS_CARD_TOKEN_KEY", "test-card-token-key")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Argon2 at test-sized costs for every test (``hrss.testing.FastArgon2Hasher``): the
    production costs take about 0.3 s a hash, and the suite makes thousands of accounts, PINs
    and sign-ins. The production setting itself is tested in ``identity/tests/test_signup.py``."""
    from django.test.utils import override_settings

    from hrss.testing import FAST_HASHERS

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _english_messages():
    """Domain messages are asserted in English (the source language); pages still negotiate."""
    from django.utils import translation

    with translation.override("en"):
        yield


_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.fixture(autouse=True)
def _clear_caches(request):
    """Every database test starts and ends with the shared cache (a database table) empty."""
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        _DATABASE_FIXTURES & set(request.fixturenames)
    )
    if not uses_database:
        yield
        return
    from django.core.cache import cache

    from hrss.identity.principals import principals_forget

    request.getfixturevalue("_django_db_helper")  # the test database first, then its cache table
    cache.clear()
    principals_forget()
    yield
    cache.clear()
    principals_forget()


def pytest_collection_modifyitems(config, items):
    """Every transactional test restores the database as migrations left it.

    Without this, the flush after a transactional test drops the rows that data migrations
    seed (code tables, roles, the service catalogue...), and Django's post-migrate handler
    re-creates content types under new ids, which then clash with tests that use serialized
    rollback. Serialized rollback for all of them keeps both right.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction")) or any(
            name in getattr(item, "fixturenames", ()) for name in ("transactional_db", "live_server")
        )
        if transactional and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")


def _postgres_server() -> tuple[str, int | str, str]:
    """Host, port and user of the test database's PostgreSQL server."""
    from django.db import connection

    settings = connection.settings_dict
    return settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432, settings["USER"] or "postgres"


def _postgres_admin(sql: str) -> None:
    """Run ``sql`` (CREATE or DROP DATABASE) on the test server's maintenance database."""
    import psycopg

    host, port, user = _postgres_server()
    with psycopg.connect(f"host={host} port={port} user={user} dbname=postgres", autocommit=True) as admin:
        admin.execute(sql)


def _postgres_url(name: str) -> str:
    host, port, user = _postgres_server()
    return f"postgres://{user}@{host}:{port}/{name}"


@pytest.fixture
def scratch_database(tmp_path):
    """A new, empty database of the same kind as the test database; yields its URL."""
    from django.db import connection

    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    name = f"hrss_scratch_{uuid.uuid4().hex[:8]}"
    _postgres_admin(f'CREATE DATABASE "{name}"')
    yield _postgres_url(name)
    _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class MigratedTemplate:
    """A database migrated once per test session by ``hrss migrate`` in its own process, of the
    same kind as the test database, copied for each test that needs a migrated database of its
    own (a file copy through SQLite's backup API; ``CREATE DATABASE … TEMPLATE`` on
    PostgreSQL). Migrating from nothing costs a minute or more a time; the tests that run hrss
    in separate processes each needed one."""

    def __init__(self, root):
        import subprocess
        import sys

        from django.db import connection

        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.url = f"sqlite:///{root / 'template.sqlite3'}"
        else:
            self.name = f"hrss_template_{uuid.uuid4().hex[:8]}"
            _postgres_admin(f'CREATE DATABASE "{self.name}"')
            self.url = _postgres_url(self.name)
        var_dir = root / "var"
        var_dir.mkdir()
        env = {**os.environ, "HRSS_DATABASE_URL": self.url, "HRSS_VAR_DIR": str(var_dir)}
        env["DJANGO_SETTINGS_MODULE"] = "hrss.settings"
        done = subprocess.run(
            [sys.executable, "-m", "hrss.cli", "migrate", "--no-input", "-v", "0"],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr

    def copy(self, directory) -> str:
        """A new database with the template's contents; its URL."""
        if self.vendor == "sqlite":
            import sqlite3

            target = directory / f"migrated-{uuid.uuid4().hex[:8]}.sqlite3"
            source, copied = sqlite3.connect(self.url.removeprefix("sqlite:///")), sqlite3.connect(target)
            try:
                source.backup(copied)
            finally:
                source.close()
                copied.close()
            return f"sqlite:///{target}"
        name = f"hrss_scratch_{uuid.uuid4().hex[:8]}"
        _postgres_admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        return _postgres_url(name)

    def drop(self, url: str) -> None:
        if self.vendor != "sqlite":
            _postgres_admin(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

    def close(self) -> None:
        if self.vendor != "sqlite":
            _postgres_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    template = MigratedTemplate(tmp_path_factory.mktemp("migrated-template"))
    yield template
    template.close()


@pytest.fixture
def migrated_database(migrated_template, tmp_path):
    """A new database of the test database's kind, migrated as ``hrss migrate`` leaves it
    (copied from the session's template); yields its URL."""
    url = migrated_template.copy(tmp_path)
    yield url
    migrated_template.drop(url)


class _ServerQuiet:
    """Keeps the test thread's queries apart from the live server's requests.

    With SQLite, the live server's threads share the test's in-memory connection: a test that
    reads or writes while the browser's last request (or an htmx load after it) is still being
    served gets "database table is locked". Every statement from the test thread waits until
    no request has been in flight for a moment, and no request starts while it runs.
    """

    IDLE = 0.25  # seconds without a request before the test thread may use the database
    PATIENCE = 15.0  # never wait longer than this (a request stuck on the test's own lock)

    def __init__(self, test_thread):
        import threading

        self.test_thread = test_thread
        self.changed = threading.Condition()
        self.in_flight = 0
        self.last_request = 0.0
        self.querying = False

    def serve(self, app):
        import time

        def counted(environ, start_response):
            with self.changed:
                self.changed.wait_for(lambda: not self.querying, timeout=self.PATIENCE)
                self.in_flight += 1
            body = None
            try:
                body = app(environ, start_response)
                yield from body
            finally:
                if hasattr(body, "close"):
                    body.close()
                with self.changed:
                    self.in_flight -= 1
                    self.last_request = time.monotonic()
                    self.changed.notify_all()

        return counted

    def __call__(self, execute, sql, params, many, context):
        import threading
        import time

        if threading.current_thread() is not self.test_thread:
            return execute(sql, params, many, context)
        deadline = time.monotonic() + self.PATIENCE
        with self.changed:
            while time.monotonic() < deadline:
                quiet_for = time.monotonic() - self.last_request
                if self.in_flight == 0 and quiet_for >= self.IDLE:
                    break
                self.changed.wait(timeout=max(self.IDLE - quiet_for, 0.01))
            self.querying = True
        try:
            return execute(sql, params, many, context)
        finally:
            with self.changed:
                self.querying = False
                self.changed.notify_all()


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, its requests kept apart from the test thread's queries."""
    import threading

    from django.db import connection

    quiet = _ServerQuiet(threading.current_thread())
    httpd = live_server.thread.httpd
    httpd.set_app(quiet.serve(httpd.get_app()))
    connection.execute_wrappers.append(quiet)
    yield live_server
    connection.execute_wrappers.remove(quiet)
