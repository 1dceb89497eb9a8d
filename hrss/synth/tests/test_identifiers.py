import datetime as dt

import numpy as np
import pytest
from stdnum.cn import ric, uscc

from hrss.codes.identifiers import parse_credit_code, parse_id_number
from hrss.synth.identifiers import (
    SEQUENCE_SLOTS,
    SequenceAllocator,
    birth_ymd,
    credit_code,
    id_check_characters,
    id_numbers,
    organisation_bodies,
    organisation_check,
)


def test_check_characters_match_stdnum():
    rng = np.random.default_rng(1)
    bodies = rng.integers(10**16, 10**17, size=2000, dtype=np.int64)
    expected = [ric.calc_check_digit(f"{b:017d}0") for b in bodies.tolist()]
    assert id_check_characters(bodies).tolist() == expected


def test_birth_ymd_and_full_numbers_parse():
    days = np.array(["1949-10-01", "2000-02-29", "2026-06-30"], dtype="datetime64[D]")
    assert birth_ymd(days).tolist() == [19491001, 20000229, 20260630]
    numbers = id_numbers(np.array([120101, 120116, 120225]), birth_ymd(days), np.array([1, 2, 997]))
    parsed = [parse_id_number(n) for n in numbers]
    assert [p.birth_date for p in parsed] == [dt.date(1949, 10, 1), dt.date(2000, 2, 29), dt.date(2026, 6, 30)]
    assert [p.sex for p in parsed] == ["M", "F", "M"]


def test_sequence_allocator_never_repeats_and_ignores_chunking():
    first_day = np.datetime64("1990-01-01")
    rng = np.random.default_rng(7)
    n = 6000
    codes = rng.integers(0, 2, n)
    birth = first_day + rng.integers(0, 8, n).astype("timedelta64[D]")  # crowded cells
    male = rng.random(n) < 0.5

    def allocate(chunk: int) -> np.ndarray:
        allocator = SequenceAllocator(codes=2, first_day=first_day, days=10, seed=3)
        return np.concatenate(
            [
                allocator.allocate(codes[i : i + chunk], birth[i : i + chunk], male[i : i + chunk])
                for i in range(0, n, chunk)
            ]
        )

    whole, pieces = allocate(n), allocate(137)
    assert np.array_equal(whole, pieces)
    keys = set(zip(codes.tolist(), birth.astype(np.int64).tolist(), whole.tolist(), strict=True))
    assert len(keys) == n  # no two persons share code, date and sequence
    assert np.all(whole % 2 == np.where(male, 1, 0)) and whole.min() >= 1 and whole.max() <= 998


def test_sequence_allocator_refuses_overflow():
    allocator = SequenceAllocator(codes=1, first_day=np.datetime64("2000-01-01"), days=1, seed=1)
    one_cell = (np.zeros(SEQUENCE_SLOTS + 1, dtype=np.int64), np.full(SEQUENCE_SLOTS + 1, np.datetime64("2000-01-01")))
    with pytest.raises(OverflowError):
        allocator.allocate(*one_cell, np.ones(SEQUENCE_SLOTS + 1, dtype=bool))


def test_credit_codes_pass_the_registry_and_stdnum():
    index = np.arange(5000)
    new_style = index % 2 == 0
    bodies = organisation_bodies(index, new_style=new_style, seed=11)
    assert len(set(bodies)) == len(bodies)
    assert all(b.startswith("MA") for b in bodies[::2]) and all(b.isdigit() for b in bodies[1::2])
    codes = [credit_code("9", "1", "120116", body) for body in bodies[:500]] + [
        credit_code("1", "2", "120107", body) for body in bodies[500:1000]
    ]
    for code in codes:
        assert uscc.is_valid(code)
        assert parse_credit_code(code).organisation_code[-1] == organisation_check(code[8:16])


def test_organisation_check_known_code():
    # 91110000600037341L: a published credit code (its organisation code is 60003734-1)
    assert organisation_check("60003734") == "1"
