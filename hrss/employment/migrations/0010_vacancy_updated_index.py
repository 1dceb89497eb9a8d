# The vacancy search index's delta reads what changed since its base was built (E4, issue #18).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("employment", "0009_agencies"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="vacancy",
            index=models.Index(fields=["updated_at"], name="employment_vacancy_updated"),
        ),
    ]
