"""Backup and restore of a whole installation (备份与恢复): `luoshi backup FILE`, `luoshi restore FILE`.

One archive (tar, gzip-compressed) holds:

    database.sqlite3 | database.pgdump   SQLite online-backup copy, or `pg_dump -Fc` (a consistent snapshot)
    media/…                              uploaded files (MEDIA_ROOT)
    keys/secret_key                      Django's secret key (sessions, password-reset links)
    …                                    files apps register (register_file): the audit app adds
                                         keys/audit.key (LUOSHI_AUDIT_KEY_FILE) and audit/checkpoints.jsonl
    manifest.json                        format, versions, migrations, what the apps' before-backup hooks
                                         report (the audit checkpoint), and the size and SHA-256 of every
                                         other member

Apps contribute without core importing them (in AppConfig.ready()):

    from luoshi.core import backup
    backup.register_file("keys/audit.key", key_path)       # a file kept outside the database
    backup.on_before_backup("audit", take_checkpoint)     # fn() -> JSON-able dict for the manifest;
                                                          # its "summary" is printed; errors become warnings
    backup.on_after_restore(verify)                       # fn() -> (ok, message), after migrate

The database is copied row for row with its own tools (never dumpdata/loaddata, which truncates
timestamps and would break the audit chain), so `luoshi audit verify` passes on the restored copy.
Layer: core; it knows no app — apps register their extra files and hooks (see below).
A restore checks the whole archive against its manifest before it touches anything, refuses an
installation that holds data unless `force`, and sets aside (renames) what `force` replaces.
The archive holds secrets: it is written with mode 0600; keep it encrypted at rest.
"""
from __future__ import annotations

import datetime as dt
import glob
import hashlib
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.db import connection, connections

log = logging.getLogger(__name__)

FORMAT, FORMAT_VERSION = "luoshi-backup", 1
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 2_000_000
# Refuse archives whose manifest declares more than this (bytes, uncompressed); env LUOSHI_RESTORE_MAX_BYTES.
DEFAULT_MAX_RESTORE_BYTES = 200 * 1024 ** 3
# pg_dump / pg_restore are stopped after this many seconds; env LUOSHI_BACKUP_TIMEOUT.
DEFAULT_TIMEOUT = 6 * 3600
# Tables `migrate` fills by itself: an installation with rows only there is empty.
_MIGRATE_TABLES = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}
_FIXED_NAME = re.compile(r"^(manifest\.json|database\.(sqlite3|pgdump)|keys/secret_key|media/[^\x00]+)$")
_MEMBER_NAME = re.compile(r"^[a-z0-9_]+/[a-z0-9_.-]+$")


class BackupError(Exception):
    """A backup or restore was refused or failed; the message (English) says why and what to do."""


@dataclass(frozen=True)
class BackupFile:
    member: str                   # name in the archive, "dir/name"
    path: Callable[[], Path]      # where the file lives in this installation


_files: list[BackupFile] = []
_before: list[tuple[str, Callable[[], dict]]] = []
_after: list[Callable[[], tuple[bool, str]]] = []


def register_file(member: str, path: Callable[[], Path]) -> None:
    """Back up the file at path() (when it exists) as `member`; a restore puts it back there (mode 0600),
    setting aside a different file found in its place."""
    if not _MEMBER_NAME.match(member) or _FIXED_NAME.match(member):
        raise ValueError(f"bad backup member name {member!r}")
    if all(f.member != member for f in _files):
        _files.append(BackupFile(member, path))


def on_before_backup(name: str, fn: Callable[[], dict]) -> None:
    """fn() runs before the database is copied; its dict goes into the manifest under `name`."""
    if all(n != name for n, _ in _before):
        _before.append((name, fn))


def on_after_restore(fn: Callable[[], tuple[bool, str]]) -> None:
    """fn() runs after a restore (database, files and migrations done); returns (ok, message)."""
    if fn not in _after:
        _after.append(fn)


def _allowed(name: str) -> bool:
    return bool(_FIXED_NAME.match(name)) or any(f.member == name for f in _files)


