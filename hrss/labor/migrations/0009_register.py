"""The rights-protection register (L2): petitions, fraud cases, units, transfers with receipts,
the register's history, merges; the petition and register parameters; the city-wide units."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

import hrss.core.crypto

# The city-wide units (district units are added in the back office; the demo adds two).
UNITS = [
    ("city-inspection", "市劳动保障监察总队", "inspection"),
    ("city-arbitration", "市劳动人事争议仲裁委员会", "arbitration"),
    ("city-fund-supervision", "市社会保险基金监督处", "fund_supervision"),
    ("city-petition-office", "市人力资源和社会保障局信访办公室", "petition_office"),
]


def seed(apps, schema_editor):
    from hrss.codes.loader import load_parameters

    load_parameters(apps.get_model("codes", "PolicyParameter"))
    unit = apps.get_model("labor", "Unit")
    for code, name, kind in UNITS:
        unit.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [
        ("codes", "0003_seed_code_tables"),
        ("labor", "0008_random_inspection_plans"),
        ("registry", "0006_blind_index_collation"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged",
                to="labor.complaint",
            ),
        ),
        migrations.CreateModel(
            name="RegisterEvent",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("item_kind", models.CharField(max_length=12)),
                ("item_reference", models.CharField(max_length=24)),
                ("action", models.CharField(max_length=30)),
                ("actor", models.CharField(max_length=150)),
                ("at", models.DateTimeField(auto_now_add=True)),
                ("note", models.TextField(blank=True)),
            ],
            options={
                "verbose_name": "register event",
                "verbose_name_plural": "register events",
                "ordering": ["at", "id"],
                "indexes": [
                    models.Index(fields=["item_kind", "item_reference"], name="labor_regis_item_ki_974554_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="Unit",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("inspection", "labour inspection"),
                            ("arbitration", "labour dispute arbitration"),
                            ("fund_supervision", "social insurance fund supervision"),
                            ("petition_office", "petition office"),
                        ],
                        max_length=20,
                        verbose_name="unit kind",
                    ),
                ),
                ("active", models.BooleanField(default=True, verbose_name="taking transfers")),
                (
                    "district",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="codes.district",
                        verbose_name="district",
                    ),
                ),
            ],
            options={
                "verbose_name": "register unit",
                "verbose_name_plural": "register units",
                "ordering": ["code"],
            },
        ),
        migrations.AddField(
            model_name="complaint",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="complaints",
                to="labor.unit",
            ),
        ),
        migrations.CreateModel(
            name="Transfer",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("item_kind", models.CharField(max_length=12)),
                ("item_reference", models.CharField(max_length=24)),
                ("reason", models.TextField(verbose_name="reason")),
                ("sent_by", models.CharField(max_length=150)),
                ("sent_on", models.DateField(verbose_name="sent on")),
                ("receipt_due", models.DateField(verbose_name="receipt due")),
                ("received_by", models.CharField(blank=True, max_length=150, verbose_name="received by")),
                ("received_at", models.DateTimeField(blank=True, null=True, verbose_name="received at")),
                ("idempotency_key", models.CharField(max_length=64)),
                (
                    "from_unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="labor.unit",
                    ),
                ),
                (
                    "to_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="transfers_in", to="labor.unit"
                    ),
                ),
            ],
            options={
                "verbose_name": "transfer",
                "verbose_name_plural": "transfers",
                "ordering": ["sent_on", "id"],
                "indexes": [
                    models.Index(fields=["item_kind", "item_reference"], name="labor_trans_item_ki_27806b_idx"),
                    models.Index(fields=["to_unit", "received_at"], name="labor_trans_to_unit_54e414_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("sent_by", "idempotency_key"), name="labor_transfer_idempotent")
                ],
            },
        ),
        migrations.CreateModel(
            name="Petition",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("reference", models.CharField(max_length=24, unique=True, verbose_name="reference")),
                (
                    "petitioner_name",
                    hrss.core.crypto.EncryptedTextField(
                        aad="labor.petition.petitioner_name", blank=True, default="", verbose_name="petitioner's name"
                    ),
                ),
                (
                    "petitioner_phone",
                    hrss.core.crypto.EncryptedTextField(
                        aad="labor.petition.petitioner_phone", blank=True, default="", verbose_name="petitioner's phone"
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("letter", "letter"),
                            ("visit", "visit"),
                            ("online", "online"),
                            ("12333", "12333 hotline"),
                        ],
                        max_length=10,
                        verbose_name="channel",
                    ),
                ),
                ("subject", models.CharField(max_length=200, verbose_name="subject")),
                ("content", models.TextField(blank=True, verbose_name="content")),
                ("received_on", models.DateField(verbose_name="received on")),
                ("acceptance_due", models.DateField(verbose_name="acceptance decision due")),
                ("accepted_on", models.DateField(blank=True, null=True, verbose_name="accepted on")),
                ("answer_due", models.DateField(blank=True, null=True, verbose_name="answer due")),
                ("extended", models.BooleanField(default=False, verbose_name="answer period extended")),
                ("answered_on", models.DateField(blank=True, null=True, verbose_name="answered on")),
                ("answer", models.TextField(blank=True, verbose_name="answer")),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="closed on")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("received", "received"),
                            ("accepted", "accepted"),
                            ("not_accepted", "not accepted"),
                            ("answered", "answered"),
                            ("closed", "closed"),
                            ("merged", "merged into another"),
                        ],
                        default="received",
                        max_length=14,
                        verbose_name="status",
                    ),
                ),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="current deadline")),
                ("recorded_by", models.CharField(max_length=150)),
                ("idempotency_key", models.CharField(max_length=64)),
                (
                    "district",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="codes.district"
                    ),
                ),
                (
                    "employer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="labour_petitions",
                        to="registry.employer",
                    ),
                ),
                (
                    "merged_into",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="merged",
                        to="labor.petition",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="labour_petitions",
                        to="registry.person",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="petitions",
                        to="labor.unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "petition",
                "verbose_name_plural": "petitions",
                "ordering": ["-received_on", "reference"],
                "indexes": [
                    models.Index(fields=["person", "received_on"], name="labor_petit_person__49414e_idx"),
                    models.Index(fields=["employer", "received_on"], name="labor_petit_employe_89bdc9_idx"),
                    models.Index(fields=["status", "due_on"], name="labor_petit_status_950320_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("recorded_by", "idempotency_key"), name="labor_petition_idempotent")
                ],
            },
        ),
        migrations.CreateModel(
            name="FraudCase",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("reference", models.CharField(max_length=24, unique=True, verbose_name="reference")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("impersonation", "benefits drawn in another's name (冒领)"),
                            ("false_enrolment", "false enrolment (虚假参保)"),
                            ("benefit_fraud", "benefits obtained by deception (骗取待遇)"),
                            ("other", "other"),
                        ],
                        max_length=20,
                        verbose_name="kind of fraud",
                    ),
                ),
                (
                    "found_by",
                    models.CharField(
                        choices=[
                            ("inspection", "inspection"),
                            ("cross_check", "data cross-check"),
                            ("report", "report"),
                        ],
                        max_length=12,
                        verbose_name="found by",
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount involved")),
                ("description", models.TextField(verbose_name="description")),
                ("opened_on", models.DateField(verbose_name="opened on")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "under investigation"),
                            ("confirmed", "confirmed"),
                            ("dismissed", "dismissed"),
                            ("closed", "closed"),
                            ("merged", "merged into another"),
                        ],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("recovery_case", models.UUIDField(blank=True, null=True, verbose_name="recovery case")),
                ("recorded_by", models.CharField(max_length=150)),
                ("idempotency_key", models.CharField(max_length=64)),
                (
                    "district",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="codes.district"
                    ),
                ),
                (
                    "employer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="fraud_cases",
                        to="registry.employer",
                    ),
                ),
                (
                    "merged_into",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="merged",
                        to="labor.fraudcase",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="fraud_cases",
                        to="registry.person",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="fraud_cases",
                        to="labor.unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "fraud case",
                "verbose_name_plural": "fraud cases",
                "ordering": ["-opened_on", "reference"],
                "indexes": [
                    models.Index(fields=["person", "opened_on"], name="labor_fraud_person__b99e77_idx"),
                    models.Index(fields=["employer", "opened_on"], name="labor_fraud_employe_6f2de3_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("recorded_by", "idempotency_key"), name="labor_fraud_idempotent"),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gte", 0)), name="labor_fraud_amount_not_negative"
                    ),
                ],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
