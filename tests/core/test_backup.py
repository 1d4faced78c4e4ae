"""`luoshi backup` / `luoshi restore`, end to end through the real command, on SQLite and (when the suite
runs on PostgreSQL) on two fresh databases of the same server: the restored installation has the same
rows, uploads and keys, and `luoshi audit verify` passes on it."""
from __future__ import annotations

import io
import json
import os
import tarfile
import uuid
from pathlib import Path

import dj_database_url
import pytest

from luoshi.core.backup import BackupError, read_manifest

from ..cli.conftest import luoshi

COUNTS = ("from luoshi.audit.models import AuditEntry as A; from luoshi.orgs.models import Unit as U; "
          "from luoshi.accounts.models import User; "
          "print('COUNTS', A.objects.count(), U.objects.count(), User.objects.count(), "
          "list(A.objects.order_by('-seq').values_list('hash', flat=True)[:1]))")


def _pg_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture
def installs(tmp_path):
    """Two installations (source, target) with their own data dirs, keys and databases: SQLite files, or
    two fresh databases on the PostgreSQL server the suite runs on."""
    url = _pg_url()
    if not url:
        dbs = [None, None]
    else:
        import psycopg

        cfg = dj_database_url.parse(url)
        admin = psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                                password=cfg["PASSWORD"], dbname="postgres", autocommit=True)
        names = [f"luoshi_bk_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("src", "dst")]
        for n in names:
            admin.execute(f'CREATE DATABASE "{n}"')
        base = url.rsplit("/", 1)[0]
        dbs = [f"{base}/{n}" for n in names]
    made = []
    for name, db in zip(("src", "dst"), dbs):
        env = {"LUOSHI_TASKS_BACKEND": "immediate"}
        if db:
            env["DATABASE_URL"] = db
        made.append({"data": tmp_path / name, "env": env})
    yield made
    if url:
        for n in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')
        admin.close()


def run(inst, *args, ok=True):
    proc = luoshi(*args, data_dir=inst["data"], env=inst["env"], timeout=300)
    if ok:
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
    return proc


def counts(inst):
    out = run(inst, "manage", "shell", "-c", COUNTS).stdout
    return next(line for line in out.splitlines() if line.startswith("COUNTS"))


def test_backup_restore_round_trip(installs, tmp_path):
    src, dst = installs
    run(src, "manage", "migrate", "-v0")
    run(src, "units", "load-sample")
    run(src, "sweep")  # takes an audit checkpoint
    upload = src["data"] / "media" / "reports" / "进展材料.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 " + os.urandom(2000))
    archive = tmp_path / "backup.tar.gz"
    out = run(src, "backup", str(archive)).stdout
    assert "backup written" in out and "1 uploaded files" in out and "audit checkpoint #2" in out
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    manifest = read_manifest(archive)
    assert {f["path"] for f in manifest["files"]} >= {"keys/secret_key", "keys/audit.key",
                                                      "audit/checkpoints.jsonl", "media/reports/进展材料.pdf"}
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])

    # a brand-new installation: no database tables yet (PostgreSQL: a fresh database)
    out = run(dst, "restore", str(archive)).stdout
    assert "audit chain intact" in out
    assert counts(dst) == counts(src)
    assert (dst["data"] / "media" / "reports" / "进展材料.pdf").read_bytes() == upload.read_bytes()
    key = lambda inst: Path(f"{inst['data']}-audit.key").read_text()  # noqa: E731
    assert key(dst) == key(src)
    assert (dst["data"] / "secret_key").read_text().strip() == (src["data"] / "secret_key").read_text().strip()
    # the restored copy keeps anchoring on the restored checkpoints
    assert "checkpoint #3" in run(dst, "audit", "checkpoint").stdout

    # it is not empty any more: a second restore is refused with a clear message
    proc = run(dst, "restore", str(archive), ok=False)
    assert proc.returncode == 1 and "refusing to overwrite this installation" in proc.stderr
    assert "Traceback" not in proc.stderr
    # --force replaces it and sets the old files aside; verify passes on the result
    out = run(dst, "restore", str(archive), "--force").stdout
    assert "set aside" in out and "audit chain intact" in out
    verify = run(dst, "audit", "verify").stdout
    assert verify.startswith("OK: audit chain intact") and "matches checkpoint #2" in verify


