"""Settings of the benchmark server: the project's own, plus the bare baseline endpoint."""

from hrss.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls_bench"
