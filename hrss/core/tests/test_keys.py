import base64

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from hrss.core.crypto import keyring
from hrss.testing import make_person

pytestmark = pytest.mark.django_db
OLD = "old:" + base64.b64encode(b"o" * 32).decode()
NEW = "new:" + base64.b64encode(b"n" * 32).decode()


def _raw(person):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone FROM registry_person WHERE id_number_index = %s", [person.id_number_index]
        )
        return cursor.fetchone()


def test_rotate_re_encrypts_under_the_active_key(capsys):
    with override_settings(FIELD_KEYS=OLD):
        person = make_person(phone="13800001111")
        assert all(value.startswith("old$") for value in _raw(person))
    with override_settings(FIELD_KEYS=f"{NEW},{OLD}"):
        assert keyring()[0].kid == "new"
        call_command("keys", "rotate")
        assert "registry.Person: 1 rows re-encrypted under new" in capsys.readouterr().out
        assert all(value.startswith("new$") for value in _raw(person))
        call_command("keys", "rotate")
        assert "registry.Person: 0 rows" in capsys.readouterr().out
    with override_settings(FIELD_KEYS=NEW):  # the old key can now be dropped
        person.refresh_from_db()
        assert person.phone == "13800001111"
