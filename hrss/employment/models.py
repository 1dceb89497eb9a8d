"""Employment services (E1, E4): who is registered as unemployed, what they look for, and
the vacancies employers post."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrss.core.models import BaseModel


class UnemploymentRegistration(BaseModel):
    """失业登记: a person registered as unemployed, from the hall's item SH-JY-001."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered as unemployed")
        ENDED = "ended", _("registration ended")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    unemployed_since = models.DateField(_("unemployed since"))
    registered_on = models.DateField(_("registered on"))
    last_employer = models.CharField(_("last employer"), max_length=200, blank=True)
    wants_training = models.BooleanField(_("would like vocational training"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # The hall application it came from: the retry key of the service task.
    hall_reference = models.CharField(_("application reference"), max_length=20, unique=True)
    registered_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("unemployment registration")
        verbose_name_plural = _("unemployment registrations")
        ordering = ("-registered_on", "-created_at")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="registered"),
                name="employment_one_open_registration",
            )
        ]


class JobSeekerProfile(BaseModel):
    """A job seeker's intentions and what they bring; opened by unemployment registration
    or by the person themself. ``visible_to_employers`` is the seeker's own choice."""

    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT, related_name="+")
    occupations = models.JSONField(_("occupations wanted"), default=list, blank=True)  # codes.Occupation codes
    districts = models.JSONField(_("districts wanted"), default=list, blank=True)  # codes.District codes
    wage_min = models.DecimalField(_("lowest monthly wage wanted"), max_digits=10, decimal_places=2, null=True)
    education = models.ForeignKey(
        "codes.EducationLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    skills = models.JSONField(_("skills and certificates"), default=list, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    visible_to_employers = models.BooleanField(_("employers may see my profile"), default=False)

    class Meta:
        verbose_name = _("job-seeker profile")
        verbose_name_plural = _("job-seeker profiles")


class Vacancy(BaseModel):
    """A vacancy an employer posts (招聘岗位)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("vacancy", "open")
        CLOSED = "closed", pgettext_lazy("vacancy", "closed")
        # closed by the daily job ``employment.vacancies_expire`` once past ``valid_until``
        EXPIRED = "expired", pgettext_lazy("vacancy", "expired")

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=4000)
    occupation = models.ForeignKey("codes.Occupation", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("codes.District", on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    wage_min = models.DecimalField(_("lowest monthly wage"), max_digits=10, decimal_places=2)
    wage_max = models.DecimalField(_("highest monthly wage"), max_digits=10, decimal_places=2)
    education = models.ForeignKey(
        "codes.EducationLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    skills = models.JSONField(_("skills wanted"), default=list, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    posted_by = models.CharField(max_length=150)
    # The jieba tokens of title, description and skills, space-separated, segmented when the
    # vacancy is posted (``search.py``): rebuilding the search index needs no segmentation.
    search_tokens = models.TextField(blank=True, default="")
    # A client's retry of the same post answers with the first vacancy.
    idempotency_key = models.CharField(max_length=64, blank=True)
    # Posted for the employer by a licensed HR agency (its agency client's name and the
    # licence the post was checked against); empty when the employer's agent posted it.
    agency_client = models.CharField(_("posted by agency"), max_length=200, blank=True, db_index=True)
    licence = models.ForeignKey(
        "employment.AgencyLicence", null=True, blank=True, on_delete=models.PROTECT, related_name="vacancies"
    )

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["status", "valid_until"], name="employment_vacancy_open"),
            # the search index's delta: what changed since its base was built (search.py)
            models.Index(fields=["updated_at"], name="employment_vacancy_updated"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="employment_vacancy_idempotent",
            )
        ]


class JobApplication(BaseModel):
    """A seeker's application to a vacancy (求职申请). One per person and vacancy: applying
    again answers with the first application."""

    class Status(models.TextChoices):
        APPLIED = "applied", pgettext_lazy("job application", "applied")
        INVITED = "invited", pgettext_lazy("job application", "invited to an interview")
        SHORTLISTED = "shortlisted", pgettext_lazy("job application", "shortlisted")
        DECLINED = "declined", pgettext_lazy("job application", "declined")

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note to the employer"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)

    class Meta:
        verbose_name = _("job application")
        verbose_name_plural = _("job applications")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "person"], name="employment_one_application_per_vacancy")
        ]


class InterviewInvitation(BaseModel):
    """An employer's invitation to an interview (面试邀请), sent to the applicant through
    notify (in-app and SMS). One per application: sending again answers with the first."""

    application = models.OneToOneField(JobApplication, on_delete=models.PROTECT, related_name="invitation")
    at = models.DateTimeField(_("interview time"))
    place = models.CharField(_("place"), max_length=200)
    note = models.CharField(_("note to the applicant"), max_length=500, blank=True)
    sent_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("interview invitation")
        verbose_name_plural = _("interview invitations")


class PolicyRun(BaseModel):
    """One run of a policy (``rules.policies()``) for one period: who it found and how many
    new payments it proposed. A period may be run again (late contributions, late
    registrations); it proposes only what no earlier run of that period did."""

    policy = models.CharField(_("policy"), max_length=40)
    period = models.DateField(_("period"))
    found = models.PositiveIntegerField(_("eligible found"), default=0)
    proposed = models.PositiveIntegerField(_("new payments proposed"), default=0)
    started_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("policy run")
        verbose_name_plural = _("policy runs")
        ordering = ("-created_at",)


class PolicyPayment(BaseModel):
    """A payment a policy run proposed (免申即享: no application), for staff approval.
    One per policy, period and beneficiary (``key``: employer and person ids), so nobody is
    paid twice however often the period is run."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", pgettext_lazy("policy payment", "approved")

    run = models.ForeignKey(PolicyRun, on_delete=models.PROTECT, related_name="payments")
    policy = models.CharField(_("policy"), max_length=40)
    period = models.DateField(_("period"))
    key = models.CharField(max_length=80)
    employer = models.ForeignKey("registry.Employer", null=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", null=True, on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    reasons = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    approved_by = models.CharField(max_length=150, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("policy payment")
        verbose_name_plural = _("policy payments")
        ordering = ("created_at",)
        constraints = [models.UniqueConstraint(fields=["policy", "period", "key"], name="employment_policy_paid_once")]


class EmploymentRegistration(BaseModel):
    """就业登记: a person's new job or business registered from the hall's item SH-JY-002.
    The job itself is the registry's employment spell (``registry.Employment``), recorded or
    found there, never copied; registering ends an open unemployment registration."""

    class Kind(models.TextChoices):
        EMPLOYEE = "employee", _("employed by an employer")
        SELF_EMPLOYED = "self_employed", _("self-employed or running a business")
        FLEXIBLE = "flexible", _("flexible employment")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("form of employment"), max_length=16, choices=Kind.choices)
    employer = models.ForeignKey("registry.Employer", null=True, on_delete=models.PROTECT, related_name="+")
    employer_name = models.CharField(_("employer or business"), max_length=200, blank=True)
    started_on = models.DateField(_("employed since"))
    spell = models.ForeignKey("registry.Employment", null=True, on_delete=models.PROTECT, related_name="+")
    hall_reference = models.CharField(_("application reference"), max_length=20, unique=True)
    registered_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("employment registration")
        verbose_name_plural = _("employment registrations")
        ordering = ("-started_on", "-created_at")


class StartupLoan(BaseModel):
    """创业担保贷款 approved through the hall (SH-JY-003): the terms and the repayment
    assessment the decision was taken on, stored with it."""

    class Status(models.TextChoices):
        APPROVED = "approved", pgettext_lazy("start-up loan", "approved")
        REPAID = "repaid", _("repaid")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    business_name = models.CharField(_("business name"), max_length=200)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    contract_rate = models.DecimalField(_("contract rate"), max_digits=7, decimal_places=5)
    borrower_rate = models.DecimalField(_("borrower's rate"), max_digits=7, decimal_places=5)
    monthly_instalment_fen = models.BigIntegerField(_("monthly instalment (fen)"))
    interest_subsidy_fen = models.BigIntegerField(_("interest subsidy (fen)"))
    score = models.PositiveSmallIntegerField(_("repayment assessment score"))
    assessment = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPROVED)
    hall_reference = models.CharField(_("application reference"), max_length=20, unique=True)
    decided_by = models.CharField(max_length=150)
    decided_on = models.DateField(_("decided on"))

    class Meta:
        verbose_name = _("start-up guaranteed loan")
        verbose_name_plural = _("start-up guaranteed loans")
        ordering = ("-decided_on", "-created_at")


