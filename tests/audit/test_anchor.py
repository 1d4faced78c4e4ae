"""An audit trail that proves itself: each attack made with SQL behind the application's back is found
by `verify_chain` / `luoshi audit verify`, which names what is wrong (SQLite and PostgreSQL)."""
from __future__ import annotations

import io
import json
import os
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from luoshi.audit import anchor
from luoshi.audit.models import AuditEntry, AuditHead
from luoshi.audit.services import (_HASH_OPTS, entry_hash, entry_mac, record, record_many, verify_chain)
from luoshi.ledger import services as s

pytestmark = pytest.mark.django_db

T = connection.ops.quote_name(AuditEntry._meta.db_table)
H = connection.ops.quote_name(AuditHead._meta.db_table)


def sql(query, params=()):
    with connection.cursor() as cur:
        cur.execute(query.replace("{T}", T).replace("{H}", H), params)


@pytest.fixture
def key_file(tmp_path, settings):
    path = tmp_path / "keys" / "audit.key"
    settings.LUOSHI_AUDIT_KEY_FILE = str(path)
    return path


@pytest.fixture
def trail(key_file, users, make_task):
    """A chain written by the single path (services) and the bulk path (record_many), anchored once,
    then a few more entries after the checkpoint."""
    task = make_task(title="推进“一网通办”")
    s.do_sign_task(users["fgw"], task)
    record_many([{"actor": "系统", "action": "bulk.test", "obj": task, "summary": f"批量{i}",
                  "before": {"n": i, "on": "2026-03-02"}, "after": {"n": i + 1, "list": [1, 2]}} for i in range(5)])
    cp = anchor.write_checkpoint("test")
    s.do_report_progress(users["fgw"], task, text="推进中", percent=20)
    make_task(title="第二项")
    n = AuditEntry.objects.count()
    assert verify_chain().ok and cp.seq < n
    return {"task": task, "cp": cp, "n": n}


def verify_cmd() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def broken(kind: str, seq: int | None = None):
    result = verify_chain()
    assert not result.ok and result.kind == kind, result
    if seq is not None:
        assert result.first_broken_seq == seq, result
    with pytest.raises(CommandError, match=rf"BROKEN.*\[{kind}\]"):
        verify_cmd()
    return result


def test_intact_chain_is_anchored(trail):
    out = verify_cmd()
    assert f"{trail['n']} entries verified" in out and f"matches checkpoint #1" in out
    # every entry is keyed (version 2), written by either path
    assert set(AuditEntry.objects.values_list("version", flat=True)) == {2}
    assert AuditEntry.objects.filter(action="bulk.test").count() == 5


def test_bulk_and_single_paths_hash_alike(key_file, users):
    """The same entry hashed by record_many and by entry_mac (what record and verify use) is identical."""
    key = anchor.audit_key()
    e1 = record(users["fgw"], "x.single", summary="同一条", after={"a": "b", "d": "2026-01-02"})
    record_many([{"actor": users["fgw"], "action": "x.bulk", "summary": "同一条",
                  "after": {"a": "b", "d": "2026-01-02"}}])
    e2 = AuditEntry.objects.get(action="x.bulk")
    for e in (e1, e2):
        e.refresh_from_db()
        assert e.hash == entry_mac(key, e.prev_hash, e.seq, e.at.isoformat(), e.actor_id, e.actor_name, e.action,
                                   e.object_type, e.object_id, e.object_repr, e.summary,
                                   json.dumps(e.before, **_HASH_OPTS), json.dumps(e.after, **_HASH_OPTS))
    assert verify_chain().ok


def test_edit_of_object_repr_is_found(trail):
    victim = AuditEntry.objects.filter(action="task.sign").get()
    sql("UPDATE {T} SET object_repr = %s WHERE seq = %s", ["别的任务", victim.seq])
    r = broken("altered", victim.seq)
    assert f"entry #{victim.seq} was altered" in r.reason


