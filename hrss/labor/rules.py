"""Pure rules of labour dispute arbitration (L1): statutory deadlines and final awards.

Nothing here reads the database or the clock: the working-day calendar comes in as a
function (``hrss.core.workdays.is_workday`` in production) and the periods as numbers read
by the caller from the dated policy parameters (``arbitration.*`` in ``hrss/codes``).

Counting (劳动争议调解仲裁法, 民事诉讼法 第85条 by reference): a period in days does not count
its start day; a period that ends on a rest day or public holiday ends on the next working
day. Suspension (中止) pauses the clock for the suspended days; interruption (中断) restarts
it from the day the interruption ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

IsWorkday = Callable[[dt.date], bool]

# Deadline kinds answered by the public calculator.
ACCEPTANCE = "acceptance"
AWARD = "award"
AWARD_EXTENDED = "award_extended"
MEDIATION = "mediation"
LIMITATION = "limitation"
WAGE_CLAIM = "wage_claim"
KINDS = (ACCEPTANCE, AWARD, AWARD_EXTENDED, MEDIATION, LIMITATION, WAGE_CLAIM)

# The clock states of a case's current deadline.
ON_TIME = "on_time"
AT_RISK = "at_risk"
OVERDUE = "overdue"


@dataclass(frozen=True)
class Suspension:
    """A period during which the clock stood still (中止), both days included."""

    start: dt.date
    end: dt.date


def roll_to_workday(day: dt.date, is_workday: IsWorkday) -> dt.date:
    """The day itself if it is a working day, else the next working day."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def period_end(
    start: dt.date,
    days: int,
    is_workday: IsWorkday,
    *,
    suspensions: Iterable[Suspension] = (),
    interrupted_on: dt.date | None = None,
) -> dt.date:
    """The last day of a period of ``days`` calendar days from ``start``.

    The start day is not counted. An interruption restarts the whole period from its day;
    each suspension that overlaps the running period adds its days to it. The end moves
    off rest days and holidays to the next working day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if interrupted_on is not None and interrupted_on > start:
        start = interrupted_on
    end = start + dt.timedelta(days=days)
    # Suspensions are applied in date order: each one that begins before the (extended)
    # end pushes the end back by the suspended days that fall after the start.
    for suspension in sorted(suspensions, key=lambda s: s.start):
        if suspension.end < suspension.start or suspension.end <= start or suspension.start > end:
            continue
        first = max(suspension.start, start + dt.timedelta(days=1))
        end += dt.timedelta(days=(suspension.end - first).days + 1)
    return roll_to_workday(end, is_workday)


def years_later(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    if not dt.MINYEAR <= day.year + years <= dt.MAXYEAR:
        raise OverflowError("date value out of range")
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def limitation_end(
    known_on: dt.date,
    years: int,
    is_workday: IsWorkday,
    *,
    suspensions: Iterable[Suspension] = (),
    interrupted_on: dt.date | None = None,
) -> dt.date:
    """The last day to apply for arbitration (仲裁时效, 第27条): ``years`` from when the right
    was known to be infringed (or, for remuneration owed during employment, from the end of
    the employment), the last day moved off rest days."""
    start = interrupted_on if interrupted_on is not None and interrupted_on > known_on else known_on
    days = (years_later(start, years) - start).days
    return period_end(start, days, is_workday, suspensions=suspensions)


def hearing_notice_ok(*, notified_on: dt.date, hearing_on: dt.date, notice_days: int) -> bool:
    """The parties were told at least ``notice_days`` days before the hearing (第35条)."""
    return (hearing_on - notified_on).days >= notice_days


def is_final_award(*, claimed: Decimal, monthly_minimum_wage: Decimal, multiple: Decimal) -> bool:
    """A claim for remuneration or compensation not above ``multiple`` months of the local
    minimum wage in force is settled by a final award (终局裁决, 第47条)."""
    return Decimal(0) <= claimed <= monthly_minimum_wage * multiple


def clock_state(*, due: dt.date, today: dt.date, warn_days: int) -> str:
    """Where a running deadline stands: overdue after its day, at risk within ``warn_days``."""
    if today > due:
        return OVERDUE
    if (due - today).days <= warn_days:
        return AT_RISK
    return ON_TIME


@dataclass(frozen=True)
class Candidate:
    """An arbitrator who could take a case: where they sit, what they hold, what they may hold."""

    username: str
    district: str | None
    load: int
    capacity: int


def choose_arbitrator(
    candidates: Iterable[Candidate], *, district: str | None, excluded: Iterable[str] = ()
) -> str | None:
    """The arbitrator a new case goes to: never one excluded (recused, or busy at the
    hearing's time) or at capacity; of the rest, one of the case's district before one of
    another, then the lightest load (open cases over capacity), then the fewest open cases,
    then the username (so the same roster and loads always give the same answer)."""
    barred = set(excluded)
    eligible = [c for c in candidates if c.username not in barred and c.capacity > 0 and c.load < c.capacity]
    if not eligible:
        return None
    best = min(
        eligible,
        key=lambda c: (district is None or c.district != district, c.load / c.capacity, c.load, c.username),
    )
    return best.username


def choose_panel(
    candidates: Iterable[Candidate], *, district: str | None, seats: int, excluded: Iterable[str] = ()
) -> list[str]:
    """``seats`` arbitrators for a case, chosen one after another as ``choose_arbitrator``
    chooses, each choice counted in its load before the next (so a panel spreads over the
    roster as sole assignments do). Fewer when the roster runs out: the rest wait."""
    pool = {c.username: c for c in candidates}
    barred = set(excluded)
    chosen: list[str] = []
    for _seat in range(seats):
        pick = choose_arbitrator(pool.values(), district=district, excluded=barred)
        if pick is None:
            break
        chosen.append(pick)
        barred.add(pick)
        held = pool[pick]
        pool[pick] = Candidate(held.username, held.district, held.load + 1, held.capacity)
    return chosen


# Tribunals (仲裁庭, 第31条): a simple case is heard by a sole arbitrator, any other by three.
SOLE = "sole"
PANEL = "panel"


def tribunal_for(*, claimed: Decimal | None, monthly_minimum_wage: Decimal, sole_multiple: Decimal) -> str:
    """A claim with no amount or not above ``sole_multiple`` months of the minimum wage in force
    is a simple case for a sole arbitrator; a larger one goes to a panel of three."""
    if claimed is None or claimed <= monthly_minimum_wage * sole_multiple:
        return SOLE
    return PANEL


# Claim types for the statistics, recognised in the claims as written (first match wins).
CLAIM_KEYWORDS = (
    ("relationship", ("确认劳动关系", "劳动关系")),
    ("social_insurance", ("社会保险", "社保", "工伤")),
    ("compensation", ("经济补偿", "赔偿金", "补偿金", "违法解除")),
    ("wages", ("工资", "加班费", "报酬", "wage")),
)


def claim_type(claims: str) -> str:
    """The claim type of a case from the text of its claims (``other`` when none is named)."""
    text = (claims or "").lower()
    for kind, words in CLAIM_KEYWORDS:
        if any(word in text for word in words):
            return kind
    return "other"


def filed_content_digest(content: dict[str, object]) -> str:
    """The SHA-256 of a case's filed content as canonical JSON (sorted keys, no spaces): what the
    applicant's signature confirms; the same content always gives the same digest."""
    import hashlib
    import json

    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def may_go_to_arbitration(*, status: str, due_on: dt.date, today: dt.date) -> bool:
    """After mediation (第14条): a party may apply for arbitration once the mediation has failed,
    or when no agreement was reached by the end of the mediation period. An agreement ends
    the dispute (a party who breaks it may still apply: that is a new dispute)."""
    if status == "failed":
        return True
    return status == "open" and today > due_on


def workdays_end(start: dt.date, workdays: int, is_workday: IsWorkday) -> dt.date:
    """The last day of a period of ``workdays`` working days from ``start`` (not counted)."""
    if workdays < 0:
        raise ValueError("workdays must not be negative")
    day, left = start, workdays
    while left:
        day += dt.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return roll_to_workday(day, is_workday)


# --- employment filing (用工备案): people employed without a written contract -------------------


@dataclass(frozen=True)
class ContractTerm:
    person_id: object
    start_date: dt.date
    end_date: dt.date | None


def unsigned_from(start_month: dt.date, grace_months: int) -> dt.date:
    """The first day a worker whose insured spell began in ``start_month`` counts as employed
    without a written contract for more than ``grace_months`` (劳动合同法 第十条, 第八十二条:
    one month from the first day of work). The spell is known by month only, so the grace is
    counted from the end of the hire month: hired in June with one month's grace, flagged
    from 1 August — never within the statutory month, whatever day in June work began."""
    index = start_month.year * 12 + start_month.month - 1 + grace_months + 1
    return dt.date(index // 12, index % 12 + 1, 1)


def without_contract(
    spells: Iterable[tuple[object, dt.date, dt.date | None]],
    contracts: Iterable[ContractTerm],
    *,
    on: dt.date,
    grace_months: int,
) -> set[tuple[object, dt.date]]:
    """(person, first month) of the spells open on ``on`` (month-granular: the last month not
    before ``on``'s) past their grace with no written contract in force: one starting by
    ``on`` and not ended more than ``grace_months`` before it (a contract that ran out and was
    not renewed leaves the worker without one once the grace has passed)."""
    this_month = dt.date(on.year, on.month, 1)
    by_person: dict[object, list[ContractTerm]] = {}
    for contract in contracts:
        by_person.setdefault(contract.person_id, []).append(contract)
    flagged = set()
    for person_id, start, end in spells:
        if end is not None and end < this_month:
            continue
        if on < unsigned_from(start, grace_months):
            continue
        in_force = any(
            c.start_date <= on and (c.end_date is None or unsigned_from(c.end_date, grace_months) > on)
            for c in by_person.get(person_id, ())
        )
        if not in_force:
            flagged.add((person_id, start))
    return flagged


# --- construction projects: wages through the special wage account ------------------------------


def month_days(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of ``month``'s month."""
    first = dt.date(month.year, month.month, 1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def active_in(start: dt.date, end: dt.date | None, month: dt.date) -> bool:
    """Whether a spell from ``start`` to ``end`` (None: open) reaches into ``month``."""
    first, last = month_days(month)
    return start <= last and (end is None or end >= first)


def project_flags(
    projects: Iterable[tuple[object, dt.date, dt.date | None]],
    roster: Iterable[tuple[object, object, dt.date, dt.date | None]],
    wages: set[tuple[object, object, dt.date]],
    deposits: set[tuple[object, dt.date]],
    *,
    months: Iterable[dt.date],
) -> tuple[list[tuple[object, object, dt.date]], list[tuple[object, dt.date]]]:
    """The flags of 保障农民工工资支付条例 over ``months`` (first days): (project, person, month)
    of every worker on a project's real-name roster that month with no wage paid through the
    wage account for it, and (project, month) of every month a running project's wage account
    received nothing. ``projects``: (id, started, ended); ``roster``: (project, person, start,
    end); ``wages``: (project, person, month) paid; ``deposits``: (project, month) received."""
    months = sorted(months)
    unpaid = [
        (project, person, month)
        for project, person, start, end in roster
        for month in months
        if active_in(start, end, month) and (project, person, month) not in wages
    ]
    dry = [
        (project, month)
        for project, started, ended in projects
        for month in months
        if active_in(started, ended, month) and (project, month) not in deposits
    ]
    return sorted(unpaid, key=str), sorted(dry, key=str)