class StartupSubsidy(BaseModel):
    """一次性创业补贴 granted through the hall (SH-JY-004): once per person, ever."""

    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT, related_name="+")
    business_name = models.CharField(_("business name"), max_length=200)
    started_on = models.DateField(_("business started on"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    hall_reference = models.CharField(_("application reference"), max_length=20, unique=True)
    decided_by = models.CharField(max_length=150)
    decided_on = models.DateField(_("decided on"))

    class Meta:
        verbose_name = _("one-time start-up subsidy")
        verbose_name_plural = _("one-time start-up subsidies")


class AgencyLicence(BaseModel):
    """人力资源服务许可证: a licensed HR agency, the agency client (``hrss agency client
    create``, client credentials) it belongs to by name, and the districts it may serve.
    An agency posts vacancies for employers only while a licence covering the vacancy's
    district is in force (valid today and not revoked)."""

    licence_number = models.CharField(pgettext_lazy("hr agency", "licence number"), max_length=40, unique=True)
    agency_name = models.CharField(_("agency name"), max_length=200)
    client_name = models.CharField(_("agency client"), max_length=200, db_index=True)
    districts = models.JSONField(_("districts served"), default=list)  # codes.District codes
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.CharField(max_length=150, blank=True)
    revoke_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    recorded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("HR service licence")
        verbose_name_plural = _("HR service licences")
        ordering = ("-valid_from", "licence_number")


# The bureau's support for people (special groups, guidance appointments, start-up registration).
from hrss.employment.support_models import *  # noqa: E402, F403