@pytest.mark.parametrize("column, value", [("summary", "改过"), ("action", "task.delete"),
                                           ("object_id", "999"), ("at", "2020-01-01 00:00:00+00:00")])
def test_edit_of_any_displayed_field_is_found(trail, column, value):
    sql(f"UPDATE {{T}} SET {connection.ops.quote_name(column)} = %s WHERE seq = 3", [value])
    broken("altered", 3)


def test_trimming_newest_entries_with_head_lowered_is_found(trail):
    keep = trail["cp"].seq - 2
    last_hash = AuditEntry.objects.get(seq=keep).hash
    sql("DELETE FROM {T} WHERE seq > %s", [keep])
    sql("UPDATE {H} SET last_seq = %s, last_hash = %s", [keep, last_hash])
    r = broken("truncated", keep + 1)
    assert f"checkpoint #1" in r.reason and f"the database has {keep}" in r.reason


def test_deleting_everything_is_found(trail):
    sql("DELETE FROM {T}")
    sql("DELETE FROM {H}")
    r = broken("truncated", 1)
    assert "all entries are gone" in r.reason
    # the head reset to an empty chain instead of deleted: same finding
    sql("INSERT INTO {H} (id, last_seq, last_hash) VALUES (1, 0, %s)", [anchor.GENESIS])
    assert broken("truncated").reason == r.reason


def test_corrupted_head_hash_is_found(trail):
    sql("UPDATE {H} SET last_hash = %s", ["f" * 64])
    r = broken("head", trail["n"])
    assert "head corrupted" in r.reason


def test_head_lowered_without_deleting_is_found(trail):
    sql("UPDATE {H} SET last_seq = last_seq - 1")
    broken("head")


def test_newest_entries_deleted_head_untouched(trail):
    sql("DELETE FROM {T} WHERE seq = %s", [trail["n"]])
    broken("head", trail["n"])


def _recompute(hasher):
    """What an attacker with database access does: rewrite every hash from the first entry on."""
    prev = anchor.GENESIS
    rows = list(AuditEntry.objects.order_by("seq"))
    sql("UPDATE {T} SET hash = 'tmp-' || seq")  # the unique index must not trip midway
    for e in rows:
        digest = hasher(e, prev)
        sql("UPDATE {T} SET prev_hash = %s, hash = %s, version = %s WHERE seq = %s",
            [prev, digest[0], digest[1], e.seq])
        prev = digest[0]
    sql("UPDATE {H} SET last_hash = %s", [prev])


def _v2(key):
    def h(e, prev):
        return entry_mac(key, prev, e.seq, e.at.isoformat(), e.actor_id, e.actor_name, e.action, e.object_type,
                         e.object_id, e.object_repr, e.summary, json.dumps(e.before, **_HASH_OPTS),
                         json.dumps(e.after, **_HASH_OPTS)), 2
    return h


def test_full_recomputation_without_the_key_is_found(trail):
    sql("UPDATE {T} SET summary = %s WHERE seq = 2", ["篡改后重算整条链"])
    _recompute(_v2(b"attacker-guess-of-the-key-000000"))
    r = broken("altered", 1)
    assert "recomputed without the audit key" in r.reason


def test_full_recomputation_in_the_old_unkeyed_format_is_found(trail):
    sql("UPDATE {T} SET summary = %s WHERE seq = 2", ["降级为旧格式"])
    _recompute(lambda e, prev: (entry_hash(prev, e.seq, e.at.isoformat(), e.actor_id, e.actor_name, e.action,
                                           e.object_type, e.object_id, e.summary, e.before, e.after), 1))
    r = broken("downgraded", 1)
    assert "old unkeyed hash format" in r.reason


def test_full_recomputation_with_the_key_is_found_by_the_checkpoint(trail):
    """An insider who also holds the key rewrites the chain: the checkpoint taken before still disagrees."""
    sql("UPDATE {T} SET summary = %s WHERE seq = 2", ["内部人员重算"])
    _recompute(_v2(anchor.audit_key()))
    r = broken("rewritten", trail["cp"].seq)
    assert "checkpoint #1" in r.reason


