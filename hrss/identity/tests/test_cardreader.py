"""The kiosk's card-reader adapter: the recording reader, the signed HTTP reader, production's refusals."""

from __future__ import annotations

import json

import httpx
import pytest

from hrss.identity import cardreader
from hrss.identity.cardreader import CardRead, HttpCardReader, ReaderUnavailable, production_reader_problems

SECRET = "s" * 40


def test_the_recording_reader_answers_what_was_inserted_and_records_each_read(db):
    reader = cardreader.RecordingCardReader()
    cardreader.reads.clear()
    assert reader.read(terminal="K-1") is None
    card = CardRead(card_number="ABC123456", chip_serial="ATR1")
    cardreader.card_insert(terminal="K-1", card=card)
    assert reader.read(terminal="K-1") == card
    assert reader.read(terminal="K-2") is None  # each terminal has its own slot
    reader.eject(terminal="K-1")
    assert reader.read(terminal="K-1") is None
    assert [terminal for terminal, _card in cardreader.reads] == ["K-1", "K-1", "K-2", "K-1"]


def test_the_http_reader_signs_its_requests_and_reads_the_agents_answer():
    seen: list[httpx.Request] = []

    def agent(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/eject"):
            return httpx.Response(204)
        card = CardRead(card_number="ABC123456", chip_serial="ATR9", social_security_number="11010519491231002X")
        return httpx.Response(200, content=cardreader.answer_json(card))

    reader = HttpCardReader(
        url="https://k-1.kiosk.example/reader/", secret=SECRET, transport=httpx.MockTransport(agent)
    )
    card = reader.read(terminal="K-1")
    assert card is not None and card.card_number == "ABC123456" and card.chip_serial == "ATR9"
    reader.eject(terminal="K-1")
    read, eject = seen
    assert str(read.url) == "https://k-1.kiosk.example/reader/terminals/K-1/card" and eject.method == "POST"
    timestamp = read.headers[cardreader.TIMESTAMP_HEADER]
    expected = cardreader.sign(SECRET, timestamp, b"GET /terminals/K-1/card")
    assert read.headers[cardreader.SIGNATURE_HEADER] == expected


def test_the_http_reader_reports_an_empty_slot_and_failures():
    empty = HttpCardReader(
        url="https://k.example", secret=SECRET, transport=httpx.MockTransport(lambda r: httpx.Response(200, json={}))
    )
    assert empty.read(terminal="K-1") is None
    for answer in (
        httpx.Response(500),
        httpx.Response(200, content=b"not json"),
        httpx.Response(200, content=json.dumps({"present": True}).encode()),  # no card number
        httpx.Response(200, content=b"[1]"),
    ):
        broken = HttpCardReader(
            url="https://k.example", secret=SECRET, transport=httpx.MockTransport(lambda r, a=answer: a)
        )
        with pytest.raises(ReaderUnavailable):
            broken.read(terminal="K-1")
    with pytest.raises(ReaderUnavailable):
        HttpCardReader(url="https://k.example", secret=SECRET).read(terminal="../../etc")
    with pytest.raises(ReaderUnavailable):
        HttpCardReader(url="", secret=SECRET).read(terminal="K-1")


def test_production_refuses_the_recording_reader_and_weak_http_readers():
    assert production_reader_problems("", "", "") == []  # no reader at all is allowed
    assert "recording card reader" in production_reader_problems(cardreader.DEFAULT_BACKEND, "", "")[0]
    weak = production_reader_problems("hrss.identity.cardreader.HttpCardReader", "http://k.example", "dev-short")
    assert len(weak) == 2
    assert production_reader_problems("hrss.identity.cardreader.HttpCardReader", "https://k.example", SECRET) == []