def _timeout() -> int:
    return int(os.environ.get("LUOSHI_BACKUP_TIMEOUT") or DEFAULT_TIMEOUT)


def _max_restore_bytes() -> int:
    return int(os.environ.get("LUOSHI_RESTORE_MAX_BYTES") or DEFAULT_MAX_RESTORE_BYTES)


# ---- PostgreSQL tools ---------------------------------------------------------------------------------

def pg_tool(name: str, server_major: int) -> str:
    """The `name` binary (pg_dump, pg_restore) of the server's major version from /usr/lib/postgresql/*/bin,
    or the nearest newer one (they read older servers); BackupError when there is none."""
    found = {}
    for path in glob.glob(f"/usr/lib/postgresql/*/bin/{name}"):
        try:
            found[int(Path(path).parts[-3])] = path
        except ValueError:
            continue
    if server_major in found:
        return found[server_major]
    newer = sorted(m for m in found if m > server_major)
    if newer:
        return found[newer[0]]
    have = ", ".join(map(str, sorted(found))) or "none"
    raise BackupError(f"{name} for PostgreSQL {server_major} was not found in /usr/lib/postgresql/*/bin "
                      f"(installed: {have}); install postgresql-client-{server_major}")


def _pg_env_args(db: dict) -> tuple[dict, list[str]]:
    env = {**os.environ, "PGCONNECT_TIMEOUT": "20"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return env, args


def _run(cmd: list[str], env: dict, what: str) -> None:
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=_timeout())
    except subprocess.TimeoutExpired:
        raise BackupError(f"{what} did not finish within {_timeout()} s (LUOSHI_BACKUP_TIMEOUT)") from None
    if proc.returncode != 0:
        detail = " ".join((proc.stderr or proc.stdout).strip().splitlines()[-3:])
        raise BackupError(f"{what} failed (exit {proc.returncode}): {detail}")


def _server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


# ---- archive helpers ----------------------------------------------------------------------------------

class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, f):
        self.f, self.sha, self.size = f, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.f.read(n)
        self.sha.update(data)
        self.size += len(data)
        return data


def _add_file(tar: tarfile.TarFile, src: Path, name: str, files: list) -> None:
    st = src.stat()
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = st.st_size, int(st.st_mtime), 0o600
    with open(src, "rb") as f:
        reader = _HashingReader(f)
        tar.addfile(info, reader)
    if reader.size != st.st_size:
        raise BackupError(f"{src} changed while it was being archived; run the backup again")
    files.append({"path": name, "size": reader.size, "sha256": reader.sha.hexdigest()})


