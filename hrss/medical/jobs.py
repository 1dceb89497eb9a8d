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
    """个人账户划入, monthly: first the insured derived from the ledger (as ``insured_sync``),
    then the personal accounts credited for the last twelve months (what is due less what was
    credited: arrears paid and corrections come in); idempotent."""
    from hrss.medical.services.accounts import accounts_credit as credit
    from hrss.medical.services.insured import insured_sync as sync

    scope = Scope.system("schedule:medical.accounts")
    derived = sync(scope=scope)
    return {**derived, "credits": credit(scope=scope).credits}


def insured_sync() -> dict[str, int]:
    """参保信息同步, nightly: employees and retirees derived from the insurance ledger (new ones
    insured, categories moved into work or retirement); idempotent."""
    from hrss.medical.services.insured import insured_sync as sync

    return sync(scope=Scope.system("schedule:medical.insured"))
