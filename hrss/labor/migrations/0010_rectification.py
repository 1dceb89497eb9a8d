"""Labour inspection follow-through (L3): findings with photos, rectification orders and
penalties, a lead's history and result; the rectification period parameter."""

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
    ]

    operations = [
        migrations.AddField(
            model_name="inspectionlead",
            name="closed_on",
            field=models.DateField(blank=True, null=True, verbose_name="closed on"),
        ),
        migrations.AddField(
            model_name="inspectionlead",
            name="result",
            field=models.CharField(blank=True, max_length=20, verbose_name="result"),
        ),
        migrations.AddField(
            model_name="inspectionlead",
            name="result_note",
            field=models.TextField(blank=True, verbose_name="closing note"),
        ),
        migrations.CreateModel(
            name="Finding",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("found_on", models.DateField(verbose_name="found on")),
                ("text", models.TextField(verbose_name="findings")),
                ("violation", models.BooleanField(verbose_name="violation found")),
                ("recorded_by", models.CharField(max_length=150)),
                (
                    "lead",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="findings", to="labor.inspectionlead"
                    ),
                ),
            ],
            options={
                "verbose_name": "inspection finding",
                "verbose_name_plural": "inspection findings",
                "ordering": ["found_on", "created_at"],
            },
        ),
        migrations.CreateModel(
            name="InspectionEvent",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("action", models.CharField(max_length=30)),
                ("actor", models.CharField(max_length=150)),
                ("at", models.DateTimeField(auto_now_add=True)),
                ("note", models.TextField(blank=True)),
                (
                    "lead",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="events", to="labor.inspectionlead"
                    ),
                ),
            ],
            options={
                "verbose_name": "inspection event",
                "verbose_name_plural": "inspection events",
                "ordering": ["at", "id"],
            },
        ),
        migrations.CreateModel(
            name="FindingPhoto",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("file", models.FileField(upload_to="labor/inspection/%Y/%m/")),
                ("content_type", models.CharField(max_length=40)),
                ("size", models.PositiveIntegerField()),
                ("sha256", models.CharField(max_length=64)),
                ("uploaded_by", models.CharField(max_length=150)),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "finding",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="photos", to="labor.finding"
                    ),
                ),
            ],
            options={
                "verbose_name": "inspection photo",
                "verbose_name_plural": "inspection photos",
                "ordering": ["at", "id"],
                "constraints": [models.UniqueConstraint(fields=("finding", "sha256"), name="labor_finding_photo_once")],
            },
        ),
        migrations.CreateModel(
            name="RectificationOrder",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("reference", models.CharField(max_length=24, unique=True, verbose_name="reference")),
                ("requirement", models.TextField(verbose_name="what the employer must do")),
                ("issued_on", models.DateField(verbose_name="issued on")),
                ("due_on", models.DateField(verbose_name="rectify by")),
                ("basis", models.CharField(max_length=200, verbose_name="legal basis")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("issued", "issued"),
                            ("complied", "complied with"),
                            ("overdue", "overdue"),
                            ("penalised", "escalated to a penalty"),
                        ],
                        default="issued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("issued_by", models.CharField(max_length=150)),
                ("complied_on", models.DateField(blank=True, null=True, verbose_name="complied on")),
                ("compliance_note", models.TextField(blank=True, verbose_name="how the employer complied")),
                (
                    "penalty_amount",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="fine (yuan)"
                    ),
                ),
                ("penalty_basis", models.TextField(blank=True, verbose_name="basis of the penalty")),
                ("penalised_on", models.DateField(blank=True, null=True, verbose_name="penalty decided on")),
                (
                    "finding",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="orders", to="labor.finding"
                    ),
                ),
                (
                    "lead",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="orders", to="labor.inspectionlead"
                    ),
                ),
            ],
            options={
                "verbose_name": "rectification order",
                "verbose_name_plural": "rectification orders",
                "ordering": ["due_on", "reference"],
                "indexes": [models.Index(fields=["status", "due_on"], name="labor_recti_status_539ea1_idx")],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
