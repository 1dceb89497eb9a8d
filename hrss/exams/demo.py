"""The exams demo for `make run` (`hrss demo`): two exam sites, a bank of questions, one exam
taken all the way to published results with the demo citizen among its candidates (one
written answer's two marks too far apart, settled by a third marker), and one exam open for
registration that the citizen, the office (reviewer) and the markers can walk in the browser.

Everything goes through the real services, as the office and the payment provider would
(the fee's callback is the recording gateway's). Idempotent: an exam that exists is kept.
Development only (the demo command refuses production)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.scope import Scope
from hrss.exams import services
from hrss.exams.models import Exam, FeeOrder, Item, Paper, Registration, Room, Score, Script, Seat, Site
from hrss.registry.models import Person

OFFICE = Scope(actor="reviewer", roles=frozenset({roles.REVIEWER}), districts=None)
MARKERS = ("reviewer", "reviewer2", "approver")  # the demo accounts; the approver is the third marker
DONE, OPEN = "EX2026DEMO1", "EX2026DEMO2"
TAG = "综合基础知识"
QUESTIONS = [
    (
        "single",
        "《劳动合同法》规定，劳动合同期限一年以上不满三年的，试用期不得超过：",
        ["一个月", "二个月", "三个月", "六个月"],
        "B",
    ),
    (
        "single",
        "用人单位自用工之日起满多长时间不与劳动者订立书面劳动合同的，视为已订立无固定期限劳动合同？",
        ["六个月", "一年", "二年", "三年"],
        "B",
    ),
    ("single", "劳动争议申请仲裁的时效期间为：", ["六个月", "一年", "二年", "三年"], "B"),
    (
        "single",
        "劳动人事争议仲裁委员会应当自受理仲裁申请之日起多少日内结束仲裁？",
        ["十五日", "三十日", "四十五日", "六十日"],
        "C",
    ),
    (
        "single",
        "职工基本养老保险个人账户的缴费比例为本人缴费工资的：",
        ["百分之二", "百分之五", "百分之八", "百分之十"],
        "C",
    ),
    ("single", "失业保险金的标准由哪一级人民政府确定？", ["国务院", "省级", "地市级", "县级"], "B"),
    ("single", "事业单位公开招聘人员，应当面向：", ["本单位职工", "社会", "应届毕业生", "本地户籍人员"], "B"),
    ("single", "事业单位工作人员年度考核结果分为几个等次？", ["三个", "四个", "五个", "六个"], "B"),
    ("single", "社会保障卡由哪个部门统一规划？", ["财政部门", "人力资源社会保障部门", "卫生健康部门", "公安部门"], "B"),
    ("single", "劳动者每日工作时间不超过：", ["六小时", "七小时", "八小时", "十小时"], "C"),
    ("judge", "用人单位可以要求劳动者提供担保。", ["正确", "错误"], "B"),
    ("judge", "劳动者在试用期内提前三日通知用人单位，可以解除劳动合同。", ["正确", "错误"], "A"),
    ("judge", "工伤保险费由用人单位和职工共同缴纳。", ["正确", "错误"], "B"),
    ("judge", "事业单位公开招聘考试成绩公布后，考生可以申请复核。", ["正确", "错误"], "A"),
    ("multiple", "下列属于社会保险的有：", ["养老保险", "医疗保险", "商业保险", "失业保险"], "ABD"),
    ("multiple", "劳动合同应当具备的条款包括：", ["工作内容", "劳动报酬", "社会保险", "竞业限制"], "ABC"),
    ("multiple", "事业单位岗位分为：", ["管理岗位", "专业技术岗位", "工勤技能岗位", "临时岗位"], "ABC"),
    ("multiple", "劳动争议的处理方式有：", ["协商", "调解", "仲裁", "诉讼"], "ABCD"),
]
ESSAYS = [
    (
        "结合“互联网+人社”建设，谈谈如何提升基层公共就业服务水平。",
        "服务下沉、数据共享、线上线下融合、重点群体帮扶，各要点酌情给分",
    ),
    (
        "某单位拖欠职工工资，职工应如何依法维护自身权益？",
        "协商、投诉举报、调解、仲裁、诉讼的途径及时效，各要点酌情给分",
    ),
]
BLUEPRINT = [
    {"kind": "single", "tag": TAG, "difficulty": 2, "count": 8},
    {"kind": "judge", "tag": TAG, "difficulty": 2, "count": 3},
    {"kind": "multiple", "tag": TAG, "difficulty": 3, "count": 3},
    {"kind": "essay", "tag": TAG, "difficulty": 3, "count": 1},
]


def _bank() -> None:
    if Item.objects.filter(tag=TAG).exists():
        return
    for kind, stem, options, key in QUESTIONS:
        difficulty = 3 if kind == "multiple" else 2
        services.item_add(
            scope=OFFICE,
            data={
                "kind": kind,
                "tag": TAG,
                "difficulty": difficulty,
                "points": "2" if kind != "judge" else "1",
                "stem": stem,
                "options": options,
                "key": key,
            },
        )
    for stem, guide in ESSAYS:
        services.item_add(
            scope=OFFICE,
            data={"kind": "essay", "tag": TAG, "difficulty": 3, "points": "30", "stem": stem, "key": guide},
        )


def _sites() -> list[str]:
    for code, name, address in (
        ("KD01", "天津市人事考试中心考点", "和平区南京路1号"),
        ("KD02", "河西区第一中学考点", "河西区友谊路5号"),
    ):
        site, created = Site.objects.get_or_create(
            code=code, defaults={"name": name, "district": "120101" if code == "KD01" else "120103", "address": address}
        )
        if created:
            Room.objects.bulk_create(Room(site=site, code=f"{r:02d}", capacity=30) for r in range(1, 4))
    return ["KD01", "KD02"]


def _exam(code: str, name: str, *, opens: dt.date, closes: dt.date, held: dt.date) -> Exam:
    """An exam of the demo's city district, 9:00 to 11:30, with two posts."""
    return services.exam_create(
        scope=OFFICE,
        data={
            "code": code,
            "name": name,
            "district": "120101",
            "fee": Decimal("60.00"),
            "registration_opens": opens,
            "registration_closes": closes,
            "held_on": held,
            "start_time": dt.time(9, 0),
            "end_time": dt.time(11, 30),
            "blueprint": BLUEPRINT,
            "marking_threshold": Decimal("6"),
            "sites": _sites(),
            "posts": [
                {"code": "01", "name": "综合管理岗", "hires": 2, "min_age": 18, "max_age": 45},
                {"code": "02", "name": "信息技术岗", "hires": 1, "min_age": 18, "max_age": 45},
            ],
        },
    )


