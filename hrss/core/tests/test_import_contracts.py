"""Every package and top-level module under hrss/ sits in a layer of the import-linter
contract (pyproject.toml), so a new app cannot be added outside the layering by accident.
`make lint` runs the contracts themselves (lint-imports)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_hrss_package_is_in_a_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = next(c for c in config if c["type"] == "layers")["layers"]
    named = {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}
    hrss = ROOT / "hrss"
    packages = {f"hrss.{p.name}" for p in hrss.iterdir() if (p / "__init__.py").exists()}
    modules = {f"hrss.{p.stem}" for p in hrss.glob("*.py") if p.stem != "__init__"}
    assert packages | modules <= named, sorted((packages | modules) - named)


def test_the_kernel_and_the_hall_are_forbidden_every_domain_app():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    forbidden = next(c for c in config if c["name"].startswith("The kernel and the hall"))
    layers = next(c for c in config if c["type"] == "layers")["layers"]
    domain_apps = {name.strip() for name in layers[1].split("|")}
    assert set(forbidden["forbidden_modules"]) == domain_apps
    assert {"hrss.core", "hrss.codes", "hrss.registry", "hrss.identity", "hrss.notify", "hrss.servicehall"} <= set(
        forbidden["source_modules"]
    )
