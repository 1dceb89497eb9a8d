"""The authorisation matrix (X1) as data: every API operation and every page, with the
request aimed at one object (owned by citizen A, in district 120101, of employer E1) and
the answer each role must get.

Expected answers:

- ``2xx``: served.
- ``ok``: the right caller, not refused — 2xx, or a 4xx other than 401/403/404 where real
  success needs state the shared world does not have (a second card while one is active,
  an already enrolled employee...). Used only where said in a comment.
- ``401`` / ``403`` / ``404`` / ``405``: refused so. ``404`` where an object outside the
  caller's scope must look exactly like one that does not exist.
- ``login`` / ``otp``: a page redirects to the sign-in page / to the second factor.
- ``3xx``: a page redirects elsewhere (after a form post).
- ``3xx=``: a page redirects after refusing (the action told no one anything and changed nothing).
- a tuple: any of these.
- ``409`` / ``422`` alone: refused with the reason shown on the page (a refusal like the others).

Every refusal (401, 403, 404, 405, login, otp, 3xx=) is also checked to have changed nothing
(see ``World.fingerprint``), and no answer to a role may carry the ID number, name or phone
of a person outside that role's scope in clear (``World.forbidden_markers``) unless the
entry says why (``leak_ok``) or the caller sent that value itself (a page may echo its input).

A new API operation or page without an entry here fails ``test_authz_matrix``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from tests.reliability.authz_world import (
    ADMINISTRATOR,
    AGENCY_ALL,
    AGENCY_NONE,
    AGENT_E1,
    ANONYMOUS,
    CITIZEN_A,
    CITIZEN_B,
    CLERK_120101,
    CLERK_120103,
    CLERK_NO_2FA,
    PNG,
    REVIEWER,
    ROLES,
    World,
    upload,
)

Expect = dict[str, str | tuple[str, ...]]
Builder = Callable[[World], Any]

# Short names for the roles, as keyword arguments of the helpers below.
_ALIASES = {
    "anon": ANONYMOUS,
    "a": CITIZEN_A,
    "b": CITIZEN_B,
    "agent": AGENT_E1,
    "c1": CLERK_120101,
    "no2fa": CLERK_NO_2FA,
    "c3": CLERK_120103,
    "rv": REVIEWER,
    "ad": ADMINISTRATOR,
    "agy": AGENCY_ALL,
    "agn": AGENCY_NONE,
}
STAFF = ("c1", "c3", "rv", "ad")
CITIZENS = ("a", "b")


def _roles(default: str | tuple[str, ...], fixed: dict[str, Any], overrides: dict[str, Any]) -> Expect:
    expect: Expect = dict.fromkeys(ROLES, default)
    for alias, value in {**fixed, **overrides}.items():
        expect[_ALIASES[alias]] = value
    return expect


def api(default: str | tuple[str, ...] = "403", **overrides: Any) -> Expect:
    """An operation behind sign-in: anonymous callers and a staff session without its second
    factor get 401 whatever the operation."""
    return _roles(default, {"anon": "401", "no2fa": "401"}, overrides)


def public(default: str | tuple[str, ...] = "2xx", **overrides: Any) -> Expect:
    return _roles(default, {}, overrides)


def page(default: str | tuple[str, ...], *, anon: str | tuple[str, ...] = "login", **overrides: Any) -> Expect:
    """A page. Agency systems carry a bearer token that pages ignore: they are anonymous
    there. An unverified staff session is sent to the second factor on every page outside
    /accounts/."""
    fixed = {"anon": anon, "agy": anon, "agn": anon, "no2fa": "otp"}
    return _roles(default, fixed, overrides)


def many(*aliases: str, to: str | tuple[str, ...]) -> dict[str, Any]:
    return dict.fromkeys(aliases, to)


@dataclass(frozen=True)
class Case:
    key: str  # "GET /api/v1/registry/persons/{id_number}" or "GET /hall/applications/<str:reference>/"
    expect: Expect
    path: Builder = lambda w: {}
    query: Builder | None = None
    json: Builder | None = None  # a JSON body
    form: Builder | None = None  # a form (multipart when it holds files)
    headers: Builder | None = None
    setup: Callable[[World], None] | None = None  # runs inside the request's savepoint, before it
    settings: dict[str, Any] = field(default_factory=dict)
    leak_ok: frozenset[str] = frozenset()  # roles allowed to see the target's personal data here, and why
    label: str = ""

    @property
    def method(self) -> str:
        return self.key.split(" ", 1)[0]

    @property
    def route(self) -> str:
        return self.key.split(" ", 1)[1]

    def name(self) -> str:
        return f"{self.key}{f' [{self.label}]' if self.label else ''}"


def _a(w: World) -> dict[str, str]:
    return {"id_number": w.person_a.id_number}


def _e1(w: World) -> dict[str, str]:
    return {"credit_code": w.employer_e1.credit_code}


def _card(w: World) -> dict[str, str]:
    return {"number": w.card_a.number}


def _ref(w: World) -> dict[str, str]:
    return {"reference": w.application_a.reference}


def _case(w: World) -> dict[str, str]:
    return {"reference": w.case_a.reference}


def _hearing_at() -> str:
    import datetime as dt

    from django.utils import timezone

    day = timezone.localdate() + dt.timedelta(days=10)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9, 30)).isoformat()


def _work(w: World) -> dict[str, str]:
    return {"work_item_id": str(w.work_item_a.pk)}


def _code(w: World) -> str:
    from hrss.card import services
    from hrss.identity.auth import scope_for_user

    return services.ecard_code_create(scope=scope_for_user(w.users[CITIZEN_A]), card=w.card_a)[0]


def _temporarily_lost(w: World) -> None:
    from hrss.card import services
    from hrss.identity.auth import scope_for_user

    services.card_report_temporary_loss(scope=scope_for_user(w.users[CITIZEN_A]), card_id=w.card_a.pk)


def _signed_gateway_only() -> dict[str, Any]:
    """Payment callbacks are authorised by the provider's signature: test against a signing gateway."""
    options = {"base_url": "http://127.0.0.1:9/", "merchant_id": "m", "key": "authz-test-key"}
    return {
        "HRSS_CARD_PAYMENT_GATEWAYS": {
            "bank": {"BACKEND": "hrss.core.payments.HttpGateway", "OPTIONS": options},
            "thirdparty": {"BACKEND": "hrss.core.payments.HttpGateway", "OPTIONS": options},
        }
    }