def _confirm(exam: Exam, person: Person, post: str) -> Registration | None:
    scope = Scope(actor=f"citizen-{person.pk}", roles=frozenset({roles.CITIZEN}), person_id=person.pk)
    try:
        registration = services.registration_create(scope=scope, exam_code=exam.code, post_code=post)
    except Exception:
        return None
    services.registration_review(scope=OFFICE, registration_id=registration.pk, approve=True)
    order, _url = services.fee_pay(scope=scope, registration_id=registration.pk)
    services.fee_settle(order=order, status="paid", amount=order.amount, actor="gateway:thirdparty")
    return registration


# The held exam's calendar, in days before the day the demo runs: registration opened and
# closed, the exam held, the results published (all past, so a published score never
# belongs to an exam still to come).
OPENED, CLOSED, HELD, PUBLISHED = 75, 60, 45, 30


def _taken(citizen: Person | None) -> None:
    """The first exam, held: registration in the past, the demo citizen and a dozen others.

    Registering goes through the services, which accept it only while registration is open
    today; so the exam is taken through its steps first and then given its real calendar, in
    the past (``_backdate``), as the office would have run it."""
    today = timezone.localdate()
    with transaction.atomic():
        exam = _exam(
            DONE,
            "2026年下半年事业单位公开招聘笔试（示范）",
            opens=today,
            closes=today + dt.timedelta(days=1),
            held=today + dt.timedelta(days=2),
        )
        services.exam_advance(scope=OFFICE, code=DONE, step="open")
        others = list(
            Person.objects.filter(
                status=Person.Status.ACTIVE,
                birth_date__range=(today.replace(year=today.year - 40), today.replace(year=today.year - 22)),
            )
            .exclude(pk__in=[citizen.pk] if citizen else [])
            .order_by("pk")[:12]
        )
        candidates = [
            _confirm(exam, person, "01" if i % 3 else "02")
            for i, person in enumerate([citizen, *others] if citizen else others)
        ]
        services.paper_assemble(scope=OFFICE, exam_code=DONE, seed=20261205)
        services.exam_advance(scope=OFFICE, code=DONE, step="close")
        services.seats_allocate(scope=OFFICE, exam_code=DONE)
        key, _points, written = services.paper_layout(Paper.objects.get(exam=exam))
        rng = random.Random(7)
        tickets = dict(Seat.objects.filter(exam=exam).values_list("registration_id", "ticket"))
        sheets = {
            tickets[r.pk]: "".join(c if rng.random() < 0.75 else rng.choice("1248") for c in key)
            for r in candidates
            if r is not None
        }
        scripts = {ticket: {written[0]: "（考生作答，示范）"} for ticket in sheets}
        services.sheets_record(scope=OFFICE, exam_code=DONE, sheets=sheets, scripts=scripts)
        first, second, third = (Scope(actor=m, roles=frozenset({roles.REVIEWER}), districts=None) for m in MARKERS)
        apart = None
        for script in Script.objects.filter(registration__exam=exam).order_by("code"):
            base = Decimal(rng.randint(15, 26))
            services.mark_record(scope=first, script_code=script.code, score=base)
            gap = Decimal(9) if apart is None else Decimal(rng.randint(0, 4))
            apart = apart or script
            services.mark_record(scope=second, script_code=script.code, score=min(base + gap, Decimal(30)))
        assert apart is not None
        services.mark_record(scope=third, script_code=apart.code, score=Decimal(22))
        services.exam_score(scope=OFFICE, exam_code=DONE)
        services.results_publish(scope=OFFICE, exam_code=DONE)
        _backdate(exam, today)


