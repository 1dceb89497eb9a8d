"""The examination's rules as pure functions: drawing a paper, eligibility, seating with
separation, objective scoring, double-blind marking with a third marker, and ranks."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

OPTION_LETTERS = "ABCD"
BLANK = "0"
ONE_DECIMAL = Decimal("0.1")


class BlueprintError(ValueError):
    """The bank does not hold enough questions for a line of the blueprint."""

    def __init__(self, line: Mapping[str, object], available: int) -> None:
        self.line = dict(line)
        self.available = available
        super().__init__(f"{line}: {available} available")


def answer_mask(letters: str) -> str:
    """The options marked (``"AC"``) as one hex digit (``"5"``); blank is ``"0"``."""
    mask = 0
    for letter in letters.strip().upper():
        if letter not in OPTION_LETTERS:
            raise ValueError(letter)
        mask |= 1 << OPTION_LETTERS.index(letter)
    return format(mask, "X")


def mask_letters(mask: str) -> str:
    value = int(mask, 16)
    return "".join(letter for i, letter in enumerate(OPTION_LETTERS) if value & (1 << i))


def blueprint_key(line: Mapping[str, object]) -> tuple[str, str, int]:
    return (str(line["kind"]), str(line["tag"]), int(str(line["difficulty"])))


def draw_paper(
    *, seed: int, blueprint: Sequence[Mapping[str, object]], pool: Mapping[tuple[str, str, int], Sequence[str]]
) -> list[str]:
    """Question ids for each blueprint line in order, drawn at random without repeats; the
    same seed, blueprint and bank give the same paper (ids are sorted before drawing)."""
    rng = random.Random(seed)
    taken: set[str] = set()
    paper: list[str] = []
    for line in blueprint:
        candidates = sorted(set(pool.get(blueprint_key(line), ())) - taken)
        count = int(str(line["count"]))
        if len(candidates) < count:
            raise BlueprintError(line, len(candidates))
        drawn = rng.sample(candidates, count)
        taken.update(drawn)
        paper.extend(drawn)
    return paper


def paper_digest(seed: int, items: Sequence[tuple[str, str, str, str]]) -> str:
    """SHA-256 over the seed and each question's (id, stem, options, key) in order: the seal."""
    payload = json.dumps([seed, [list(item) for item in items]], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def eligibility(
    *,
    birth: dt.date,
    on: dt.date,
    alive: bool,
    district: str,
    min_age: int,
    max_age: int,
    districts: Sequence[str],
    certificate_required: bool,
    certificate_valid: bool | None,
    certificate_detail: str = "",
) -> list[Check]:
    """The checks of a registration against the registry and certificates, each named (the
    certificate's with what the check found: its title, or why it does not count)."""
    age = age_on(birth, on)
    checks = [
        Check("registry", alive, ""),
        Check("age", min_age <= age <= max_age, f"{age} ({min_age}-{max_age})"),
    ]
    if districts:
        checks.append(Check("household", district in districts, district))
    if certificate_required:
        checks.append(Check("certificate", bool(certificate_valid), certificate_detail))
    return checks


# The office's steps of an exam, in the order they are taken.
STEPS = ("open", "paper", "close", "seats", "score", "publish")


def next_steps(status: str, *, sealed: bool) -> tuple[str, ...]:
    """The steps an exam in this status can take now (what the office is offered): the paper
    can be drawn and sealed until the exam is scored, once; seats need registration closed;
    scoring a seated exam needs its sealed paper and may be repeated until publication."""
    paper = () if sealed else ("paper",)
    by_status: dict[str, tuple[str, ...]] = {
        "draft": ("open", *paper),
        "open": (*paper, "close"),
        "closed": (*paper, "seats"),
        "seated": paper or ("score",),
        "scored": ("score", "publish"),
    }
    return by_status.get(status, ())


def score_text(value: Decimal | int | float | str | None) -> str:
    """A score as candidates and the office see it everywhere: always one decimal (50.0)."""
    if value is None or value == "":
        return ""
    return str(Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def seat_order(candidates: Iterable[tuple[str, str]]) -> list[str]:
    """Registration ids in seating order so that candidates of one post sit apart: posts take
    turns, the largest first (a post larger than all the others together cannot be
    separated fully; its candidates then fill the end)."""
    by_post: dict[str, deque[str]] = defaultdict(deque)
    for registration, post in sorted(candidates):
        by_post[post].append(registration)
    queues = sorted(by_post.values(), key=len, reverse=True)
    order: list[str] = []
    while queues:
        for queue in queues:
            order.append(queue.popleft())
        queues = [queue for queue in queues if queue]
    return order


def allocate(order: Sequence[str], rooms: Sequence[tuple[str, int]]) -> list[tuple[str, str, int]]:
    """(registration, room, seat number) filling the rooms in order; fails when they are too few."""
    capacity = sum(size for _room, size in rooms)
    if capacity < len(order):
        raise ValueError(f"{len(order)} candidates, {capacity} seats")
    seats: list[tuple[str, str, int]] = []
    position = 0
    for room, size in rooms:
        for number in range(1, size + 1):
            if position == len(order):
                return seats
            seats.append((order[position], room, number))
            position += 1
    return seats


def ticket_number(exam_code: str, sequence: int) -> str:
    return f"{exam_code}{sequence:06d}"


def objective_scores(*, key: str, points: Sequence[Decimal], sheets: Sequence[str]) -> np.ndarray:
    """Each sheet's objective score in tenths of a point: a question scores its points when
    the options marked are exactly the key's. Vectorised over all sheets at once."""
    width = len(key)
    if width == 0 or not sheets:
        return np.zeros(len(sheets), dtype=np.int64)
    padded = "".join(sheet[:width].ljust(width, BLANK) for sheet in sheets).encode("ascii")
    marks = np.frombuffer(padded, dtype=np.uint8).reshape(len(sheets), width)
    right = marks == np.frombuffer(key.encode("ascii"), dtype=np.uint8)
    tenths = np.array([int(point * 10) for point in points], dtype=np.int64)
    return right.astype(np.int64) @ tenths


def competition_ranks(groups: Sequence[str], totals: Sequence[int]) -> list[int]:
    """Rank within each group by total, highest first; equal totals share a rank (1, 2, 2, 4)."""
    ranks = [0] * len(totals)
    order = sorted(range(len(totals)), key=lambda i: (groups[i], -totals[i]))
    previous_group, previous_total, rank = None, None, 0
    for place, i in enumerate(order):
        if groups[i] != previous_group:
            previous_group, previous_total, start = groups[i], None, place
        if totals[i] != previous_total:
            rank = place - start + 1
            previous_total = totals[i]
        ranks[i] = rank
    return ranks


def needs_third(first: Decimal, second: Decimal, threshold: Decimal) -> bool:
    return abs(first - second) > threshold


def double_marked(first: Decimal, second: Decimal) -> Decimal:
    return ((first + second) / 2).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def third_marked(first: Decimal, second: Decimal, third: Decimal) -> Decimal:
    """The third marker resolves: the mean of the third score and the nearer of the first two
    (the nearer the higher on a tie)."""
    nearer = min((first, second), key=lambda score: (abs(score - third), -score))
    return double_marked(nearer, third)
