"""`hrss demo`: demo accounts (and a few registry records to bind them to) for `make run`,
the citizen's contribution history and card (``hrss/portal/demo.py``), the hall's demo
applications (``hrss/servicehall/demo.py``) and the demo employer's vacancies
(``hrss/employment/demo.py``).

Idempotent: running it again keeps what exists and prints the same accounts. Refused
with production settings (``HRSS_PRODUCTION``), so demo passwords never reach a production
database. (`make run` serves with DEBUG off but the development keys: it is not production.)
"""

from __future__ import annotations

from base64 import b32encode
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrss.codes import examples
from hrss.codes.identifiers import parse_credit_code, parse_id_number
from hrss.core import scope as roles
from hrss.identity.models import Role, User
from hrss.identity.onetime import phone_index
from hrss.portal.demo import DEMO_PIN, demo_card, demo_insurance_history
from hrss.registry import services
from hrss.registry.models import Source

DEMO_PASSWORD = "hrss-demo-2026"  # noqa: S105 - development demo only; refused with production settings


# (username, role, districts or None for city-wide, first name, last name)
STAFF = [
    ("admin", roles.ADMINISTRATOR, None, "管理员", "系统"),
    ("clerk", roles.COUNTER_CLERK, ["120101"], "柜员", "和平"),
    ("clerk_hexi", roles.COUNTER_CLERK, ["120103"], "柜员", "河西"),
    ("reviewer", roles.REVIEWER, None, "审核员", "市级"),
    # A second reviewer: one person does at most one review tier of an application (职责分离).
    ("reviewer2", roles.REVIEWER, None, "复审员", "市级"),
    ("approver", roles.APPROVER, None, "审批员", "市级"),
    ("analyst", roles.ANALYST, None, "分析员", "市级"),
    # Arbitrators of the labour dispute commission, on its roster (hrss/labor/demo.py).
    ("arbitrator", roles.ARBITRATOR, ["120101"], "仲裁", "王"),
    ("arbitrator_hexi", roles.ARBITRATOR, ["120103"], "仲裁", "李"),
]


