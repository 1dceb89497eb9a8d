"""Third-party published worked pension examples, reproduced to the cent.

These are NOT official examples. No official (gov.cn) or mainstream-news worked example of
the basic-pension formula was found in the sources available to us; the examples below were
published by third-party websites. Their arithmetic was checked by hand
(basic = C × (1 + Ī) / 2 × N × 1%, account = B / 139 at 60) before being used here, and each
one is cited with its URL, site and date (or "date not recorded" where the stored copy
gave none) in the comment above its parameter and in its id.

The official inputs - Beijing's 计发基数 2024 11,883 (京人社发〔2024〕16号) and 2025 12,049
(京人社发〔2025〕13号) - are tested in ``hrss/insurance/tests/test_rules.py`` (and through the
API in ``hrss/insurance/tests/test_api_estimate.py``), not here.

Each example runs through ``rules.pension_estimate`` and through the public
``POST /api/v1/insurance/pension/estimate`` endpoint (no sign-in). Only the figures an
example publishes are asserted; inputs it does not give are set so that they contribute
nothing (no account balance, or no contribution years).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from hrss.insurance import rules
from hrss.insurance.rules import Age

D = Decimal
URL = "/api/v1/insurance/pension/estimate"
# 国发〔2005〕38号 附件: 计发月数 139 at 60, the divisor every example below retires on.
DIVISOR_AT_SIXTY = {60: D(139)}
ACCRUAL = D("0.01")


@dataclass(frozen=True)
class Example:
    average_wage: Decimal  # C, 计发基数
    average_index: Decimal  # Ī, 平均缴费指数
    contribution_months: int  # N × 12
    account_balance: Decimal  # B, 个人账户储存额
    basic: Decimal | None = None  # published basic pension, if the example gives one
    account: Decimal | None = None  # published account pension, if the example gives one


def basic_only(wage: str, index: str, years: int, basic: str) -> Example:
    return Example(D(wage), D(index), years * 12, D(0), basic=D(basic))


EXAMPLES = [
    # http://tech.jiangsulong.com/a/2019/0228/1551294308_7.html - tech.jiangsulong.com, an
    # aggregator repost dated 2019-02-28 (original publisher unknown). Beijing 2018 base 7706.
    # 7706 × (1 + 1) / 2 × 30 × 1% = 2311.80
    pytest.param(basic_only("7706", "1", 30, "2311.80"), id="jiangsulong.com-2019-02-28-repost-C7706-I1.0-N30"),
    # same source: 7706 × (1 + 0.6) / 2 × 35 × 1% = 2157.68
    pytest.param(basic_only("7706", "0.6", 35, "2157.68"), id="jiangsulong.com-2019-02-28-repost-C7706-I0.6-N35"),
    # https://pic.shebao.southmoney.com/yanglao/yanglaojin/202207/314298_2.html -
    # southmoney.com (南方财富网) social-insurance channel, 2022-07. C = 4000.
    # 4000 × (1 + 0.6) / 2 × 15 × 1% = 480
    pytest.param(basic_only("4000", "0.6", 15, "480.00"), id="southmoney.com-2022-07-C4000-I0.6-N15"),
    # 4000 × (1 + 1.0) / 2 × 15 × 1% = 600
    pytest.param(basic_only("4000", "1.0", 15, "600.00"), id="southmoney.com-2022-07-C4000-I1.0-N15"),
    # 4000 × (1 + 3.0) / 2 × 15 × 1% = 1200
    pytest.param(basic_only("4000", "3.0", 15, "1200.00"), id="southmoney.com-2022-07-C4000-I3.0-N15"),
    # 4000 × (1 + 0.6) / 2 × 40 × 1% = 1280
    pytest.param(basic_only("4000", "0.6", 40, "1280.00"), id="southmoney.com-2022-07-C4000-I0.6-N40"),
    # 4000 × (1 + 1.0) / 2 × 40 × 1% = 1600
    pytest.param(basic_only("4000", "1.0", 40, "1600.00"), id="southmoney.com-2022-07-C4000-I1.0-N40"),
    # 4000 × (1 + 3.0) / 2 × 40 × 1% = 3200
    pytest.param(basic_only("4000", "3.0", 40, "3200.00"), id="southmoney.com-2022-07-C4000-I3.0-N40"),
    # https://www.fudaoke.com/exam/2337555.html - fudaoke.com, date not recorded.
    # 8000 × (1 + 0.6) / 2 × 30 × 1% = 1920
    pytest.param(basic_only("8000", "0.6", 30, "1920.00"), id="fudaoke.com-undated-C8000-I0.6-N30"),
    # https://www.jiusongjiankang.com/health/news/7653070.html - jiusongjiankang.com, date
    # not recorded. Only the account part is published: 86100 / 139 = 619.424... -> 619.42.
    # No contribution years are given, so N = 0 makes the basic part nil (C is then
    # irrelevant; the API only requires it to be positive).
    pytest.param(
        Example(D(1), D(0), 0, D("86100"), account=D("619.42")), id="jiusongjiankang.com-undated-B86100-at-60"
    ),
]


def assert_published(example: Example, basic: Decimal, account: Decimal, total: Decimal) -> None:
    if example.basic is not None:
        assert basic == example.basic
    if example.account is not None:
        assert account == example.account
    assert total == basic + account


@pytest.mark.parametrize("example", EXAMPLES)
def test_published_example_through_the_rules(example):
    result = rules.pension_estimate(
        average_wage=example.average_wage,
        average_index=example.average_index,
        contribution_months=example.contribution_months,
        account_balance=example.account_balance,
        retirement_age=Age(60),
        divisor_table=DIVISOR_AT_SIXTY,
        divisor_decimals=1,
        accrual_rate=ACCRUAL,
    )
    assert result.divisor == D(139)
    assert result.transitional is None
    assert_published(example, result.basic, result.account, result.total)


@pytest.mark.django_db
@pytest.mark.parametrize("example", EXAMPLES)
def test_published_example_through_the_public_api(example):
    response = Client().post(
        URL,
        {
            "average_wage": str(example.average_wage),
            "average_index": str(example.average_index),
            "contribution_months": example.contribution_months,
            "account_balance": str(example.account_balance),
            "retirement_age_years": 60,
            "retirement_age_months": 0,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert D(body["months_divisor"]) == D(139)
    assert body["transitional_pension"] is None
    if example.basic is not None:
        assert body["basic_pension"] == f"{example.basic:.2f}"
    if example.account is not None:
        assert body["account_pension"] == f"{example.account:.2f}"
    assert_published(example, D(body["basic_pension"]), D(body["account_pension"]), D(body["total"]))
