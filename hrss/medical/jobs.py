"""The medical app's scheduled jobs (declared on MedicalConfig.scheduled_jobs)."""

from __future__ import annotations

from hrss.core.scope import Scope


def monitoring_run() -> dict[str, int]:
    """智能监控, nightly: every rule and the screen over the window; idempotent (a finding already
    raised as a case raises nothing new, so a second run counts 0)."""
    from hrss.medical.services.monitoring import monitoring_run as run

    done = run(scope=Scope.system("schedule:medical.monitor"))
    return {"new_cases": done.new_flags}
