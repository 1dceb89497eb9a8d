"""The metrics, each written once as an Ibis expression over lake tables and run on whichever
engine is configured (``hrss.analytics.engine``): the same rows on DuckDB and on Spark.

A metric names the lake tables it reads and the dimensions of its rows. Results come back as
plain rows, periods as ``YYYY-MM``, sorted by their dimensions, so that the engines can be
compared row for row and the pages, the API and the downloads show one thing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import ibis
from django.utils.translation import gettext_lazy as _

ASSESSED = "assessed"


@dataclass(frozen=True)
class Metric:
    name: str
    title: Any  # lazy translation
    description: Any
    tables: tuple[str, ...]
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    build: Callable[..., Any]
    # applied to each result row (after the engine): unit conversions and rounding
    finish: Callable[[dict[str, Any]], dict[str, Any]] | None = None


def _insured_rows(contributions: Any) -> Any:
    """One row per person, month and (district, industry) of the payer: the assessed ledger."""
    assessed = contributions.filter((contributions.kind == ASSESSED) & (contributions.revision == 0))
    return assessed.select(
        "insured", "district", "industry_section", period_index=assessed.period_index.cast("int64")
    ).distinct()


def insured_headcount(contributions: Any) -> Any:
    # the rows are distinct per person already: counting them is the distinct count, without
    # a second distinct per group (about 40 % of the time on DuckDB)
    rows = _insured_rows(contributions)
    return rows.group_by(["period_index", "district", "industry_section"]).aggregate(insured=rows.count())


def insured_flows(contributions: Any) -> Any:
    """New insured (insured this month, not the month before) and lost insured (insured the
    month before, not this month), by the district and industry of the month they count in.
    The first and last months of the lake have no month before or after to compare with and
    are left out."""
    rows = _insured_rows(contributions)
    months = rows.select("insured", "period_index").distinct()
    earlier = months.mutate(period_index=months.period_index + 1)
    new = rows.anti_join(earlier, ["insured", "period_index"])
    new = new.group_by(["period_index", "district", "industry_section"]).aggregate(
        new=new.count(), lost=ibis.literal(0, type="int64")
    )
    shifted = rows.mutate(period_index=rows.period_index + 1)
    lost = shifted.anti_join(months, ["insured", "period_index"])
    lost = lost.group_by(["period_index", "district", "industry_section"]).aggregate(
        new=ibis.literal(0, type="int64"), lost=lost.count()
    )
    both = new.union(lost, distinct=False)
    summed = both.group_by(["period_index", "district", "industry_section"]).aggregate(
        new=both.new.sum(), lost=both.lost.sum()
    )
    first, last = months.period_index.min(), months.period_index.max()
    return summed.filter((summed.period_index > first) & (summed.period_index <= last))


def base_median(contributions: Any) -> Any:
    """The median contribution base (the declared wage) of the insured, in fen: exact on every
    engine (a median of whole fen is whole or half a fen); yuan are rounded afterwards, in
    ``finish``, so that no engine's floating-point rounding decides a cent."""
    assessed = contributions.filter((contributions.kind == ASSESSED) & (contributions.revision == 0))
    return assessed.group_by(["period_index", "district", "industry_section"]).aggregate(
        insured=assessed.insured.nunique(), base_median=assessed.base_fen.median()
    )


