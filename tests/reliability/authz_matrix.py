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

import datetime as dt
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
    NAME_A,
    NAME_B,
    PHONE_A,
    PIN,
    PNG,
    REVIEWER,
    ROLES,
    World,
    medical_flag_confirm,
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


def _interview_at() -> str:
    """An interview time three days ahead, at ten (always in the future, within a quarter)."""
    import datetime as dt

    return (dt.date.today() + dt.timedelta(days=3)).isoformat() + "T10:00:00"


_MEDICAL_BILL = {
    "pooling": "outpatient",
    "lines": [
        {"code": "110200001", "quantity": "1", "unit_price": "50.00"},
        {"code": "C10AA05", "quantity": "28", "unit_price": "5.00"},
    ],
}


def _medical_yesterday() -> str:
    from django.utils import timezone

    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


def _medical_month(*, last: bool = False) -> str:
    """This month as YYYY-MM, or the last one (a month that is over)."""
    from django.utils import timezone

    first = timezone.localdate().replace(day=1)
    return (first - dt.timedelta(days=1) if last else first).strftime("%Y-%m")


def many(*aliases: str, to: str | tuple[str, ...]) -> dict[str, Any]:
    return dict.fromkeys(aliases, to)


def _ivr_phone_a(w: World) -> None:
    """Citizen A's account has the registry's mobile number, as after sign-up."""
    from hrss.identity.onetime import phone_index

    user = w.users[CITIZEN_A]
    user.phone, user.phone_index = PHONE_A, phone_index(PHONE_A)
    user.save(update_fields=["phone", "phone_index"])


def _in_app_to_a(w: World) -> Any:
    from hrss.notify.services import send_in_app

    return send_in_app(user_id=w.users[CITIZEN_A].pk, template="generic", params={"text": "授权测试站内信"}).pk


def _ivr_session(w: World) -> str:
    """The session the IVR platform (the all-scopes agency) got for citizen A after the SMS code."""
    from django.core import signing

    from hrss.hotline import keypad

    data = {"user": str(w.users[CITIZEN_A].pk), "client": "授权测试全权限机构"}
    return signing.dumps(data, salt=keypad.SESSION_SALT, compress=True)


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


# An inspection lead that does not exist (the world has none in scope to act on).
_NO_LEAD = "00000000-0000-4000-8000-000000000000"


def _a(w: World) -> dict[str, str]:
    return {"id_number": w.person_a.id_number}


def _e1(w: World) -> dict[str, str]:
    return {"credit_code": w.employer_e1.credit_code}


def _card(w: World) -> dict[str, str]:
    return {"number": w.card_a.number}


def _talent_institution(w: World) -> dict[str, str]:
    return {"institution_id": str(w.talent["institution"].pk)}


def _talent_benefit(w: World) -> dict[str, str]:
    return {"benefit_id": str(w.talent["benefit_a"].pk)}


def _ref(w: World) -> dict[str, str]:
    return {"reference": w.application_a.reference}


def _case(w: World) -> dict[str, str]:
    return {"reference": w.case_a.reference}


def _evidence_setup(w: World) -> None:
    """An evidence file on A's case (L1), added before the request."""
    from django.core.files.base import ContentFile

    from hrss.labor.models import CaseEvidence

    if CaseEvidence.objects.filter(case=w.case_a, sha256="0" * 64).exists():
        return
    row = CaseEvidence(
        case=w.case_a,
        filename="authz.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by="authz",
    )
    row.file.save("authz.pdf", ContentFile(b"%PDF-1.7\n"), save=True)


def _evidence(w: World) -> dict[str, str]:
    from hrss.labor.models import CaseEvidence

    evidence = CaseEvidence.objects.get(case=w.case_a, sha256="0" * 64)
    return {"reference": w.case_a.reference, "evidence_id": str(evidence.pk)}


def _mediation(w: World) -> dict[str, str]:
    return {"reference": w.mediation_a.reference}


def _petition(w: World) -> dict[str, str]:
    return {"reference": w.register["petition"].reference}


def _fraud(w: World) -> dict[str, str]:
    return {"reference": w.register["fraud"].reference}


def _project_setup(w: World) -> None:
    """A construction project of employer E1 in 120101 (用工备案 L3), registered before the request."""
    from hrss.core.scope import Scope
    from hrss.labor.services.projects import project_register

    desk = Scope(actor="authz-projects", roles=frozenset({"administrator"}), districts=None)
    project_register(
        scope=desk,
        credit_code=w.employer_e1.credit_code,
        name="授权测试工程",
        district="120101",
        wage_bank="中国建设银行天津和平支行",
        wage_account="12050162510800000123",
        started_on=dt.date(2026, 1, 1),
        idempotency_key="authz-project",
    )


