# Licensed HR agencies and their vacancies (E1), vacancy expiry, shortlists (E4).

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("employment", "0008_support"),
    ]

    operations = [
        migrations.CreateModel(
            name="AgencyLicence",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("licence_number", models.CharField(max_length=40, unique=True, verbose_name="licence number")),
                ("agency_name", models.CharField(max_length=200, verbose_name="agency name")),
                ("client_name", models.CharField(db_index=True, max_length=200, verbose_name="agency client")),
                ("districts", models.JSONField(default=list, verbose_name="districts served")),
                ("valid_from", models.DateField(verbose_name="valid from")),
                ("valid_until", models.DateField(verbose_name="valid until")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked at")),
                ("revoked_by", models.CharField(blank=True, max_length=150)),
                (
                    "revoke_reason",
                    models.CharField(blank=True, max_length=500, verbose_name="reason for revocation"),
                ),
                ("recorded_by", models.CharField(max_length=150)),
            ],
            options={
                "verbose_name": "HR service licence",
                "verbose_name_plural": "HR service licences",
                "ordering": ("-valid_from", "licence_number"),
            },
        ),
        migrations.AddField(
            model_name="vacancy",
            name="agency_client",
            field=models.CharField(blank=True, db_index=True, max_length=200, verbose_name="posted by agency"),
        ),
        migrations.AlterField(
            model_name="jobapplication",
            name="status",
            field=models.CharField(
                choices=[
                    ("applied", "applied"),
                    ("invited", "invited to an interview"),
                    ("shortlisted", "shortlisted"),
                    ("declined", "declined"),
                ],
                default="applied",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="vacancy",
            name="status",
            field=models.CharField(
                choices=[("open", "open"), ("closed", "closed"), ("expired", "expired")],
                default="open",
                max_length=8,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="vacancy",
            name="licence",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="vacancies",
                to="employment.agencylicence",
            ),
        ),
    ]
