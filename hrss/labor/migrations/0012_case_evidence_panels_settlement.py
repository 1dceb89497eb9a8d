"""Evidence files, the applicant's signature, panels, claim types and settlement (L1)."""

import django.db.models.deletion
from django.db import migrations, models


def claim_types(apps, schema_editor):
    """Existing cases get the claim type their claims name (``rules.claim_type``)."""
    from hrss.labor.rules import claim_type

    Case = apps.get_model("labor", "ArbitrationCase")
    for case in Case.objects.only("pk", "claims").iterator():
        kind = claim_type(case.claims)
        if kind != "other":
            Case.objects.filter(pk=case.pk).update(claim_type=kind)


def sole_multiple(apps, schema_editor):
    """The dated figure that sends a case to a sole arbitrator or a panel (the city's choice)."""
    from decimal import Decimal

    PolicyParameter = apps.get_model("codes", "PolicyParameter")
    PolicyParameter.objects.get_or_create(
        name="arbitration.sole_arbitrator_wage_multiple",
        region="120000",
        valid_from="2008-05-01",
        defaults={
            "value": Decimal("12"),
            "unit": "multiple",
            "source": "劳动争议调解仲裁法 第31条 (简单案件可以由一名仲裁员独任仲裁); hrss operating choice",
            "confidence": "R",
            "verified": False,
            "note": "Claims up to this many months of the local monthly minimum wage (or with no amount) are "
            "heard by a sole arbitrator; larger claims by a panel of three. A commission setting, not statutory.",
        },
    )


def no_sole_multiple(apps, schema_editor):
    apps.get_model("codes", "PolicyParameter").objects.filter(name="arbitration.sole_arbitrator_wage_multiple").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("labor", "0011_merge_filing_rectification"),
        ("codes", "0003_seed_code_tables"),
    ]

    operations = [
        migrations.AddField(
            model_name="arbitrationcase",
            name="amount_settled",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="amount settled"
            ),
        ),
        migrations.AddField(
            model_name="arbitrationcase",
            name="claim_type",
            field=models.CharField(
                choices=[
                    ("wages", "wages owed"),
                    ("compensation", "severance or compensation"),
                    ("social_insurance", "social insurance"),
                    ("relationship", "confirming the employment relationship"),
                    ("other", "other claims"),
                ],
                default="other",
                max_length=20,
                verbose_name="claim type",
            ),
        ),
        migrations.AddField(
            model_name="arbitrationcase",
            name="settled_on",
            field=models.DateField(blank=True, null=True, verbose_name="settled on"),
        ),
        migrations.AddField(
            model_name="arbitrationcase",
            name="settlement_text",
            field=models.TextField(blank=True, verbose_name="settlement agreement"),
        ),
        migrations.AddField(
            model_name="arbitrationcase",
            name="tribunal",
            field=models.CharField(
                choices=[("sole", "sole arbitrator"), ("panel", "panel of three arbitrators")],
                default="sole",
                max_length=10,
                verbose_name="tribunal",
            ),
        ),
        migrations.AlterField(
            model_name="arbitrationcase",
            name="status",
            field=models.CharField(
                choices=[
                    ("filed", "filed, awaiting acceptance"),
                    ("accepted", "accepted"),
                    ("refused", "refused"),
                    ("hearing_scheduled", "hearing scheduled"),
                    ("heard", "heard"),
                    ("awarded", "award issued"),
                    ("settled", "settled by mediation"),
                ],
                default="filed",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.CreateModel(
            name="CaseSignature",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("signer", models.CharField(max_length=150, verbose_name="signed by")),
                ("signed_at", models.DateTimeField(verbose_name="signed at")),
                ("content_sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the filed content")),
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signature",
                        to="labor.arbitrationcase",
                    ),
                ),
            ],
            options={
                "verbose_name": "applicant's signature",
                "verbose_name_plural": "applicants' signatures",
            },
        ),
        migrations.CreateModel(
            name="CaseEvidence",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("file", models.FileField(upload_to="labor/evidence/%Y/%m/")),
                ("filename", models.CharField(max_length=200, verbose_name="file name")),
                ("description", models.CharField(blank=True, max_length=200, verbose_name="what it shows")),
                ("content_type", models.CharField(max_length=40)),
                ("size", models.PositiveIntegerField()),
                ("sha256", models.CharField(max_length=64)),
                ("uploaded_by", models.CharField(max_length=150)),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="evidence", to="labor.arbitrationcase"
                    ),
                ),
            ],
            options={
                "verbose_name": "evidence file",
                "verbose_name_plural": "evidence files",
                "ordering": ["at", "id"],
                "constraints": [models.UniqueConstraint(fields=("case", "sha256"), name="labor_evidence_once")],
            },
        ),
        migrations.CreateModel(
            name="PanelSeat",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("position", models.PositiveSmallIntegerField()),
                ("arbitrator", models.CharField(blank=True, max_length=150, verbose_name="arbitrator")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="panel_seats",
                        to="labor.arbitrationcase",
                    ),
                ),
            ],
            options={
                "verbose_name": "panel seat",
                "verbose_name_plural": "panel seats",
                "ordering": ["case", "position"],
                "indexes": [models.Index(fields=["arbitrator"], name="labor_panel_arbitra_d59bea_idx")],
                "constraints": [models.UniqueConstraint(fields=("case", "position"), name="labor_panel_seat_position")],
            },
        ),
        migrations.RunPython(claim_types, migrations.RunPython.noop),
        migrations.RunPython(sole_multiple, no_sole_multiple),
    ]
