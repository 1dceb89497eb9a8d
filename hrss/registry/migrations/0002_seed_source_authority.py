"""Which source is authoritative for each attribute (一数一源), in order of authority."""

from django.db import migrations

AUTHORITY = {
    "person": {
        "name": ["public_security", "civil_affairs", "bureau_counter", "self_declared"],
        "household_district": ["public_security", "bureau_counter", "self_declared"],
        "residence_district": ["public_security", "civil_affairs", "bureau_counter", "self_declared"],
        "phone": ["self_declared", "bureau_counter", "public_security", "tax"],
        "death_date": ["civil_affairs", "public_security", "health", "bureau_counter"],
        "education": ["education", "bureau_counter", "self_declared"],
    },
    "employer": {
        "name": ["market_regulation", "tax", "bureau_counter", "self_declared"],
        "industry": ["market_regulation", "tax", "bureau_counter", "self_declared"],
        "district": ["market_regulation", "tax", "bureau_counter", "self_declared"],
        "size": ["tax", "market_regulation", "bureau_counter", "self_declared"],
        "contact_phone": ["self_declared", "bureau_counter", "market_regulation"],
    },
}


def seed(apps, schema_editor):
    SourceAuthority = apps.get_model("registry", "SourceAuthority")
    for entity, attributes in AUTHORITY.items():
        for attribute, sources in attributes.items():
            for rank, source in enumerate(sources, start=1):
                SourceAuthority.objects.get_or_create(entity=entity, attribute=attribute, source=source, defaults={"rank": rank})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