INSURANCE_TYPES = ["pension_enterprise"]
# Employer operations on E1's employee A: E1's agent and caseworkers covering 120101 may;
# a clerk of 120103 must find neither E1 nor A; an agency may read E1 but is no caseworker.
EMPLOYER_WRITE = api(
    "403",
    **many("a", "b", "c3", "agn", to="404"),
    agent="ok",
    c1="ok",
    rv="ok",
    ad="ok",
)

# ------------------------------------------------------------------------------------------ API

API: list[Case] = [
    # --- codes: public reference data
    Case("GET /api/v1/codes/id-number/{value}", public(), path=lambda w: {"value": "11010519491231002X"}),
    Case("GET /api/v1/codes/credit-code/{value}", public(), path=lambda w: {"value": w.employer_e2.credit_code}),
    Case("GET /api/v1/codes/districts", public()),
    Case("GET /api/v1/codes/parameters/{name}", public(), path=lambda w: {"name": "card.temporary_loss_days"}),
    # --- registry
    Case("GET /api/v1/registry/persons/me", api("403", a="2xx", b="2xx")),
    Case(
        "GET /api/v1/registry/persons/{id_number}",
        api("2xx", **many("b", "c3", "agn", to="404")),
        path=_a,
    ),
    Case(
        "GET /api/v1/registry/persons",
        api("2xx", a="403", b="403"),
        query=lambda w: {"name": "授权"},
    ),
    Case(
        "GET /api/v1/registry/persons/{id_number}/employments",
        api("2xx", **many("b", "c3", "agn", to="404")),
        path=_a,
    ),
    Case("GET /api/v1/registry/employers", api("2xx"), query=lambda w: {"name": "授权"}),
    Case(
        "GET /api/v1/registry/employers/{credit_code}",
        api("2xx", **many("a", "b", "c3", "agn", to="404")),
        path=_e1,
    ),
    Case(
        "POST /api/v1/registry/imports",
        api("403", ad="2xx", agy="2xx"),
        form=lambda w: {
            "kind": "persons",
            "source": "public_security",
            "file": upload("p.csv", b"id_number,name,household_district,residence_district\n"),
        },
    ),
    Case(
        "GET /api/v1/registry/imports/{batch_id}",
        # agency clients see only the batches they started themselves
        api("403", ad="2xx", agy="404", agn="404"),
        path=lambda w: {"batch_id": str(w.import_batch.pk)},
    ),
    # --- labor: the public deadline calculator, the applicant's cases, the arbitrators' steps
    # (the world has no arbitrator: the administrator acts as one, every other role is refused).
    Case("POST /api/v1/labor/deadlines", public(), json=lambda w: {"kind": "acceptance", "date": "2026-09-28"}),
    Case("GET /api/v1/labor/cases/mine", api("403", a="2xx", b="2xx")),
    Case("GET /api/v1/labor/cases", api("403", ad="2xx")),
    Case("GET /api/v1/labor/cases/{reference}", api("404", a="2xx", ad="2xx"), path=_case),
    Case("POST /api/v1/labor/cases/{reference}/take", api("403", ad="2xx"), path=_case),
    Case(
        "POST /api/v1/labor/cases/{reference}/hearing",
        api("403", ad="2xx"),
        path=_case,
        json=lambda w: {"at": _hearing_at(), "room": "第一仲裁庭"},
    ),
    # ok: the case has had no hearing yet, so there is nothing to record or award (409)
    Case(
        "POST /api/v1/labor/cases/{reference}/hearing-record",
        api("403", ad="ok"),
        path=_case,
        json=lambda w: {"record": "双方到庭"},
    ),
    Case(
        "POST /api/v1/labor/cases/{reference}/extension",
        api("403", ad="2xx"),
        path=_case,
        json=lambda w: {"reason": "案情复杂"},
    ),
    Case(
        "POST /api/v1/labor/cases/{reference}/award",
        api("403", ad="ok"),
        path=_case,
        json=lambda w: {"outcome": "upheld", "text": "支付工资", "amount": "8600"},
    ),
    # --- employment: the seeker's own records (citizens only), an employer's vacancies
    Case("GET /api/v1/employment/me/registration", api("403", a="2xx", b="2xx")),
    Case("GET /api/v1/employment/me/profile", api("403", a="2xx", b="2xx")),
    Case(
        "PUT /api/v1/employment/me/profile",
        api("403", a="2xx", b="2xx"),
        json=lambda w: {"occupations": ["2-02"], "districts": ["120101"], "wage_min": "6000"},
    ),
    Case("GET /api/v1/employment/me/matches", api("403", a="2xx", b="2xx")),
    Case("GET /api/v1/employment/vacancies", api("403", agent="2xx")),
    Case(
        "POST /api/v1/employment/vacancies",
        api("403", agent="2xx"),
        json=lambda w: {
            "title": "文员",
            "description": "处理日常文书。",
            "occupation": "3-01",
            "district": "120101",
            "wage_min": "5000",
            "wage_max": "7000",
            "headcount": 1,
            "valid_until": "2099-12-31",
        },
    ),
    # An open vacancy is a public notice to anyone signed in.
    Case(
        "GET /api/v1/employment/vacancies/{vacancy_id}", api("2xx"), path=lambda w: {"vacancy_id": str(w.vacancy_e1.pk)}
    ),
    Case(
        "POST /api/v1/employment/vacancies/{vacancy_id}/close",
        # only E1's agent; other employers' agents would find nothing (404)
        api("403", agent="2xx"),
        path=lambda w: {"vacancy_id": str(w.vacancy_e1.pk)},
    ),
    # --- card: the holder
    Case("GET /api/v1/card/me", api("403", a="2xx", b="2xx")),
    Case(
        "POST /api/v1/card/me/applications",
        # ok: A already holds an active card and B's is on its way, so a first card is refused (409)
        api("403", a="ok", b="ok"),
        json=lambda w: {"channel": "web", "kind": "first"},
    ),
    Case(
        "POST /api/v1/card/me/activate",
        # ok: A's card is already active and B's not yet issued (409)
        api("403", a="ok", b="ok"),
        json=lambda w: {"bank_code": "icbc", "bank_account": "6222020200112233446", "pin": "369147"},
    ),
    Case(
        "POST /api/v1/card/me/loss-report",
        # ok for B: an application cannot be reported lost (409)
        api("403", a="2xx", b="ok"),
        json=lambda w: {"channel": "web"},
    ),
    Case(
        "POST /api/v1/card/me/unfreeze",
        # B's card is not reported lost: lifting a report that is not there is outlet work (403)
        api("403", a="2xx", b="403"),
        setup=_temporarily_lost,
    ),
    # ok for B: the electronic card needs an active card (409)
    Case("POST /api/v1/card/me/ecard", api("403", a="2xx", b="ok")),
    Case("DELETE /api/v1/card/me/ecard", api("403", a="2xx", b="2xx")),
    # ok for B: no electronic card yet (409)
    Case("GET /api/v1/card/me/ecard/code", api("403", a="2xx", b="ok")),
    Case("GET /api/v1/card/me/uses", api("403", a="2xx", b="2xx")),
    # --- card: the card service platform
    Case(
        "POST /api/v1/card/verify-code",
        api("403", **many(*STAFF, to="2xx"), agy="2xx"),
        json=lambda w: {"code": _code(w), "purpose": "authz"},
        # The holder shows the code at a counter or a hospital: whoever checks it learns who shows it.
        leak_ok=frozenset({CLERK_120103}),
    ),
    Case(
        "POST /api/v1/card/verify-card",
        api("403", **many(*STAFF, to="2xx"), agy="2xx"),
        json=lambda w: {"card_number": w.card_a.number, "id_number": w.person_a.id_number},
        # The caller already holds the card and the ID number presented at the counter (全城通办).
        leak_ok=frozenset({CLERK_120103}),
    ),
    Case(
        "POST /api/v1/card/uses",
        # Any outlet records a use of any card of the city; reviewers are not an outlet.
        api("403", c1="2xx", c3="2xx", ad="2xx", agy="2xx"),
        json=lambda w: {"card_number": w.card_a.number, "kind": "medical_settlement", "channel": "contact"},
    ),
    # --- card: outlets
    Case(
        "POST /api/v1/card/applications",
        # ok: A already holds an active card (409). A citizen may apply for themself here too.
        api("403", **many("b", "c3", "agn", to="404"), a="ok", c1="ok", ad="ok"),
        json=lambda w: {"id_number": w.person_a.id_number, "channel": "counter", "kind": "first"},
    ),
    Case(
        "GET /api/v1/card/cards/{number}",
        api("404", anon="401", no2fa="401", a="2xx", c1="2xx", rv="2xx", ad="2xx"),
        path=_card,
    ),
    Case(
        "POST /api/v1/card/cards/{number}/issue",
        # ok: A's card was handed over already (409)
        api("403", c1="ok", ad="ok", c3="404"),
        path=_card,
        json=lambda w: {"district": "120101"},
    ),
    Case(
        "POST /api/v1/card/cards/{number}/loss-report",
        api("403", a="2xx", c1="2xx", ad="2xx", c3="404", agy="2xx"),
        path=_card,
        json=lambda w: {"formal": False, "channel": "hotline"},
        label="temporary",
    ),
    Case(
        "POST /api/v1/card/cards/{number}/loss-report",
        api("403", c1="2xx", ad="2xx", c3="404"),
        path=_card,
        json=lambda w: {"formal": True},
        label="formal",
    ),
    Case(
        "POST /api/v1/card/cards/{number}/unfreeze",
        api("403", a="2xx", c1="2xx", ad="2xx", c3="404"),
        path=_card,
        setup=_temporarily_lost,
    ),
    Case(
        "POST /api/v1/card/cards/{number}/cancel",
        api("403", c1="2xx", ad="2xx", c3="404"),
        path=_card,
        json=lambda w: {"reason": "emigration"},
    ),
    Case("GET /api/v1/card/coverage", api("403", **many(*STAFF, to="2xx"))),
    Case("GET /api/v1/card/preferences", api("403", **many(*STAFF, to="2xx"))),
    Case("GET /api/v1/card/catalogue", public()),
    # --- card: payments
    Case(
        "POST /api/v1/card/payments",
        api("403", a="2xx", b="2xx"),
        json=lambda w: {"purpose": "fee", "description": "card fee", "amount": "10.00", "method": "third_party"},
        label="for oneself",
    ),
    Case(
        "POST /api/v1/card/payments",
        api("403", **many("b", "c3", "agn", to="404"), a="2xx", c1="2xx", ad="2xx"),
        json=lambda w: {
            "id_number": w.person_a.id_number,
            "purpose": "fee",
            "description": "card fee",
            "amount": "10.00",
            "method": "third_party",
        },
        label="for A",
    ),
    Case("GET /api/v1/card/me/payments", api("403", a="2xx", b="2xx")),
    Case(
        "POST /api/v1/card/payments/notify/{gateway}",
        # Not a signed-in caller at all: only the provider's signature counts, so every
        # unsigned notification is refused, whoever sends it.
        public("403"),
        path=lambda w: {"gateway": "thirdparty"},
        json=lambda w: {"reference": w.payment_a.reference, "status": "paid", "amount": "100.00"},
        settings=_signed_gateway_only(),
    ),
    Case(
        "POST /api/v1/card/reconciliations",
        api("403", ad="2xx"),
        form=lambda w: {
            "gateway": "bank",
            "statement_date": "2025-01-03",
            "file": upload("s.csv", b"reference,amount\n"),
        },
    ),
    Case(
        "GET /api/v1/card/reconciliations/{run_id}",
        api("403", ad="2xx"),
        path=lambda w: {"run_id": str(w.reconciliation.pk)},
    ),
    # --- identity
    Case("GET /api/v1/identity/me", api("2xx", agy="403", agn="403")),
    Case(
        "POST /api/v1/identity/biometric-checks",
        # out of scope is refused like an unknown person (403 for both)
        api("2xx", b="403", agent="403", c3="403", agn="403"),
        json=lambda w: {"person_id": str(w.person_a.pk), "kind": "photo", "reference": "m-1", "purpose": "authz"},
    ),
    # --- insurance
    Case(
        "POST /api/v1/insurance/pension/estimate",
        public(),
        json=lambda w: {
            "average_wage": "9000",
            "average_index": "1.0",
            "contribution_months": 300,
            "account_balance": "100000",
            "retirement_age_years": 60,
        },
    ),
    Case("GET /api/v1/insurance/me/contributions", api("403", a="2xx", b="2xx")),
    Case("GET /api/v1/insurance/me/account", api("403", a="2xx", b="2xx")),
    Case("GET /api/v1/insurance/me/benefits", api("403", a="2xx", b="2xx")),
    # ok: an estimate may be refused for a short record (409/422)
    Case("GET /api/v1/insurance/me/estimate", api("403", a="ok", b="ok")),
    Case("GET /api/v1/insurance/me/enrolments", api("403", a="2xx", b="2xx")),
    Case(
        "POST /api/v1/insurance/me/enrolments",
        # ok: A is already insured through E1 (409); B's flexible enrolment may need more (4xx)
        api("403", a="ok", b="ok"),
        json=lambda w: {"start_month": "2025-02-01", "base": "8000"},
    ),
    Case(
        "POST /api/v1/insurance/employers/{credit_code}/enrolments",
        # ok: A is already enrolled from 2025-01 (409)
        EMPLOYER_WRITE,
        path=_e1,
        json=lambda w: {
            "id_number": w.person_a.id_number,
            "insurance_types": INSURANCE_TYPES,
            "start_month": "2025-03-01",
        },
    ),
    Case(
        "POST /api/v1/insurance/employers/{credit_code}/enrolments/stop",
        EMPLOYER_WRITE,
        path=_e1,
        json=lambda w: {
            "id_number": w.person_a.id_number,
            "insurance_types": INSURANCE_TYPES,
            "last_month": "2025-06-01",
            "reason": "contract_end",
        },
    ),
    Case(
        "POST /api/v1/insurance/employers/{credit_code}/declarations",
        EMPLOYER_WRITE,
        path=_e1,
        json=lambda w: {"year": 2025, "lines": [{"id_number": w.person_a.id_number, "average_monthly_wage": "9100"}]},
    ),
    Case(
        "GET /api/v1/insurance/employers/{credit_code}/statements/{period}",
        api("403", **many("a", "b", "c3", "agn", to="404"), agent="2xx", c1="2xx", rv="2xx", ad="2xx"),
        path=lambda w: {**_e1(w), "period": w.assessed_period},
    ),
    Case(
        "GET /api/v1/insurance/assessments/{period}",
        api("403", **many(*STAFF, to="2xx")),
        path=lambda w: {"period": w.assessed_period},
    ),
    Case(
        "POST /api/v1/insurance/persons/{id_number}/corrections",
        api("403", **many("b", "c3", "agn", to="404"), c1="2xx", rv="2xx", ad="2xx"),
        path=_a,
        json=lambda w: {
            "period": w.assessed_period,
            "insurance_type": "pension_enterprise",
            "base": "9500",
            "reason": "authz",
        },
    ),
    Case("GET /api/v1/insurance/universal/districts", api("403", **many(*STAFF, to="2xx"))),
    Case("GET /api/v1/insurance/universal/persons", api("403", **many(*STAFF, to="2xx"))),
    Case("GET /api/v1/insurance/recovery-cases", api("403", **many(*STAFF, to="2xx"))),
    Case(
        "GET /api/v1/insurance/universal/reminders",
        api("403", **many(*STAFF, to="2xx")),
        query=lambda w: {"period": w.assessed_period},
    ),
    # ok: neither A nor B is a flexible worker (409 not_flexible_worker); the rest have no person
    Case("GET /api/v1/insurance/me/payments", api("403", a="ok", b="ok")),
    Case(
        "POST /api/v1/insurance/me/payments",
        api("403", a="ok", b="ok"),
        json=lambda w: {"months": [w.assessed_period]},
    ),
    Case(
        "POST /api/v1/insurance/payments/notify/{gateway}",
        # Like the card's callback: only the provider's signature counts.
        public("403"),
        path=lambda w: {"gateway": "thirdparty"},
        json=lambda w: {"reference": "OP-AUTHZ", "status": "paid", "amount": "100.00"},
        settings=_signed_gateway_only(),
    ),
    # --- service hall
    Case("GET /api/v1/servicehall/items", public()),
    Case("GET /api/v1/servicehall/items/{code}", public(), path=lambda w: {"code": "SH-JY-001"}),
    Case("GET /api/v1/servicehall/items/{code}/statistics", public(), path=lambda w: {"code": "SH-JY-001"}),
    Case("GET /api/v1/servicehall/feed/items", public()),
    Case("GET /api/v1/servicehall/feed/applications", api("403", ad="2xx", agy="2xx")),
    Case(
        "POST /api/v1/servicehall/applications",
        api("403", a="2xx", b="2xx"),
        json=lambda w: {"item_code": "SH-YL-002", "form": {"purpose": "other"}, "channel": "web"},
        headers=lambda w: {"Idempotency-Key": "authz-submit-citizen"},
        label="citizen item",
    ),
    Case(
        "POST /api/v1/servicehall/applications",
        # past authorisation, the agent's employer already has the world's registration open:
        # a second one is refused at submission (409 duplicate_open_application)
        api("403", agent="409"),
        json=lambda w: {
            "item_code": "SH-YL-003",
            "form": {
                "contact_phone": "13900139000",
                "headcount": "3",
                "start_month": "2026-01-01",
                "insure_pension": True,
            },
            "channel": "web",
        },
        headers=lambda w: {"Idempotency-Key": "authz-submit-employer"},
        label="employer item",
    ),
    Case("GET /api/v1/servicehall/applications", api("2xx")),
    Case(
        "GET /api/v1/servicehall/applications/{reference}",
        api("404", anon="401", no2fa="401", a="2xx", c1="2xx", rv="2xx", ad="2xx"),
        path=_ref,
    ),
    Case(
        "POST /api/v1/servicehall/applications/{reference}/materials",
        api("404", anon="401", no2fa="401", a="2xx", c1="2xx", rv="2xx", ad="2xx"),
        path=_ref,
        form=lambda w: {"kind": "termination_proof", "file": upload("proof.png", PNG, "image/png")},
    ),
    Case(
        "POST /api/v1/servicehall/applications/{reference}/supplement",
        # ok: nothing is waiting for a supplement (409)
        api("404", anon="401", no2fa="401", a="ok", c1="ok", rv="ok", ad="ok"),
        path=_ref,
        json=lambda w: {"answer": "authz"},
    ),
    Case(
        "POST /api/v1/servicehall/applications/{reference}/withdraw",
        # only the applicant withdraws; staff who can see the application are refused (404)
        api("404", anon="401", no2fa="401", a="2xx"),
        path=_ref,
    ),
    Case("GET /api/v1/servicehall/work-items", api("403", **many(*STAFF, to="2xx"))),
    Case("POST /api/v1/servicehall/work-items/next", api("403", **many(*STAFF, to="2xx"))),
    Case(
        "POST /api/v1/servicehall/work-items/{work_item_id}/complete",
        # the reviewer and the administrator see the item but the step needs a counter clerk
        api("403", c1="2xx", c3="404"),
        path=_work,
        json=lambda w: {"decision": "approve"},
    ),
    Case(
        "POST /api/v1/servicehall/work-items/{work_item_id}/assign",
        api("403", ad="2xx", c3="404"),
        path=_work,
        json=lambda w: {"assignee": w.users[CLERK_120101].username},
    ),
    Case(
        "POST /api/v1/servicehall/processes",
        # ok: the document is not a valid BPMN process (422); being let in is what counts here
        api("403", ad="ok"),
        json=lambda w: {"bpmn_xml": "<definitions/>", "filename": "authz.bpmn"},
    ),
]

