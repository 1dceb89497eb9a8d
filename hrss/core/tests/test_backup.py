"""Backup and restore into a new database: row counts and the audit chain must match."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hrss.core.audit import audit_record, audit_seal
from hrss.testing import make_employer, make_person

# serialized_rollback: the flush after each transactional test would otherwise drop the
# code tables that migrations seed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def data():
    for i in range(3):
        make_person(name=f"备份{i}")
    make_employer()
    audit_record(actor="clerk", action="registry.person.read", object_id="x")
    audit_seal()  # the entry is in the sealed chain, as the scheduled sealer leaves it


def test_backup_then_restore_into_a_new_database(data, tmp_path, scratch_database, capsys, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "scan.pdf").write_bytes(b"%PDF-1.7 test")
    call_command("backup", str(tmp_path / "bk"))
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    assert manifest["tables"]["registry_person"] == 3 and manifest["audit_entries"] == 1
    restore_media = tmp_path / "restored" / "media"
    call_command(
        "restore", str(tmp_path / "bk"), "--database-url", scratch_database, "--media-root", str(restore_media)
    )
    out = capsys.readouterr().out
    assert "audit chain verified (1 entries" in out
    assert (restore_media / "scan.pdf").read_bytes() == b"%PDF-1.7 test"


def test_a_corrupted_backup_file_is_refused(data, tmp_path, scratch_database):
    call_command("backup", str(tmp_path / "bk"))
    with (tmp_path / "bk" / "media.tar.gz").open("ab") as handle:
        handle.write(b"garbage")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tmp_path / "bk"), "--database-url", scratch_database)


def test_a_broken_chain_is_not_backed_up(data, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET actor = 'x' WHERE chain_seq = 1")
    with pytest.raises(CommandError, match="audit chain is broken"):
        call_command("backup", str(tmp_path / "bk"))