def _backdate(exam: Exam, today: dt.date) -> None:
    """Move the held exam's dates and what was done on them to its calendar in the past."""
    zone = timezone.get_current_timezone()

    def at(days: int, hour: int) -> dt.datetime:
        return dt.datetime.combine(today - dt.timedelta(days=days), dt.time(hour), tzinfo=zone)

    Exam.objects.filter(pk=exam.pk).update(
        registration_opens=today - dt.timedelta(days=OPENED),
        registration_closes=today - dt.timedelta(days=CLOSED),
        held_on=today - dt.timedelta(days=HELD),
        published_at=at(PUBLISHED, 10),
    )
    registrations = Registration.objects.filter(exam=exam)
    registrations.update(created_at=at(OPENED - 1, 9), reviewed_at=at(OPENED - 2, 15))
    FeeOrder.objects.filter(registration__exam=exam).update(created_at=at(OPENED - 3, 20), paid_at=at(OPENED - 3, 20))
    Paper.objects.filter(exam=exam).update(sealed_at=at(CLOSED + 5, 16))


def _described() -> list[str]:
    exam = Exam.objects.get(code=DONE)
    third = Script.objects.filter(registration__exam=exam, marks__round=3).prefetch_related("marks").first()
    marks = sorted((mark.round, mark.score) for mark in third.marks.all()) if third else []
    return [
        f"exams: {exam.name} — paper drawn with seed 20261205 and sealed, "
        f"{Score.objects.filter(exam=exam).count()} candidates seated, scored and published; script "
        f"{third.code if third else '-'} marked {', '.join(str(score) for _round, score in marks)}: the first two "
        f"too far apart, settled at {third.final if third else '-'}",
        f"exams: {OPEN} open for registration (the citizen registers at /exams/{OPEN}/)",
    ]


def demo_exams(*, citizen: Person | None) -> list[str]:
    _bank()
    done = Exam.objects.filter(code=DONE).first()
    if done is None:
        _taken(citizen)
    elif done.held_on >= timezone.localdate():  # made by an earlier demo with its dates ahead
        with transaction.atomic():
            _backdate(done, timezone.localdate())
    if not Exam.objects.filter(code=OPEN).exists():
        today = timezone.localdate()
        with transaction.atomic():
            _exam(
                OPEN,
                "2027年上半年事业单位公开招聘笔试（示范）",
                opens=today - dt.timedelta(days=1),
                closes=today + dt.timedelta(days=30),
                held=today + dt.timedelta(days=60),
            )
            services.exam_advance(scope=OFFICE, code=OPEN, step="open")
            services.paper_assemble(scope=OFFICE, exam_code=OPEN, seed=20270101)
    return _described()
