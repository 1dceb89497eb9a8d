"""Employment filing and construction projects (用工备案, 工程建设领域实名制, L3): labour contracts,
projects with their real-name workers and wage-account entries; the labour contract's grace
month parameter (``labor.contract_grace_months``)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def seed(apps, schema_editor):
    from hrss.codes.loader import load_parameters

    load_parameters(apps.get_model("codes", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [
        ("labor", "0009_register"),
        ("codes", "0003_seed_code_tables"),
        ("registry", "0006_blind_index_collation"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConstructionProject",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("reference", models.CharField(max_length=24, unique=True, verbose_name="reference")),
                ("name", models.CharField(max_length=200, verbose_name="project name")),
                ("wage_bank", models.CharField(max_length=100, verbose_name="bank of the wage account")),
                ("wage_account", models.CharField(max_length=40, verbose_name="wage account number")),
                ("started_on", models.DateField(verbose_name="started on")),
                ("ended_on", models.DateField(blank=True, null=True, verbose_name="ended on")),
                ("recorded_by", models.CharField(max_length=150)),
                ("idempotency_key", models.CharField(max_length=64)),
                (
                    "contractor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.employer",
                        verbose_name="general contractor",
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
                "verbose_name": "construction project",
                "verbose_name_plural": "construction projects",
                "ordering": ["-started_on", "reference"],
            },
        ),
        migrations.CreateModel(
            name="LabourContract",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "contract_type",
                    models.CharField(
                        choices=[
                            ("fixed_term", "fixed term"),
                            ("open_ended", "open-ended"),
                            ("task", "until a task is completed"),
                        ],
                        max_length=12,
                        verbose_name="contract type",
                    ),
                ),
                ("start_date", models.DateField(verbose_name="start date")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                ("signed_on", models.DateField(verbose_name="signed on")),
                ("recorded_by", models.CharField(max_length=150)),
                ("idempotency_key", models.CharField(max_length=64)),
                (
                    "employer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="registry.employer"
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
                "verbose_name": "labour contract",
                "verbose_name_plural": "labour contracts",
                "ordering": ["-start_date"],
            },
        ),
        migrations.CreateModel(
            name="ProjectWorker",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("team", models.CharField(max_length=100, verbose_name="team")),
                ("start_date", models.DateField(verbose_name="start date")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="registry.person"
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="workers",
                        to="labor.constructionproject",
                    ),
                ),
            ],
            options={
                "verbose_name": "project worker",
                "verbose_name_plural": "project workers",
            },
        ),
        migrations.CreateModel(
            name="WageAccountEntry",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "kind",
                    models.CharField(
                        choices=[("deposit", "received into the account"), ("wage", "wage paid to a worker")],
                        max_length=8,
                        verbose_name="kind",
                    ),
                ),
                ("period", models.DateField(verbose_name="month")),
                ("amount_fen", models.BigIntegerField(verbose_name="amount (fen)")),
                ("booked_on", models.DateField(verbose_name="booked on")),
                ("reference", models.CharField(max_length=64, verbose_name="bank reference")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.person",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="account_entries",
                        to="labor.constructionproject",
                    ),
                ),
            ],
            options={
                "verbose_name": "wage account entry",
                "verbose_name_plural": "wage account entries",
            },
        ),
        migrations.AddIndex(
            model_name="constructionproject",
            index=models.Index(fields=["contractor", "started_on"], name="labor_project_contractor"),
        ),
        migrations.AddConstraint(
            model_name="constructionproject",
            constraint=models.UniqueConstraint(
                fields=("recorded_by", "idempotency_key"), name="labor_project_idempotent"
            ),
        ),
        migrations.AddConstraint(
            model_name="constructionproject",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ended_on__isnull", True), ("ended_on__gte", models.F("started_on")), _connector="OR"
                ),
                name="labor_project_valid_range",
            ),
        ),
        migrations.AddIndex(
            model_name="labourcontract",
            index=models.Index(fields=["employer", "person"], name="labor_contract_employer_person"),
        ),
        migrations.AddConstraint(
            model_name="labourcontract",
            constraint=models.UniqueConstraint(
                fields=("employer", "idempotency_key"), name="labor_contract_idempotent"
            ),
        ),
        migrations.AddConstraint(
            model_name="labourcontract",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("end_date__isnull", True), ("end_date__gte", models.F("start_date")), _connector="OR"
                ),
                name="labor_contract_valid_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="labourcontract",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("contract_type", "fixed_term"), _negated=True),
                    ("end_date__isnull", False),
                    _connector="OR",
                ),
                name="labor_contract_fixed_term_ends",
            ),
        ),
        migrations.AddConstraint(
            model_name="labourcontract",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("contract_type", "open_ended"), _negated=True),
                    ("end_date__isnull", True),
                    _connector="OR",
                ),
                name="labor_contract_open_ended_has_no_end",
            ),
        ),
        migrations.AddConstraint(
            model_name="projectworker",
            constraint=models.UniqueConstraint(
                fields=("project", "person", "start_date"), name="labor_project_worker_spell"
            ),
        ),
        migrations.AddConstraint(
            model_name="projectworker",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("end_date__isnull", True), ("end_date__gte", models.F("start_date")), _connector="OR"
                ),
                name="labor_project_worker_valid_range",
            ),
        ),
        migrations.AddIndex(
            model_name="wageaccountentry",
            index=models.Index(fields=["project", "period"], name="labor_wage_entry_period"),
        ),
        migrations.AddConstraint(
            model_name="wageaccountentry",
            constraint=models.UniqueConstraint(fields=("project", "reference"), name="labor_wage_entry_once"),
        ),
        migrations.AddConstraint(
            model_name="wageaccountentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount_fen__gt", 0)), name="labor_wage_entry_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="wageaccountentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "deposit"), ("person__isnull", True)),
                    models.Q(("kind", "wage"), ("person__isnull", False)),
                    _connector="OR",
                ),
                name="labor_wage_entry_person_for_wages",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
