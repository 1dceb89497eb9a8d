"""The generator-step interface of ``hrss synth`` and the registry that orders the steps.

A *step* generates the rows of one domain (employers, persons, employments; later
contributions, claims, vacancies, cases...) and loads them in bulk. Steps name the steps
they need; ``hrss synth`` runs them in dependency order inside one transaction, so a run
lands whole or not at all.

Writing a step (see ``hrss/synth/generators/`` for the first three)::

    @register
    class ContributionsStep(Step):
        name = "contributions"
        label = "Monthly contributions"
        requires = ("employments",)

        def total(self, ctx: SynthContext) -> int:
            return ctx.params.persons            # units of work, for the progress bar

        def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
            with ctx.loader.copy(Contribution, COLUMNS) as write:
                for block in ctx.blocks(ctx.params.persons):
                    rng = ctx.rng(self.name, block.index)
                    ...                          # vectorised: numpy arrays for the block
                    write(rows)                  # a list of tuples in COLUMNS order
                    advance(block.size)
            return {"insurance.contribution": count}

Rules a step keeps:

- **Reproducible.** All randomness comes from ``ctx.rng(step, block, stream)``: one
  independent stream per step, per block of ``BLOCK_SIZE`` units and per purpose. Same
  seed and parameters give the same rows, whatever the loading batch size. Whole blocks
  are a prefix: the first 8,192 persons of a 20,000-person city are those of a
  10,000-person city with the same seed.
- **Streamed.** Generate a block, write it, drop it. Memory must not grow with the
  number of persons (tables sized by employers or by code tables are fine).
- **Pure where others need you.** A later step that needs an earlier step's attributes
  (the employment step needs each person's birth date, sex, district) regenerates them
  from the same seed (``generators.persons.person_core``) or reads them with set-based SQL;
  it never loads millions of ORM objects.
- **Set-based loading.** Write through ``ctx.loader`` (PostgreSQL ``COPY``, batched
  inserts on SQLite), never ``Model.save()`` per row.
- **Valid.** Every row passes the owning app's own validation (identifiers, code tables,
  constraints); each step has a test that says so.

Where steps live: a domain app keeps its steps in ``hrss/<app>/synth.py`` and imports that
module from its ``AppConfig.ready()`` when ``hrss.synth`` is installed (``hrss.card`` and
``hrss.insurance`` do), so the generator ships with the app it feeds. Steps of the shared
kernel live in ``hrss/synth/generators/``, whose modules ``SynthConfig.ready()`` imports. ``hrss synth --list-steps`` shows the order; ``--steps a,b`` runs a subset
with what it requires.

Step-to-step contract: ``ctx.shared`` for small tables, the pure block functions for
everything per person (``person_core``, ``employer_table``), the database for anything a
set-based query reads more cheaply than Python regenerates it.
"""

from __future__ import annotations

import datetime as dt
import graphlib
import importlib
import pkgutil
import zlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

if TYPE_CHECKING:
    from hrss.synth.loading import BulkLoader

# The unit of randomness: a step draws one random stream per block of this many units.
# Fixed (not a tuning knob): changing it changes the generated city.
BLOCK_SIZE = 8192

Advance = Callable[[int], None]


class SynthError(Exception):
    """A synthetic-city run cannot proceed (bad parameters, unknown step, cycle...)."""


@dataclass(frozen=True)
class SynthParams:
    persons: int
    employers: int
    months: int
    seed: int
    as_of: dt.date

    def __post_init__(self) -> None:
        if self.persons < 0 or self.employers < 0:
            raise SynthError("persons and employers cannot be negative")
        if self.persons and not self.employers:
            raise SynthError("a city with persons needs at least one employer")
        if not 1 <= self.months <= 600:
            raise SynthError("months is between 1 and 600")

    @property
    def window_start(self) -> dt.date:
        """First day of the ``months``-month history that ends on ``as_of``."""
        month_index = self.as_of.year * 12 + self.as_of.month - 1 - (self.months - 1)
        return dt.date(month_index // 12, month_index % 12 + 1, 1)


@dataclass(frozen=True)
class Block:
    index: int
    start: int
    stop: int

    @property
    def size(self) -> int:
        return self.stop - self.start


@dataclass
class SynthContext:
    params: SynthParams
    loader: BulkLoader
    now: dt.datetime  # stamps created_at/updated_at of every row
    # Small lookup tables a step leaves for later ones (e.g. the employer table).
    shared: dict[str, Any] = field(default_factory=dict)
    # Ground truth a step planted (e.g. which employers it made distressed), never written to
    # a table: later steps may read it, and the run's report returns it for tests to score against.
    labels: dict[str, Any] = field(default_factory=dict)

    def rng(self, step: str, block: int, stream: int = 0) -> np.random.Generator:
        """The random stream of one step, block and purpose: independent of all others."""
        sequence = np.random.SeedSequence(
            entropy=self.params.seed, spawn_key=(zlib.crc32(step.encode()), block, stream)
        )
        return np.random.Generator(np.random.PCG64(sequence))

    def blocks(self, count: int) -> Iterator[Block]:
        for index, start in enumerate(range(0, count, BLOCK_SIZE)):
            yield Block(index, start, min(count, start + BLOCK_SIZE))

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self.shared:
            self.shared[key] = build()
        return self.shared[key]


class Step(ABC):
    name: ClassVar[str]
    label: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def total(self, ctx: SynthContext) -> int:
        """Units of work (for the progress bar), known before the step runs."""

    @abstractmethod
    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        """Generate and load; call ``advance(units)`` as work is done; return rows per table."""


_STEPS: dict[str, type[Step]] = {}


def register(step: type[Step]) -> type[Step]:
    """Class decorator: make a step known to ``hrss synth``."""
    existing = _STEPS.get(step.name)
    if existing is not None and existing is not step and existing.__qualname__ != step.__qualname__:
        raise SynthError(f"two synth steps are named {step.name!r}")
    _STEPS[step.name] = step
    return step


def steps_discover() -> None:
    """Import the shared kernel's generator modules (their steps register); ``SynthConfig.ready()`` calls it."""
    from hrss.synth import generators

    for module in pkgutil.iter_modules(generators.__path__):
        importlib.import_module(f"{generators.__name__}.{module.name}")


def registered_steps() -> dict[str, type[Step]]:
    return dict(_STEPS)


def step_order(selected: Iterable[str] | None = None) -> list[Step]:
    """The steps to run, dependencies first; ``selected`` pulls in what it requires."""
    steps = registered_steps()
    wanted = set(selected) if selected is not None else set(steps)
    unknown = wanted - set(steps)
    if unknown:
        raise SynthError(f"unknown synth step(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(steps))}")
    pending, closure = list(wanted), set()
    while pending:
        name = pending.pop()
        if name in closure:
            continue
        closure.add(name)
        for needed in steps[name].requires:
            if needed not in steps:
                raise SynthError(f"synth step {name!r} requires unknown step {needed!r}")
            pending.append(needed)
    sorter = graphlib.TopologicalSorter({name: steps[name].requires for name in sorted(closure)})
    try:
        order = list(sorter.static_order())
    except graphlib.CycleError as error:
        raise SynthError(f"synth steps depend on each other in a cycle: {error.args[1]}") from None
    return [steps[name]() for name in order]
