import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from hrss.core.audit import GENESIS, audit_record, audit_verify
from hrss.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _chain(n=5):
    for i in range(n):
        audit_record(
            actor="clerk", action="registry.person.read", object_type="person", object_id=str(i), detail={"i": i}
        )


def test_chain_links_each_entry_to_the_previous():
    _chain(3)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert entries[0].prev_hash == GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    report = audit_verify()
    assert report.ok and report.checked == 3 and report.head == entries[-1].hash


def test_tampered_content_is_detected():
    _chain(5)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET actor = 'someone-else' WHERE seq = 3")
    report = audit_verify()
    assert not report.ok and report.broken_seq == 3 and "content" in report.reason


def test_deleted_entry_is_detected():
    _chain(5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE seq = 2")
    report = audit_verify()
    assert not report.ok and report.broken_seq == 2


def test_rewritten_tail_is_detected_at_the_first_change():
    _chain(4)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET prev_hash = %s WHERE seq = 4", ["f" * 64])
    assert audit_verify().broken_seq == 4


def test_entry_rolls_back_with_the_change_it_records():
    def failing_change():
        with transaction.atomic():
            audit_record(actor="clerk", action="x")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert AuditEntry.objects.count() == 0


def test_verify_command(capsys):
    _chain(2)
    call_command("audit", "verify")
    assert "intact: 2 entries" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'forged' WHERE seq = 1")
    with pytest.raises(CommandError, match="broken at entry 1"):
        call_command("audit", "verify")