def test_checkpoint_file_tampering_is_found(trail):
    path = anchor.checkpoint_path()
    anchor.write_checkpoint("test")
    lines = path.read_text().splitlines()
    assert len(lines) == 2
    # forged: a checkpoint claiming fewer entries, with a made-up MAC
    forged = json.loads(lines[1]) | {"seq": 1, "mac": "0" * 64}
    path.write_text(lines[0] + "\n" + json.dumps(forged) + "\n")
    assert "does not carry a valid MAC" in broken("checkpoints").reason
    # removed: the first line dropped (the second no longer follows)
    path.write_text(lines[1] + "\n")
    assert "lines were removed or reordered" in broken("checkpoints").reason


def test_checkpoint_refuses_a_corrupted_head(trail):
    sql("UPDATE {H} SET last_hash = %s", ["e" * 64])
    with pytest.raises(anchor.AuditAnchorError, match="the head does not name entry"):
        anchor.write_checkpoint("sweep", check=False)


def test_checkpoint_refuses_to_anchor_a_tampered_chain(trail):
    sql("UPDATE {T} SET object_repr = %s WHERE seq = %s", ["改", trail["n"]])
    with pytest.raises(anchor.AuditAnchorError, match="not anchoring a broken chain"):
        anchor.write_checkpoint("test")
    with pytest.raises(CommandError, match="not anchoring a broken chain"):
        call_command("audit", "checkpoint", stdout=io.StringIO())
    assert len(anchor.checkpoint_path().read_text().splitlines()) == 1


def test_checkpoint_command_and_status(trail):
    out = io.StringIO()
    call_command("audit", "checkpoint", stdout=out)
    assert f"checkpoint #2: {trail['n']} entries" in out.getvalue()
    out = io.StringIO()
    call_command("audit", "status", stdout=out)
    assert "last checkpoint:  #2" in out.getvalue() and "INSIDE" not in out.getvalue()
    assert f"matches checkpoint #2" in verify_cmd()


def test_missing_key_is_named(trail, key_file):
    key_file.unlink()
    anchor._key_cache.clear()
    r = broken("key")
    assert "audit key is missing" in r.reason


