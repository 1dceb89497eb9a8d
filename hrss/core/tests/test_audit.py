import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from hrss.core.audit import GENESIS, audit_record, audit_seal, audit_verify
from hrss.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _append(n: int) -> None:
    for i in range(n):
        audit_record(
            actor="clerk", action="registry.person.read", object_type="person", object_id=str(i), detail={"i": i}
        )


def _chain(n: int = 5) -> None:
    _append(n)
    assert audit_seal() == n


def test_an_append_reads_nothing_and_the_sealer_links_each_entry_to_the_previous():
    _append(3)
    assert list(AuditEntry.objects.values_list("chain_seq", "hash")) == [(None, None)] * 3
    assert audit_seal(batch_size=2) == 3  # two batches
    entries = list(AuditEntry.objects.order_by("chain_seq"))
    assert [e.chain_seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    report = audit_verify()
    assert report.ok and report.checked == 3 and report.head == entries[-1].hash and report.unsealed == 0


def test_sealing_again_seals_nothing_twice_and_new_entries_follow_the_head():
    _chain(2)
    head = audit_verify().head
    assert audit_seal() == 0
    _append(1)
    assert audit_seal() == 1
    newest = AuditEntry.objects.get(chain_seq=3)
    assert newest.prev_hash == head and audit_verify().ok


def test_the_unsealed_tail_is_reported_with_its_age(settings):
    _chain(2)
    _append(3)
    AuditEntry.objects.filter(chain_seq__isnull=True).update(at=timezone.now() - dt.timedelta(minutes=10))
    report = audit_verify()
    assert report.ok and report.checked == 2 and report.unsealed == 3
    assert report.unsealed_age_seconds >= 600
    settings.HRSS_AUDIT_SEAL_MAX_DELAY = 300
    assert report.seal_overdue
    settings.HRSS_AUDIT_SEAL_MAX_DELAY = 3600
    assert not report.seal_overdue


def test_tampered_content_is_detected():
    _chain(5)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET actor = 'someone-else' WHERE chain_seq = 3")
    report = audit_verify()
    assert not report.ok and report.broken_seq == 3 and "content" in report.reason


def test_deleted_entry_is_detected():
    _chain(5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE chain_seq = 2")
    report = audit_verify()
    assert not report.ok and report.broken_seq == 2 and "missing" in report.reason


def test_reordered_entries_are_detected():
    _chain(5)
    with connection.cursor() as cursor:  # swap the places of entries 2 and 4
        cursor.execute("UPDATE core_auditentry SET chain_seq = -2 WHERE chain_seq = 2")
        cursor.execute("UPDATE core_auditentry SET chain_seq = 2 WHERE chain_seq = 4")
        cursor.execute("UPDATE core_auditentry SET chain_seq = 4 WHERE chain_seq = -2")
    report = audit_verify()
    assert not report.ok and report.broken_seq == 2


def test_rewritten_tail_is_detected_at_the_first_change():
    _chain(4)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET prev_hash = %s WHERE chain_seq = 4", ["f" * 64])
    assert audit_verify().broken_seq == 4


def test_entry_rolls_back_with_the_change_it_records():
    def failing_change():
        with transaction.atomic():
            audit_record(actor="clerk", action="x")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert AuditEntry.objects.count() == 0


def test_seal_and_verify_commands(capsys):
    _append(2)
    call_command("audit", "verify")
    assert "unsealed: 2 entries" in capsys.readouterr().out
    call_command("audit", "seal")
    assert "sealed 2 audit entries" in capsys.readouterr().out
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "intact: 2 entries" in out and "unsealed: 0 entries" in out
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'forged' WHERE chain_seq = 1")
    with pytest.raises(CommandError, match="broken at entry 1"):
        call_command("audit", "verify")


def test_the_seal_job_is_scheduled_every_minute():
    from hrss.core.schedule import job_get

    job = job_get("core.audit_seal")
    assert job.cron == "* * * * *" and job.func == "hrss.core.jobs.audit_seal"
    _append(2)
    from hrss.core.jobs import audit_seal as job_function

    assert job_function() == {"sealed": 2}


# -- signed tree heads


def _rewrite_history(seq: int) -> None:
    """What someone with write access to the table could do: change an entry and
    recompute every hash after it, so that the chain verifies on its own."""
    from hrss.core.audit import entry_hash

    AuditEntry.objects.filter(chain_seq=seq).update(object_id="someone-else")
    prev = AuditEntry.objects.get(chain_seq=seq - 1).hash if seq > 1 else GENESIS
    for entry in AuditEntry.objects.filter(chain_seq__gte=seq).order_by("chain_seq"):
        entry.prev_hash = prev
        entry.hash = prev = entry_hash(entry, prev)
        entry.save(update_fields=["prev_hash", "hash"])


def test_each_sealer_batch_signs_the_chain_head():
    from hrss.core.audit import public_key_text, verify_stored_heads
    from hrss.core.models import AuditTreeHead

    _append(5)
    audit_seal(batch_size=2)
    heads = list(AuditTreeHead.objects.order_by("chain_seq"))
    assert [h.chain_seq for h in heads] == [2, 4, 5]
    assert [h.hash for h in heads] == [AuditEntry.objects.get(chain_seq=h.chain_seq).hash for h in heads]
    report = verify_stored_heads()
    assert report.ok and report.checked == 3
    assert public_key_text()  # the verifying key an outside party keeps


def test_a_recomputed_chain_passes_alone_but_not_against_heads_held_outside(tmp_path):
    from hrss.core.audit import audit_heads_export, verify_chain_only, verify_heads
    from hrss.core.models import AuditTreeHead

    _append(4)
    audit_seal(batch_size=2)
    exported = audit_heads_export()
    _rewrite_history(2)
    assert verify_chain_only().ok  # every link recomputed: the chain alone cannot tell
    AuditTreeHead.objects.all().delete()  # and the heads in the database are gone too
    held = verify_heads(exported["heads"], public_key=exported["public_key"])
    assert not held.ok and held.broken_seq == 2 and "signed tree head" in held.reason

    path = tmp_path / "heads.json"
    import json

    path.write_text(json.dumps(exported))
    with pytest.raises(CommandError, match="entry 2: the chain differs from its signed tree head"):
        call_command("audit", "verify", "--heads", str(path))


def test_a_head_rewritten_in_the_database_does_not_verify():
    from hrss.core.models import AuditTreeHead

    _append(2)
    audit_seal()
    _rewrite_history(1)
    head = AuditTreeHead.objects.get()
    head.hash = AuditEntry.objects.get(chain_seq=2).hash  # the rewriter updates the head too, unsigned
    head.save()
    report = audit_verify()
    assert not report.ok and report.broken_seq == 2 and "signature" in report.reason


def test_heads_signed_by_another_key_are_refused(settings):
    from hrss.core.audit import audit_heads_export, verify_heads

    _append(1)
    audit_seal()
    exported = audit_heads_export()
    settings.HRSS_AUDIT_SIGNING_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    other = audit_heads_export()["public_key"]
    assert other != exported["public_key"]
    for head in exported["heads"]:
        head.pop("key_id", None)
    report = verify_heads(exported["heads"], public_key=other)
    assert not report.ok and "signature" in report.reason


def test_heads_and_key_commands(tmp_path, capsys):
    _chain(3)
    out = tmp_path / "heads.json"
    call_command("audit", "heads", "--output", str(out))
    call_command("audit", "verify", "--heads", str(out))
    assert "holds the 1 signed heads" in capsys.readouterr().out
    call_command("audit", "key", "--new")
    printed = capsys.readouterr().out
    assert printed.startswith("HRSS_AUDIT_SIGNING_KEY=") and "key id" in printed
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(CommandError, match="not an export"):
        call_command("audit", "verify", "--heads", str(tmp_path / "bad.json"))
