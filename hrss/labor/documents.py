"""The case's documents (L1): the acceptance notice (受理通知书), the hearing notice (开庭通知书)
and the award (裁决书), built from the case's record and laid out as PDF by ``hrss.core.pdf``.

They are legal instruments of a Chinese arbitration commission, so their text is Chinese
whatever the reader's interface language; the periods they quote are the dated parameters in
force on the document's day, never figures written here. A document exists only once its step
has happened (no award before the award): asking for it earlier is a 404.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hrss.core import pdf, signing
from hrss.core.errors import NotFound
from hrss.labor import deadlines
from hrss.labor.models import ArbitrationCase, AwardOutcome, CaseSignature, CaseStatus, Tribunal

ACCEPTANCE_NOTICE = "acceptance-notice"
HEARING_NOTICE = "hearing-notice"
AWARD = "award"
SETTLEMENT = "settlement"
KINDS = (ACCEPTANCE_NOTICE, HEARING_NOTICE, AWARD, SETTLEMENT)

_ACCEPTED = (
    CaseStatus.ACCEPTED,
    CaseStatus.HEARING_SCHEDULED,
    CaseStatus.HEARD,
    CaseStatus.AWARDED,
    CaseStatus.SETTLED,
)
_HEARING = (CaseStatus.HEARING_SCHEDULED, CaseStatus.HEARD, CaseStatus.AWARDED, CaseStatus.SETTLED)

_OUTCOMES = {
    AwardOutcome.UPHELD: "支持申请人的仲裁请求",
    AwardOutcome.PARTLY_UPHELD: "部分支持申请人的仲裁请求",
    AwardOutcome.DISMISSED: "驳回申请人的仲裁请求",
}


def commission(case: ArbitrationCase) -> str:
    """The commission that handles the case: the district's, where the case has a district."""
    district = case.district.name if case.district_id and case.district else ""
    return f"{district}劳动人事争议仲裁委员会"


def _yuan(amount: object) -> str:
    return "—" if amount is None else f"{amount}元"


def _date(day: dt.date | None) -> str:
    return "—" if day is None else f"{day.year}年{day.month}月{day.day}日"


def _parties(case: ArbitrationCase) -> tuple[tuple[str, str], ...]:
    respondent = case.respondent_name
    if case.employer_id and case.employer:
        respondent = f"{respondent}（统一社会信用代码 {case.employer.credit_code}）"
    return (("申请人", case.person.name), ("被申请人", respondent))


def available(case: ArbitrationCase) -> list[str]:
    """The documents the case has by now, in the order they are issued."""
    kinds = []
    if case.status in _ACCEPTED and case.accepted_on:
        kinds.append(ACCEPTANCE_NOTICE)
    if case.status in _HEARING and case.hearing_at:
        kinds.append(HEARING_NOTICE)
    if case.status == CaseStatus.AWARDED:
        kinds.append(AWARD)
    if case.status == CaseStatus.SETTLED and case.settled_on:
        kinds.append(SETTLEMENT)
    return kinds


def build(case: ArbitrationCase, kind: str) -> pdf.Document:
    if kind not in available(case):
        raise NotFound(code="labor_document_not_found")
    if kind == ACCEPTANCE_NOTICE:
        return _acceptance(case)
    if kind == HEARING_NOTICE:
        return _hearing(case)
    if kind == SETTLEMENT:
        return _settlement(case)
    return _award(case)


def render(case: ArbitrationCase, kind: str) -> bytes:
    """The document as a PDF signed by the bureau (PAdES, ``hrss.core.signing``)."""
    document = build(case, kind)
    return signing.sign_pdf(pdf.render(document), reason=f"{document.title} {document.number}")


def _signature(case: ArbitrationCase) -> tuple[tuple[str, str], ...]:
    """The applicant's online signature, when they signed the application (its time and the
    SHA-256 of the content they confirmed)."""
    signed = CaseSignature.objects.filter(case=case).first()
    if signed is None:
        return ()
    at = timezone.localtime(signed.signed_at)
    return (("申请人签名确认", f"{_date(at.date())} {at:%H:%M}，内容摘要 SHA-256 {signed.content_sha256}"),)


def _acceptance(case: ArbitrationCase) -> pdf.Document:
    assert case.accepted_on is not None
    on = case.accepted_on
    serve = deadlines.days("arbitration.serve_respondent_days", on=on)
    defence = deadlines.days("arbitration.defence_days", on=on)
    award = deadlines.days("arbitration.award_days", on=on)
    extension = deadlines.days("arbitration.extension_days", on=on)
    return pdf.Document(
        issuer=commission(case),
        title="受理通知书",
        number=f"案号：{case.reference}",
        facts=(
            *_parties(case),
            ("仲裁请求", case.claims),
            ("请求金额", _yuan(case.amount_claimed)),
            ("收到申请日期", _date(case.received_on)),
            ("受理日期", _date(on)),
            ("裁决期限", _date(case.award_due)),
            ("仲裁庭", "由三名仲裁员组成的仲裁庭" if case.tribunal == Tribunal.PANEL else "独任仲裁"),
            *_signature(case),
        ),
        paragraphs=(
            "你（单位）提出的劳动人事争议仲裁申请，经审查符合受理条件，本委决定予以受理。",
            f"本委将在受理之日起{serve}日内将仲裁申请书副本送达被申请人，被申请人应在收到之日起{defence}日内提交答辩书。",
            f"仲裁庭应当自受理之日起{award}日内结束仲裁；案情复杂需要延期的，经批准可以延期，"
            f"延长期限不得超过{extension}日（劳动争议调解仲裁法 第43条）。",
        ),
        closing=(commission(case),),
        dated=on,
        subject=f"{case.reference} 受理通知书",
    )


