# Special groups, their follow-up, guidance appointments and start-up registrations (E1, E2).
# Written by hand: only this feature's models (another migration holds the app's other changes).
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def load_parameters(apps, schema_editor):
    from hrss.codes.loader import load_parameters as load

    load(apps.get_model("codes", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [
        ("employment", "0007_vacancy_search_tokens"),
        ("codes", "0003_seed_code_tables"),
        ("registry", "0006_blind_index_collation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="GuidanceSlot",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("counsellor_name", models.CharField(max_length=100, verbose_name="counsellor")),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                ("minutes", models.PositiveSmallIntegerField(default=45, verbose_name="minutes")),
                ("online", models.BooleanField(default=False, verbose_name="online")),
                ("place", models.CharField(max_length=200, verbose_name="place or meeting link")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "open"), ("withdrawn", "withdrawn")],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "counsellor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "district",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="codes.district"
                    ),
                ),
            ],
            options={
                "verbose_name": "career guidance slot",
                "verbose_name_plural": "career guidance slots",
                "ordering": ("starts_at",),
            },
        ),
        migrations.CreateModel(
            name="GuidanceBooking",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("topic", models.CharField(blank=True, max_length=300, verbose_name="what I would like to talk about")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("booked", "booked"),
                            ("cancelled", "cancelled"),
                            ("attended", "attended"),
                            ("missed", "did not come"),
                        ],
                        default="booked",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("outcome", models.CharField(blank=True, max_length=1000, verbose_name="outcome")),
                ("outcome_by", models.CharField(blank=True, max_length=150)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="registry.person"
                    ),
                ),
                (
                    "slot",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="employment.guidanceslot",
                    ),
                ),
            ],
            options={
                "verbose_name": "career guidance booking",
                "verbose_name_plural": "career guidance bookings",
                "ordering": ("-created_at",),
            },
        ),
        migrations.CreateModel(
            name="SpecialGroupMembership",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("category", models.CharField(max_length=40, verbose_name="category")),
                ("basis", models.JSONField(default=list)),
                ("evidence", models.CharField(blank=True, max_length=200, verbose_name="evidence")),
                ("evidence_date", models.DateField(blank=True, null=True, verbose_name="evidence date")),
                ("identified_by", models.CharField(max_length=150)),
                ("identified_on", models.DateField(verbose_name="identified on")),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "active"), ("ended", "ended")],
                        default="active",
                        max_length=8,
                        verbose_name="status",
                    ),
                ),
                ("ended_on", models.DateField(blank=True, null=True, verbose_name="ended on")),
                (
                    "end_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("employed", "found work"),
                            ("expired", "no longer meets the conditions"),
                            ("other", "other"),
                        ],
                        max_length=10,
                        verbose_name="end reason",
                    ),
                ),
                ("ended_by", models.CharField(blank=True, max_length=150)),
                ("next_follow_up", models.DateField(blank=True, null=True, verbose_name="next follow-up")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="registry.person"
                    ),
                ),
            ],
            options={
                "verbose_name": "special group membership",
                "verbose_name_plural": "special group memberships",
                "ordering": ("-identified_on", "-created_at"),
            },
        ),
        migrations.CreateModel(
            name="FollowUp",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("on", models.DateField(verbose_name="date")),
                (
                    "way",
                    models.CharField(
                        choices=[
                            ("phone", "by phone"),
                            ("visit", "home visit"),
                            ("in_person", "in person at the bureau"),
                        ],
                        max_length=10,
                        verbose_name="way",
                    ),
                ),
                ("notes", models.CharField(blank=True, max_length=1000, verbose_name="notes")),
                ("next_due", models.DateField(blank=True, null=True, verbose_name="next follow-up")),
                ("recorded_by", models.CharField(max_length=150)),
                (
                    "membership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="follow_ups",
                        to="employment.specialgroupmembership",
                    ),
                ),
            ],
            options={
                "verbose_name": "follow-up",
                "verbose_name_plural": "follow-ups",
                "ordering": ("-on", "-created_at"),
            },
        ),
        migrations.CreateModel(
            name="StartupRegistration",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("business_name", models.CharField(max_length=200, verbose_name="business name")),
                ("credit_code", models.CharField(blank=True, max_length=18, verbose_name="unified social credit code")),
                ("started_on", models.DateField(verbose_name="business started on")),
                ("employees", models.PositiveIntegerField(default=0, verbose_name="employees")),
                ("registered_by", models.CharField(max_length=150)),
                (
                    "district",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="codes.district"
                    ),
                ),
                (
                    "industry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="codes.industry"
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="registry.person"
                    ),
                ),
            ],
            options={
                "verbose_name": "start-up registration",
                "verbose_name_plural": "start-up registrations",
                "ordering": ("-started_on", "-created_at"),
            },
        ),
        migrations.CreateModel(
            name="StartupGuidance",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("on", models.DateField(verbose_name="date")),
                ("adviser", models.CharField(max_length=100, verbose_name="adviser")),
                ("topics", models.JSONField(default=list, verbose_name="topics")),
                ("notes", models.CharField(blank=True, max_length=1000, verbose_name="notes")),
                ("recorded_by", models.CharField(max_length=150)),
                (
                    "registration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="guidance",
                        to="employment.startupregistration",
                    ),
                ),
            ],
            options={
                "verbose_name": "start-up guidance",
                "verbose_name_plural": "start-up guidance",
                "ordering": ("-on", "-created_at"),
            },
        ),
        migrations.CreateModel(
            name="SupportMeasure",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("job_referral", "job referral"),
                            ("skills_training", "skills training"),
                            ("public_welfare_job", "public welfare job placement"),
                            ("social_insurance_subsidy", "social insurance subsidy"),
                            ("career_guidance", "career guidance"),
                        ],
                        max_length=30,
                        verbose_name="measure",
                    ),
                ),
                ("given_on", models.DateField(verbose_name="given on")),
                ("notes", models.CharField(blank=True, max_length=500, verbose_name="notes")),
                ("given_by", models.CharField(max_length=150)),
                (
                    "membership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="measures",
                        to="employment.specialgroupmembership",
                    ),
                ),
            ],
            options={
                "verbose_name": "support measure",
                "verbose_name_plural": "support measures",
                "ordering": ("-given_on", "-created_at"),
            },
        ),
        migrations.AddIndex(
            model_name="guidanceslot",
            index=models.Index(fields=["status", "starts_at"], name="employment_slot_open"),
        ),
        migrations.AddConstraint(
            model_name="guidanceslot",
            constraint=models.UniqueConstraint(
                fields=("counsellor", "starts_at"), name="employment_slot_once_per_counsellor"
            ),
        ),
        migrations.AddConstraint(
            model_name="guidancebooking",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "cancelled"), _negated=True),
                fields=("slot",),
                name="employment_slot_booked_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="guidancebooking",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "booked")), fields=("person",), name="employment_one_booking_per_person"
            ),
        ),
        migrations.AddIndex(
            model_name="specialgroupmembership",
            index=models.Index(fields=["status", "next_follow_up"], name="employment_group_due"),
        ),
        migrations.AddConstraint(
            model_name="specialgroupmembership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "active")),
                fields=("person", "category"),
                name="employment_one_active_group",
            ),
        ),
        migrations.AddConstraint(
            model_name="startupregistration",
            constraint=models.UniqueConstraint(
                fields=("person", "business_name", "started_on"), name="employment_startup_registered_once"
            ),
        ),
        # The special groups' ages and months (employment.special_group.*).
        migrations.RunPython(load_parameters, migrations.RunPython.noop),
    ]
