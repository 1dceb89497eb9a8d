"""Employment spells over the last ``months`` months: starts, job changes, ends, wages.

For each block of persons the step regenerates their core attributes (``person_core``)
and draws their working lives in the window: one spell that was running when the window
opened (or starts when the person enters work), then job changes after a short search,
until the window closes, the person retires or dies. Wages are log-normal by industry,
with returns to age and education, never below the minimum wage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hrss.codes import selectors as codes
from hrss.registry.models import Employment, Source
from hrss.synth import reference
from hrss.synth.generators.employers import EmployerTable, employer_table
from hrss.synth.generators.persons import DAYS_PER_YEAR, person_core, uuid4_hex
from hrss.synth.steps import Advance, Step, SynthContext, register

STEP = "employments"
EMPLOYED_SHARE = {"local": 0.72, "migrant": 0.85}  # of people of working age in the window
WORK_START_AGE = {"11": 28, "14": 25, "21": 22, "31": 21}  # by education code; otherwise 18
RETIREMENT_AGE = {"M": 60, "F": 55}  # statutory ages before the 2025 reform
TENURE_BEFORE_WINDOW_YEARS = 6.0  # mean, exponential
SPELL_YEARS = 5.0  # mean spell length: about 18 % of workers change jobs in a year
SEARCH_DAYS = (7, 75)  # minimum and mean extra days between two jobs
LOCAL_EMPLOYER = 0.6  # share of spells with an employer in the person's own district
MAX_SPELLS = 12
WAGE_GROWTH = 0.05  # a year: wages of earlier years are deflated by it
AGE_WAGE = (0.035, -0.0006)  # log-wage gain per year of age over 20, and its curvature

COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "person_id",
    "employer_id",
    "start_date",
    "end_date",
    "occupation_id",
    "monthly_wage",
    "source",
)


@dataclass(frozen=True)
class _EmployerPicker:
    table: EmployerTable
    cumulative: np.ndarray
    by_district: list[tuple[np.ndarray, np.ndarray]]

    @classmethod
    def build(cls, table: EmployerTable) -> _EmployerPicker:
        def cdf(weights: np.ndarray) -> np.ndarray:
            cumulative = np.cumsum(weights)
            return cumulative / cumulative[-1]

        by_district = []
        for d in range(len(reference.districts().codes)):
            members = np.flatnonzero(table.district == d)
            by_district.append((members, cdf(table.weight[members]) if members.size else np.empty(0)))
        return cls(table, cdf(table.weight), by_district)

    def pick(self, rng: np.random.Generator, district: np.ndarray) -> np.ndarray:
        n = district.size
        chosen = np.minimum(np.searchsorted(self.cumulative, rng.random(n), side="right"), self.table.size - 1)
        local = rng.random(n) < LOCAL_EMPLOYER
        draws = rng.random(n)
        for d, (members, cumulative) in enumerate(self.by_district):
            mask = local & (district == d)
            if members.size and mask.any():
                at = np.minimum(np.searchsorted(cumulative, draws[mask], side="right"), members.size - 1)
                chosen[mask] = members[at]
        return chosen


def _minimum_wage(ctx: SynthContext) -> float:
    try:
        return float(codes.parameter_value("minimum_wage.monthly", on=ctx.params.as_of))
    except codes.ParameterMissing:
        return 0.0


def _years(days: np.ndarray) -> np.ndarray:
    return np.floor(days * DAYS_PER_YEAR).astype("timedelta64[D]")


@register
class EmploymentsStep(Step):
    name = STEP
    label = "Employment spells"
    requires = ("persons", "employers")

    def total(self, ctx: SynthContext) -> int:
        return ctx.params.persons

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        params = ctx.params
        picker = _EmployerPicker.build(employer_table(ctx)) if params.employers else None
        profile = reference.industries()
        schooling = reference.education()
        window_start = np.datetime64(params.window_start, "D")
        as_of = np.datetime64(params.as_of, "D")
        minimum_wage = _minimum_wage(ctx)
        start_age = np.array([WORK_START_AGE.get(code, 18) for code in schooling.codes] + [18], dtype=np.float64)
        premium = np.r_[schooling.wage_premium, 0.0]
        occupation_cdfs = [np.cumsum(p) for _codes, p in profile.occupations]
        occupation_codes = [np.array(c, dtype=object) for c, _p in profile.occupations]
        stamp = ctx.loader.timestamp(ctx.now)
        source = Source.SYNTHETIC.value
        written = 0
        with ctx.loader.copy(Employment, COLUMNS) as write:
            for block in ctx.blocks(params.persons):
                core = person_core(ctx, block)
                if picker is None:
                    advance(block.size)
                    continue
                rng = ctx.rng(STEP, block.index)
                n = core.size
                migrant = core.household < 0
                entry = core.birth + _years(start_age[core.education])
                retire = core.birth + _years(
                    np.where(core.male, RETIREMENT_AGE["M"], RETIREMENT_AGE["F"]).astype(float)
                )
                stop = np.minimum(retire, as_of)
                stop = np.where(np.isnat(core.death), stop, np.minimum(stop, core.death))
                share = np.where(migrant, EMPLOYED_SHARE["migrant"], EMPLOYED_SHARE["local"])
                works = (entry <= stop) & (stop >= window_start) & (rng.random(n) < share)

                person = np.flatnonzero(works)
                tenure = _years(rng.exponential(TENURE_BEFORE_WINDOW_YEARS, person.size))
                start = np.maximum(entry[person], window_start - tenure)
                previous = np.full(person.size, -1)
                spells: list[tuple[np.ndarray, ...]] = []
                for _round in range(MAX_SPELLS):
                    if not person.size:
                        break
                    employer = picker.pick(rng, core.residence[person])
                    again = employer == previous
                    employer[again] = picker.pick(rng, core.residence[person[again]])
                    length = _years(rng.exponential(SPELL_YEARS, person.size))
                    end = np.maximum(start, window_start) + length
                    start_here = np.maximum(start, picker.table.founded[employer])
                    closes = end >= stop[person]
                    end = np.minimum(end, stop[person])
                    open_ended = closes & (stop[person] >= as_of)
                    keep = start_here <= end
                    spells.append((person[keep], employer[keep], start_here[keep], end[keep], open_ended[keep]))
                    gap = SEARCH_DAYS[0] + rng.exponential(SEARCH_DAYS[1], person.size).astype(np.int64)
                    following = ~closes & (end + gap.astype("timedelta64[D]") <= stop[person])
                    start = (end + gap.astype("timedelta64[D]"))[following]
                    previous = employer[following]
                    person = person[following]

                if not spells:
                    advance(block.size)
                    continue
                who, employer, start, end, open_ended = (np.concatenate(parts) for parts in zip(*spells, strict=True))
                order = np.lexsort((start, who))
                who, employer, start, end, open_ended = (
                    who[order],
                    employer[order],
                    start[order],
                    end[order],
                    open_ended[order],
                )
                section = picker.table.section[employer]
                k = who.size
                occupation = np.empty(k, dtype=object)
                draws = rng.random(k)
                for s in np.unique(section):
                    mask = section == s
                    at = np.minimum(
                        np.searchsorted(occupation_cdfs[s], draws[mask], side="right"), len(occupation_codes[s]) - 1
                    )
                    occupation[mask] = occupation_codes[s][at]
                age = (start - core.birth[who]).astype(np.int64) / DAYS_PER_YEAR
                years_back = (as_of - start).astype(np.int64) / DAYS_PER_YEAR
                log_wage = (
                    np.log(profile.median_wage[section])
                    + premium[core.education[who]]
                    + AGE_WAGE[0] * (age - 20)
                    + AGE_WAGE[1] * (age - 20) ** 2
                    - WAGE_GROWTH * years_back
                    + rng.normal(0.0, 1.0, k) * profile.wage_sigma[section]
                )
                floor = minimum_wage * np.exp(-WAGE_GROWTH * years_back)
                wage = np.maximum(np.round(np.exp(log_wage)), np.ceil(floor))
                ids = uuid4_hex(rng, k)
                starts = np.datetime_as_string(start, unit="D").tolist()
                ends = np.datetime_as_string(end, unit="D").tolist()
                person_ids = [core.uuid_hex[i] for i in who.tolist()]
                employer_ids = [picker.table.uuid_hex[e] for e in employer.tolist()]
                rows = [
                    (
                        ids[i],
                        stamp,
                        stamp,
                        person_ids[i],
                        employer_ids[i],
                        starts[i],
                        None if open_ended[i] else ends[i],
                        occupation[i],
                        f"{wage[i]:.2f}",
                        source,
                    )
                    for i in range(k)
                ]
                write(rows)
                written += k
                advance(block.size)
        return {Employment._meta.db_table: written}