class Command(BaseCommand):
    help = "Create the demo accounts and the registry records they are bound to; print them."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.HRSS_PRODUCTION:
            raise CommandError("demo accounts are never created with production settings (hrss.settings.production)")
        if "synth" in get_commands():
            # Generates the small demo city the first time; does nothing once persons exist.
            call_command("synth", "--demo", stdout=self.stdout)
        with transaction.atomic():
            lines = self._accounts()
        self.stdout.write("Demo accounts (development only):")
        for line in lines:
            self.stdout.write(f"  {line}")
        users = {u.username: u for u in User.objects.filter(username__in=["citizen", "employer", "clerk"])}
        # Years of contributions, paid, credited to the pension account with interest.
        history = demo_insurance_history(citizen=users["citizen"], agent=users["employer"])
        if "hrss.labor" in settings.INSTALLED_APPS:
            # Before the hall's applications: a demo case accepted there goes to a demo arbitrator.
            from hrss.labor.demo import demo_roster

            history = demo_roster() + history
        if "hrss.servicehall" in settings.INSTALLED_APPS:
            from hrss.servicehall.demo import demo_applications

            demo_applications(stdout=self.stdout)
        # The card applied for in the hall: made, issued, activated, with its electronic card.
        history += demo_card(citizen=users["citizen"], clerk=users.get("clerk"))
        if "hrss.hotline" in settings.INSTALLED_APPS:
            # Calls at the 12333 desk: consultations answered, a complaint routed.
            from hrss.hotline.demo import demo_hotline

            agent = users["employer"]
            history += demo_hotline(clerk=users.get("clerk"), citizen=users["citizen"], employer=agent.employer)
        if "hrss.training" in settings.INSTALLED_APPS:
            from hrss.training.demo import demo_training

            history += demo_training(
                school_agent=User.objects.get(username="school"),
                body_agents=list(User.objects.filter(username__in=["assessor", "assessor2"]).order_by("username")),
            )
        if "hrss.talent" in settings.INSTALLED_APPS:
            # A public institution with its quota, posts and staff, bound to the account "institution".
            from hrss.talent.demo import demo_talent

            history += demo_talent(agent=User.objects.get(username="institution"))
            # The citizen's wage qualifies for the talent green card C, applied for in the hall.
            from hrss.talent.demo import demo_green_card

            history += demo_green_card(citizen=users["citizen"])
            # The citizen's professional title, among their certificates and verified by number.
            from hrss.talent.demo import demo_titles

            history += demo_titles(citizen=users["citizen"])
            # Talent programmes: one reviewed by five experts and published, one waiting for ``expert``.
            from hrss.talent.demo import demo_programmes

            history += demo_programmes(citizen=users["citizen"], expert=User.objects.get(username="expert"))
        if "hrss.medical" in settings.INSTALLED_APPS:
            # The citizen insured, a demo hospital's settlement client, one visit on the card.
            from hrss.card.models import Card
            from hrss.medical.demo import demo_medical

            card = Card.objects.filter(person=users["citizen"].person, status="active").first()
            number = (card.number or "") if card else ""
            history += demo_medical(citizen=users["citizen"], card_number=number, card_pin=DEMO_PIN)
        if "hrss.employment" in settings.INSTALLED_APPS:
            from hrss.employment.demo import demo_vacancies

            vacancies = demo_vacancies(agent=users["employer"])
            history.append(f"employment: {len(vacancies)} open vacancies of the demo employer")
            if "hrss.servicehall" in settings.INSTALLED_APPS:
                from hrss.employment.demo import demo_startup_loan

                history.append(demo_startup_loan(citizen=users["citizen"], clerk=users.get("clerk")))
            # Special groups, a guidance slot and a start-up registration (E1, E2).
            from hrss.employment.demo import demo_support

            history += demo_support(citizen=users["citizen"], clerk=users.get("clerk"))
        if "hrss.credit" in settings.INSTALLED_APPS:
            # Last: rate on what every app reported (the demo employer's planted arrears: C).
            from hrss.credit.demo import demo_credit

            history += demo_credit(employer=users["employer"].employer)
        if "hrss.exchange" in settings.INSTALLED_APPS:
            # Another department's system that asks the exchange (status, certificates, history).
            from hrss.exchange.demo import demo_exchange

            history += demo_exchange()
        if "hrss.exams" in settings.INSTALLED_APPS:
            # An exam held and published with the citizen among its candidates, another open.
            from hrss.exams.demo import demo_exams

            history += demo_exams(citizen=users["citizen"].person)
        self.stdout.write("Demo history:")
        for line in history:
            self.stdout.write(f"  {line}")

    def _accounts(self) -> list[str]:
        citizen_number = parse_id_number(examples.ID_NUMBER)
        citizen = services.person_apply(
            id_number=citizen_number,
            values={
                "name": examples.PERSON_NAME,
                "household_district": "120101",
                "residence_district": "120101",
                "phone": "13800138000",
            },
            source=Source.PUBLIC_SECURITY,
        ).obj
        employer = services.employer_apply(
            credit_code=parse_credit_code(examples.CREDIT_CODE),
            values={
                "name": "天津示范科技有限公司",
                "industry": "65",
                "district": "120101",
                "size": "small",
                "contact_phone": "13900139000",  # receives employer-agent confirmation codes
            },
            source=Source.MARKET_REGULATION,
        ).obj
        services.employment_record(
            id_number=citizen_number,
            credit_code=parse_credit_code(employer.credit_code),
            start_date=citizen_number.birth_date.replace(year=2014, month=7, day=1),
            end_date=None,
            occupation="2-02",
            monthly_wage=Decimal("9800.00"),
            source=Source.TAX,
        )
        lines = []
        for username, role, districts, first, last in STAFF:
            user = self._user(username, role, first, last)
            user.city_wide = districts is None
            user.is_staff = True
            user.is_superuser = role == roles.ADMINISTRATOR
            user.save()
            if districts:
                user.districts.set(districts)  # type: ignore[arg-type]  # District primary keys
            # Staff sign in with a TOTP second factor: print the set-up key (development only).
            lines.append(f"{role}: {username} / {DEMO_PASSWORD}  (TOTP set-up key {self._totp_key(user)})")
        citizen_user = self._user("citizen", roles.CITIZEN, "伟", "张")
        citizen_user.person = citizen
        citizen_user.phone = "13800138000"  # the registry's number: SMS sign-in codes go there
        citizen_user.phone_index = phone_index(citizen_user.phone)
        citizen_user.save()
        lines.append(f"{roles.CITIZEN}: citizen / {DEMO_PASSWORD}  (bound to ID number {citizen_number.value})")
        agent = self._user("employer", roles.EMPLOYER_AGENT, "经办", "单位")
        agent.employer = employer
        agent.save()
        lines.append(f"{roles.EMPLOYER_AGENT}: employer / {DEMO_PASSWORD}  (acts for {employer.credit_code})")
        # Training: the school's agent, and two of the appraisal body (one enters results, one checks).
        for username, first, what in (
            ("school", "培训学校", "the training school"),
            ("assessor", "认定中心", "the appraisal body: enters results"),
            ("assessor2", "认定中心", "the appraisal body: checks results"),
            ("institution", "事业单位", "the public institution: recruitment plans, post changes, wages"),
        ):
            self._user(username, roles.EMPLOYER_AGENT, "经办", first)
            lines.append(f"{roles.EMPLOYER_AGENT}: {username} / {DEMO_PASSWORD}  ({what})")
        # An expert of the talent programmes' pool: a citizen's account (bound to the expert's person by the talent demo).
        self._user("expert", roles.CITIZEN, "建华", "刘")
        lines.append(f"{roles.CITIZEN}: expert / {DEMO_PASSWORD}  (an expert of the talent programmes' pool)")
        return lines

    def _totp_key(self, user: User) -> str:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
        return b32encode(device.bin_key).decode()

    def _user(self, username: str, role: str, first: str, last: str) -> User:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.roles.add(Role.objects.get(code=role))
        return user
