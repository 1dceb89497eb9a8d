"""The contribution ledger stored one row per person and month (ContributionMonth).

The per-insurance lines become a view over it with the table's old name, so every reader
keeps reading ``ContributionLine``. Existing lines are folded into months: an assessed
month's lines (one payer) become one row; each correction's lines stay rows of their own,
and corrections are renumbered per person and month (revisions used to count per
insurance). Account entries are pointed at the new line ids.
"""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models

# Frozen here (not imported from the models) so this migration stays what it was.
INSURANCES = (
    ("pension_enterprise", "pension"),
    ("medical_employee", "medical"),
    ("unemployment", "unemployment"),
    ("work_injury", "work_injury"),
)
PARTS = ("employer_ppm", "individual_ppm", "employer_fen", "individual_fen")
OLD = "insurance_contributionline"
MONTH = "insurance_contributionmonth"
ENTRY = "insurance_accountentry"
CORRECTION = "insurance_correction"


def view_sql() -> str:
    branches = []
    for position, (code, prefix) in enumerate(INSURANCES):
        account = f"{prefix}_account_fen" if prefix == "pension" else "0"
        branches.append(
            f"SELECT id * {len(INSURANCES)} + {position} AS id, period, person_id, employer_id, "
            f"'{code}' AS insurance_type, category, kind, revision, base_fen, "
            f"{prefix}_employer_ppm AS employer_ppm, {prefix}_individual_ppm AS individual_ppm, "
            f"{prefix}_employer_fen AS employer_fen, {prefix}_individual_fen AS individual_fen, "
            f"{account} AS account_fen, run_id, correction_id, created_at "
            f"FROM {MONTH} WHERE {prefix}_employer_fen IS NOT NULL"
        )
    return "\nUNION ALL\n".join(branches)