def _add_bytes(tar: tarfile.TarFile, data: bytes, name: str, files: list | None) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))
    if files is not None:
        files.append({"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})


def _applied_migrations() -> list[list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted([a, n] for a, n in MigrationRecorder(connection).migration_qs.values_list("app", "name"))


def _vendor() -> str:
    return connection.vendor


# ---- backup ---------------------------------------------------------------------------------------------

def backup(path, *, hooks: bool = True) -> dict:
    """Write the archive to `path` (replaced atomically when complete, mode 0600); returns the manifest.

    Raises BackupError with a clear reason (unwritable target, pg_dump missing or failing, …).
    """
    from luoshi import __version__

    out = Path(path).expanduser().resolve()
    if out.is_dir():
        raise BackupError(f"{out} is a directory: give the archive's file name, e.g. {out}/luoshi-backup.tar.gz")
    if not out.parent.is_dir():
        raise BackupError(f"the directory {out.parent} does not exist")
    if not os.access(out.parent, os.W_OK):
        raise BackupError(f"cannot write to {out.parent}")
    warnings: list[str] = []
    parts: dict = {}
    if hooks:
        for name, fn in _before:
            try:
                parts[name] = fn()
            except Exception as exc:  # back up all the same: the data matters more than the hook
                warnings.append(f"{name}: {exc}")
    vendor = _vendor()
    migrations = _applied_migrations()
    staging = Path(tempfile.mkdtemp(prefix=".luoshi-backup-", dir=out.parent))
    tmp = out.with_name(f".{out.name}.partial")
    try:
        db_info: dict = {"vendor": vendor}
        if vendor == "sqlite":
            db_file, member = staging / "database.sqlite3", "database.sqlite3"
            connection.ensure_connection()
            dst = sqlite3.connect(db_file)
            try:
                connection.connection.backup(dst)  # SQLite's online backup API: a consistent copy
            finally:
                dst.close()
            db_info["sqlite_version"] = sqlite3.sqlite_version
        elif vendor == "postgresql":
            db = settings.DATABASES["default"]
            major = _server_major()
            tool = pg_tool("pg_dump", major)
            env, args = _pg_env_args(db)
            db_file, member = staging / "database.pgdump", "database.pgdump"
            _run([tool, *args, "-d", str(db["NAME"]), "-Fc", "-Z0", "--no-owner", "--no-privileges",
                  "-f", str(db_file)], env, "pg_dump")
            db_info.update({"server_version": connection.pg_version, "pg_dump": tool})
        else:
            raise BackupError(f"backups of a {vendor} database are not supported (SQLite and PostgreSQL are)")
        files: list[dict] = []
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=3,
                                                     format=tarfile.PAX_FORMAT) as tar:
            _add_file(tar, db_file, member, files)
            db_file.unlink()
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                for root, dirs, names in os.walk(media):
                    dirs.sort()
                    for n in sorted(names):
                        p = Path(root) / n
                        if p.is_symlink() or not p.is_file():
                            warnings.append(f"skipped {p} (not a regular file)")
                            continue
                        _add_file(tar, p, "media/" + p.relative_to(media).as_posix(), files)
            _add_bytes(tar, settings.SECRET_KEY.encode("utf-8"), "keys/secret_key", files)
            for part in _files:
                p = Path(part.path())
                if p.is_file():
                    _add_file(tar, p, part.member, files)
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION, "luoshi_version": __version__,
                "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "database": db_info, "migrations": migrations,
                "parts": parts,
                "files": files, "warnings": warnings,
            }
            _add_bytes(tar, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"), MANIFEST, None)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        tmp.unlink(missing_ok=True)
    manifest["archive_bytes"] = out.stat().st_size
    return manifest


# ---- restore --------------------------------------------------------------------------------------------

def _check_member(m: tarfile.TarInfo) -> None:
    name = m.name
    pure = PurePosixPath(name)
    if (not m.isfile() or name.startswith("/") or ".." in pure.parts or "\\" in name
            or not _allowed(name) or len(name) > 1024):
        raise BackupError(f"the archive holds an unexpected member {name!r}: not a luoshi backup, refusing it")


def read_manifest(path) -> dict:
    """Check the whole archive against its manifest (every member listed, sizes and SHA-256 equal, nothing
    else in it) without extracting anything; returns the manifest. BackupError says what is wrong."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    seen: dict[str, tuple[int, str]] = {}
    manifest = None
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            for i, m in enumerate(tar):
                if i >= MAX_MEMBERS:
                    raise BackupError(f"the archive has more than {MAX_MEMBERS} members: refusing it")
                _check_member(m)
                if m.name in seen:
                    raise BackupError(f"the archive holds {m.name!r} twice: refusing it")
                f = tar.extractfile(m)
                if m.name == MANIFEST:
                    if m.size > MAX_MANIFEST_BYTES:
                        raise BackupError("the manifest is too large: refusing the archive")
                    try:
                        manifest = json.loads(f.read().decode("utf-8"))
                    except ValueError:
                        raise BackupError("the manifest is not valid JSON: the archive is damaged") from None
                    seen[m.name] = (m.size, "")
                    continue
                sha = hashlib.sha256()
                for block in iter(lambda: f.read(1 << 20), b""):
                    sha.update(block)
                seen[m.name] = (m.size, sha.hexdigest())
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise BackupError(f"{path} is not a readable luoshi backup (gzip/tar): {exc}") from None
    if manifest is None:
        raise BackupError(f"{path} has no manifest.json: not a luoshi backup")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a luoshi backup (manifest format {manifest.get('format')!r})"
                          if isinstance(manifest, dict) else f"{path}: the manifest is not an object")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format version {manifest.get('format_version')} is not supported by this "
                          f"luoshi (it reads version {FORMAT_VERSION})")
    listed = {f["path"]: f for f in manifest.get("files", [])}
    total = sum(int(f.get("size", 0)) for f in listed.values())
    if total > _max_restore_bytes():
        raise BackupError(f"the archive declares {total} bytes, more than LUOSHI_RESTORE_MAX_BYTES="
                          f"{_max_restore_bytes()}")
    for name, f in listed.items():
        if name not in seen:
            raise BackupError(f"{name} is listed in the manifest but missing from the archive")
        size, sha = seen[name]
        if size != f.get("size") or sha != f.get("sha256"):
            raise BackupError(f"{name} does not match its SHA-256 checksum in the manifest: the archive is "
                              "damaged or was altered")
    extra = set(seen) - set(listed) - {MANIFEST}
    if extra:
        raise BackupError(f"the archive holds files its manifest does not list: {', '.join(sorted(extra)[:5])}")
    db_members = [n for n in listed if n.startswith("database.")]
    if len(db_members) != 1:
        raise BackupError("the archive holds no database (or more than one)")
    manifest["_bytes"] = total
    return manifest


def installation_has_data() -> list[str]:
    """Names of the tables of the configured database that hold rows (besides what `migrate` writes)."""
    try:
        tables = connection.introspection.table_names()
    except Exception as exc:
        raise BackupError(f"cannot reach the database: {str(exc).strip().splitlines()[0]}") from None
    full = []
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        for t in tables:
            if t in _MIGRATE_TABLES:
                continue
            cur.execute(f"SELECT 1 FROM {qn(t)} LIMIT 1")
            if cur.fetchone():
                full.append(t)
    return full


def _aside(path: Path, stamp: str) -> Path | None:
    if not path.exists():
        return None
    target = path.with_name(f"{path.name}.before-restore-{stamp}")
    path.rename(target)
    return target


def restore(path, *, force: bool = False, report=None) -> dict:
    """Rebuild this installation (database, uploads, keys, checkpoints) from the archive at `path`.

    The archive is checked against its manifest first; the installation must be empty (only what
    `migrate` writes) unless `force`, in which case the database's tables are dropped and the files it
    replaces are renamed to `…before-restore-<time>`. Then pending migrations are applied and the
    after-restore hooks run (the audit app verifies its chain). Returns {"manifest", "set_aside",
    "checks": [(ok, message), …]}. Raises BackupError.
    """
    from django.core.management import call_command
    from django.db.migrations.loader import MigrationLoader

    say = report or (lambda s: None)
    manifest = read_manifest(path)
    say(f"archive checked: {len(manifest['files'])} files, {manifest['_bytes']} bytes, made "
        f"{manifest.get('created_at')} by luoshi {manifest.get('luoshi_version')}")
    vendor = manifest["database"]["vendor"]
    if vendor != _vendor():
        raise BackupError(f"the backup holds a {vendor} database but this installation uses {_vendor()}: "
                          "restore into the same kind of database (DATABASE_URL)")
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{a}.{n}" for a, n in manifest.get("migrations", []) if (a, n) not in known]
    if unknown:
        raise BackupError(f"the backup was made by a newer luoshi (unknown migrations: {', '.join(unknown[:3])}); "
                          "upgrade luoshi first")
    listed = {f["path"] for f in manifest["files"]}
    data_dir = Path(settings.DATA_DIR)
    media = Path(settings.MEDIA_ROOT)
    secret_file = data_dir / "secret_key"
    # What is here already.
    full = installation_has_data()
    media_files = media.is_dir() and any(p.is_file() for p in media.rglob("*"))
    blockers = []
    if full:
        blockers.append(f"the database holds data (tables {', '.join(full[:4])}{'…' if len(full) > 4 else ''})")
    if media_files:
        blockers.append(f"{media} holds uploaded files")
    if blockers and not force:
        raise BackupError("refusing to overwrite this installation: " + "; ".join(blockers)
                          + ". Restore into an empty installation, or add --force (what is replaced is set aside)")
    free = shutil.disk_usage(data_dir).free
    if free < manifest["_bytes"] * 1.1:
        raise BackupError(f"not enough free space in {data_dir}: {free} bytes free, the archive holds "
                          f"{manifest['_bytes']}")
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    staging = Path(tempfile.mkdtemp(prefix=".luoshi-restore-", dir=data_dir))
    set_aside: list[str] = []
    try:
        # Extract (checksums checked again: the file could have changed since the first pass).
        sums = {f["path"]: f["sha256"] for f in manifest["files"]}
        with tarfile.open(path, mode="r|gz") as tar:
            for m in tar:
                _check_member(m)
                if m.name == MANIFEST:
                    continue
                if m.name not in listed:
                    raise BackupError(f"the archive changed while it was restored ({m.name}); nothing was replaced")
                target = staging / m.name
                target.parent.mkdir(parents=True, exist_ok=True)
                sha = hashlib.sha256()
                src = tar.extractfile(m)
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as f:
                    for block in iter(lambda: src.read(1 << 20), b""):
                        sha.update(block)
                        f.write(block)
                if sha.hexdigest() != sums[m.name]:
                    raise BackupError(f"{m.name} changed while it was restored; nothing was replaced")
        # 1. the database (most likely to fail: first, and all-or-nothing)
        if vendor == "sqlite":
            name = Path(settings.DATABASES["default"]["NAME"])
            connections.close_all()
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{name}{suffix}").unlink(missing_ok=True)
            name.parent.mkdir(parents=True, exist_ok=True)
            if full:
                moved = _aside(name, stamp)
                set_aside.append(str(moved))
            os.replace(staging / "database.sqlite3", name)
        else:
            _pg_restore(staging / "database.pgdump", drop_first=True)
        say("database restored")
        # 2. uploads, keys, checkpoints
        if (staging / "media").is_dir() or media_files:
            if media.exists() and media_files:
                set_aside.append(str(_aside(media, stamp)))
            elif media.exists():
                shutil.rmtree(media)
            if (staging / "media").is_dir():
                media.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(staging / "media"), media)
        new_secret = (staging / "keys/secret_key").read_bytes()
        if secret_file.exists() and secret_file.read_bytes().strip() != new_secret.strip():
            if blockers:
                set_aside.append(str(_aside(secret_file, stamp)))
            else:  # generated by this empty installation's first start: nothing depends on it
                secret_file.unlink()
        if not secret_file.exists():
            shutil.move(str(staging / "keys/secret_key"), secret_file)
            os.chmod(secret_file, 0o600)
        for part in _files:
            target = Path(part.path())
            staged = staging / part.member
            if target.exists() and (not staged.exists() or target.read_bytes() != staged.read_bytes()):
                set_aside.append(str(_aside(target, stamp)))  # e.g. checkpoints anchoring the old database
            if staged.exists() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(staged), target)
                os.chmod(target, 0o600)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if set_aside:
        say("set aside: " + ", ".join(set_aside))
    call_command("migrate", interactive=False, verbosity=0)
    checks = []
    for fn in _after:
        try:
            checks.append(fn())
        except Exception as exc:
            checks.append((False, f"{getattr(fn, '__module__', fn)}: {exc}"))
    return {"manifest": manifest, "set_aside": set_aside, "checks": checks}


def _pg_restore(dump: Path, *, drop_first: bool) -> None:
    db = settings.DATABASES["default"]
    if drop_first:
        qn = connection.ops.quote_name
        with connection.cursor() as cur:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [r[0] for r in cur.fetchall()]
            if tables:
                cur.execute("DROP TABLE " + ", ".join(qn(t) for t in tables) + " CASCADE")
            cur.execute("SELECT sequence_name FROM information_schema.sequences "
                        "WHERE sequence_schema = current_schema()")
            seqs = [r[0] for r in cur.fetchall()]
            if seqs:
                cur.execute("DROP SEQUENCE " + ", ".join(qn(s) for s in seqs) + " CASCADE")
    tool = pg_tool("pg_restore", _server_major())
    connections.close_all()
    env, args = _pg_env_args(db)
    _run([tool, *args, "-d", str(db["NAME"]), "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction", str(dump)], env, "pg_restore")