def test_key_is_created_private_and_outside_the_data_dir(users, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.LUOSHI_AUDIT_KEY_FILE = ""
    assert anchor.key_path() == tmp_path / "data-audit.key"
    record(users["fgw"], "x.test")
    path = tmp_path / "data-audit.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(bytes.fromhex(path.read_text().strip())) == 32
    assert not anchor.inside_data_dir(path)
    assert verify_chain().ok


def test_sweep_takes_a_checkpoint(trail):
    from luoshi.supervision.sweep import run_sweep

    summary = run_sweep().as_dict()
    cp = summary["audit_checkpoint"]
    assert cp["n"] == 2 and cp["reason"] == "sweep" and cp["seq"] == AuditHead.objects.get().last_seq
    assert anchor.last_checkpoint().as_dict() == cp


def test_sweep_reports_a_refused_checkpoint(trail):
    from luoshi.supervision.sweep import run_sweep

    keep = trail["cp"].seq - 1
    sql("DELETE FROM {T} WHERE seq > %s", [keep])
    sql("UPDATE {H} SET last_seq = %s, last_hash = %s", [keep, AuditEntry.objects.get(seq=keep).hash])
    cp = run_sweep().as_dict()["audit_checkpoint"]
    assert "not anchoring a broken chain" in cp["error"] and "checkpoint #1, is gone" in cp["error"]
    assert len(anchor.checkpoint_path().read_text().splitlines()) == 1


def test_legacy_entries_before_the_upgrade_still_verify(key_file, users):
    """An upgraded installation: entries written before the key existed (version 1, object_repr not
    hashed) followed by keyed ones; verify passes, and a v1 entry after the keyed ones is refused."""
    prev = anchor.GENESIS
    from django.utils import timezone

    for seq in (1, 2, 3):
        at = timezone.now()
        digest = entry_hash(prev, seq, at.isoformat(), None, "系统", "old.entry", "", "", f"旧{seq}", None,
                            {"k": seq})
        AuditEntry.objects.create(seq=seq, at=at, actor_name="系统", action="old.entry", summary=f"旧{seq}",
                                  after={"k": seq}, prev_hash=prev, hash=digest, version=1)
        prev = digest
    AuditHead.objects.create(id=1, last_seq=3, last_hash=prev)
    record(users["fgw"], "new.entry", summary="新")
    result = verify_chain()
    assert result.ok and result.checked == 4
    cp = anchor.write_checkpoint("upgrade")
    assert cp.legacy_until == 3 and verify_chain().legacy == 3
    assert "3 old unkeyed entries" in verify_cmd()


@pytest.mark.django_db(transaction=True)
def test_upgrade_migration_keeps_old_entries_verifiable(key_file, settings):
    """Entries written by the previous release (no version column, hash without object_repr) are marked
    version 1 by migration 0003 and verify; new entries chain on them keyed."""
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0002_fewer_indexes")])
    try:
        prev = anchor.GENESIS
        for seq in (1, 2):
            at = timezone.now()
            digest = entry_hash(prev, seq, at.isoformat(), None, "系统", "old.entry", "orgs.unit", str(seq),
                                "旧版本", {"a": [1, "二"]}, None)
            sql("INSERT INTO {T} (seq, at, actor_id, actor_name, action, object_type, object_id, object_repr, "
                "summary, before, after, prev_hash, hash) VALUES (%s, %s, NULL, '系统', 'old.entry', 'orgs.unit', "
                "%s, '显示名', '旧版本', %s, NULL, %s, %s)",
                [seq, at, str(seq), json.dumps({"a": [1, "二"]}, ensure_ascii=False), prev, digest])
            prev = digest
        sql("INSERT INTO {H} (id, last_seq, last_hash) VALUES (1, 2, %s)", [prev])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(AuditEntry.objects.values_list("version", flat=True)) == [1, 1]
    record("系统", "new.entry", summary="升级后")
    assert verify_chain().ok
    assert anchor.write_checkpoint("upgrade").legacy_until == 2
    result = verify_chain()
    assert result.ok and result.checked == 3 and result.legacy == 2


def test_check_warns_when_the_key_is_inside_the_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.LUOSHI_AUDIT_KEY_FILE = str(tmp_path / "data" / "audit.key")
    out = io.StringIO()
    call_command("luoshi_check", stdout=out, stderr=io.StringIO())
    assert "audit key" in out.getvalue() and "is inside the data directory" in out.getvalue()
    settings.LUOSHI_AUDIT_KEY_FILE = str(tmp_path / "elsewhere" / "audit.key")
    out = io.StringIO()
    call_command("luoshi_check", stdout=out, stderr=io.StringIO())
    assert "audit key" in out.getvalue() and "audit key {0} is inside".format(tmp_path) not in out.getvalue()
    assert "the audit key" not in out.getvalue()


def test_the_bulletin_prints_the_latest_anchor(trail):
    import datetime as dt
    import io as _io

    from docx import Document
    from pypdf import PdfReader

    from luoshi.supervision.bulletins import bulletin_data, bulletin_docx
    from luoshi.supervision.pdf import bulletin_pdf

    cp = anchor.write_checkpoint("test")
    today = dt.date.today()
    data = bulletin_data(today - dt.timedelta(days=30), today, today)
    assert data["audit_anchor"] == cp.text_zh() and f"审计锚点第{cp.n}号" in cp.text_zh()
    doc = Document(_io.BytesIO(bulletin_docx(data)))
    assert any(cp.hash[:16] in p.text for p in doc.paragraphs)
    text = "".join(page.extract_text() for page in PdfReader(_io.BytesIO(bulletin_pdf(data))).pages)
    assert cp.hash[:16] in text.replace("\n", "")
