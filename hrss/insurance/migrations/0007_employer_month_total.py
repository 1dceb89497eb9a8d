"""Employer totals stored one row per employer and month (EmployerMonthTotal).

The per-insurance totals become a view over it with the old table's name. Totals are
derived data (always the sums of the ledger's lines), so they are recomputed from the
ledger rather than copied.
"""

import django.db.models.deletion
from django.db import migrations, models

# Frozen here (not imported from the models) so this migration stays what it was.
INSURANCES = (
    ("pension_enterprise", "pension"),
    ("medical_employee", "medical"),
    ("unemployment", "unemployment"),
    ("work_injury", "work_injury"),
)
OLD = "insurance_employerperiodtotal"
TOTAL = "insurance_employermonthtotal"
MONTH = "insurance_contributionmonth"


def view_sql() -> str:
    branches = []
    for position, (code, prefix) in enumerate(INSURANCES):
        branches.append(
            f"SELECT id * {len(INSURANCES)} + {position} AS id, period, employer_id, '{code}' AS insurance_type, "
            f"{prefix}_persons AS persons, {prefix}_employer_fen AS employer_fen, "
            f"{prefix}_individual_fen AS individual_fen, updated_at "
            f"FROM {TOTAL} WHERE {prefix}_employer_fen IS NOT NULL"
        )
    return "\nUNION ALL\n".join(branches)


def recompute_totals(apps, schema_editor):
    columns, sums = [], []
    for _code, prefix in INSURANCES:
        columns += [f"{prefix}_persons", f"{prefix}_employer_fen", f"{prefix}_individual_fen"]
        sums += [
            f"CASE WHEN COUNT({prefix}_employer_fen) > 0 THEN "
            f"SUM(CASE WHEN kind = 'assessed' AND {prefix}_employer_fen IS NOT NULL THEN 1 ELSE 0 END) END",
            f"SUM({prefix}_employer_fen)",
            f"SUM({prefix}_individual_fen)",
        ]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {OLD}")
        cursor.execute(
            f"INSERT INTO {TOTAL} (period, employer_id, {', '.join(columns)}, updated_at) "
            f"SELECT period, employer_id, {', '.join(sums)}, MAX(created_at) FROM {MONTH} "
            "WHERE employer_id IS NOT NULL GROUP BY period, employer_id"
        )
        cursor.execute(f"CREATE VIEW {OLD} AS {view_sql()}")


class Migration(migrations.Migration):
    dependencies = [
        ("insurance", "0006_contribution_month"),
        ("registry", "0004_person_deceased_index"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="employerperiodtotal",
            options={
                "managed": False,
                "verbose_name": "employer monthly total per insurance",
                "verbose_name_plural": "employer monthly totals per insurance",
            },
        ),
        migrations.CreateModel(
            name="EmployerMonthTotal",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("period", models.DateField()),
                ("pension_persons", models.IntegerField(null=True)),
                ("pension_employer_fen", models.BigIntegerField(null=True)),
                ("pension_individual_fen", models.BigIntegerField(null=True)),
                ("medical_persons", models.IntegerField(null=True)),
                ("medical_employer_fen", models.BigIntegerField(null=True)),
                ("medical_individual_fen", models.BigIntegerField(null=True)),
                ("unemployment_persons", models.IntegerField(null=True)),
                ("unemployment_employer_fen", models.BigIntegerField(null=True)),
                ("unemployment_individual_fen", models.BigIntegerField(null=True)),
                ("work_injury_persons", models.IntegerField(null=True)),
                ("work_injury_employer_fen", models.BigIntegerField(null=True)),
                ("work_injury_individual_fen", models.BigIntegerField(null=True)),
                ("updated_at", models.DateTimeField()),
                (
                    "employer",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.employer",
                    ),
                ),
            ],
            options={
                "verbose_name": "employer monthly total",
                "verbose_name_plural": "employer monthly totals",
                "constraints": [models.UniqueConstraint(fields=("employer", "period"), name="month_total_unique_key")],
            },
        ),
        migrations.RunPython(recompute_totals),
    ]
