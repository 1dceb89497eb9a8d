"""The medical app's scheduled jobs (declared on MedicalConfig.scheduled_jobs)."""

from __future__ import annotations

from hrss.core.scope import Scope


def monitoring_run() -> dict[str, int]:
    """智能监控, nightly: every rule and the screen over the window; idempotent (a finding already
    raised as a case raises nothing new, so a second run counts 0)."""
    from hrss.medical.services.monitoring import monitoring_run as run

    done = run(scope=Scope.system("schedule:medical.monitor"))
    return {"new_cases": done.new_flags}


def accounts_credit() -> dict[str, int]:
    """个人账户划入, monthly: credit the personal accounts for the last twelve months (what is
    due less what was credited: arrears paid and corrections come in); idempotent."""
    from hrss.medical.services.accounts import accounts_credit as credit

    done = credit(scope=Scope.system("schedule:medical.accounts"))
    return {"credits": done.credits}
