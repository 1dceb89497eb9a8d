"""The doctor on a claim (the institution's practitioner code, optional on the settlement API)
and the screen's per-doctor and per-person profiles: a planted outlier flagged and explained by
its features, as the institution screen does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from hrss.medical import outliers, schemas, screening, services
from hrss.medical.api import _visit
from hrss.medical.tests.builders import BILL, HOSPITAL, PIN, hospital_scope, insured, lines

T = screening.Thresholds()
DRUGS = {"J01CA04", "C10AA05"}
DAY = dt.date(2026, 5, 4)


def row(claim: str, doctor: str, person: str, *, institution: str = "i1", code: str = "110200001", amount=30.0):
    return (claim, f"T-{claim}", institution, "120101", "120100", person, "F", "1970-01-01", None,
            DAY.isoformat(), "outpatient", amount * 0.7, amount, code, "A", 1.0, amount, doctor)  # fmt: skip


def city(extra: list[tuple]) -> list[tuple]:
    """Forty doctors at four institutions, ten claims each, two lines a claim; plus ``extra``."""
    rng = np.random.default_rng(5)
    rows = []
    for d in range(40):
        for c in range(10):
            claim, person = f"c{d}-{c}", f"p{d}-{int(rng.integers(6))}"
            institution = f"i{d % 4}"
            rows.append(row(claim, f"D{d:03d}", person, institution=institution, amount=float(rng.uniform(20, 40))))
            rows.append(row(claim, f"D{d:03d}", person, institution=institution, code="J01CA04", amount=10.0))
    return rows + extra


def test_a_doctor_padding_bills_is_flagged_and_explained():
    padded = [
        row(f"x{c}", "D999", f"q{c}", code=code, amount=400.0)
        for c in range(10)
        for code in ("110200001", "210300001", "220600001", "250101001", "HC-031", "ZC-MR-001")
    ]
    lines_frame = screening._with_line_fund(screening.lines_frame(city(padded)))
    features = outliers.doctor_features(lines_frame, DRUGS, min_claims=5)
    findings, info = outliers.outlier_doctors(features, T, "2026-05")
    assert info["subjects"] == 41
    (finding,) = [f for f in findings if f.subject == "i1|D999"]
    assert finding.rule == "outlier_doctor" and finding.institution_id == "i1" and finding.score
    explained = {e["feature"] for e in finding.figures["explanation"]}
    assert "lines_per_claim" in explained and finding.figures["doctor"] == "D999"
    # claims without a doctor, and doctors below the minimum, are not profiled
    unnamed = screening.lines_frame([r[:-1] for r in city([])])  # rows without the trailing column
    assert outliers.doctor_features(screening._with_line_fund(unnamed), DRUGS).is_empty()
    assert len(outliers.doctor_features(lines_frame, DRUGS, min_claims=11)) == 0


def test_a_person_shopping_for_drugs_is_flagged_under_their_main_institution():
    shopping = [
        row(f"s{c}", "", "shopper", institution=f"i{c % 4}", code="J01CA04", amount=80.0 if c else 500.0)
        for c in range(40)
    ]
    lines_frame = screening._with_line_fund(screening.lines_frame(city(shopping)))
    findings, _info = outliers.outlier_persons(outliers.person_features(lines_frame, DRUGS), T, "2026-05")
    (finding,) = [f for f in findings if f.subject == "shopper"]
    assert finding.person_id == "shopper" and finding.institution_id == "i0"  # the largest fund share
    assert {e["feature"] for e in finding.figures["explanation"]} <= set(outliers.PERSON_FEATURES)


def test_the_settlement_api_takes_a_doctor_code_with_an_example():
    example: dict[str, Any] = schemas.MedicalSettleIn.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index,assignment]
    payload = schemas.MedicalSettleIn(**example)
    assert payload.doctor and _visit(payload).doctor == payload.doctor
    assert schemas.MedicalSettleIn(**{**example, "doctor": ""}).doctor == ""


@pytest.mark.django_db
def test_the_doctor_is_stored_with_the_claim_and_its_corrections(tmp_path):
    _person, card = insured(tmp_path)
    visit = services.Visit(pooling="outpatient", lines=lines(*BILL), use_account=False, doctor=" D120101000123 ")
    scope = hospital_scope(HOSPITAL)
    claim = services.claim_settle(
        scope=scope, transaction_id="DR-1", card_number=card.number, card_pin=PIN, visit=visit
    )
    assert claim.doctor == "D120101000123"
    again = services.claim_settle(
        scope=scope, transaction_id="DR-1", card_number=card.number, card_pin=PIN, visit=visit
    )
    assert again.pk == claim.pk  # a retry answers the first
    reversal = services.claim_reverse(scope=scope, transaction_id="DR-1-R", original_transaction_id="DR-1")
    assert reversal.doctor == "D120101000123"