def _project(w: World) -> dict[str, str]:
    from hrss.labor.models import ConstructionProject

    return {"reference": ConstructionProject.objects.get(idempotency_key="authz-project").reference}


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
    # the world's case is accepted: its acceptance notice exists, its award not yet (404)
    Case(
        "GET /api/v1/labor/cases/{reference}/documents/{kind}",
        api("404", a="2xx", ad="2xx"),
        path=lambda w: {**_case(w), "kind": "acceptance-notice"},
    ),
    Case("POST /api/v1/labor/cases/{reference}/take", api("403", ad="2xx"), path=_case),
    Case("GET /api/v1/labor/arbitrators", api("403", ad="2xx")),
    # ok: the world's case has no arbitrator to withdraw (409)
    Case(
        "POST /api/v1/labor/cases/{reference}/recusal",
        api("403", ad="ok"),
        path=_case,
        json=lambda w: {"source": "party", "reason": "近亲属"},
    ),
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
    # a case's evidence and the applicant's signature (L1): the applicant and the commission's staff
    # (the administrator here); nobody else finds the case. Only the applicant signs (admin: 403).
    Case("GET /api/v1/labor/cases/{reference}/evidence", api("404", a="2xx", ad="2xx"), path=_case),
    Case(
        "POST /api/v1/labor/cases/{reference}/evidence",
        api("404", a="ok", ad="ok"),
        path=_case,
        form=lambda w: {"files": upload("e.pdf", b"%PDF-1.7\n", "application/pdf"), "description": "授权测试"},
    ),
    Case(
        "GET /api/v1/labor/cases/{reference}/evidence/{evidence_id}",
        api("404", a="2xx", ad="2xx"),
        setup=_evidence_setup,
        path=_evidence,
    ),
    Case("POST /api/v1/labor/cases/{reference}/signature", api("404", a="ok", ad="403"), path=_case),
    # (ok: the case may be closed by an earlier step, 409)
    Case(
        "POST /api/v1/labor/cases/{reference}/settlement",
        api("403", ad="ok"),
        path=_case,
        json=lambda w: {"text": "双方和解", "amount": "100"},
    ),
    Case("GET /api/v1/labor/statistics", api("403", ad="2xx")),
    # mediation before arbitration: the organisations are public; a worker applies; the
    # commission's staff (the administrator here) record sessions, agreement or failure
    # (ok: a step may find the mediation closed by an earlier one, 409)
    Case("GET /api/v1/labor/mediation-organisations", public()),
    Case(
        "POST /api/v1/labor/mediations",
        api("403", a="2xx", b="2xx"),
        json=lambda w: {
            "organisation": str(w.mediation_a.organisation_id),
            "respondent": "某公司",
            "claims": "支付工资",
            "idempotency_key": "authz-matrix",
        },
    ),
    Case("GET /api/v1/labor/mediations/mine", api("403", a="2xx", b="2xx")),
    Case("GET /api/v1/labor/mediations", api("403", ad="2xx")),
    Case("GET /api/v1/labor/mediations/{reference}", api("404", a="2xx", ad="2xx"), path=_mediation),
    Case(
        "POST /api/v1/labor/mediations/{reference}/sessions",
        api("403", ad="ok"),
        path=_mediation,
        json=lambda w: {"held_at": dt.datetime.now(dt.UTC).isoformat(), "mode": "online", "note": "视频调解"},
    ),
    Case(
        "POST /api/v1/labor/mediations/{reference}/agreement",
        api("403", ad="ok"),
        path=_mediation,
        json=lambda w: {"text": "支付工资", "amount": "8600"},
    ),
    Case(
        "POST /api/v1/labor/mediations/{reference}/failure",
        api("403", ad="ok"),
        path=_mediation,
        json=lambda w: {"reason": "拒绝调解"},
    ),
    # rights protection: a worker files a complaint (inspectors record hotline ones); the
    # employer's one view is for inspectors, arbitrators and administrators of its district
    Case(
        "POST /api/v1/labor/complaints",
        api("403", a="2xx", b="2xx", ad="2xx"),
        json=lambda w: {
            "credit_code": w.employer_e1.credit_code,
            "kind": "complaint",
            "content": "拖欠工资",
            "idempotency_key": "authz-matrix",
        },
    ),
    Case(
        "GET /api/v1/labor/employers/{credit_code}/linked",
        api("403", ad="2xx"),
        path=lambda w: {"credit_code": w.employer_e1.credit_code},
    ),
    # employment filing (用工备案, L3): inspectors and administrators of the employer's district
    # read it; the employer's agent (and they) record its contracts and construction projects
    Case(
        "GET /api/v1/labor/employers/{credit_code}/filing",
        api("403", ad="2xx"),
        path=lambda w: {"credit_code": w.employer_e1.credit_code},
    ),
    Case(
        "POST /api/v1/labor/employers/{credit_code}/contracts",
        api("403", agent="2xx", ad="2xx"),
        path=lambda w: {"credit_code": w.employer_e1.credit_code},
        json=lambda w: {
            "id_number": w.person_a.id_number,
            "contract_type": "open_ended",
            "start_date": "2020-01-01",
            "signed_on": "2020-01-01",
            "idempotency_key": "authz-matrix",
        },
    ),
    Case(
        "POST /api/v1/labor/projects",
        api("403", agent="2xx", ad="2xx"),
        json=lambda w: {
            "credit_code": w.employer_e1.credit_code,
            "name": "授权测试工程",
            "district": "120101",
            "wage_bank": "中国建设银行天津和平支行",
            "wage_account": "12050162510800000123",
            "started_on": "2026-01-01",
            "idempotency_key": "authz-matrix",
        },
    ),
    Case("GET /api/v1/labor/projects/{reference}", api("403", ad="2xx"), setup=_project_setup, path=_project),
    Case(
        "POST /api/v1/labor/projects/{reference}/workers",
        api("403", agent="2xx", ad="2xx"),
        setup=_project_setup,
        path=_project,
        json=lambda w: {"id_number": w.person_a.id_number, "team": "钢筋班组", "start_date": "2026-01-05"},
    ),
    Case(
        "POST /api/v1/labor/projects/{reference}/account-entries",
        api("403", agent="2xx", ad="2xx"),
        setup=_project_setup,
        path=_project,
        json=lambda w: {
            "kind": "deposit",
            "period": "2026-01-01",
            "amount_fen": 5000000,
            "booked_on": "2026-01-10",
            "bank_reference": "authz-matrix",
        },
    ),
    # the rights-protection register (L2): inspectors, arbitrators and administrators of the
    # items' districts; steps that may meet the state another entry left are "ok"
    Case(
        "POST /api/v1/labor/petitions",
        api("403", ad="2xx"),
        json=lambda w: {
            "channel": "letter",
            "subject": "授权测试",
            "id_number": w.person_a.id_number,
            "credit_code": w.employer_e1.credit_code,
            "idempotency_key": "authz-matrix",
        },
    ),
    Case(
        "POST /api/v1/labor/petitions/{reference}/decision",
        api("403", ad="ok"),
        path=_petition,
        json=lambda w: {"accept": True},
    ),
    Case(
        "POST /api/v1/labor/petitions/{reference}/extension",
        api("403", ad="ok"),
        path=_petition,
        json=lambda w: {"reason": "情况复杂"},
    ),
    Case(
        "POST /api/v1/labor/petitions/{reference}/answer",
        api("403", ad="ok"),
        path=_petition,
        json=lambda w: {"answer": "已答复"},
    ),
    Case("POST /api/v1/labor/petitions/{reference}/close", api("403", ad="ok"), path=_petition),
    Case(
        "POST /api/v1/labor/fraud-cases",
        api("403", ad="2xx"),
        json=lambda w: {
            "kind": "impersonation",
            "found_by": "report",
            "amount": "100.00",
            "description": "授权测试",
            "id_number": w.person_a.id_number,
            "idempotency_key": "authz-matrix",
        },
    ),
    Case(
        "POST /api/v1/labor/fraud-cases/{reference}/status",
        api("403", ad="ok"),
        path=_fraud,
        json=lambda w: {"status": "confirmed"},
    ),
    # 422 for the administrator: the world has no recovery case of that id
    Case(
        "POST /api/v1/labor/fraud-cases/{reference}/recovery",
        api("403", ad="ok"),
        path=_fraud,
        json=lambda w: {"recovery_case": "3f1c2a4e-8b7d-4c1e-9a2f-5d6e7f8a9b0c"},
    ),
    Case("GET /api/v1/labor/register", api("403", ad="2xx")),
    Case("GET /api/v1/labor/register/duplicates", api("403", ad="2xx"), query=lambda w: {"kind": "petition"}),
    Case(
        "GET /api/v1/labor/register/{kind}/{reference}",
        api("403", ad="2xx"),
        path=lambda w: {"kind": "petition", **_petition(w)},
    ),
    Case(
        "POST /api/v1/labor/register/{kind}/{reference}/transfers",
        api("403", ad="ok"),
        path=lambda w: {"kind": "fraud", **_fraud(w)},
        json=lambda w: {"to_unit": "city-fund-supervision", "reason": "基金监督", "idempotency_key": "authz-matrix"},
    ),
    Case(
        "POST /api/v1/labor/register/{kind}/{reference}/merge",
        api("403", ad="ok"),
        path=lambda w: {"kind": "petition", "reference": w.register["duplicate"].reference},
        json=lambda w: {"into": w.register["petition"].reference},
    ),
    Case("GET /api/v1/labor/transfers", api("403", ad="2xx")),
    Case(
        "POST /api/v1/labor/transfers/{transfer_id}/receipt",
        api("403", ad="2xx"),
        path=lambda w: {"transfer_id": w.register["transfer"].pk},
    ),
    Case(
        "GET /api/v1/labor/persons/{person_id}/register",
        api("403", ad="2xx"),
        path=lambda w: {"person_id": str(w.person_a.pk)},
    ),
    # the wage-arrears warning: inspectors and administrators (409 when no month is assessed yet)
    Case("GET /api/v1/labor/warnings", api("403", ad="ok"), query=lambda w: {"period": "2026-06"}),
    Case("POST /api/v1/labor/warnings/leads", api("403", ad="ok"), json=lambda w: {"period": "2026-06"}),
    # random inspection plans: inspectors and administrators (409 when too few inspectors)
    Case(
        "POST /api/v1/labor/inspection-plans",
        api("403", ad="ok"),
        json=lambda w: {"district": w.employer_e1.district_id or "120101", "sample_size": 1},
    ),
    Case("GET /api/v1/labor/inspection-plans/{reference}", api("403", ad="404"), path=lambda w: {"reference": "SJ0"}),
    Case(
        "POST /api/v1/labor/inspection-plans/{reference}/items/{position}/dispatch",
        api("403", ad="404"),
        path=lambda w: {"reference": "SJ0", "position": 1},
    ),
    Case(
        "POST /api/v1/labor/inspection-plans/{reference}/items/{position}/findings",
        api("403", ad="404"),
        path=lambda w: {"reference": "SJ0", "position": 1},
        json=lambda w: {"findings": "x", "violation": False},
    ),
    # inspection leads, rectification orders, penalties: inspectors and administrators of the
    # lead's district (a lead elsewhere, or none, is 404); the published plan results are public
    Case("GET /api/v1/labor/inspection-plans", api("403", ad="2xx")),
    Case("GET /api/v1/labor/dispatch-board", api("403", ad="2xx")),
    Case("GET /api/v1/labor/leads", api("403", ad="2xx")),
    Case("GET /api/v1/labor/rectification-orders", api("403", ad="2xx")),
    Case("GET /api/v1/labor/leads/{lead_id}", api("403", ad="404"), path=lambda w: {"lead_id": _NO_LEAD}),
    Case(
        "POST /api/v1/labor/leads/{lead_id}/findings",
        api("403", ad="404"),
        path=lambda w: {"lead_id": _NO_LEAD},
        form=lambda w: {"text": "授权测试", "violation": "false"},
    ),
    Case(
        "POST /api/v1/labor/leads/{lead_id}/orders",
        api("403", ad="404"),
        path=lambda w: {"lead_id": _NO_LEAD},
        json=lambda w: {"requirement": "授权测试"},
    ),
    Case(
        "POST /api/v1/labor/leads/{lead_id}/close",
        api("403", ad="404"),
        path=lambda w: {"lead_id": _NO_LEAD},
        json=lambda w: {"result": "no_violation"},
    ),
    Case(
        "POST /api/v1/labor/rectification-orders/{reference}/compliance",
        api("403", ad="404"),
        path=lambda w: {"reference": "ZG0"},
        json=lambda w: {"note": "授权测试"},
    ),
    Case(
        "POST /api/v1/labor/rectification-orders/{reference}/penalty",
        api("403", ad="404"),
        path=lambda w: {"reference": "ZG0"},
        json=lambda w: {"amount": "100.00", "basis": "授权测试"},
    ),
    Case("GET /api/v1/labor/inspection-results", public(), query=lambda w: {"district": "120101"}),
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
    # --- hotline: the knowledge base is public; authors draft, reviewers publish
    Case("GET /api/v1/hotline/kb/search", public(), query=lambda w: {"q": "养老金怎么算"}),
    Case("GET /api/v1/hotline/kb/articles/{code}", public(), path=lambda w: {"code": "policy-pension"}),
    Case("GET /api/v1/hotline/kb/queue", api("403", **many(*STAFF, to="2xx"))),
    Case(
        "POST /api/v1/hotline/kb/articles",
        api("403", c1="2xx", c3="2xx", ad="2xx"),
        json=lambda w: {"code": "qa-authz-new", "title": "新问答", "body": "新问答的正文。"},
    ),
    Case(
        "PUT /api/v1/hotline/kb/articles/{code}",
        api("403", c1="2xx", c3="2xx", ad="2xx"),
        path=lambda w: {"code": "qa-authz-draft"},
        json=lambda w: {"title": "改过的问答", "body": "改过的正文。"},
    ),
    Case(
        "POST /api/v1/hotline/kb/articles/{code}/submit",
        api("403", c1="2xx", c3="2xx", ad="2xx"),
        path=lambda w: {"code": "qa-authz-draft"},
    ),
    Case(
        "POST /api/v1/hotline/kb/articles/{code}/publish",
        api("403", rv="2xx", ad="2xx"),
        path=lambda w: {"code": "qa-authz-pending"},
    ),
    Case(
        "POST /api/v1/hotline/kb/articles/{code}/retire",
        api("403", rv="2xx", ad="2xx"),
        path=lambda w: {"code": "policy-card"},
    ),
    # the desk: agents (clerks, administrators) open tickets and see their own; units their queue
    Case(
        "GET /api/v1/hotline/callers",
        api("403", c1="2xx", c3="404", ad="2xx"),
        query=lambda w: {"id_number": w.person_a.id_number},
        leak_ok=frozenset({CLERK_120101, ADMINISTRATOR}),
    ),
    Case(
        "POST /api/v1/hotline/tickets",
        api("403", c1="2xx", c3="2xx", ad="2xx"),
        json=lambda w: {
            "kind": "consultation",
            "category": "card",
            "summary": "咨询补卡",
            "answer": "已答复",
            "resolved_on_call": True,
        },
    ),
    Case("GET /api/v1/hotline/tickets", api("403", c1="2xx", c3="2xx", rv="2xx", ad="2xx")),
    Case(
        "GET /api/v1/hotline/tickets/{reference}",
        # the clerk who took the call, the inspectorate's unit (no such role here) and administrators
        api("403", c1="2xx", c3="404", rv="404", ad="2xx"),
        path=lambda w: {"reference": w.ticket_a.reference},
        leak_ok=frozenset({CLERK_120101, ADMINISTRATOR}),
    ),
    Case(
        "POST /api/v1/hotline/tickets/{reference}/resolve",
        api("403", c3="404", rv="404", ad="2xx"),
        path=lambda w: {"reference": w.ticket_a.reference},
        json=lambda w: {"resolution": "已立案调查。"},
    ),
    Case(
        "POST /api/v1/hotline/tickets/{reference}/callback",
        api("403", c1="2xx", c3="404", ad="2xx"),
        path=lambda w: {"reference": w.ticket_a.reference},
        json=lambda w: {"note": "已回电。"},
    ),
    Case(
        "POST /api/v1/hotline/tickets/{reference}/quality",
        api("403", ad="2xx"),
        path=lambda w: {"reference": w.ticket_a.reference},
        json=lambda w: {"score": 4, "note": "规范"},
    ),
    Case(
        "GET /api/v1/hotline/statistics",
        api("403", c1="2xx", c3="2xx", ad="2xx"),
        query=lambda w: {"since": "2026-01-01", "until": "2026-12-31"},
    ),
    # The analytics platform: analysts, fund supervisors and administrators (aggregates only).
    Case("GET /api/v1/analytics/metrics", api("403", ad="2xx")),
    Case(
        "GET /api/v1/analytics/metrics/{name}",
        api("403", ad="2xx"),
        path=lambda w: {"name": "insured-headcount"},
        query=lambda w: {"period": "2026-01"},
    ),
    # Open statistics: anyone (the matrix's world has exported no lake, so no month to show).
    Case("GET /api/v1/analytics/open", public()),
    Case("GET /api/v1/analytics/open/{name}", public("404"), path=lambda w: {"name": "insured-by-district-decade-sex"}),
    # The unemployment early warnings (E5): analysts, fund supervisors and administrators of the
    # warning's district (the world's administrator is city-wide; clerks and reviewers are refused).
    Case("GET /api/v1/analytics/warnings", api("403", ad="2xx"), query=lambda w: {"status": "open"}),
    Case("POST /api/v1/analytics/warnings/run", api("403", ad="2xx"), json=lambda w: {"period": "2026-05"}),
    Case(
        "POST /api/v1/analytics/warnings/{warning_id}/acknowledge",
        api("403", ad="2xx"),
        path=lambda w: {"warning_id": w.warning_e1.pk},
        json=lambda w: {"note": "已联系企业"},
    ),
    Case(
        "POST /api/v1/analytics/warnings/{warning_id}/close",
        api("403", ad="2xx"),
        path=lambda w: {"warning_id": w.warning_e1.pk},
        json=lambda w: {"note": "已核实"},
    ),
    # Applications: a seeker's own; the applicants of E1's vacancy only to E1's agent.
    Case("GET /api/v1/employment/me/applications", api("403", a="2xx", b="2xx")),
    Case(
        "POST /api/v1/employment/vacancies/{vacancy_id}/applications",
        api("403", a="2xx", b="2xx"),
        path=lambda w: {"vacancy_id": str(w.vacancy_e1.pk)},
        json=lambda w: {"note": "可随时到岗"},
    ),
    Case(
        "GET /api/v1/employment/vacancies/{vacancy_id}/applications",
        api("403", agent="2xx"),
        path=lambda w: {"vacancy_id": str(w.vacancy_e1.pk)},
    ),
    Case(
        "POST /api/v1/employment/applications/{application_id}/invitation",
        api("403", agent="2xx"),
        path=lambda w: {"application_id": str(w.job_application_a.pk)},
        json=lambda w: {"at": _interview_at(), "place": "三楼人事部"},
    ),
    # Policies: public notices to anyone signed in; runs for the reviewer and the
    # administrator; approval only for an approver (none in this world) who did not run it.
    Case("GET /api/v1/employment/policies", api("2xx")),
    Case("GET /api/v1/employment/policy-runs", api("403", rv="2xx", ad="2xx")),
    Case("GET /api/v1/employment/loans", api("403", rv="2xx", ad="2xx")),
    Case(
        "POST /api/v1/employment/policy-runs",
        api("403", rv="2xx", ad="2xx"),
        json=lambda w: {"policy": "job_stabilisation_refund", "period": "2025-01-01"},
    ),
    Case(
        "GET /api/v1/employment/policy-runs/{run_id}/payments",
        api("403", rv="2xx", ad="2xx"),
        path=lambda w: {"run_id": str(w.policy_run.pk)},
    ),
    Case(
        "POST /api/v1/employment/policy-runs/{run_id}/approve",
        api("403"),
        path=lambda w: {"run_id": str(w.policy_run.pk)},
    ),
    # The bureau's support for people (E1, E2): staff of the person's district (counter clerks,
    # reviewers, approvers, administrators; another district's clerk finds nothing), the review
    # for reviewers and administrators; the slot's counsellor records the outcome; a citizen
    # books (A already holds a booking: 409), cancels their own, registers their start-up.
    Case("GET /api/v1/employment/special-groups", api("2xx")),
    Case("GET /api/v1/employment/special-group-members", api("403", **many(*STAFF, to="2xx"))),
    Case(
        "POST /api/v1/employment/special-group-members",
        api("403", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        json=lambda w: {"id_number": w.person_a.id_number, "category": "disabled", "evidence": "残疾人证 第1号"},
    ),
    Case(
        "GET /api/v1/employment/special-group-members/{membership_id}",
        api("403", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=lambda w: {"membership_id": str(w.support_member_a.pk)},
    ),
    Case(
        "POST /api/v1/employment/special-group-members/{membership_id}/end",
        api("403", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=lambda w: {"membership_id": str(w.support_member_a.pk)},
        json=lambda w: {"reason": "employed"},
    ),
    Case(
        "POST /api/v1/employment/special-group-members/{membership_id}/measures",
        api("403", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=lambda w: {"membership_id": str(w.support_member_a.pk)},
        json=lambda w: {"kind": "career_guidance", "given_on": dt.date.today().isoformat()},
    ),
    Case(
        "POST /api/v1/employment/special-group-members/{membership_id}/follow-ups",
        api("403", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=lambda w: {"membership_id": str(w.support_member_a.pk)},
        json=lambda w: {"on": dt.date.today().isoformat(), "way": "phone"},
    ),
    Case("POST /api/v1/employment/special-group-review", api("403", rv="2xx", ad="2xx")),
    Case("GET /api/v1/employment/guidance/slots", api("2xx")),
    Case(
        "POST /api/v1/employment/guidance/slots",
        api("403", c1="2xx", c3="403", rv="2xx", ad="2xx"),
        json=lambda w: {
            "starts_at": (dt.date.today() + dt.timedelta(days=9)).isoformat() + "T09:00:00+08:00",
            "place": "三楼职业指导室",
            "district": "120101",
        },
    ),
    Case("GET /api/v1/employment/guidance/slots/mine", api("403", **many(*STAFF, to="2xx"))),
    Case(
        "POST /api/v1/employment/guidance/slots/{slot_id}/booking",
        api("403", a="409", b="2xx"),
        path=lambda w: {"slot_id": str(w.guidance_slot_open.pk)},
        json=lambda w: {"topic": "求职"},
    ),
    Case("GET /api/v1/employment/me/guidance-bookings", api("403", a="2xx", b="2xx")),
    Case(
        "POST /api/v1/employment/guidance/bookings/{booking_id}/cancel",
        api("403", a="2xx", b="404"),
        path=lambda w: {"booking_id": str(w.guidance_booking_a.pk)},
    ),
    Case(
        "POST /api/v1/employment/guidance/bookings/{booking_id}/outcome",
        api("403", c1="2xx", c3="404", rv="404", ad="404"),
        path=lambda w: {"booking_id": str(w.guidance_booking_a.pk)},
        json=lambda w: {"attended": True, "outcome": "建议参加培训"},
    ),
    Case("GET /api/v1/employment/me/startups", api("403", a="2xx", b="2xx")),
    Case(
        "POST /api/v1/employment/startups",
        api("403", a="2xx", b="2xx"),
        json=lambda w: {"business_name": "小王花店", "started_on": "2026-09-01", "industry": "F", "district": "120101"},
    ),
    Case("GET /api/v1/employment/startups", api("403", **many(*STAFF, to="2xx"))),
    Case(
        "POST /api/v1/employment/startups/{registration_id}/guidance",
        api("403", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=lambda w: {"registration_id": str(w.startup_a.pk)},
        json=lambda w: {"on": dt.date.today().isoformat(), "adviser": "王建国", "topics": ["财务"]},
    ),
    # Licensed HR agencies (E1): administrators record and revoke licences; the all-scopes agency,
    # licensed for 120101, posts for E1, lists, reads and closes only what it posted.
    Case("GET /api/v1/employment/agency-licences", api("403", ad="2xx")),
    Case(
        "POST /api/v1/employment/agency-licences",
        api("403", ad="2xx"),
        json=lambda w: {
            "licence_number": "津人服证字〔2026〕第AUTHZ0002号",
            "agency_name": "授权测试二号人力资源公司",
            "client_name": "授权测试二号机构",
            "districts": ["120101"],
            "valid_from": "2026-01-01",
            "valid_until": "2030-12-31",
        },
    ),
    Case(
        "POST /api/v1/employment/agency-licences/{licence_id}/revoke",
        api("403", ad="2xx"),
        path=lambda w: {"licence_id": str(w.agency["licence"].pk)},
        json=lambda w: {"reason": "违规收费"},
    ),
    Case("GET /api/v1/employment/agency/vacancies", api("403", agy="2xx")),
    Case(
        "POST /api/v1/employment/agency/vacancies",
        api("403", agy="2xx"),
        json=lambda w: {
            "credit_code": w.employer_e1.credit_code,
            "title": "代招文员",
            "description": "处理日常文书。",
            "occupation": "3-01",
            "district": "120101",
            "wage_min": "5000",
            "wage_max": "7000",
            "headcount": 1,
            "valid_until": "2099-12-31",
        },
    ),
    Case(
        "GET /api/v1/employment/agency/vacancies/{vacancy_id}",
        api("403", agy="2xx"),
        path=lambda w: {"vacancy_id": str(w.agency["vacancy"].pk)},
    ),
    Case(
        "POST /api/v1/employment/agency/vacancies/{vacancy_id}/close",
        api("403", agy="2xx"),
        path=lambda w: {"vacancy_id": str(w.agency["vacancy"].pk)},
    ),
    # Shortlists and seekers for a vacancy (E4): only E1's agent, for its own vacancy and applicant.
    Case(
        "POST /api/v1/employment/applications/{application_id}/decision",
        api("403", agent="2xx"),
        path=lambda w: {"application_id": str(w.job_application_a.pk)},
        json=lambda w: {"decision": "declined"},
    ),
    Case(
        "GET /api/v1/employment/vacancies/{vacancy_id}/seekers",
        api("403", agent="2xx"),
        path=lambda w: {"vacancy_id": str(w.vacancy_e1.pk)},
    ),
    # --- hotline: the IVR platform (agency grant hotline:ivr) and the voice menu's export for staff
    Case(
        "GET /api/v1/hotline/ivr/export", api("403", **many(*STAFF, to="2xx")), query=lambda w: {"format": "asterisk"}
    ),
    Case(
        "POST /api/v1/hotline/ivr/identify",
        api("403", agy="2xx"),
        json=lambda w: {"caller": PHONE_A, "id_number": w.person_a.id_number},
        setup=_ivr_phone_a,
    ),
    Case(
        "POST /api/v1/hotline/ivr/verify",
        # ok: the right client, but no code was sent in the shared world (422 code_invalid)
        api("403", agy="ok"),
        json=lambda w: {"challenge": "3f0c6a52-8d0e-4a57-9a53-2f4a1f4a9d10", "code": "123456"},
    ),
    Case(
        "POST /api/v1/hotline/ivr/query",
        api("403", agy="2xx"),
        json=lambda w: {"session": _ivr_session(w), "query": "application_status"},
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
    # --- credit: the kinds and lists are public; my credit is a citizen's or the employer's
    # (staff and agencies have none: 404); only E1's agent objects to E1's record; staff of
    # E1's district (and city-wide) look an employer or a person up, audited
    Case("GET /api/v1/credit/event-kinds", public()),
    Case("GET /api/v1/credit/lists/{which}", public(), path=lambda w: {"which": "black"}),
    Case("GET /api/v1/credit/mine", api("404", a="2xx", b="2xx", agent="2xx")),
    Case(
        "POST /api/v1/credit/events/{event_id}/objections",
        api("404", agent="2xx"),
        path=lambda w: {"event_id": str(w.credit_event_e1.pk)},
        json=lambda w: {"reason": "已缴纳", "idempotency_key": "authz-matrix"},
    ),
    Case(
        "GET /api/v1/credit/employers/{credit_code}",
        api("403", agent="2xx", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=lambda w: {"credit_code": w.employer_e1.credit_code},
    ),
    Case(
        "GET /api/v1/credit/persons/{id_number}",
        api("403", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=lambda w: {"id_number": w.person_a.id_number},
    ),
    # --- archive: my dossier is a citizen's or the employer's (staff and agencies have none:
    # 404); staff of the subject's district (and city-wide) open a dossier with a purpose,
    # audited; A holds a certificate, issued to A only, its PDF A's and district staff's;
    # anyone verifies a code
    Case("GET /api/v1/archive/dossier", api("404", a="2xx", b="2xx", agent="2xx")),
    Case(
        "GET /api/v1/archive/persons/{id_number}/dossier",
        api("403", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=lambda w: {"id_number": w.person_a.id_number},
        query=lambda w: {"purpose": "authz"},
    ),
    Case(
        "GET /api/v1/archive/employers/{credit_code}/dossier",
        api("403", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=lambda w: {"credit_code": w.employer_e1.credit_code},
        query=lambda w: {"purpose": "authz"},
    ),
    Case("GET /api/v1/archive/certificate-offers", api("2xx")),
    Case("GET /api/v1/archive/my-certificates", api("2xx")),
    Case(
        "POST /api/v1/archive/my-certificates",
        api("403", a="2xx", b="404"),
        json=lambda w: {"kind": "insurance.contributions", "ref": ""},
    ),
    Case(
        "GET /api/v1/archive/my-certificates/{code}/pdf",
        api("404", a="2xx", c1="2xx", rv="2xx", ad="2xx"),
        path=lambda w: {"code": w.certificate_a.code},
    ),
    Case("GET /api/v1/archive/certificates/{code}", public(), path=lambda w: {"code": w.certificate_a.code}),
    # --- exams: announced exams and ticket checks are public; A registers (a retry gives it
    # back) and B too, on the open exam 2; A's registration to exam 1 is paid (its fee no longer
    # due: 409), seated, scored and published, with a re-check asked for (asking again gives it
    # back); the office (reviewer, administrator) takes exams a step, reviews, records sheets
    # (exam 1 is published: 409), re-checks and keeps the bank; markers find nothing left to
    # mark (404) and A's script is settled (409); everyone else is refused, or told nothing
    Case("GET /api/v1/exams/exams", public()),
    Case("GET /api/v1/exams/exams/{code}", public(), path=lambda w: {"code": "EXAUTHZ2"}),
    Case(
        "POST /api/v1/exams/exams/{code}/registrations",
        api("403", a="2xx", b="2xx"),
        path=lambda w: {"code": "EXAUTHZ2"},
        json=lambda w: {"post": "P01", "certificate_number": ""},
    ),
    Case("GET /api/v1/exams/my-registrations", api("2xx")),
    Case(
        "POST /api/v1/exams/my-registrations/{registration_id}/fee",
        api("403", a="409", b="404"),
        path=lambda w: {"registration_id": str(w.exam_registration_a.pk)},
    ),
    Case(
        "GET /api/v1/exams/my-registrations/{registration_id}/ticket",
        api("404", a="2xx"),
        path=lambda w: {"registration_id": str(w.exam_registration_a.pk)},
    ),
    Case(
        "POST /api/v1/exams/my-registrations/{registration_id}/appeal",
        api("403", a="2xx", b="404"),
        path=lambda w: {"registration_id": str(w.exam_registration_a.pk)},
        json=lambda w: {"reason": "复核"},
    ),
    Case(
        "GET /api/v1/exams/tickets/{ticket}",
        public(),
        path=lambda w: {"ticket": w.exam_registration_a.seat.ticket},
    ),
    Case(
        "POST /api/v1/exams/payments/{gateway}/notify",
        public(),
        path=lambda w: {"gateway": "thirdparty"},
        json=lambda w: {"reference": w.exam_fee_a.reference, "status": "paid", "amount": "50.00"},
    ),
    Case("GET /api/v1/exams/office/exams", api("403", rv="2xx", ad="2xx")),
    Case(
        "POST /api/v1/exams/office/exams/{code}/steps",
        api("403", rv="2xx", ad="2xx"),
        path=lambda w: {"code": "EXAUTHZ2"},
        json=lambda w: {"step": "close"},
    ),
    Case(
        "GET /api/v1/exams/office/exams/{code}/registrations",
        api("403", rv="2xx", ad="2xx"),
        path=lambda w: {"code": "EXAUTHZ1"},
    ),
    Case(
        "POST /api/v1/exams/office/registrations/{registration_id}/review",
        api("403", rv="2xx", ad="2xx"),
        path=lambda w: {"registration_id": str(w.exam_review_a.pk)},
        json=lambda w: {"approve": True, "note": ""},
    ),
    Case(
        "POST /api/v1/exams/office/exams/{code}/sheets",
        api("403", rv="409", ad="409"),
        path=lambda w: {"code": "EXAUTHZ1"},
        json=lambda w: {"sheets": {}, "scripts": {}},
    ),
    Case(
        "POST /api/v1/exams/office/appeals/{appeal_id}/decision",
        api("403", rv="2xx", ad="2xx"),
        path=lambda w: {"appeal_id": str(w.exam_appeal_a.pk)},
    ),
    Case("GET /api/v1/exams/office/items", api("403", rv="2xx", ad="2xx")),
    Case(
        "POST /api/v1/exams/office/items",
        api("403", rv="2xx", ad="2xx"),
        json=lambda w: {
            "kind": "judge",
            "tag": "authz",
            "difficulty": 1,
            "points": "1",
            "stem": "判断",
            "options": ["对", "错"],
            "key": "A",
        },
    ),
    Case("GET /api/v1/exams/marking/next", api("404")),
    Case(
        "POST /api/v1/exams/marking/{script_code}",
        api("404", rv="409"),
        path=lambda w: {"script_code": w.exam_script_a.code},
        json=lambda w: {"score": "5"},
    ),
    # --- exchange: the key set and the questions are public; department systems ask with the
    # grant each service needs (the all-scopes agency holds them all, the other only
    # verify:certificates); the history also needs A's consent code; citizens make, revoke
    # and list their consent codes and see who asked
    Case("GET /api/v1/exchange/jwks", public()),
    Case("GET /api/v1/exchange/questions", public()),
    Case(
        "GET /api/v1/exchange/persons/{id_number}/status",
        api("403", agy="2xx"),
        path=lambda w: {"id_number": w.person_a.id_number},
        query=lambda w: {"questions": "alive,insured", "purpose": "authz"},
    ),
    Case(
        "GET /api/v1/exchange/certificates/{kind}/{number}",
        api("403", agy="2xx", agn="2xx"),
        path=lambda w: {"kind": "bureau_certificate", "number": w.certificate_a.number},
        query=lambda w: {"id_number": w.person_a.id_number, "purpose": "authz"},
    ),
    Case(
        "GET /api/v1/exchange/persons/{id_number}/history",
        api("403", agy="2xx"),
        path=lambda w: {"id_number": w.person_a.id_number},
        query=lambda w: {"consent_code": w.consent_code_a, "purpose": "authz"},
    ),
    Case("GET /api/v1/exchange/consents", api("2xx")),
    Case(
        "POST /api/v1/exchange/consents",
        api("403", a="2xx", b="2xx"),
        json=lambda w: {"recipient": "授权测试部门", "purpose": "authz", "days": 7},
    ),
    Case(
        "POST /api/v1/exchange/consents/{consent_id}/revoke",
        api("404", a="2xx"),
        path=lambda w: {"consent_id": str(w.consent_a.pk)},
    ),
    Case("GET /api/v1/exchange/inquiries", api("2xx")),
    Case("GET /api/v1/exchange/certificates/mine", api("2xx")),
    # --- talent (R3): E1 is a public institution with A on its staff; 120101's staff see it, 120103's do not
    Case("GET /api/v1/talent/allowances", public()),
    Case("GET /api/v1/talent/institutions", api("403", agent="2xx", c1="2xx", c3="2xx", rv="2xx", ad="2xx")),
    Case(
        "POST /api/v1/talent/institutions",
        api("403", ad="2xx"),
        json=lambda w: {"credit_code": w.employer_e1.credit_code, "supervisor": "授权主管部门"},
    ),
    Case(
        "GET /api/v1/talent/institutions/{institution_id}",
        api("403", agent="2xx", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=_talent_institution,
    ),
    Case(
        "PUT /api/v1/talent/institutions/{institution_id}/quotas",
        api("403", ad="2xx"),
        path=_talent_institution,
        json=lambda w: {"kind": "full", "count": 6, "document": "授权编〔2026〕1号"},
    ),
    Case(
        "PUT /api/v1/talent/institutions/{institution_id}/posts",
        api("403", ad="2xx"),
        path=_talent_institution,
        json=lambda w: {"category": "professional", "grade": 10, "count": 4},
    ),
    Case(
        "GET /api/v1/talent/institutions/{institution_id}/staff",
        api("403", agent="2xx", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=_talent_institution,
    ),
    Case(
        "POST /api/v1/talent/institutions/{institution_id}/staff",
        api("403", agent="2xx", ad="2xx"),
        path=_talent_institution,
        # E1's agent sent B's ID number and name itself (both must match the registry) and the
        # answer names the staff member it added (the JSON body escapes the name, so the echo
        # check does not see it as sent).
        leak_ok=frozenset({AGENT_E1}),
        json=lambda w: {
            "id_number": w.person_b.id_number,
            "name": NAME_B,
            "post": str(w.talent["p10"].pk),
            "kind": "full",
            "scale_step": 10,
            "entered_on": "2026-01-01",
        },
    ),
    Case(
        "POST /api/v1/talent/staff/{staff_id}/leave",
        api("403", agent="2xx", ad="2xx"),
        path=lambda w: {"staff_id": str(w.talent["staff_a"].pk)},
        json=lambda w: {"left_on": dt.date.today().isoformat()},
    ),
    Case("GET /api/v1/talent/plans", api("403", agent="2xx", c1="2xx", c3="2xx", rv="2xx", ad="2xx")),
    Case(
        "POST /api/v1/talent/plans",
        api("403", agent="2xx"),
        json=lambda w: {
            "year": dt.date.today().year,
            "kind": "full",
            "posts": [{"post": str(w.talent["p10"].pk), "numbers": 1}],
            "idempotency_key": "authz-plan-api",
        },
    ),
    Case("GET /api/v1/talent/post-changes", api("403", agent="2xx", c1="2xx", c3="2xx", rv="2xx", ad="2xx")),
    Case(
        "POST /api/v1/talent/post-changes",
        api("403", agent="2xx"),
        json=lambda w: {
            "staff": str(w.talent["staff_a"].pk),
            "to_post": str(w.talent["p9"].pk),
            "effective_on": dt.date.today().isoformat(),
            "reason": "授权测试",
            "idempotency_key": "authz-change",
        },
    ),
    Case("GET /api/v1/talent/wage-approvals", api("403", agent="2xx", c1="2xx", c3="2xx", rv="2xx", ad="2xx")),
    Case(
        "POST /api/v1/talent/wage-approvals",
        api("403", agent="2xx"),
        json=lambda w: {
            "staff": str(w.talent["staff_a"].pk),
            "effective_on": dt.date.today().isoformat(),
            "scale_step": 21,
            "allowances": [],
            "idempotency_key": "authz-wage",
        },
    ),
    # --- talent (R1): A holds a green card with a benefit pending, B none; reviewers and administrators decide
    Case("GET /api/v1/talent/green-card/mine", api("403", a="2xx", b="2xx")),
    Case("GET /api/v1/talent/green-card/benefits", api("403", a="2xx", b="2xx", rv="2xx", ad="2xx")),
    Case(
        "POST /api/v1/talent/green-card/benefits",
        # B holds no card: refused with the reason (409).
        api("403", a="2xx", b="409"),
        json=lambda w: {"kind": "housing", "details": "授权测试", "idempotency_key": "authz-benefit-api"},
    ),
    Case(
        "POST /api/v1/talent/green-card/benefits/{benefit_id}/decision",
        api("403", rv="2xx", ad="2xx"),
        path=_talent_benefit,
        json=lambda w: {"approved": False, "reason": "授权测试"},
    ),
    # --- talent (R1): A holds a professional title; the title office (administrators here) records and revokes
    Case("GET /api/v1/talent/titles/mine", api("403", a="2xx", b="2xx")),
    Case("GET /api/v1/talent/titles", api("403", ad="2xx")),
    Case(
        "POST /api/v1/talent/titles",
        api("403", ad="2xx"),
        json=lambda w: {
            "id_number": w.person_a.id_number,
            "name": NAME_A,
            "number": "AUTHZ-ZC-NEW",
            "series": "工程",
            "title": "高级工程师",
            "level": "deputy_senior",
            "committee": "授权测试评审委员会",
            "issued_on": "2025-06-30",
        },
    ),
    Case(
        "POST /api/v1/talent/titles/{title_id}/revoke",
        api("403", ad="2xx"),
        path=lambda w: {"title_id": str(w.talent["title_a"].pk)},
        json=lambda w: {"reason": "授权测试"},
    ),
    # --- talent programmes (R1): only the administrator is of the programme office here; B is an
    # expert reviewing A's declaration in AUTHZ-P1 (B sees A's name there: leak_ok); A's result in
    # AUTHZ-P2 is published and appealed.
    Case("GET /api/v1/talent/programmes", public()),
    Case("GET /api/v1/talent/programmes/{code}", public(), path=lambda w: {"code": "AUTHZ-P1"}),
    Case("GET /api/v1/talent/programmes/{code}/results", public(), path=lambda w: {"code": "AUTHZ-P2"}),
    Case(
        "POST /api/v1/talent/programmes",
        api("403", ad="2xx"),
        json=lambda w: {
            "code": "AUTHZ-P3",
            "name": "授权新计划",
            "level": "municipal",
            "opens_on": dt.date.today().isoformat(),
            "closes_on": dt.date.today().isoformat(),
            "funding_per_project": "1000.00",
            "awards": 1,
            "criteria": [{"name": "创新性", "max_points": 100}],
        },
    ),
    Case("GET /api/v1/talent/office/programmes", api("403", ad="2xx")),
    Case(
        "GET /api/v1/talent/programmes/{code}/declarations",
        api("403", ad="2xx"),
        path=lambda w: {"code": "AUTHZ-P1"},
    ),
    Case("POST /api/v1/talent/programmes/{code}/aggregate", api("403", ad="2xx"), path=lambda w: {"code": "AUTHZ-P1"}),
    # P1 still takes declarations: the office is told so (409).
    Case("POST /api/v1/talent/programmes/{code}/publish", api("403", ad="409"), path=lambda w: {"code": "AUTHZ-P1"}),
    # P2's notice period runs: the office is told so (409).
    Case("POST /api/v1/talent/programmes/{code}/finalise", api("403", ad="409"), path=lambda w: {"code": "AUTHZ-P2"}),
    Case("GET /api/v1/talent/experts", api("403", ad="2xx")),
    Case(
        "POST /api/v1/talent/experts",
        api("403", ad="2xx"),
        json=lambda w: {"id_number": w.person_a.id_number, "name": NAME_A, "specialities": ["工程技术"]},
    ),
    Case(
        "POST /api/v1/talent/experts/{expert_id}/conflicts",
        api("403", ad="2xx"),
        path=lambda w: {"expert_id": str(w.talent["expert_b"].pk)},
        json=lambda w: {"credit_code": w.employer_e1.credit_code, "reason": "授权测试"},
    ),
    Case(
        "POST /api/v1/talent/declarations/{declaration_id}/check",
        api("403", ad="2xx"),
        path=lambda w: {"declaration_id": str(w.talent["declaration_b"].pk)},
        json=lambda w: {"accepted": True},
    ),
    Case(
        "POST /api/v1/talent/declarations/{declaration_id}/assign",
        api("403", ad="2xx"),
        path=lambda w: {"declaration_id": str(w.talent["AUTHZ-P1-a"].pk)},
    ),
    Case("GET /api/v1/talent/appeals", api("403", ad="2xx")),
    Case(
        "POST /api/v1/talent/appeals/{appeal_id}/decision",
        api("403", ad="2xx"),
        path=lambda w: {"appeal_id": str(w.talent["appeal_a"].pk)},
        json=lambda w: {"upheld": False, "reason": "授权测试"},
    ),
    Case(
        "POST /api/v1/talent/declarations",
        # One declaration a person and programme: each citizen's retry answers with their own.
        api("403", a="2xx", b="2xx"),
        json=lambda w: {"programme": "AUTHZ-P1", "title": "授权", "summary": "授权", "requested_amount": "1000.00"},
    ),
    Case("GET /api/v1/talent/declarations/mine", api("403", a="2xx", b="2xx")),
    Case(
        "POST /api/v1/talent/declarations/{declaration_id}/appeal",
        api("403", a="2xx", b="404"),
        path=lambda w: {"declaration_id": str(w.talent["AUTHZ-P2-a"].pk)},
        json=lambda w: {"reason": "授权测试"},
    ),
    Case("GET /api/v1/talent/expert/assignments", api("403", b="2xx"), leak_ok=frozenset({CITIZEN_B})),
    Case(
        "GET /api/v1/talent/expert/assignments/{assignment_id}",
        api("403", b="2xx"),
        path=lambda w: {"assignment_id": str(w.talent["assignment_b"].pk)},
        leak_ok=frozenset({CITIZEN_B}),  # the expert reads the applicant they review
    ),
    Case(
        "POST /api/v1/talent/expert/assignments/{assignment_id}/sheet",
        api("403", b="2xx"),
        path=lambda w: {"assignment_id": str(w.talent["assignment_b"].pk)},
        json=lambda w: {"scores": {"创新性": "40", "可行性": "45.5"}, "comment": "授权测试"},
    ),
    Case(
        "POST /api/v1/talent/expert/assignments/{assignment_id}/recuse",
        api("403", b="2xx"),
        path=lambda w: {"assignment_id": str(w.talent["assignment_b"].pk)},
        json=lambda w: {"reason": "授权测试回避"},
        leak_ok=frozenset({CITIZEN_B}),  # the expert reads the applicant they recuse from
    ),
    Case(
        "POST /api/v1/talent/expert/conflicts",
        api("403", b="2xx"),
        json=lambda w: {"credit_code": w.employer_e1.credit_code, "reason": "授权测试"},
    ),
    # --- training: public reference data and verification; citizens' own; E1 is a school and an appraisal body
    Case("GET /api/v1/training/policies", public()),
    Case("GET /api/v1/training/qualifications", public()),
    Case("GET /api/v1/training/shortage-occupations", public()),
    Case("GET /api/v1/training/institutions", public()),
    Case("GET /api/v1/training/courses", public()),
    Case(
        "GET /api/v1/training/courses/{course_id}", public(), path=lambda w: {"course_id": str(w.training["course"].pk)}
    ),
    Case("GET /api/v1/training/appraisal-sessions", public()),
    Case(
        "GET /api/v1/training/certificates/{number}",
        # the holder's name masked, except for A and agencies holding verify:certificates (their purpose)
        public(),
        path=lambda w: {"number": w.training["certificate_a"].number},
        leak_ok=frozenset({AGENCY_NONE}),
    ),
    # B enrols too (a real enrolment); A's second enrolment answers with the first
    Case(
        "POST /api/v1/training/courses/{course_id}/enrol",
        api("403", a="2xx", b="2xx"),
        path=lambda w: {"course_id": str(w.training["course"].pk)},
    ),
    Case("GET /api/v1/training/me/enrolments", api("403", a="2xx", b="2xx")),
    Case(
        "POST /api/v1/training/me/enrolments/{enrolment_id}/progress",
        # ok for A: a course at a site records no online progress (409); B finds no such enrolment
        api("403", a="ok", b="404"),
        path=lambda w: {"enrolment_id": str(w.training["enrolment_a"].pk)},
        json=lambda w: {"percent": 50},
    ),
    Case(
        "POST /api/v1/training/me/enrolments/{enrolment_id}/survey",
        api("403", a="2xx", b="404"),
        path=lambda w: {"enrolment_id": str(w.training["enrolment_a"].pk)},
        json=lambda w: {"score": 5},
    ),
    Case("GET /api/v1/training/me/certificates", api("403", a="2xx", b="2xx")),
    Case(
        "POST /api/v1/training/me/certificates/{certificate_id}/consent-code",
        api("403", a="2xx", b="404"),
        path=lambda w: {"certificate_id": str(w.training["certificate_a"].pk)},
    ),
    Case("GET /api/v1/training/me/candidacies", api("403", a="2xx", b="2xx")),
    Case(
        "POST /api/v1/training/appraisal-sessions/{session_id}/register",
        # ok: A already holds this level and B has neither training nor years in the occupation (409)
        api("403", a="ok", b="ok"),
        path=lambda w: {"session_id": str(w.training["open_exam"].pk)},
    ),
    Case("GET /api/v1/training/institution/courses", api("403", agent="2xx")),
    Case(
        "POST /api/v1/training/institution/courses",
        api("403", agent="2xx"),
        json=lambda w: {
            "title": "授权新课程",
            "qualification": "6-31-01-03",
            "level": 5,
            "mode": "online",
            "hours": 40,
            "capacity": 20,
            "starts_on": "2099-01-01",
            "ends_on": "2099-02-01",
        },
    ),
    Case(
        "GET /api/v1/training/institution/courses/{course_id}/enrolments",
        api("403", agent="2xx"),
        path=lambda w: {"course_id": str(w.training["course"].pk)},
    ),
    Case(
        "POST /api/v1/training/institution/sessions/{session_id}/attendance",
        api("403", agent="2xx"),
        path=lambda w: {"session_id": str(w.training["session"].pk)},
        json=lambda w: {"method": "card", "credential": w.card_a.number},
    ),
    Case(
        "POST /api/v1/training/institution/enrolments/{enrolment_id}/complete",
        api("403", agent="2xx"),
        path=lambda w: {"enrolment_id": str(w.training["enrolment_a"].pk)},
    ),
    Case("GET /api/v1/training/institution/claims", api("403", agent="2xx")),
    Case(
        "POST /api/v1/training/institution/claims",
        api("403", agent="2xx"),
        json=lambda w: {"course": str(w.training["course"].pk), "idempotency_key": "authz-claim"},
    ),
    Case("GET /api/v1/training/body/sessions", api("403", agent="2xx")),
    Case(
        "POST /api/v1/training/body/sessions",
        api("403", agent="2xx"),
        json=lambda w: {
            "qualification": "6-31-01-03",
            "level": 4,
            "site": str(w.training["appraisal_site"].pk),
            "starts_at": "2099-01-01T09:00:00+08:00",
            "ends_at": "2099-01-01T12:00:00+08:00",
            "proctors": ["授权监考三"],
        },
    ),
    Case(
        "GET /api/v1/training/body/sessions/{session_id}/candidates",
        api("403", agent="2xx"),
        path=lambda w: {"session_id": str(w.training["exam"].pk)},
    ),
    Case(
        "POST /api/v1/training/body/sessions/{session_id}/candidates/{candidate_id}/sign-in",
        api("403", agent="2xx"),  # A is already signed in: answered with the candidate
        path=lambda w: {"session_id": str(w.training["exam"].pk), "candidate_id": str(w.training["candidate_a"].pk)},
        json=lambda w: {"face_reference": "authz/face.jpg"},
    ),
    Case(
        "POST /api/v1/training/body/sessions/{session_id}/records",
        api("403", agent="2xx"),
        path=lambda w: {"session_id": str(w.training["open_exam"].pk)},
        json=lambda w: {"kind": "log", "text": "考场准备就绪。"},
    ),
    Case(
        "POST /api/v1/training/body/sessions/{session_id}/results",
        api("403", agent="ok"),  # ok: the session's results are published already (409)
        path=lambda w: {"session_id": str(w.training["exam"].pk)},
        json=lambda w: {
            "scores": [{"candidate": str(w.training["candidate_a"].pk), "theory": "90", "practical": "90"}]
        },
    ),
    Case(
        "POST /api/v1/training/body/sessions/{session_id}/check",
        api("403", agent="ok"),  # ok: nothing is waiting to be checked (409)
        path=lambda w: {"session_id": str(w.training["exam"].pk)},
    ),
    Case(
        "POST /api/v1/training/body/sessions/{session_id}/publish",
        api("403", agent="2xx"),  # published already: answered with its certificates
        path=lambda w: {"session_id": str(w.training["exam"].pk)},
    ),
    Case("GET /api/v1/training/supervision/cases", api("403", rv="2xx", ad="2xx")),
    Case("GET /api/v1/training/supervision/sessions", api("403", rv="2xx", ad="2xx")),
    Case(
        "POST /api/v1/training/certificates/{number}/revoke",
        api("403", rv="2xx", ad="2xx"),
        path=lambda w: {"number": w.training["certificate_a"].number},
        json=lambda w: {"reason": "授权测试撤销"},
    ),
    Case("POST /api/v1/training/payments", api("403", ad="2xx")),
    # --- medical: public reference data; citizens' own visits; the all-scopes agency is bound to a hospital
    Case("GET /api/v1/medical/catalogue", public()),
    Case("GET /api/v1/medical/institutions", public()),
    Case("GET /api/v1/medical/me/insurance", api("403", a="2xx", b="2xx")),
    Case("GET /api/v1/medical/me/claims", api("403", a="2xx", b="2xx")),
    Case("GET /api/v1/medical/me/account-credits", api("403", a="2xx", b="2xx")),
    Case(
        "POST /api/v1/medical/institution/presettle",
        api("403", agy="2xx"),
        json=lambda w: {**_MEDICAL_BILL, "card_number": w.card_a.number, "card_pin": PIN},
    ),
    Case(
        "POST /api/v1/medical/institution/settlements",
        api("403", agy="2xx"),
        json=lambda w: {
            **_MEDICAL_BILL,
            "card_number": w.card_a.number,
            "card_pin": PIN,
            "transaction_id": "AUTHZ-SETTLE",
        },
    ),
    Case(
        "GET /api/v1/medical/institution/settlements/{transaction_id}",
        api("403", agy="2xx"),
        path=lambda w: {"transaction_id": "AUTHZ-1"},
    ),
    Case(
        "POST /api/v1/medical/institution/settlements/{transaction_id}/reversal",
        api("403", agy="2xx"),
        path=lambda w: {"transaction_id": "AUTHZ-1"},
        json=lambda w: {"transaction_id": "AUTHZ-1-R"},
    ),
    Case(
        "POST /api/v1/medical/institution/settlements/{transaction_id}/refund",
        api("403", agy="2xx"),
        path=lambda w: {"transaction_id": "AUTHZ-2"},
        json=lambda w: {"transaction_id": "AUTHZ-2-F", "line_numbers": [2]},
    ),
    Case(
        "POST /api/v1/medical/institution/consented-visits",
        api("403", agy="2xx"),
        json=lambda w: {
            "id_number": w.person_a.id_number,
            "consent_code": w.medical_consent_code_a,
            "purpose": "authz",
        },
    ),
    # --- medical smart monitoring (S6): fund supervisors, reviewers and administrators of the
    # institution's district; the target case is at the hospital in 120101
    Case("POST /api/v1/medical/monitoring/runs", api("403", rv="2xx", ad="2xx")),
    Case("GET /api/v1/medical/monitoring/runs", api("403", rv="2xx", ad="2xx")),
    Case("GET /api/v1/medical/monitoring/flags", api("403", rv="2xx", ad="2xx")),
    Case(
        "GET /api/v1/medical/monitoring/flags/{flag_id}",
        api("403", rv="2xx", ad="2xx"),
        path=lambda w: {"flag_id": str(w.medical["flag"].pk)},
    ),
    Case(
        "POST /api/v1/medical/monitoring/flags/{flag_id}/decision",
        api("403", rv="2xx", ad="2xx"),
        path=lambda w: {"flag_id": str(w.medical["flag"].pk)},
        json=lambda w: {"decision": "dismiss", "reason": "授权测试驳回"},
    ),
    Case(
        "POST /api/v1/medical/monitoring/flags/{flag_id}/recovery",
        api("403", rv="2xx", ad="2xx"),
        path=lambda w: {"flag_id": str(w.medical["flag"].pk)},
        json=lambda w: {"recovered": True, "note": "授权测试追回"},
        setup=medical_flag_confirm,
    ),
    # --- medical reconciliation (S4), business against finance (S7), cross-region clearing (S5)
    Case(
        "GET /api/v1/medical/settlement-files/{date}",
        api("403", agy="2xx"),
        path=lambda w: {"date": _medical_yesterday()},
    ),
    Case(
        "POST /api/v1/medical/settlement-files",
        api("403", agy="2xx"),
        json=lambda w: {"date": _medical_yesterday(), "lines": []},
    ),
    Case(
        "GET /api/v1/medical/settlement-files/{date}/reconciliation",
        api("403", agy="404"),  # 404: the day is not reconciled
        path=lambda w: {"date": _medical_yesterday()},
    ),
    Case("GET /api/v1/medical/reconciliations", api("403", rv="2xx", ad="2xx")),
    Case(
        "GET /api/v1/medical/reconciliations/{reconciliation_id}",
        api("403", rv="404", ad="404"),  # none such: the same 404 as out of scope
        path=lambda w: {"reconciliation_id": "00000000-0000-4000-8000-000000000000"},
    ),
    Case("GET /api/v1/medical/finance", api("403", ad="2xx"), query=lambda w: {"month": _medical_month()}),
    Case("GET /api/v1/medical/clearing", api("403", ad="2xx"), query=lambda w: {"month": _medical_month()}),
    Case(
        "POST /api/v1/medical/clearing/{month}/send",
        api("403", ad="2xx"),
        path=lambda w: {"month": _medical_month(last=True)},
    ),
]

# ---------------------------------------------------------------------------------------- pages

# A page anyone may open; an unverified staff session is still sent to its second factor.
OPEN = page("2xx", anon="2xx")


def _local_payment_token() -> str:
    """A signed link of the recording gateway's page for an exam fee order that does not exist."""
    from decimal import Decimal

    from hrss.core.payments import Charge, RecordingGateway
    from hrss.core.payments_local import confirmation_url

    charge = Charge(
        reference="EXAUTHZNONE",
        amount=Decimal("60.00"),
        description="authz",
        method="third_party",
        notify="hrss.exams.services.fee_notification_apply",
    )
    return confirmation_url(RecordingGateway("thirdparty"), charge, "RECAUTHZ").split("/")[-2]


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
    Case(
        "GET /labor/cases/<str:reference>/documents/<slug:kind>.pdf",
        page("404", a="2xx", ad="2xx"),
        path=lambda w: {**_case(w), "kind": "acceptance-notice"},
    ),
    Case("POST /labor/cases/<str:reference>/take/", page("403", ad="3xx"), path=_case),
    Case(
        "GET /labor/employers/<str:credit_code>/",
        page("403", ad="2xx"),
        path=lambda w: {"credit_code": w.employer_e1.credit_code},
    ),
    Case(
        "GET /labor/employers/<str:credit_code>/filing/",
        page("403", ad="2xx"),
        path=lambda w: {"credit_code": w.employer_e1.credit_code},
    ),
    Case("GET /labor/projects/<str:reference>/", page("403", ad="2xx"), setup=_project_setup, path=_project),
    Case("GET /labor/register/", page("403", ad="2xx")),
    Case(
        "POST /labor/register/petitions/",
        page("403", ad="3xx"),
        form=lambda w: {
            "channel": "visit",
            "subject": "授权测试",
            "id_number": w.person_a.id_number,
            "idempotency_key": "authz-page",
        },
    ),
    Case(
        "POST /labor/register/fraud-cases/",
        page("403", ad="3xx"),
        form=lambda w: {
            "fraud_kind": "other",
            "found_by": "report",
            "amount": "10",
            "description": "授权测试",
            "credit_code": w.employer_e1.credit_code,
            "idempotency_key": "authz-page",
        },
    ),
    Case(
        "GET /labor/register/<slug:kind>/<str:reference>/",
        page("403", ad="2xx"),
        path=lambda w: {"kind": "petition", **_petition(w)},
    ),
    Case(
        "POST /labor/register/<slug:kind>/<str:reference>/<slug:step>/",
        page("403", ad="3xx"),
        path=lambda w: {"kind": "petition", **_petition(w), "step": "accept"},
    ),
    Case(
        "POST /labor/transfers/<int:transfer_id>/receipt/",
        page("403", ad="3xx"),
        path=lambda w: {"transfer_id": w.register["transfer"].pk},
    ),
    Case(
        "GET /labor/persons/<uuid:person_id>/", page("403", ad="2xx"), path=lambda w: {"person_id": str(w.person_a.pk)}
    ),
    Case("GET /labor/warnings/", page("403", ad="2xx"), query=lambda w: {"period": "2026-06"}),
    Case("POST /labor/warnings/", page("403", ad="3xx"), form=lambda w: {"period": "2026-06"}),
    Case("GET /labor/leads/", page("403", ad="2xx")),
    Case("GET /labor/leads/<uuid:lead_id>/", page("403", ad="404"), path=lambda w: {"lead_id": _NO_LEAD}),
    Case(
        "POST /labor/leads/<uuid:lead_id>/<slug:step>/",
        page("403", ad="404"),
        path=lambda w: {"lead_id": _NO_LEAD, "step": "order"},
        form=lambda w: {"requirement": "授权测试"},
    ),
    Case("GET /labor/inspection-results/", OPEN, query=lambda w: {"district": "120101"}),
    # credit on the pages: my credit (staff see that they have none), E1's agent objects to
    # E1's record, the staff look-up (without a purpose it only shows the form), public lists
    Case("GET /credit/mine/", page("2xx")),
    Case(
        "POST /credit/events/<uuid:event_id>/objection/",
        page("404", agent="3xx"),
        path=lambda w: {"event_id": str(w.credit_event_e1.pk)},
        form=lambda w: {"reason": "已缴纳", "idempotency_key": "authz-matrix-page"},
    ),
    Case("GET /credit/lookup/", page("403", c1="2xx", c3="2xx", rv="2xx", ad="2xx")),
    Case("GET /credit/lists/", page("2xx", anon="2xx")),
    # the archive on the pages: dossier and certificates (staff see that they have none), A
    # issues, the PDF is A's and district staff's, the staff look-up (without a purpose it
    # only shows the form), public verification (a POST without a file is refused)
    Case("GET /archive/dossier/", page("2xx")),
    Case("GET /archive/certificates/", page("2xx")),
    Case(
        "POST /archive/certificates/issue/",
        page("403", a="3xx", b="422"),
        form=lambda w: {"kind": "insurance.contributions", "ref": ""},
    ),
    Case(
        "GET /archive/certificates/<str:code>/pdf/",
        page("404", a="2xx", c1="2xx", rv="2xx", ad="2xx"),
        path=lambda w: {"code": w.certificate_a.code},
    ),
    Case("GET /archive/lookup/", page("403", c1="2xx", c3="2xx", rv="2xx", ad="2xx")),
    # digitised paper records: the counter (both districts' clerks) and administrators add
    # them (an empty form is refused); A's scan is A's, and staff's who cover A's district
    Case("GET /archive/scans/add/", page("403", c1="2xx", c3="2xx", ad="2xx")),
    Case("POST /archive/scans/add/", page("403", c1="422", c3="422", ad="422"), form=lambda w: {}),
    Case(
        "GET /archive/scans/<uuid:scan_id>/",
        page("404", a="2xx", c1="2xx", rv="2xx", ad="2xx"),
        path=lambda w: {"scan_id": str(w.scan_a.pk)},
    ),
    Case("GET /verify/", page("2xx", anon="2xx")),
    Case("GET /verify/<str:code>/", page("2xx", anon="2xx"), path=lambda w: {"code": w.certificate_a.code}),
    Case(
        "POST /verify/<str:code>/",
        page("422", anon="422"),
        path=lambda w: {"code": w.certificate_a.code},
        form=lambda w: {},
    ),
    # exams on the pages: the same people as in the API
    Case("GET /exams/", page("2xx", anon="2xx")),
    Case("GET /exams/<str:code>/", page("2xx", anon="2xx"), path=lambda w: {"code": "EXAUTHZ2"}),
    Case(
        "POST /exams/<str:code>/register/",
        page("403", a="3xx", b="3xx"),
        path=lambda w: {"code": "EXAUTHZ2"},
        form=lambda w: {"post": "P01"},
    ),
    Case("GET /exams/mine/", page("2xx")),
    Case(
        "POST /exams/mine/<uuid:registration_id>/fee/",
        page("403", a="409", b="404"),
        path=lambda w: {"registration_id": str(w.exam_registration_a.pk)},
    ),
    Case(
        "GET /exams/mine/<uuid:registration_id>/ticket/",
        page("404", a="2xx"),
        path=lambda w: {"registration_id": str(w.exam_registration_a.pk)},
    ),
    Case(
        "POST /exams/mine/<uuid:registration_id>/appeal/",
        page("403", a="3xx", b="404"),
        path=lambda w: {"registration_id": str(w.exam_registration_a.pk)},
        form=lambda w: {"reason": "复核"},
    ),
    Case(
        "GET /exams/tickets/<str:ticket>/",
        page("2xx", anon="2xx"),
        path=lambda w: {"ticket": w.exam_registration_a.seat.ticket},
    ),
    Case("GET /exams/office/", page("403", rv="2xx", ad="2xx")),
    Case("GET /exams/office/<str:code>/", page("403", rv="2xx", ad="2xx"), path=lambda w: {"code": "EXAUTHZ2"}),
    Case(
        "POST /exams/office/<str:code>/step/",
        page("403", rv="3xx", ad="3xx"),
        path=lambda w: {"code": "EXAUTHZ2"},
        form=lambda w: {"step": "close"},
    ),
    Case(
        "POST /exams/office/<str:code>/sheets/",
        page("403", rv="422", ad="422"),
        path=lambda w: {"code": "EXAUTHZ2"},
        form=lambda w: {},
    ),
    Case(
        "POST /exams/office/registrations/<uuid:registration_id>/",
        page("403", rv="3xx", ad="3xx"),
        path=lambda w: {"registration_id": str(w.exam_review_a.pk)},
        form=lambda w: {"exam": "EXAUTHZ2", "decision": "approve"},
    ),
    Case(
        "POST /exams/office/appeals/<uuid:appeal_id>/",
        page("403", rv="3xx", ad="3xx"),
        path=lambda w: {"appeal_id": str(w.exam_appeal_a.pk)},
    ),
    Case("GET /exams/marking/", page("2xx")),
    # the recording payment gateway's confirmation page (development): open like a provider's
    # page to whoever holds its signed link; confirming an order that does not exist is the
    # app's callback refusing it (404), nothing changed
    Case("GET /payments/local/<str:token>/", OPEN, path=lambda w: {"token": _local_payment_token()}),
    Case(
        "POST /payments/local/<str:token>/",
        page("404", anon="404"),
        path=lambda w: {"token": _local_payment_token()},
        form=lambda w: {"decision": "paid"},
    ),
    Case(
        "POST /exams/marking/<str:script_code>/",
        page("404", rv="409"),
        path=lambda w: {"script_code": w.exam_script_a.code},
        form=lambda w: {"score": "5"},
    ),
    # the exchange on the pages: a citizen's consent codes and who asked
    Case("GET /exchange/mine/", page("2xx")),
    Case("GET /exchange/certificates/", page("2xx")),
    Case(
        "POST /exchange/consents/",
        page("403", a="3xx", b="3xx"),
        form=lambda w: {"recipient": "授权测试部门", "purpose": "authz", "days": "7"},
    ),
    Case(
        "POST /exchange/consents/<uuid:consent_id>/revoke/",
        page("404", a="3xx"),
        path=lambda w: {"consent_id": str(w.consent_a.pk)},
    ),
    # mediation on the pages: a worker applies and reads their own; the commission's staff
    # (the administrator here) have the queue and the steps (a closed one is said on the page)
    Case("GET /labor/mediations/mine/", page("2xx")),
    Case(
        "POST /labor/mediations/mine/",
        page("403", a="3xx", b="3xx"),
        form=lambda w: {
            "organisation": str(w.mediation_a.organisation_id),
            "respondent": "某公司",
            "claims": "支付工资",
            "idempotency_key": "authz-matrix-page",
        },
    ),
    Case("GET /labor/mediations/queue/", page("403", ad="2xx")),
    Case("GET /labor/mediations/<str:reference>/", page("404", a="2xx", ad="2xx"), path=_mediation),
    Case(
        "POST /labor/mediations/<str:reference>/session/",
        page("403", ad="3xx"),
        path=_mediation,
        form=lambda w: {"held_at": dt.datetime.now().strftime("%Y-%m-%dT%H:%M"), "mode": "online", "note": "x"},
    ),
    Case(
        "POST /labor/mediations/<str:reference>/agree/",
        page("403", ad="3xx"),
        path=_mediation,
        form=lambda w: {"text": "支付工资", "amount": "8600"},
    ),
    Case(
        "POST /labor/mediations/<str:reference>/fail/",
        page("403", ad="3xx"),
        path=_mediation,
        form=lambda w: {"reason": "拒绝调解"},
    ),
    Case(
        "POST /labor/cases/<str:reference>/recuse/",
        page("403", ad="3xx"),
        path=_case,
        form=lambda w: {"source": "party", "reason": "x"},
    ),
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
    Case("GET /labor/statistics/", page("403", ad="2xx")),
    Case(
        "POST /labor/cases/<str:reference>/settle/",
        page("403", ad="3xx"),
        path=_case,
        form=lambda w: {"text": "和解", "amount": "1"},
    ),
    Case("POST /labor/cases/<str:reference>/sign/", page("404", a="3xx", ad="3xx"), path=_case),
    Case(
        "POST /labor/cases/<str:reference>/evidence/",
        page("404", a="3xx", ad="3xx"),
        path=_case,
        form=lambda w: {"files": upload("e.pdf", b"%PDF-1.7\n", "application/pdf"), "description": "授权测试"},
    ),
    Case(
        "GET /labor/cases/<str:reference>/evidence/<int:evidence_id>/",
        page("404", a="2xx", ad="2xx"),
        setup=_evidence_setup,
        path=_evidence,
    ),
    Case("GET /labor/plans/", page("403", ad="2xx")),
    Case(
        "POST /labor/plans/",
        page("403", ad=("3xx", "422")),  # 422 when too few inspectors cover the district
        form=lambda w: {"district": "120101", "sample_size": "1", "inspectors_per_employer": "1"},
    ),
    Case("GET /labor/plans/<str:reference>/", page("403", ad="404"), path=lambda w: {"reference": "SJ0"}),
    Case("GET /labor/plans/<str:reference>/replay/", page("403", ad="404"), path=lambda w: {"reference": "SJ0"}),
    Case(
        "POST /labor/plans/<str:reference>/items/<int:position>/<slug:step>/",
        page("403", ad="404"),
        path=lambda w: {"reference": "SJ0", "position": 1, "step": "dispatch"},
    ),
    Case("GET /labor/dispatch/", page("403", ad="2xx")),
    Case("GET /labor/fraud-cases/", page("403", ad="2xx")),
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
    # --- hotline
    Case("GET /hotline/", OPEN, query=lambda w: {"q": "社保卡丢了"}),
    Case("GET /hotline/articles/<slug:code>/", OPEN, path=lambda w: {"code": "policy-pension"}),
    Case("GET /hotline/kb/", page("403", **many(*STAFF, to="2xx"))),
    Case(
        "POST /hotline/kb/<slug:code>/publish/",
        page("403", rv="3xx", ad="3xx"),
        path=lambda w: {"code": "qa-authz-pending"},
    ),
    Case("GET /hotline/desk/", page("403", c1="2xx", c3="2xx", ad="2xx")),
    Case(
        "POST /hotline/desk/",
        page("403", c1="3xx", c3="3xx", ad="3xx"),
        form=lambda w: {
            "kind": "consultation",
            "category": "card",
            "summary": "咨询补卡",
            "answer": "已答复",
            "resolved_on_call": "on",
        },
    ),
    Case("GET /hotline/tickets/", page("403", c1="2xx", c3="2xx", rv="2xx", ad="2xx")),
    Case(
        "GET /hotline/tickets/<str:reference>/",
        page("403", c1="2xx", c3="404", rv="404", ad="2xx"),
        path=lambda w: {"reference": w.ticket_a.reference},
        leak_ok=frozenset({CLERK_120101, ADMINISTRATOR}),
    ),
    Case(
        "POST /hotline/tickets/<str:reference>/resolve/",
        page("403", c3="404", rv="404", ad="3xx"),
        path=lambda w: {"reference": w.ticket_a.reference},
        form=lambda w: {"text": "已立案调查。"},
    ),
    Case(
        "POST /hotline/tickets/<str:reference>/callback/",
        page("403", c1="3xx", c3="404", ad="3xx"),
        path=lambda w: {"reference": w.ticket_a.reference},
        form=lambda w: {"text": "已回电。"},
    ),
    Case(
        "POST /hotline/tickets/<str:reference>/quality/",
        page("403", ad="3xx"),
        path=lambda w: {"reference": w.ticket_a.reference},
        form=lambda w: {"score": "4", "text": "规范"},
    ),
    Case("GET /hotline/statistics/", page("403", c1="2xx", c3="2xx", ad="2xx")),
    Case("GET /analytics/", page("403", ad="2xx")),
    Case("GET /analytics/map/", page("403", ad="2xx")),
    Case("GET /analytics/download.csv", page("403", ad="2xx")),
    Case("GET /analytics/download.xlsx", page("403", ad="2xx")),
    Case("GET /analytics/warnings/", page("403", ad="2xx")),
    Case("POST /analytics/warnings/run/", page("403", ad="3xx"), form=lambda w: {"period": "2026-05"}),
    Case(
        "POST /analytics/warnings/<uuid:warning_id>/acknowledge/",
        page("403", ad="3xx"),
        path=lambda w: {"warning_id": w.warning_e1.pk},
    ),
    Case(
        "POST /analytics/warnings/<uuid:warning_id>/close/",
        page("403", ad="3xx"),
        path=lambda w: {"warning_id": w.warning_e1.pk},
        form=lambda w: {"note": "已核实"},
    ),
    Case("GET /statistics/open/", OPEN),
    Case("GET /statistics/open/download.csv", public("404", no2fa="otp")),
    Case("POST /hotline/statistics/", page("403", c1="403", c3="403", ad="2xx"), form=lambda w: {"day": "2026-12-04"}),
    # the message centre: every signed-in account sees and sets only its own
    Case("GET /hotline/messages/", page("3xx", anon="3xx")),  # moved to /hall/messages/
    Case("POST /hall/messages/preference/", page("3xx"), form=lambda w: {"channel": "sms", "receive": "1"}),
    Case(
        "POST /hall/messages/<uuid:message_id>/read/",
        # only A's own in-app message: anyone else finds nothing
        page("404", a="3xx"),
        path=lambda w: {"message_id": str(_in_app_to_a(w))},
    ),
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
    Case(
        "POST /employment/vacancies/<uuid:vacancy_id>/apply/",
        page("403", a="3xx", b="3xx"),
        path=lambda w: {"vacancy_id": str(w.vacancy_e1.pk)},
    ),
    Case(
        "GET /employment/vacancies/<uuid:vacancy_id>/candidates/",
        page("403", agent="2xx"),
        path=lambda w: {"vacancy_id": str(w.vacancy_e1.pk)},
    ),
    Case(
        "POST /employment/applications/<uuid:application_id>/invite/",
        page("403", agent="3xx"),
        path=lambda w: {"application_id": str(w.job_application_a.pk)},
        form=lambda w: {"at": _interview_at()[:16], "place": "三楼人事部"},
    ),
    Case("GET /employment/policies/", page("403", rv="2xx", ad="2xx")),
    Case("GET /employment/loans/", page("403", rv="2xx", ad="2xx")),
    # The bureau's support for people (E1, E2), as in the API above.
    Case("GET /employment/support/groups/", page("403", **many(*STAFF, to="2xx"))),
    Case(
        "POST /employment/support/groups/",
        page("403", c1="3xx", c3="404", rv="3xx", ad="3xx"),
        form=lambda w: {"id_number": w.person_a.id_number, "category": "disabled", "evidence": "残疾人证 第1号"},
    ),
    Case("POST /employment/support/groups/review/", page("403", rv="3xx", ad="3xx")),
    Case(
        "GET /employment/support/groups/<uuid:membership_id>/",
        page("403", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=lambda w: {"membership_id": str(w.support_member_a.pk)},
    ),
    Case(
        "POST /employment/support/groups/<uuid:membership_id>/follow-up/",
        page("403", c1="3xx", c3="404", rv="3xx", ad="3xx"),
        path=lambda w: {"membership_id": str(w.support_member_a.pk)},
        form=lambda w: {"on": dt.date.today().isoformat(), "way": "phone"},
    ),
    Case(
        "POST /employment/support/groups/<uuid:membership_id>/measure/",
        page("403", c1="3xx", c3="404", rv="3xx", ad="3xx"),
        path=lambda w: {"membership_id": str(w.support_member_a.pk)},
        form=lambda w: {"kind": "job_referral", "given_on": dt.date.today().isoformat()},
    ),
    Case(
        "POST /employment/support/groups/<uuid:membership_id>/end/",
        page("403", c1="3xx", c3="404", rv="3xx", ad="3xx"),
        path=lambda w: {"membership_id": str(w.support_member_a.pk)},
        form=lambda w: {"reason": "employed"},
    ),
    Case("GET /employment/guidance/", page("403", a="2xx", b="2xx")),
    Case("GET /employment/guidance/slots/", page("403", **many(*STAFF, to="2xx"))),
    Case(
        "POST /employment/guidance/slots/",
        page("403", c1="3xx", c3="403", rv="3xx", ad="3xx"),
        form=lambda w: {
            "starts_at": (dt.date.today() + dt.timedelta(days=9)).isoformat() + "T09:00",
            "place": "三楼职业指导室",
            "district": "120101",
            "minutes": "45",
        },
    ),
    Case(
        "POST /employment/guidance/slots/<uuid:slot_id>/book/",
        page("403", a="409", b="3xx"),
        path=lambda w: {"slot_id": str(w.guidance_slot_open.pk)},
        form=lambda w: {"topic": "求职"},
    ),
    Case(
        "POST /employment/guidance/bookings/<uuid:booking_id>/cancel/",
        page("403", a="3xx", b="404"),
        path=lambda w: {"booking_id": str(w.guidance_booking_a.pk)},
    ),
    Case(
        "POST /employment/guidance/bookings/<uuid:booking_id>/outcome/",
        page("403", c1="3xx", c3="404", rv="404", ad="404"),
        path=lambda w: {"booking_id": str(w.guidance_booking_a.pk)},
        form=lambda w: {"attended": "yes", "outcome": "建议参加培训"},
    ),
    Case("GET /employment/startups/", page("403", **many(*STAFF, to="2xx"))),
    Case(
        "POST /employment/startups/",
        page("403", c1="3xx", c3="404", rv="3xx", ad="3xx"),
        form=lambda w: {
            "id_number": w.person_a.id_number,
            "business_name": "小王花店",
            "started_on": "2026-09-01",
            "industry": "F",
            "district": "120101",
            "employees": "1",
        },
    ),
    Case("GET /employment/startups/mine/", page("403", a="2xx", b="2xx")),
    Case(
        "POST /employment/startups/mine/",
        page("403", a="3xx", b="3xx"),
        form=lambda w: {"business_name": "小王花店", "started_on": "2026-09-01", "industry": "F", "district": "120101"},
    ),
    Case(
        "POST /employment/startups/<uuid:registration_id>/guidance/",
        page("403", c1="3xx", c3="404", rv="3xx", ad="3xx"),
        path=lambda w: {"registration_id": str(w.startup_a.pk)},
        form=lambda w: {"on": dt.date.today().isoformat(), "adviser": "王老师", "topics": "财务"},
    ),
    Case("GET /employment/agencies/", page("403", ad="2xx")),
    Case(
        "POST /employment/agencies/",
        page("403", ad="3xx"),
        form=lambda w: {
            "licence_number": "津人服证字〔2026〕第AUTHZ0003号",
            "agency_name": "授权测试三号人力资源公司",
            "client_name": "授权测试三号机构",
            "districts": ["120101"],
            "valid_from": "2026-01-01",
            "valid_until": "2030-12-31",
        },
    ),
    Case(
        "POST /employment/agencies/<uuid:licence_id>/revoke/",
        page("403", ad="3xx"),
        path=lambda w: {"licence_id": str(w.agency["licence"].pk)},
        form=lambda w: {"reason": "违规收费"},
    ),
    Case(
        "POST /employment/applications/<uuid:application_id>/decision/",
        page("403", agent="3xx"),
        path=lambda w: {"application_id": str(w.job_application_a.pk)},
        form=lambda w: {"decision": "declined"},
    ),
    Case(
        "GET /employment/vacancies/<uuid:vacancy_id>/seekers/",
        page("403", agent="2xx"),
        path=lambda w: {"vacancy_id": str(w.vacancy_e1.pk)},
    ),
    # A registration of a person living in 120101: staff who see personal data there (the other
    # district's clerk finds nothing).
    Case(
        "GET /employment/registrations/<uuid:registration_id>/",
        page("403", c1="2xx", rv="2xx", ad="2xx", c3="404"),
        path=lambda w: {"registration_id": str(w.agency["registration"].pk)},
    ),
    Case(
        "POST /employment/policies/",
        page("403", rv="3xx", ad="3xx"),
        form=lambda w: {"policy": "job_stabilisation_refund", "period": "2025-01-01"},
    ),
    Case(
        "GET /employment/policies/runs/<uuid:run_id>/",
        page("403", rv="2xx", ad="2xx"),
        path=lambda w: {"run_id": str(w.policy_run.pk)},
    ),
    Case(
        "POST /employment/policies/runs/<uuid:run_id>/approve/",
        page("403"),
        path=lambda w: {"run_id": str(w.policy_run.pk)},
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
    # --- training
    Case("GET /training/", OPEN),
    Case("GET /training/courses/<uuid:course_id>/", OPEN, path=lambda w: {"course_id": str(w.training["course"].pk)}),
    Case("GET /training/verify/", OPEN, query=lambda w: {"number": w.training["certificate_a"].number}),
    Case("GET /training/my/", page("403", a="2xx", b="2xx")),
    Case(
        "POST /training/courses/<uuid:course_id>/enrol/",
        page("403", a="3xx", b="3xx"),
        path=lambda w: {"course_id": str(w.training["course"].pk)},
    ),
    Case(
        "POST /training/appraisal/<uuid:session_id>/register/",
        page("403", a="3xx", b="3xx"),  # refused with the reason on the page (A holds the level, B is not eligible)
        path=lambda w: {"session_id": str(w.training["open_exam"].pk)},
    ),
    Case(
        "POST /training/my/enrolments/<uuid:enrolment_id>/survey/",
        page("403", a="3xx", b="404"),
        path=lambda w: {"enrolment_id": str(w.training["enrolment_a"].pk)},
        form=lambda w: {"score": "4"},
    ),
    Case(
        "POST /training/my/enrolments/<uuid:enrolment_id>/progress/",
        page("403", a="3xx", b="404"),
        path=lambda w: {"enrolment_id": str(w.training["enrolment_a"].pk)},
        form=lambda w: {"percent": "40"},
    ),
    Case(
        "POST /training/my/certificates/<uuid:certificate_id>/consent/",
        page("403", a="3xx", b="404"),
        path=lambda w: {"certificate_id": str(w.training["certificate_a"].pk)},
    ),
    Case("GET /training/institution/", page("403", agent="2xx")),
    Case(
        "POST /training/institution/courses/",
        page("403", agent="3xx"),
        form=lambda w: {
            "idempotency_key": "authz-course-page",
            "title": "授权测试线上班",
            "qualification": "6-31-01-03",
            "level": "5",
            "mode": "online",
            "hours": "40",
            "capacity": "30",
            "starts_on": dt.date.today().isoformat(),
            "ends_on": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        },
    ),
    Case(
        "POST /training/institution/sessions/<uuid:session_id>/sign-in/",
        page("403", agent="3xx"),
        path=lambda w: {"session_id": str(w.training["session"].pk)},
        form=lambda w: {"method": "card", "credential": w.card_a.number},
    ),
    Case(
        "POST /training/institution/enrolments/<uuid:enrolment_id>/complete/",
        page("403", agent="3xx"),
        path=lambda w: {"enrolment_id": str(w.training["enrolment_a"].pk)},
    ),
    Case(
        "POST /training/institution/claims/",
        page("403", agent="3xx"),
        form=lambda w: {"course": str(w.training["course"].pk), "idempotency_key": "authz-claim-page"},
    ),
    Case(
        "POST /training/body/sessions/<uuid:session_id>/candidates/<uuid:candidate_id>/sign-in/",
        page("403", agent="3xx"),
        path=lambda w: {"session_id": str(w.training["exam"].pk), "candidate_id": str(w.training["candidate_a"].pk)},
        form=lambda w: {"face_reference": "authz/face.jpg"},
    ),
    Case(
        "POST /training/body/sessions/<uuid:session_id>/proctor/",
        page("403", agent="3xx"),
        path=lambda w: {"session_id": str(w.training["exam"].pk)},
        form=lambda w: {"kind": "log", "text": "授权测试：考场已布置。"},
    ),
    Case(
        "POST /training/body/sessions/<uuid:session_id>/results/",
        page("403", agent="3xx"),
        path=lambda w: {"session_id": str(w.training["exam"].pk)},
        form=lambda w: {
            f"theory-{w.training['candidate_a'].pk}": "90",
            f"practical-{w.training['candidate_a'].pk}": "90",
        },
    ),
    Case(
        "POST /training/body/sessions/<uuid:session_id>/check/",
        page("403", agent="3xx"),
        path=lambda w: {"session_id": str(w.training["exam"].pk)},
    ),
    Case(
        "POST /training/body/sessions/<uuid:session_id>/publish/",
        page("403", agent="3xx"),
        path=lambda w: {"session_id": str(w.training["exam"].pk)},
    ),
    Case("GET /training/supervision/", page("403", rv="2xx", ad="2xx")),
    Case(
        "POST /training/supervision/revoke/",
        page("403", rv="3xx", ad="3xx"),
        form=lambda w: {"number": w.training["certificate_a"].number, "reason": "授权测试撤销"},
    ),
    Case("POST /training/supervision/pay/", page("403", ad="3xx")),
    Case("GET /medical/", page("403", a="2xx", b="2xx")),
    Case("GET /medical/monitoring/", page("403", rv="2xx", ad="2xx")),
    Case("POST /medical/monitoring/run/", page("403", rv="3xx", ad="3xx")),
    Case(
        "GET /medical/monitoring/<uuid:flag_id>/",
        page("403", rv="2xx", ad="2xx"),
        path=lambda w: {"flag_id": str(w.medical["flag"].pk)},
    ),
    Case(
        "POST /medical/monitoring/<uuid:flag_id>/decide/",
        page("403", rv="3xx", ad="3xx"),
        path=lambda w: {"flag_id": str(w.medical["flag"].pk)},
        form=lambda w: {"decision": "dismiss", "reason": "授权测试驳回"},
    ),
    Case(
        "POST /medical/monitoring/<uuid:flag_id>/recovery/",
        page("403", rv="3xx", ad="3xx"),
        path=lambda w: {"flag_id": str(w.medical["flag"].pk)},
        form=lambda w: {"recovered": "yes", "note": "授权测试追回"},
        setup=medical_flag_confirm,
    ),
    Case("GET /medical/reconciliations/", page("403", rv="2xx", ad="2xx")),
    Case(
        "GET /medical/reconciliations/<uuid:reconciliation_id>/",
        page("403", rv="404", ad="404"),
        path=lambda w: {"reconciliation_id": "00000000-0000-4000-8000-000000000000"},
    ),
    Case("GET /medical/finance/", page("403", ad="2xx")),
    # 门特 recognitions: the agency's staff, for persons of their districts (A lives in 120101)
    Case("GET /medical/diseases/", page("403", c1="2xx", c3="2xx", rv="2xx", ad="2xx")),
    Case(
        "POST /medical/diseases/",
        page("403", c1="3xx", c3="422", rv="3xx", ad="3xx"),
        form=lambda w: {"id_number": w.person_a.id_number, "disease": "M03900", "valid_from": _medical_yesterday()},
    ),
    # --- talent (R3)
    Case("GET /talent/institution/", page("403", agent="2xx")),
    Case(
        "POST /talent/institution/staff/",
        page("403", agent="3xx"),
        form=lambda w: {
            "id_number": w.person_b.id_number,
            "name": NAME_B,
            "post": str(w.talent["p10"].pk),
            "kind": "full",
            "scale_step": "10",
            "entered_on": "2026-01-01",
        },
    ),
    Case(
        "POST /talent/institution/plans/",
        page("403", agent="3xx"),
        form=lambda w: {
            "year": str(dt.date.today().year),
            "kind": "full",
            f"numbers_{w.talent['p10'].pk}": "1",
            "idempotency_key": "authz-plan-page",
        },
    ),
    Case(
        "POST /talent/institution/post-changes/",
        page("403", agent="3xx"),
        form=lambda w: {
            "staff": str(w.talent["staff_a"].pk),
            "to_post": str(w.talent["p9"].pk),
            "effective_on": dt.date.today().isoformat(),
            "reason": "授权测试",
            "idempotency_key": "authz-change-page",
        },
    ),
    Case(
        "POST /talent/institution/wages/",
        page("403", agent="3xx"),
        form=lambda w: {
            "staff": str(w.talent["staff_a"].pk),
            "effective_on": dt.date.today().isoformat(),
            "scale_step": "21",
            "idempotency_key": "authz-wage-page",
        },
    ),
    Case("GET /talent/green-card/", page("403", a="2xx", b="2xx")),
    Case(
        "POST /talent/green-card/benefits/",
        page("403", a="3xx", b="3xx"),  # B holds no card: told so on the page it returns to
        form=lambda w: {"kind": "school", "details": "授权测试", "idempotency_key": "authz-benefit-page"},
    ),
    Case("GET /talent/green-card/decisions/", page("403", rv="2xx", ad="2xx")),
    Case("GET /talent/titles/", page("403", ad="2xx")),
    Case(
        "POST /talent/titles/",
        page("403", ad="3xx"),
        form=lambda w: {
            "id_number": w.person_a.id_number,
            "name": NAME_A,
            "number": "AUTHZ-ZC-PAGE",
            "series": "工程",
            "title": "高级工程师",
            "level": "deputy_senior",
            "committee": "授权测试评审委员会",
            "issued_on": "2025-06-30",
        },
    ),
    Case(
        "POST /talent/titles/<uuid:title_id>/revoke/",
        page("403", ad="3xx"),
        path=lambda w: {"title_id": str(w.talent["title_a"].pk)},
        form=lambda w: {"reason": "授权测试"},
    ),
    Case(
        "POST /talent/green-card/decisions/<uuid:benefit_id>/",
        page("403", rv="3xx", ad="3xx"),
        path=_talent_benefit,
        form=lambda w: {"decision": "approve"},
    ),
    # --- talent programmes (R1): public pages; A's declarations; B the expert; the administrator the office
    Case("GET /talent/programmes/", page("2xx", anon="2xx")),
    Case("GET /talent/programmes/<str:code>/", page("2xx", anon="2xx"), path=lambda w: {"code": "AUTHZ-P2"}),
    Case(
        "POST /talent/programmes/<str:code>/declare/",
        page("403", a="3xx", b="3xx"),  # each citizen's retry answers with their own declaration
        path=lambda w: {"code": "AUTHZ-P1"},
        form=lambda w: {"title": "授权", "summary": "授权", "requested_amount": "1000"},
    ),
    Case("GET /talent/declarations/", page("403", a="2xx", b="2xx")),
    Case(
        "POST /talent/declarations/<uuid:declaration_id>/appeal/",
        page("403", a="3xx", b="404"),
        path=lambda w: {"declaration_id": str(w.talent["AUTHZ-P2-a"].pk)},
        form=lambda w: {"reason": "授权测试"},
    ),
    Case("GET /talent/reviews/", page("403", a="2xx", b="2xx"), leak_ok=frozenset({CITIZEN_B})),
    Case(
        "GET /talent/reviews/<uuid:assignment_id>/",
        page("403", b="2xx"),
        path=lambda w: {"assignment_id": str(w.talent["assignment_b"].pk)},
        leak_ok=frozenset({CITIZEN_B}),  # the expert reads the applicant they review
    ),
    Case(
        "POST /talent/reviews/<uuid:assignment_id>/",
        page("403", b="3xx"),
        path=lambda w: {"assignment_id": str(w.talent["assignment_b"].pk)},
        form=lambda w: {"score_0": "40", "score_1": "45", "comment": "授权测试"},
    ),
    Case(
        "POST /talent/reviews/<uuid:assignment_id>/recuse/",
        page("403", b="3xx"),
        path=lambda w: {"assignment_id": str(w.talent["assignment_b"].pk)},
        form=lambda w: {"reason": "授权测试回避"},
    ),
    Case("GET /talent/programme-office/", page("403", ad="2xx")),
    Case(
        "POST /talent/programme-office/",
        page("403", ad="3xx"),
        form=lambda w: {
            "code": "AUTHZ-P4",
            "name": "授权页面计划",
            "level": "municipal",
            "opens_on": dt.date.today().isoformat(),
            "closes_on": dt.date.today().isoformat(),
            "funding_per_project": "1000",
            "awards": "1",
            "criterion_0": "创新性",
            "points_0": "100",
        },
    ),
    Case("GET /talent/programme-office/experts/", page("403", ad="2xx")),
    Case(
        "POST /talent/programme-office/experts/",
        page("403", ad="3xx"),
        form=lambda w: {"id_number": w.person_a.id_number, "name": NAME_A, "specialities": "工程技术", "active": "on"},
    ),
    Case(
        "POST /talent/programme-office/experts/<uuid:expert_id>/conflicts/",
        page("403", ad="3xx"),
        path=lambda w: {"expert_id": str(w.talent["expert_b"].pk)},
        form=lambda w: {"credit_code": w.employer_e1.credit_code, "reason": "授权测试"},
    ),
    Case("GET /talent/programme-office/appeals/", page("403", ad="2xx")),
    Case(
        "POST /talent/programme-office/appeals/<uuid:appeal_id>/decision/",
        page("403", ad="3xx"),
        path=lambda w: {"appeal_id": str(w.talent["appeal_a"].pk)},
        form=lambda w: {"decision": "dismiss", "reason": "授权测试"},
    ),
    Case(
        "POST /talent/programme-office/declarations/<uuid:declaration_id>/check/",
        page("403", ad="3xx"),
        path=lambda w: {"declaration_id": str(w.talent["declaration_b"].pk)},
        form=lambda w: {"decision": "accept"},
    ),
    Case(
        "POST /talent/programme-office/declarations/<uuid:declaration_id>/assign/",
        page("403", ad="3xx"),
        path=lambda w: {"declaration_id": str(w.talent["AUTHZ-P1-a"].pk)},
    ),
    Case("GET /talent/programme-office/<str:code>/", page("403", ad="2xx"), path=lambda w: {"code": "AUTHZ-P1"}),
    Case(
        "POST /talent/programme-office/<str:code>/aggregate/",
        page("403", ad="3xx"),
        path=lambda w: {"code": "AUTHZ-P1"},
    ),
    Case(
        "POST /talent/programme-office/<str:code>/publish/",
        page("403", ad="3xx"),  # refused (declarations still open), told on the page it returns to
        path=lambda w: {"code": "AUTHZ-P1"},
    ),
    Case(
        "POST /talent/programme-office/<str:code>/finalise/",
        page("403", ad="3xx"),  # refused (the notice period runs), told on the page it returns to
        path=lambda w: {"code": "AUTHZ-P2"},
    ),
    Case("GET /talent/", page("403", agent="2xx", c1="2xx", c3="2xx", rv="2xx", ad="2xx")),
    Case(
        "POST /talent/institutions/",
        page("403", ad="3xx"),
        form=lambda w: {"credit_code": w.employer_e1.credit_code},
    ),
    Case(
        "GET /talent/institutions/<uuid:institution_id>/",
        page("403", agent="2xx", c1="2xx", c3="404", rv="2xx", ad="2xx"),
        path=_talent_institution,
    ),
    Case(
        "POST /talent/institutions/<uuid:institution_id>/quotas/",
        page("403", ad="3xx"),
        path=_talent_institution,
        form=lambda w: {"kind": "full", "count": "6"},
    ),
    Case(
        "POST /talent/institutions/<uuid:institution_id>/posts/",
        page("403", ad="3xx"),
        path=_talent_institution,
        form=lambda w: {"category": "professional", "grade": "10", "count": "4"},
    ),
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
