"""The code cache is shared by every process: a policy figure saved in one is read by another at once.

Two real Python processes (each ``django.setup()``) on one database file, with the default
database cache and with Redis (``HRSS_CACHE_URL``, a real redis-server on loopback): a reader that
answers ``parameter_value`` (filling the cache) and a writer that saves the figure through
the model (the admin's path: post_save clears the cache). With a per-process cache
(LocMemCache) the writer would not see the reader's entry, and the reader would keep
answering the old figure for ten minutes.
"""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import sys
import textwrap
import time

import pytest

READER = textwrap.dedent(
    """
    import datetime as dt, sys
    import django
    django.setup()
    from hrss.codes.selectors import parameter_value
    for line in sys.stdin:
        name, day = line.split()
        print(parameter_value(name, on=dt.date.fromisoformat(day)), flush=True)
    """
)

WRITER = textwrap.dedent(
    """
    import sys
    from decimal import Decimal
    import django
    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from hrss.codes.models import PolicyParameter
    from hrss.codes.selectors import _PARAMS_KEY
    row = (
        PolicyParameter.objects.filter(region=settings.HRSS_CITY_REGION, valid_to__isnull=True)
        .order_by("name").first()
    )
    for line in sys.stdin:
        command = line.strip()
        if command == "pick":
            print(row.name, row.valid_from.isoformat(), row.value, flush=True)
        elif command == "cached":
            print(cache.get(_PARAMS_KEY) is not None, flush=True)
        elif command == "bump":
            row.value = row.value + Decimal("1")
            row.save()
            print(row.value, flush=True)
    """
)


def _ask(process: subprocess.Popen, line: str) -> str:
    process.stdin.write(line + "\n")
    process.stdin.flush()
    ready, _, _ = select.select([process.stdout], [], [], 120)
    assert ready, f"no answer to {line!r}"
    return process.stdout.readline().strip()


def _python(database_url: str, var_dir, code: str, cache_url: str) -> subprocess.Popen:
    env = {**os.environ, "HRSS_DATABASE_URL": database_url, "HRSS_VAR_DIR": str(var_dir)}
    env["DJANGO_SETTINGS_MODULE"] = "hrss.settings"
    env["HRSS_CACHE_URL"] = cache_url  # empty: the default, the database cache
    return subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


@pytest.fixture(params=["database", "redis"])
def cache_url(request, tmp_path):
    if request.param == "database":
        yield ""
        return
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(redis_dir),
        ],
        stdout=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    for _attempt in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.django_db
def test_a_saved_policy_figure_is_read_by_another_process_at_once(migrated_database, tmp_path, cache_url):
    reader = _python(migrated_database, tmp_path, READER, cache_url)
    writer = _python(migrated_database, tmp_path, WRITER, cache_url)
    try:
        name, day, before = _ask(writer, "pick").split()
        assert _ask(reader, f"{name} {day}") == before
        # The reader's cache entry is the writer's too: one cache for all processes.
        assert _ask(writer, "cached") == "True"
        after = _ask(writer, "bump")
        assert after != before
        assert _ask(reader, f"{name} {day}") == after
    finally:
        for process in (reader, writer):
            process.stdin.close()
            process.wait(timeout=60)