def _fen_to_yuan(row: dict[str, Any]) -> dict[str, Any]:
    if row.get("base_median") is not None:
        yuan = (Decimal(str(row["base_median"])) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        row["base_median"] = float(yuan)
    return row


# --- supply and demand (E3) and the talent index (R2): employment's vacancies and seekers ---

# A seeker still registered has no last month: a month beyond any the lake will hold.
_OPEN_ENDED = 10**6


def month_index(date: Any) -> Any:
    """A date's month as the lake's period index (year × 12 + month − 1)."""
    return date.year().cast("int64") * 12 + date.month().cast("int64") - 1


def _in_month(table: Any, months: Any, first: Any, last: Any) -> Any:
    """Each row once per lake month between its first and last month (the lake's months are
    the contribution ledger's, the months the statistics pages offer)."""
    spans = table.mutate(first_month=first, last_month=last)
    joined = spans.cross_join(months)
    return joined.filter((joined.first_month <= joined.period_index) & (joined.last_month >= joined.period_index))


def _demand_and_supply(vacancies: Any, seekers: Any, contributions: Any, keys: list[str]) -> Any:
    """Headcount of the vacancies open in the month against the persons registered unemployed
    in it, by ``keys`` (after ``period_index`` and ``district``)."""
    months = contributions.select(period_index=contributions.period_index.cast("int64")).distinct()
    wanted = vacancies.rename(district="district_code")
    wanted = _in_month(wanted, months, month_index(wanted.opened_on), month_index(wanted.closed_on))
    looking = seekers.rename(district="district_code")
    looking = _in_month(
        looking,
        months,
        month_index(looking.registered_on),
        ibis.coalesce(month_index(looking.ended_on), ibis.literal(_OPEN_ENDED, type="int64")),
    )
    group = ["period_index", "district", *keys]
    demand = wanted.group_by(group).aggregate(
        vacancies=wanted.headcount.sum().cast("int64"), seekers=ibis.literal(0, type="int64")
    )
    supply = looking.group_by(group).aggregate(
        vacancies=ibis.literal(0, type="int64"), seekers=looking.seeker.nunique().cast("int64")
    )
    both = demand.union(supply, distinct=False)
    return both.group_by(group).aggregate(vacancies=both.vacancies.sum(), seekers=both.seekers.sum())


def supply_demand(vacancies: Any, seekers: Any, contributions: Any) -> Any:
    return _demand_and_supply(vacancies, seekers, contributions, ["occupation_group"])


def talent_index(vacancies: Any, seekers: Any, contributions: Any) -> Any:
    return _demand_and_supply(vacancies, seekers, contributions, ["occupation_group", "education_code"])


def _prosperity(row: dict[str, Any]) -> dict[str, Any]:
    """The index in the style of CIER: vacancies ÷ seekers, two places, none without seekers
    (computed here, after the engine, so that no engine's floating point decides a place)."""
    seekers = row.get("seekers") or 0
    row["index"] = (
        float((Decimal(row.get("vacancies") or 0) / Decimal(seekers)).quantize(Decimal("0.01"), ROUND_HALF_UP))
        if seekers
        else None
    )
    return row


# --- the card (B3) and the service hall: coverage and time taken ---

_CARD_DAYS = ("issued_on", "ecard_on", "ended_on")
DECIDED = ("approved", "rejected")  # the hall's decided statuses (Application.Status)


def card_coverage(cards: Any, persons: Any, contributions: Any) -> Any:
    """Persons of the registry by residence district against those holding a card in service at
    the end of each lake month (issued by then, not cancelled by then), and those holding its
    electronic form. A person is counted once whatever cards they went through; the district is
    the person's now (the persons snapshot)."""
    months = contributions.select(period_index=contributions.period_index.cast("int64")).distinct()
    resident = persons.filter(persons.district != "")
    population = months.cross_join(resident.group_by("district").aggregate(persons=resident.person.nunique()))
    held = cards.join(resident, cards.holder == resident.person).select("holder", "district", *_CARD_DAYS)
    until = ibis.coalesce(month_index(held.ended_on) - 1, ibis.literal(_OPEN_ENDED, type="int64"))
    holding = _in_month(held, months, month_index(held.issued_on), until)
    electronic = held.filter(held.ecard_on.notnull())
    electronic = _in_month(
        electronic,
        months,
        month_index(electronic.ecard_on),
        ibis.coalesce(month_index(electronic.ended_on) - 1, ibis.literal(_OPEN_ENDED, type="int64")),
    )
    zero = ibis.literal(0, type="int64")
    group = ["period_index", "district"]
    parts = (
        population.select(*group, persons=population.persons.cast("int64"), card_holders=zero, ecard_holders=zero),
        holding.group_by(group).aggregate(
            persons=zero, card_holders=holding.holder.nunique().cast("int64"), ecard_holders=zero
        ),
        electronic.group_by(group).aggregate(
            persons=zero, card_holders=zero, ecard_holders=electronic.holder.nunique().cast("int64")
        ),
    )
    both = parts[0].union(parts[1], distinct=False).union(parts[2], distinct=False)
    return both.group_by(group).aggregate(
        persons=both.persons.sum(), card_holders=both.card_holders.sum(), ecard_holders=both.ecard_holders.sum()
    )


def hall_time(applications: Any) -> Any:
    """Applications decided (approved or not) in the month, by owning district and channel: how
    many, the median of the calendar days from submission to decision, how many were decided by
    the date promised (承诺时限), and how many took at most one visit to an office (最多跑一次)."""
    decided = applications.filter(applications.status.isin(DECIDED) & applications.decided_on.notnull())
    decided = decided.mutate(
        period_index=month_index(decided.decided_on),
        district=decided.district_code,
        days=decided.decided_on.delta(decided.submitted_on, unit="day").cast("int64"),
        in_time=ibis.ifelse(decided.promised_by.isnull() | (decided.decided_on <= decided.promised_by), 1, 0).cast(
            "int64"
        ),
        one_visit=ibis.ifelse(decided.visits <= 1, 1, 0).cast("int64"),
    )
    return decided.group_by(["period_index", "district", "channel"]).aggregate(
        decided=decided.count().cast("int64"),
        days_median=decided.days.median(),
        on_time=decided.in_time.sum(),
        at_most_one_visit=decided.one_visit.sum(),
    )


def _share(part: int | None, whole: int | None) -> float | None:
    """A percentage in one place, none of nothing (computed here, not by an engine)."""
    if not whole:
        return None
    return float((Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _coverage(row: dict[str, Any]) -> dict[str, Any]:
    row["coverage"] = _share(row.get("card_holders"), row.get("persons"))
    row["ecard_coverage"] = _share(row.get("ecard_holders"), row.get("persons"))
    return row


def _timeliness(row: dict[str, Any]) -> dict[str, Any]:
    if row.get("days_median") is not None:  # a median of whole days is whole or half a day
        row["days_median"] = float(Decimal(str(row["days_median"])).quantize(Decimal("0.1"), ROUND_HALF_UP))
    row["on_time_share"] = _share(row.get("on_time"), row.get("decided"))
    return row


METRICS: dict[str, Metric] = {
    metric.name: metric
    for metric in (
        Metric(
            "insured-headcount",
            _("Insured persons"),
            _("Persons with an assessed contribution in the month, by the payer's district and industry."),
            ("contributions",),
            ("period", "district", "industry_section"),
            ("insured",),
            insured_headcount,
        ),
        Metric(
            "insured-flows",
            _("New and lost insured"),
            _("Persons insured this month but not the month before (new), and the reverse (lost)."),
            ("contributions",),
            ("period", "district", "industry_section"),
            ("new", "lost"),
            insured_flows,
        ),
        Metric(
            "base-median",
            _("Median contribution base"),
            _("The median declared wage (contribution base, yuan) of the insured."),
            ("contributions",),
            ("period", "district", "industry_section"),
            ("insured", "base_median"),
            base_median,
            _fen_to_yuan,
        ),
        Metric(
            "supply-demand",
            _("Supply and demand of jobs"),
            _(
                "Vacancies open in the month (headcount) against the persons registered unemployed in it, by "
                "district and occupation major group, and the prosperity index: vacancies ÷ seekers."
            ),
            ("vacancies", "seekers", "contributions"),
            ("period", "district", "occupation_group"),
            ("vacancies", "seekers", "index"),
            supply_demand,
            _prosperity,
        ),
        Metric(
            "talent-index",
            _("Talent supply and demand index"),
            _(
                "The same by occupation major group and education: the vacancies asking for an education "
                "against the seekers who have it, and their ratio."
            ),
            ("vacancies", "seekers", "contributions"),
            ("period", "district", "occupation_group", "education_code"),
            ("vacancies", "seekers", "index"),
            talent_index,
            _prosperity,
        ),
        Metric(
            "card-coverage",
            _("Social security card coverage"),
            _(
                "Persons on the registry by residence district, those holding a card in service at the end of the "
                "month and those holding its electronic form, with the shares (%)."
            ),
            ("cards", "persons", "contributions"),
            ("period", "district"),
            ("persons", "card_holders", "ecard_holders", "coverage", "ecard_coverage"),
            card_coverage,
            _coverage,
        ),
        Metric(
            "hall-time",
            _("Service hall time taken"),
            _(
                "Applications decided in the month by district and channel: how many, the median days from "
                "submission to decision, how many were decided by the promised date (%) and how many needed at "
                "most one visit to an office."
            ),
            ("applications",),
            ("period", "district", "channel"),
            ("decided", "days_median", "on_time", "on_time_share", "at_most_one_visit"),
            hall_time,
            _timeliness,
        ),
    )
}


def period_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def period_index(label: str) -> int:
    year, month = label.split("-")
    return int(year) * 12 + int(month) - 1
