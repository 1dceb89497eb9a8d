import pytest
from django.test import Client

from hrss.core.models import AuditEntry
from hrss.testing import make_person, make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    user = make_user("root", "administrator", city_wide=True, is_staff=True, is_superuser=True)
    return sign_in(Client(), user)


def test_person_admin_masks_personal_data_and_audits_the_read(admin_client):
    person = make_person(phone="13811112222")
    listing = admin_client.get("/admin/registry/person/").content.decode()
    assert person.id_number not in listing and person.id_number[:4] in listing
    page = admin_client.get(f"/admin/registry/person/{person.pk}/change/").content.decode()
    assert person.id_number not in page and "13811112222" not in page and "138****2222" in page
    entry = AuditEntry.objects.get(action="registry.person.read")
    assert (entry.actor, entry.object_id, entry.purpose) == ("root", str(person.pk), "admin")


def test_audit_log_admin_is_read_only(admin_client):
    make_person()
    admin_client.get("/admin/")
    assert admin_client.get("/admin/core/auditentry/add/").status_code == 403