def _hearing(case: ArbitrationCase) -> pdf.Document:
    assert case.hearing_at is not None and case.hearing_notified_on is not None
    at = timezone.localtime(case.hearing_at)
    on = case.hearing_notified_on
    postpone = deadlines.days("arbitration.postponement_request_days", on=on)
    return pdf.Document(
        issuer=commission(case),
        title="开庭通知书",
        number=f"案号：{case.reference}",
        facts=(
            *_parties(case),
            ("开庭时间", f"{_date(at.date())} {at:%H:%M}"),
            ("开庭地点", case.hearing_room),
            ("仲裁员", case.arbitrator or "—"),
        ),
        paragraphs=(
            "本委受理的上列当事人劳动人事争议一案，定于上述时间、地点开庭审理，请准时到庭。",
            f"当事人有正当理由的，可以在开庭{postpone}日前请求延期开庭（劳动争议调解仲裁法 第35条）。",
            "申请人收到书面通知，无正当理由拒不到庭或者未经仲裁庭同意中途退庭的，可以视为撤回仲裁申请；"
            "被申请人收到书面通知，无正当理由拒不到庭或者未经仲裁庭同意中途退庭的，可以缺席裁决（第36条）。",
        ),
        closing=(commission(case),),
        dated=on,
        subject=f"{case.reference} 开庭通知书",
    )


def _award(case: ArbitrationCase) -> pdf.Document:
    assert case.awarded_on is not None
    on = case.awarded_on
    if case.final_award:
        worker = deadlines.days("arbitration.worker_challenge_days", on=on)
        employer = deadlines.days("arbitration.employer_set_aside_days", on=on)
        remedy = (
            "本裁决为终局裁决，自作出之日起发生法律效力（劳动争议调解仲裁法 第47条）。"
            f"劳动者对本裁决不服的，可以自收到裁决书之日起{worker}日内向人民法院提起诉讼；"
            f"用人单位有证据证明本裁决有法定情形之一的，可以自收到裁决书之日起{employer}日内向中级人民法院申请撤销裁决。"
        )
    else:
        sue = deadlines.days("arbitration.non_final_sue_days", on=on)
        remedy = (
            f"当事人对本裁决不服的，可以自收到裁决书之日起{sue}日内向人民法院提起诉讼；"
            "期满不起诉的，裁决书发生法律效力（第50条）。"
        )
    return pdf.Document(
        issuer=commission(case),
        title="终局裁决书" if case.final_award else "裁决书",
        number=f"案号：{case.reference}",
        facts=(
            *_parties(case),
            ("仲裁请求", case.claims),
            ("请求金额", _yuan(case.amount_claimed)),
            ("受理日期", _date(case.accepted_on)),
            (
                "开庭",
                f"{_date(timezone.localtime(case.hearing_at).date()) if case.hearing_at else '—'} {case.hearing_room}",
            ),
            ("仲裁员", case.arbitrator or "—"),
        ),
        paragraphs=(
            "庭审情况：" + (case.hearing_record or "—"),
            "裁决结果：" + _OUTCOMES.get(AwardOutcome(case.outcome), case.outcome) + "。" if case.outcome else "",
            case.award_text,
            "裁决金额：" + _yuan(case.amount_awarded),
            remedy,
        ),
        closing=(f"仲裁员 {case.arbitrator}" if case.arbitrator else "", commission(case)),
        dated=on,
        subject=f"{case.reference} 裁决书",
        keywords=("终局裁决",) if case.final_award else (),
    )


def _settlement(case: ArbitrationCase) -> pdf.Document:
    """调解书 (第42条): the settlement the parties reached before the tribunal, in place of an award."""
    assert case.settled_on is not None
    return pdf.Document(
        issuer=commission(case),
        title="调解书",
        number=f"案号：{case.reference}",
        facts=(
            *_parties(case),
            ("仲裁请求", case.claims),
            ("请求金额", _yuan(case.amount_claimed)),
            ("受理日期", _date(case.accepted_on)),
            ("仲裁员", case.arbitrator or "—"),
        ),
        paragraphs=(
            "本案在仲裁庭主持下，双方当事人自愿达成如下协议：",
            case.settlement_text,
            "调解金额：" + _yuan(case.amount_settled),
            "调解书经双方当事人签收后，发生法律效力（劳动争议调解仲裁法 第42条）。",
        ),
        closing=(f"仲裁员 {case.arbitrator}" if case.arbitrator else "", commission(case)),
        dated=case.settled_on,
        subject=f"{case.reference} 调解书",
    )
