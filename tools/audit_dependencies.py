"""Dependency audit for ``make lint`` (X1): pip-audit against PyPI's advisory data.

- a known vulnerability fails the run, unless it is listed with its reason in
  ``tools/audit-exceptions.txt`` (one ``ID  reason`` a line);
- when the advisory service cannot be reached, or knows none of the installed packages
  (a mirror without PyPI's JSON API), nothing was audited: this says so in a banner and
  exits 0, or 2 with ``HRSS_AUDIT_REQUIRED=1`` (for a release build that must be audited).

Run: ``.venv/bin/python tools/audit_dependencies.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EXCEPTIONS = Path(__file__).with_name("audit-exceptions.txt")


def exceptions() -> dict[str, str]:
    if not EXCEPTIONS.exists():
        return {}
    found = {}
    for line in EXCEPTIONS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            vuln, _, reason = line.partition(" ")
            found[vuln] = reason.strip()
    return found


def not_audited(reason: str) -> int:
    print("=" * 78)
    print(f"DEPENDENCY AUDIT NOT DONE: {reason}")
    print("No package was checked against the advisory database; this is not a pass.")
    print("=" * 78)
    return 2 if os.environ.get("HRSS_AUDIT_REQUIRED") == "1" else 0


def main() -> int:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    ignored = exceptions()
    command = [str(pip_audit), "--skip-editable", "--progress-spinner", "off", "--format", "json"]
    for vuln in ignored:
        command += ["--ignore-vuln", vuln]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        return not_audited("pip-audit did not finish within 10 minutes")
    try:
        report = json.loads(run.stdout)
    except ValueError:
        tail = (run.stderr.strip().splitlines() or ["no output"])[-1]
        return not_audited(f"pip-audit could not reach the vulnerability service ({tail})")
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if "skip_reason" in d]
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [(d["name"], d["version"], v) for d in audited for v in d.get("vulns", [])]
    if not audited:
        return not_audited(
            f"the advisory service knows none of the {len(dependencies)} installed packages "
            f"(first reason: {skipped[0]['skip_reason'] if skipped else 'none given'})"
        )
    for name, version, vuln in vulnerable:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
        print(f"VULNERABLE {name} {version}: {vuln['id']} (fixed in {fixes})")
    for vuln, reason in ignored.items():
        print(f"accepted exception {vuln}: {reason}")
    if skipped:
        print(f"note: {len(skipped)} of {len(dependencies)} packages could not be audited:")
        print("  " + ", ".join(sorted(d["name"] for d in skipped)))
    print(f"dependency audit: {len(audited)} packages checked, {len(vulnerable)} known vulnerabilities")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