# ---------------------------------------------------------------------------------------- pages

# A page anyone may open; an unverified staff session is still sent to its second factor.
OPEN = page("2xx", anon="2xx")

PAGES: list[Case] = [
    Case("GET /", OPEN),
    Case("GET /check/", OPEN),
    # the signed-in home: every role has one (its panels are chosen by role, each scoped)
    Case("GET /my/", page("2xx")),
    Case("GET /accessibility/", OPEN),
    Case("GET /healthz", page("2xx", anon="2xx", no2fa="2xx")),
    # Prometheus metrics: from loopback (the test client's address) for anyone; another address
    # or a proxied request gets 404 (hrss/core/tests/test_metrics.py).
    Case("GET /metrics", page("2xx", anon="2xx")),
    Case("POST /i18n/setlang/", page("3xx", anon="3xx", no2fa="3xx"), form=lambda w: {"language": "en"}),
    # --- sign-in and account pages (/accounts/ is open to an unverified staff session, so it can verify)
    Case("GET /accounts/login/", page(("2xx", "3xx"), anon="2xx", no2fa=("2xx", "3xx"))),
    Case("GET /accounts/login/phone/", page(("2xx", "3xx"), anon="2xx", no2fa=("2xx", "3xx"))),
    Case("GET /accounts/login/code/", page(("2xx", "3xx"), anon=("2xx", "3xx"), no2fa=("2xx", "3xx"))),
    # a verified staff session has nothing left to verify and is sent on
    Case("GET /accounts/otp/", page(("2xx", "3xx", "login"), anon="login", no2fa="2xx")),
    # a staff member with a confirmed device verifies with it rather than setting up another
    Case("GET /accounts/otp/setup/", page(("2xx", "3xx"), anon="login", no2fa="otp")),
    Case("POST /accounts/logout/", page("3xx", anon="3xx", no2fa="3xx")),
    Case("GET /accounts/reauth/", page("2xx", anon="login", no2fa="2xx")),
    Case("GET /accounts/signup/", page(("2xx", "3xx"), anon="2xx", no2fa=("2xx", "3xx"))),
    Case("GET /accounts/signup/verify/", page("3xx", anon="3xx", no2fa="3xx")),
    Case("GET /accounts/me/", page("2xx", no2fa="2xx")),
    Case(
        "POST /accounts/me/sessions/<uuid:session_id>/end/",
        # only A may end A's session; anyone else is told it was not found and nothing changes
        page("3xx=", a="3xx", no2fa="3xx="),
        path=lambda w: {"session_id": str(w.session_a.pk)},
    ),
    Case(
        "POST /accounts/me/apps/<int:application_id>/revoke/",
        # revokes only the caller's own tokens
        page("3xx", no2fa="3xx"),
        path=lambda w: {"application_id": w.agency_application_id(AGENCY_ALL)},
    ),
    Case("GET /accounts/me/employer/", page("2xx", no2fa="2xx")),
    # --- the self-service kiosk's sign-in: open to anyone in front of the kiosk; a refused
    # attempt (empty reader, forged code, bad ID number) is a 422 with the reason on the page
    Case("GET /accounts/kiosk/", page("2xx", anon="2xx", no2fa="2xx")),
    Case("GET /accounts/kiosk/card/", page("2xx", anon="2xx", no2fa="2xx")),
    Case("GET /accounts/kiosk/code/", page("2xx", anon="2xx", no2fa="2xx")),
    Case("GET /accounts/kiosk/face/", page("2xx", anon="2xx", no2fa="2xx")),
    Case("POST /accounts/kiosk/card/", page("422", anon="422", no2fa="422"), form=lambda w: {"pin": "000000"}),
    Case("POST /accounts/kiosk/code/", page("422", anon="422", no2fa="422"), form=lambda w: {"code": "forged"}),
    Case(
        "POST /accounts/kiosk/face/",
        page("422", anon="422", no2fa="422"),
        form=lambda w: {"id_number": "11010519491231002Y", "face_reference": "x"},
    ),
    # development's recording reader only (404 with any other reader): puts a card in the slot
    Case(
        "POST /accounts/kiosk/card/insert/",
        page("3xx", anon="3xx", no2fa="3xx"),
        form=lambda w: {"card_number": w.card_a.number},
    ),
    Case("POST /accounts/kiosk/signout/", page("3xx", anon="3xx", no2fa="3xx")),
    # --- OAuth2 / OIDC provider (django-oauth-toolkit)
    Case("GET /.well-known/openid-configuration", page("2xx", anon="2xx", no2fa="2xx")),
    Case("GET /.well-known/jwks.json", page("2xx", anon="2xx", no2fa="2xx")),
    Case("GET /o/authorize/", page(("2xx", "4xx"), no2fa="otp"), query=lambda w: {"client_id": "nobody"}),
    Case("POST /o/token/", page("401", anon="401", no2fa="401"), form=lambda w: {"grant_type": "client_credentials"}),
    Case("POST /o/revoke_token/", page(("4xx", "2xx"), anon=("4xx", "2xx"), no2fa=("4xx", "2xx"))),
    Case("POST /o/introspect/", page("403", anon="403", no2fa="403"), form=lambda w: {"token": "x"}),
    Case("GET /o/userinfo/", page("401", anon="401", no2fa="401")),
    Case("GET /o/logout/", page(("2xx", "3xx", "4xx"), anon=("2xx", "3xx", "4xx"))),
    # --- service hall
    Case("GET /hall/", OPEN),
    Case("GET /hall/items/<str:code>/", OPEN, path=lambda w: {"code": "SH-JY-001"}),
    Case("GET /hall/items/<str:code>/apply/", page("2xx"), path=lambda w: {"code": "SH-JY-001"}),
    Case(
        "POST /hall/items/<str:code>/apply/",
        # only a citizen gets an application; anyone else is shown the refusal on the form (403).
        # Arbitration: A and B already have the world's unemployment registration open.
        page("403", a="3xx", b="3xx"),
        path=lambda w: {"code": "SH-ZC-001"},
        form=lambda w: {
            "phone": "13800138000",
            "respondent": "某公司",
            "claims": "支付拖欠工资",
            "amount": "8600",
            "idempotency_key": "authz-page-apply",
        },
    ),
    Case("GET /hall/applications/", page("2xx")),
    Case(
        "GET /hall/applications/<str:reference>/",
        page("404", a="2xx", c1="2xx", rv="2xx", ad="2xx"),
        path=_ref,
    ),
    Case(
        "POST /hall/applications/<str:reference>/upload/",
        page("404", a="3xx", c1="3xx", rv="3xx", ad="3xx"),
        path=_ref,
        form=lambda w: {"kind": "termination_proof", "file": upload("proof.png", PNG, "image/png")},
    ),
    Case(
        "POST /hall/applications/<str:reference>/supplement/",
        page("404", a="3xx", c1="3xx", rv="3xx", ad="3xx"),
        path=_ref,
        form=lambda w: {"answer": "authz"},
    ),
    Case(
        "POST /hall/applications/<str:reference>/withdraw/",
        page("404", a="3xx"),
        path=_ref,
    ),
    Case(
        "GET /hall/materials/<uuid:material_id>/",
        page("404", a="2xx", c1="2xx", rv="2xx", ad="2xx"),
        path=lambda w: {"material_id": str(w.material_a.pk)},
    ),
    Case("GET /hall/messages/", page("2xx")),
    Case("POST /mode/", page("3xx", anon="3xx"), form=lambda w: {"elderly": "1"}),
    Case("GET /hall/kiosk/", OPEN),
    Case("GET /manifest.webmanifest", OPEN),
    Case("GET /sw.js", OPEN),
    Case("GET /favicon.ico", OPEN),
    # --- workbench
    Case("GET /workbench/", page("403", **many(*STAFF, to="2xx"))),
    Case("POST /workbench/next/", page("403", **many(*STAFF, to="3xx"))),
    Case(
        "GET /workbench/work/<uuid:work_item_id>/",
        page("403", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=_work,
    ),
    Case(
        "POST /workbench/work/<uuid:work_item_id>/decide/",
        # reviewer and administrator: shown the refusal on the work page, nothing done
        page("403", c1="3xx", c3="404", rv="3xx=", ad="3xx="),
        path=_work,
        form=lambda w: {"decision": "approve"},
    ),
    Case(
        "POST /workbench/work/<uuid:work_item_id>/assign/",
        page("403", c1="3xx=", c3="404", rv="3xx=", ad="3xx"),
        path=_work,
        form=lambda w: {"assignee": w.users[CLERK_120101].username},
    ),
    Case(
        "GET /workbench/applications/<str:reference>/",
        page("403", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=_ref,
    ),
    Case(
        "GET /workbench/walk-in/",
        # 全城通办: a counter clerk of any district finds the citizen standing at the counter by
        # the ID number they present; the read is audited (purpose "walk-in").
        page("403", **many(*STAFF, to="2xx")),
        query=_a,
        leak_ok=frozenset({CLERK_120103}),
    ),
    Case(
        "GET /workbench/walk-in/<str:code>/",
        page("403", c1="2xx", c3="2xx", rv="403", ad="403"),
        path=lambda w: {"code": "SH-JY-001"},
        query=_a,
        leak_ok=frozenset({CLERK_120103}),
    ),
    Case("GET /workbench/supervisor/", page("403", ad="2xx")),
    # --- channel callbacks: only the provider's signature counts
    Case(
        "POST /channels/wechat/",
        page("403", anon="403"),
        settings={"HRSS_WECHAT_TOKEN": "authz-token"},
        json=lambda w: "<xml/>",
    ),
    Case(
        "POST /channels/sms/",
        page("403", anon="403"),
        settings={"HRSS_SMS_CALLBACK_SECRET": "authz-secret"},
        form=lambda w: {"phone": "13800138000", "text": "CX", "timestamp": "0", "signature": "x"},
    ),
    # --- insurance (a refused form post goes back with the refusal shown: 3xx=)
    Case("GET /insurance/", page("403", a="2xx", b="2xx")),
    Case(
        "POST /insurance/enrol/",
        page("3xx=", a="3xx", b="3xx"),
        form=lambda w: {"start_month": "2025-02", "base": "8000"},
    ),
    Case("GET /insurance/estimate/", OPEN),
    Case("GET /labor/deadlines/", OPEN),
    Case("GET /labor/cases/mine/", page("2xx")),
    Case("GET /labor/workbench/", page("403", ad="2xx")),
    Case("GET /labor/cases/<str:reference>/", page("404", a="2xx", ad="2xx"), path=_case),
    Case("POST /labor/cases/<str:reference>/take/", page("403", ad="3xx"), path=_case),
    Case(
        "POST /labor/cases/<str:reference>/hearing/",
        page("403", ad="3xx"),
        path=_case,
        form=lambda w: {"at": _hearing_at()[:16], "room": "第一仲裁庭"},
    ),
    Case(
        "POST /labor/cases/<str:reference>/record/", page("403", ad="3xx"), path=_case, form=lambda w: {"record": "x"}
    ),
    Case(
        "POST /labor/cases/<str:reference>/extend/", page("403", ad="3xx"), path=_case, form=lambda w: {"reason": "x"}
    ),
    Case(
        "POST /labor/cases/<str:reference>/award/",
        page("403", ad="3xx"),
        path=_case,
        form=lambda w: {"outcome": "upheld", "text": "x", "amount": "1"},
    ),
    Case("GET /insurance/employer/", page("403", agent="2xx")),
    Case(
        "POST /insurance/employer/enrol/",
        page("3xx=", agent="3xx"),
        form=lambda w: {
            "id_number": w.person_a.id_number,
            "insurance_types": INSURANCE_TYPES,
            "start_month": "2025-03",
        },
    ),
    Case(
        "POST /insurance/employer/stop/",
        page("3xx=", agent="3xx"),
        form=lambda w: {
            "id_number": w.person_a.id_number,
            "insurance_types": INSURANCE_TYPES,
            "last_month": "2025-06",
            "reason": "contract_end",
        },
    ),
    Case(
        "POST /insurance/employer/declare/",
        page("3xx=", agent="3xx"),
        form=lambda w: {"year": "2025", "lines": f"{w.person_a.id_number},9100"},
    ),
    Case("GET /insurance/staff/", page("403", **many(*STAFF, to="2xx"))),
    # refused for everyone here: A and B are no flexible workers, the others have no person
    Case("POST /insurance/pay/", page("3xx="), form=lambda w: {"months": [w.assessed_period]}),
    # --- employment
    Case("GET /employment/", page("403", a="2xx", b="2xx")),
    Case(
        "POST /employment/profile/",
        page("403", a="3xx", b="3xx"),
        form=lambda w: {"occupations": ["2-02"], "wage_min": "6000"},
    ),
    Case("GET /employment/vacancies/", page("403", agent="2xx")),
    Case(
        "POST /employment/vacancies/",
        page("403", agent="3xx"),
        form=lambda w: {
            "title": "文员",
            "description": "处理日常文书。",
            "occupation": "3-01",
            "district": "120101",
            "wage_min": "5000",
            "wage_max": "7000",
            "headcount": "1",
            "valid_until": "2099-12-31",
        },
    ),
    Case(
        "POST /employment/vacancies/<uuid:vacancy_id>/close/",
        page("403", agent="3xx"),
        path=lambda w: {"vacancy_id": str(w.vacancy_e1.pk)},
    ),
    # --- card
    Case("GET /card/", page("403", a="2xx", b="2xx")),
    Case("POST /card/apply/", page("3xx"), form=lambda w: {"channel": "web"}),
    Case("POST /card/activate/", page("3xx"), form=lambda w: {"bank_code": "icbc", "bank_account": "1", "pin": "1"}),
    Case("POST /card/loss/", page("3xx")),
    Case("POST /card/unfreeze/", page("3xx")),
    Case("POST /card/ecard/", page("3xx")),
    # ok for B: no electronic card yet (409)
    Case("GET /card/ecard/code/", page("403", a="2xx", b="ok")),
    Case("GET /card/catalogue/", OPEN),
    Case("GET /card/coverage/", page("403", **many(*STAFF, to="2xx"))),
    Case("GET /card/preferences/", page("403", **many(*STAFF, to="2xx"))),
]


def _without_csrf_token(case: Case) -> Case:
    """Agency systems carry no CSRF token: every form post of theirs is refused (403) before
    the page is reached. (The OAuth2 endpoints and the provider callbacks are CSRF-exempt.)"""
    if case.method != "POST" or case.route.startswith(("/o/", "/channels/")):
        return case
    return replace(case, expect={**case.expect, AGENCY_ALL: "403", AGENCY_NONE: "403"})


PAGES = [_without_csrf_token(case) for case in PAGES]


def body_of(case: Case, world: World) -> dict[str, Any]:
    """The keyword arguments for django.test.Client.generic/get/post."""
    kwargs: dict[str, Any] = {}
    if case.json is not None:
        payload = case.json(world)
        kwargs["data"] = payload if isinstance(payload, str) else json.dumps(payload)
        kwargs["content_type"] = "application/json"
    elif case.form is not None:
        kwargs["data"] = case.form(world)
    if case.headers is not None:
        kwargs["headers"] = case.headers(world)
    return kwargs