def _rewrite(archive: Path, out: Path, change):
    with tarfile.open(archive, "r:gz") as tin, tarfile.open(out, "w:gz") as tout:
        for m in tin:
            data = tin.extractfile(m).read()
            m, data = change(m, data)
            if m is not None:
                m.size = len(data)
                tout.addfile(m, io.BytesIO(data))


sqlite_only = pytest.mark.skipif(bool(_pg_url()), reason="archive checks run once, in the SQLite pass")


@pytest.fixture(scope="module")
def sqlite_archive(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("bk")
    inst = {"data": tmp_path / "src", "env": {"DATABASE_URL": ""}}
    run(inst, "manage", "migrate", "-v0")
    run(inst, "units", "load-sample")
    archive = tmp_path / "good.tar.gz"
    run(inst, "backup", str(archive))
    return archive


@sqlite_only
def test_damaged_or_foreign_archives_are_refused_before_anything_changes(sqlite_archive, tmp_path):
    target = {"data": tmp_path / "dst", "env": {"DATABASE_URL": ""}}
    run(target, "manage", "migrate", "-v0")
    bad = tmp_path / "bad.tar.gz"

    def flip(m, data):
        if m.name == "database.sqlite3":
            data = data[:5000] + bytes([data[5000] ^ 1]) + data[5001:]
        return m, data

    _rewrite(sqlite_archive, bad, flip)
    proc = run(target, "restore", str(bad), ok=False)
    assert proc.returncode == 1 and "database.sqlite3 does not match its SHA-256 checksum" in proc.stderr

    def traversal(m, data):
        if m.name == "keys/secret_key":
            m.name = "../../evil"
        return m, data

    _rewrite(sqlite_archive, bad, traversal)
    with pytest.raises(BackupError, match="unexpected member '../../evil'"):
        read_manifest(bad)
    _rewrite(sqlite_archive, bad, lambda m, d: (None, d) if m.name == "manifest.json" else (m, d))
    with pytest.raises(BackupError, match="has no manifest.json"):
        read_manifest(bad)
    _rewrite(sqlite_archive, bad, lambda m, d: (None, d) if m.name == "keys/audit.key" else (m, d))
    with pytest.raises(BackupError, match="keys/audit.key is listed in the manifest but missing"):
        read_manifest(bad)
    bad.write_bytes(b"not an archive at all")
    with pytest.raises(BackupError, match="is not a readable luoshi backup"):
        read_manifest(bad)
    with pytest.raises(BackupError, match="does not exist"):
        read_manifest(tmp_path / "missing.tar.gz")

    def newer(m, data):
        if m.name == "manifest.json":
            doc = json.loads(data)
            doc["migrations"].append(["audit", "9999_from_the_future"])
            data = json.dumps(doc).encode()
        return m, data

    _rewrite(sqlite_archive, bad, newer)
    # the manifest is not covered by its own checksums, but it cannot smuggle anything: it is checked too
    proc = run(target, "restore", str(bad), ok=False)
    assert proc.returncode == 1 and "made by a newer luoshi" in proc.stderr
    # nothing was written into the target by either refusal
    assert "COUNTS 0 0 0" in counts(target)


@sqlite_only
def test_backup_errors_are_clear(tmp_path):
    inst = {"data": tmp_path / "src", "env": {"DATABASE_URL": ""}}
    proc = run(inst, "backup", str(tmp_path / "no" / "such" / "dir" / "b.tar.gz"), ok=False)
    assert proc.returncode == 1 and "does not exist" in proc.stderr and "Traceback" not in proc.stderr
    proc = run(inst, "backup", str(tmp_path), ok=False)
    assert proc.returncode == 1 and "is a directory" in proc.stderr