def fold_lines(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {OLD}")
        if cursor.fetchone()[0]:
            _fold(cursor)
        cursor.execute(f"DROP TABLE {OLD}")
        cursor.execute(f"CREATE VIEW {OLD} AS {view_sql()}")


def _fold(cursor) -> None:
    cursor.execute(
        "CREATE TEMPORARY TABLE fold_revision AS "
        "SELECT id AS line_id, CASE WHEN correction_id IS NULL THEN 0 ELSE DENSE_RANK() OVER ("
        "  PARTITION BY person_id, period, correction_id IS NULL ORDER BY created_at, correction_id"
        ") END AS revision "
        f"FROM {OLD}"
    )
    columns = [f"{prefix}_{part}" for _code, prefix in INSURANCES for part in PARTS]
    pivots = [
        f"MAX(CASE WHEN l.insurance_type = '{code}' THEN l.{part} END)"
        for code, _prefix in INSURANCES
        for part in PARTS
    ]
    # An assessed month's lines share payer, base and run; a correction's line is alone.
    cursor.execute(
        f"INSERT INTO {MONTH} (period, person_id, employer_id, category, kind, revision, base_fen, "
        f"{', '.join(columns)}, pension_account_fen, run_id, correction_id, created_at) "
        f"SELECT l.period, l.person_id, l.employer_id, l.category, l.kind, r.revision, l.base_fen, "
        f"{', '.join(pivots)}, MAX(CASE WHEN l.insurance_type = 'pension_enterprise' THEN l.account_fen END), "
        "l.run_id, l.correction_id, MIN(l.created_at) "
        f"FROM {OLD} l JOIN fold_revision r ON r.line_id = l.id "
        "GROUP BY l.period, l.person_id, l.employer_id, l.category, l.kind, r.revision, l.base_fen, "
        "l.run_id, l.correction_id"
    )
    # Corrections take their rows' new revision (in two steps: the unique key holds throughout).
    cursor.execute(f"UPDATE {CORRECTION} SET revision = revision + 1000000")
    cursor.execute(
        f"UPDATE {CORRECTION} SET revision = (SELECT MAX(r.revision) FROM {OLD} l "
        f"JOIN fold_revision r ON r.line_id = l.id WHERE l.correction_id = {CORRECTION}.id) "
        f"WHERE EXISTS (SELECT 1 FROM {OLD} l WHERE l.correction_id = {CORRECTION}.id)"
    )
    # Account entries follow their line to its new id (negated first, for the same reason).
    cursor.execute(f"UPDATE {ENTRY} SET line_id = -line_id WHERE line_id IS NOT NULL")
    position = " ".join(f"WHEN '{code}' THEN {i}" for i, (code, _prefix) in enumerate(INSURANCES))
    cursor.execute(
        f"UPDATE {ENTRY} SET line_id = ("
        f"  SELECT m.id * {len(INSURANCES)} + CASE l.insurance_type {position} END "
        f"  FROM {OLD} l JOIN fold_revision r ON r.line_id = l.id "
        f"  JOIN {MONTH} m ON m.person_id = l.person_id AND m.period = l.period AND m.kind = l.kind "
        "    AND m.revision = r.revision "
        "    AND (m.employer_id = l.employer_id OR (m.employer_id IS NULL AND l.employer_id IS NULL)) "
        f"  WHERE l.id = -{ENTRY}.line_id) "
        "WHERE line_id < 0"
    )
    cursor.execute("DROP TABLE fold_revision")


class Migration(migrations.Migration):
    dependencies = [
        ("insurance", "0005_online_payment"),
        ("registry", "0003_verbose_names"),
    ]

    operations = [
        migrations.RenameField(model_name="assessmentrun", old_name="lines_inserted", new_name="rows_inserted"),
        migrations.AlterField(
            model_name="assessmentrun",
            name="rows_inserted",
            field=models.BigIntegerField(default=0, help_text="ledger rows written: one per person, payer and month"),
        ),
        migrations.AlterModelOptions(
            name="contributionline",
            options={
                "managed": False,
                "verbose_name": "contribution line",
                "verbose_name_plural": "contribution lines",
            },
        ),
        migrations.AlterField(
            model_name="accountentry",
            name="line",
            field=models.OneToOneField(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="account_entry",
                to="insurance.contributionline",
            ),
        ),
        migrations.CreateModel(
            name="ContributionMonth",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("period", models.DateField()),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("employee", "employee (through an employer)"),
                            ("flexible", "flexible worker (灵活就业)"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("assessed", "assessed"), ("reversal", "reversal"), ("adjustment", "adjustment")],
                        max_length=10,
                    ),
                ),
                ("revision", models.PositiveIntegerField(default=0)),
                ("base_fen", models.BigIntegerField()),
                ("pension_employer_ppm", models.IntegerField(null=True)),
                ("pension_individual_ppm", models.IntegerField(null=True)),
                ("pension_employer_fen", models.BigIntegerField(null=True)),
                ("pension_individual_fen", models.BigIntegerField(null=True)),
                (
                    "pension_account_fen",
                    models.BigIntegerField(help_text="part credited to the personal pension account", null=True),
                ),
                ("medical_employer_ppm", models.IntegerField(null=True)),
                ("medical_individual_ppm", models.IntegerField(null=True)),
                ("medical_employer_fen", models.BigIntegerField(null=True)),
                ("medical_individual_fen", models.BigIntegerField(null=True)),
                ("unemployment_employer_ppm", models.IntegerField(null=True)),
                ("unemployment_individual_ppm", models.IntegerField(null=True)),
                ("unemployment_employer_fen", models.BigIntegerField(null=True)),
                ("unemployment_individual_fen", models.BigIntegerField(null=True)),
                ("work_injury_employer_ppm", models.IntegerField(null=True)),
                ("work_injury_individual_ppm", models.IntegerField(null=True)),
                ("work_injury_employer_fen", models.BigIntegerField(null=True)),
                ("work_injury_individual_fen", models.BigIntegerField(null=True)),
                ("created_at", models.DateTimeField()),
                (
                    "correction",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="insurance.correction",
                    ),
                ),
                (
                    "employer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.employer",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.person",
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="insurance.assessmentrun",
                    ),
                ),
            ],
            options={
                "verbose_name": "contribution month",
                "verbose_name_plural": "contribution months",
                "indexes": [models.Index(fields=["employer", "period"], name="month_employer_period")],
                "constraints": [
                    models.UniqueConstraint(
                        models.F("person"),
                        models.F("period"),
                        django.db.models.functions.comparison.Coalesce(models.F("employer"), models.F("person")),
                        models.F("kind"),
                        models.F("revision"),
                        name="month_unique_key",
                    )
                ],
            },
        ),
        migrations.RunPython(fold_lines),
    ]
