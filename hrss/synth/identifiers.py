"""Valid synthetic identifiers in bulk: citizen ID numbers (GB 11643) and credit codes (GB 32100).

Vectorised with numpy; the check characters follow ``docs/domain.md`` §1.1-1.2 and are
tested against the registry's own parsers (``hrss.codes.identifiers``).
"""

from __future__ import annotations

import numpy as np

ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK = np.array(list("10X98765432"))
POWERS_OF_TEN = 10 ** np.arange(16, -1, -1, dtype=np.int64)

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Sequence codes (顺序码) per address code, birth date and sex: odd for men, even for women,
# 499 of each kept (001..997 / 002..998).
SEQUENCE_SLOTS = 499


def birth_ymd(days: np.ndarray) -> np.ndarray:
    """``datetime64[D]`` values as YYYYMMDD integers."""
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    months = days.astype("datetime64[M]")
    month = months.astype(np.int64) % 12 + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return years * 10000 + month * 100 + day


def id_check_characters(bodies: np.ndarray) -> np.ndarray:
    """Check characters (ISO 7064 MOD 11-2) of 17-digit bodies held as int64."""
    digits = (bodies[:, None] // POWERS_OF_TEN[None, :]) % 10
    return ID_CHECK[(digits @ ID_WEIGHTS) % 11]


def id_numbers(address_codes: np.ndarray, ymd: np.ndarray, sequence: np.ndarray) -> list[str]:
    """Full 18-character ID numbers from address codes, YYYYMMDD dates and sequence codes."""
    bodies = address_codes.astype(np.int64) * 10**11 + ymd.astype(np.int64) * 1000 + sequence.astype(np.int64)
    checks = id_check_characters(bodies).tolist()
    return [f"{body:017d}{check}" for body, check in zip(bodies.tolist(), checks, strict=True)]


class SequenceAllocator:
    """Hands out sequence codes so that no two persons share an ID number.

    One counter per (address code, birth date, sex) cell, in a fixed-size array: memory
    does not grow with the number of persons. Persons are served in their generation
    order, so the allocation does not depend on how the work is chunked. Within a cell,
    codes are a per-cell permutation (start and stride derived from the seed), so they
    look scattered, as real ones do.
    """

    def __init__(self, *, codes: int, first_day: np.datetime64, days: int, seed: int) -> None:
        self.first_day = first_day
        self.days = days
        self.codes = codes
        self.counters = np.zeros(codes * days * 2, dtype=np.uint16)
        self.salt = np.uint64((seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) % 2**64)

    def allocate(self, code_index: np.ndarray, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
        day = (birth - self.first_day).astype(np.int64)
        if day.size and (day.min() < 0 or day.max() >= self.days):
            raise ValueError("birth date outside the allocator's range")
        cell = (code_index.astype(np.int64) * self.days + day) * 2 + male.astype(np.int64)
        order = np.argsort(cell, kind="stable")
        sorted_cells = cell[order]
        starts = np.r_[True, sorted_cells[1:] != sorted_cells[:-1]]
        group_start = np.maximum.accumulate(np.where(starts, np.arange(cell.size), 0))
        rank = np.empty(cell.size, dtype=np.int64)
        rank[order] = np.arange(cell.size) - group_start
        taken = self.counters[cell].astype(np.int64) + rank
        if taken.size and taken.max() >= SEQUENCE_SLOTS:
            raise OverflowError("more than 499 persons share an address code, birth date and sex")
        unique_cells, counts = np.unique(cell, return_counts=True)
        self.counters[unique_cells] += counts.astype(np.uint16)
        mixed = (cell.astype(np.uint64) + np.uint64(1)) * self.salt
        mixed ^= mixed >> np.uint64(29)
        start = (mixed % np.uint64(SEQUENCE_SLOTS)).astype(np.int64)
        stride = 1 + ((mixed >> np.uint64(32)) % np.uint64(SEQUENCE_SLOTS - 1)).astype(np.int64)
        slot = (start + taken * stride) % SEQUENCE_SLOTS  # 499 is prime: every stride visits all slots
        return np.where(male, 2 * slot + 1, 2 * slot + 2)


def organisation_check(body8: str) -> str:
    """GB 11714 check character of an organisation code's first eight characters."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def credit_code(authority: str, category: str, district: str, organisation8: str) -> str:
    """A unified social credit code with both check characters."""
    body17 = f"{authority}{category}{district}{organisation8}{organisation_check(organisation8)}"
    total = sum(USCC_VALUE[c] * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return body17 + USCC_CHARSET[(31 - total % 31) % 31]


def organisation_bodies(index: np.ndarray, *, new_style: np.ndarray, seed: int) -> list[str]:
    """Distinct eight-character organisation-code bodies, one per employer index.

    Old codes (before the 2015 reform) are eight digits; new ones are ``MA`` and six
    characters of the credit-code alphabet. Each is an affine permutation of the index,
    so distinct employers never share a code.
    """
    old_space, new_space = 10**8, 31**6
    old_multiplier, new_multiplier = 48_271_007, 387_420_489  # coprime with 10 and with 31
    offset = seed * 7_919
    bodies = []
    for i, new in zip(index.tolist(), new_style.tolist(), strict=True):
        if new:
            value = (i * new_multiplier + offset) % new_space
            chars = []
            for _ in range(6):
                value, digit = divmod(value, 31)
                chars.append(USCC_CHARSET[digit])
            bodies.append("MA" + "".join(reversed(chars)))
        else:
            bodies.append(f"{(i * old_multiplier + offset) % old_space:08d}")
    return bodies
