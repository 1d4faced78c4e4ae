"""Anchoring the audit chain outside the database (审计链外部锚定).

The hash chain alone only proves that entries were not edited *one at a time*: whoever can write the
database can recompute every hash after an edit, trim the newest entries and lower the head, or empty
the table. Two things kept outside the database close that gap:

* **The audit key** (`LUOSHI_AUDIT_KEY_FILE`, 32 random bytes as 64 hex digits, mode 0600). Entry hashes
  of version 2 are HMAC-SHA256 with this key, so nobody who can only reach the database can recompute
  them. Default: a file *beside* the data directory (``<data dir>-audit.key``, e.g.
  ``~/.local/share/luoshi-audit.key``), never inside it; generated on first use. Keep it out of the
  database's backups and in luoshi's own (``luoshi backup`` carries it).
* **Checkpoints** (`LUOSHI_AUDIT_CHECKPOINT_FILE`, default ``<data dir>-audit-checkpoints.jsonl``): one
  JSON line per checkpoint, appended (never rewritten) after every sweep and by
  ``luoshi audit checkpoint``::

      {"n": 3, "at": "2026-03-02T06:15:09+00:00", "seq": 121065, "hash": "<entry #121065's hash>",
       "legacy_until": 0, "reason": "sweep", "prev": "<mac of checkpoint 2>", "mac": "<HMAC-SHA256>"}

  ``mac`` is HMAC-SHA256 with the audit key of the other fields (canonical JSON); ``prev`` chains the
  lines, so an edited, forged or removed line in the middle is found. Each checkpoint is also handed
  to the listeners registered with :func:`on_checkpoint` (the webhook, the daily 通报), so a copy
  lives where neither the database nor this machine can rewrite it.

``luoshi audit verify`` then finds, besides edited and deleted entries: entries trimmed from the end
(the chain is shorter than the last checkpoint), an emptied table, a rewritten (recomputed) chain (an
entry's hash differs from a checkpoint's, or its MAC does not match), entries downgraded to the old
unkeyed format, and a head that does not name the last entry.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

GENESIS = "0" * 64
_CP_DOMAIN = b"luoshi-audit-checkpoint-v1\n"
MAX_CHECKPOINT_FILE_BYTES = 64 * 1024 * 1024  # ~250k checkpoints; verify refuses bigger files


class AuditAnchorError(Exception):
    """The audit key or checkpoint file is unusable (message in English, for the CLI and logs)."""


# ---- the key ---------------------------------------------------------------------------------------

def _beside_data_dir(suffix: str) -> Path:
    data = Path(settings.DATA_DIR).resolve()
    return data.parent / f"{data.name}-{suffix}"


def key_path() -> Path:
    """Where the audit key lives: LUOSHI_AUDIT_KEY_FILE, else ``<data dir>-audit.key`` beside the data
    directory (``<data dir>/audit.key`` only if the directory above is not writable)."""
    configured = getattr(settings, "LUOSHI_AUDIT_KEY_FILE", "") or ""
    if configured:
        return Path(configured).expanduser()
    beside = _beside_data_dir("audit.key")
    inside = Path(settings.DATA_DIR) / "audit.key"
    if beside.exists() or not inside.exists() and os.access(beside.parent, os.W_OK):
        return beside
    return inside


def checkpoint_path() -> Path:
    configured = getattr(settings, "LUOSHI_AUDIT_CHECKPOINT_FILE", "") or ""
    if configured:
        return Path(configured).expanduser()
    beside = _beside_data_dir("audit-checkpoints.jsonl")
    inside = Path(settings.DATA_DIR) / "audit-checkpoints.jsonl"
    if beside.exists() or not inside.exists() and os.access(beside.parent, os.W_OK):
        return beside
    return inside


def inside_data_dir(path: Path) -> bool:
    data = Path(settings.DATA_DIR).resolve()
    p = Path(path).resolve()
    return p == data or data in p.parents


_key_cache: dict = {}


def audit_key(create: bool = True) -> bytes | None:
    """The 32-byte audit key; generated (mode 0600) when missing and `create`, else None when missing.
    Raises AuditAnchorError when the file is unreadable or malformed."""
    path = key_path()
    try:
        st = path.stat()
    except FileNotFoundError:
        if not create:
            return None
        _create_key(path)
        st = path.stat()
    cached = _key_cache.get(str(path))
    if cached and cached[0] == (st.st_ino, st.st_mtime_ns, st.st_size):
        return cached[1]
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise AuditAnchorError(f"the audit key file {path} is unreadable or not 64 hex digits ({exc})") from None
    if len(key) < 32:
        raise AuditAnchorError(f"the audit key in {path} is shorter than 32 bytes")
    _key_cache[str(path)] = ((st.st_ino, st.st_mtime_ns, st.st_size), key)
    return key


def _create_key(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first
    except OSError as exc:
        raise AuditAnchorError(f"cannot create the audit key file {path} ({exc.strerror}); "
                               "set LUOSHI_AUDIT_KEY_FILE to a writable place outside the data directory") from None
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32) + "\n")
        f.flush()
        os.fsync(f.fileno())
    log.warning("created the audit key %s: keep it (and its backups) outside the database", path)


def mac(key: bytes, data: bytes) -> str:
    return hmac.digest(key, data, "sha256").hex()


# ---- checkpoints -------------------------------------------------------------------------------------

@dataclass
class Checkpoint:
    n: int
    at: str
    seq: int
    hash: str
    legacy_until: int
    reason: str
    prev: str
    mac: str
    line: int = 0

    def body(self) -> dict:
        return {"n": self.n, "at": self.at, "seq": self.seq, "hash": self.hash,
                "legacy_until": self.legacy_until, "reason": self.reason, "prev": self.prev}

    def as_dict(self) -> dict:
        return {**self.body(), "mac": self.mac}

    def text_zh(self) -> str:
        """One line for the 通报 and chat bots."""
        return (f"审计锚点第{self.n}号:截至审计日志第{self.seq}条,哈希 {self.hash[:16]}…,"
                f"校验码 {self.mac[:16]}…({self.at[:19].replace('T', ' ')} UTC)")


def _cp_mac(key: bytes, body: dict) -> str:
    return mac(key, _CP_DOMAIN + json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def read_checkpoints(key: bytes | None, path: Path | None = None) -> tuple[list[Checkpoint], list[str]]:
    """All checkpoints of the file, in order, and the problems found (forged, edited, removed or
    reordered lines). With `key` None the MACs are not checked."""
    path = path or checkpoint_path()
    problems: list[str] = []
    out: list[Checkpoint] = []
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return out, problems
    if size > MAX_CHECKPOINT_FILE_BYTES:
        return out, [f"checkpoint file {path} is larger than {MAX_CHECKPOINT_FILE_BYTES} bytes: rotate it "
                     "(keep the old file) and run `luoshi audit checkpoint`"]
    prev_mac = GENESIS
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                d = json.loads(raw)
                cp = Checkpoint(n=int(d["n"]), at=str(d["at"]), seq=int(d["seq"]), hash=str(d["hash"]),
                                legacy_until=int(d["legacy_until"]), reason=str(d.get("reason", "")),
                                prev=str(d["prev"]), mac=str(d["mac"]), line=lineno)
            except (ValueError, KeyError, TypeError):
                problems.append(f"checkpoint file {path} line {lineno} is not a checkpoint")
                continue
            if key is not None and not hmac.compare_digest(cp.mac, _cp_mac(key, cp.body())):
                problems.append(f"checkpoint file {path} line {lineno} (checkpoint #{cp.n}) does not carry a valid "
                                "MAC: forged or edited, or made with another audit key")
                continue
            expected_n = out[-1].n + 1 if out else 1
            if cp.n != expected_n or cp.prev != prev_mac:
                problems.append(f"checkpoint file {path} line {lineno}: checkpoint #{cp.n} does not follow "
                                f"checkpoint #{expected_n - 1} (lines were removed or reordered)")
            if out and cp.seq < out[-1].seq:
                problems.append(f"checkpoint #{cp.n} records {cp.seq} entries, fewer than checkpoint "
                                f"#{out[-1].n} ({out[-1].seq})")
            out.append(cp)
            prev_mac = cp.mac
    return out, problems


_listeners: list = []


def on_checkpoint(listener) -> None:
    """Register `listener(checkpoint: Checkpoint)`, called after each checkpoint is written (higher layers
    send it on: the webhook, the 通报). Errors in listeners are logged, never raised."""
    if listener not in _listeners:
        _listeners.append(listener)


def write_checkpoint(reason: str = "manual", *, check: bool = True) -> Checkpoint:
    """Append a checkpoint of the current chain head to the checkpoint file and tell the listeners.

    Always checked first (cheap): the previous checkpoint's entry still has its hash and the head names a
    real entry, so a truncated or rewritten chain is never anchored. With `check` (`luoshi audit
    checkpoint`, backups), the entries written since the previous checkpoint are verified too (MACs and
    links); the sweep skips that (one sweep appends ~120k entries: ~8 s) — `luoshi audit verify` still
    checks every MAC.
    Raises AuditAnchorError naming the problem.
    """
    from .models import AuditEntry, AuditHead
    from .services import verify_chain

    key = audit_key(create=True)
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "r+", encoding="utf-8") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        existing, problems = read_checkpoints(key, path)
        if problems:
            raise AuditAnchorError("; ".join(problems[:3]))
        last = existing[-1] if existing else None
        head = AuditHead.objects.filter(id=1).first()
        seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS)
        # Always (two indexed look-ups): the previous anchor still stands and the head names a real entry.
        if last is not None and last.seq:
            at_last = AuditEntry.objects.filter(seq=last.seq).values_list("hash", flat=True).first()
            if at_last != last.hash or seq < last.seq:
                raise AuditAnchorError(f"not anchoring a broken chain: entry #{last.seq}, anchored by checkpoint "
                                       f"#{last.n}, is {'gone' if at_last is None else 'changed'} "
                                       "(truncated or rewritten); run `luoshi audit verify`")
        if seq and AuditEntry.objects.filter(seq=seq).values_list("hash", flat=True).first() != head_hash:
            raise AuditAnchorError(f"not anchoring a broken chain: the head does not name entry #{seq}; "
                                   "run `luoshi audit verify`")
        if check:
            result = verify_chain(since=last, key=key)
            if not result.ok:
                raise AuditAnchorError(f"not anchoring a broken chain: {result.reason}")
        if last is not None:
            legacy = last.legacy_until
        else:
            legacy = (AuditEntry.objects.filter(version=1).order_by("-seq").values_list("seq", flat=True).first()
                      or 0)
        body = {"n": (last.n + 1) if last else 1,
                "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "seq": seq, "hash": head_hash, "legacy_until": legacy, "reason": reason[:40],
                "prev": last.mac if last else GENESIS}
        cp = Checkpoint(**body, mac=_cp_mac(key, body))
        f.seek(0, os.SEEK_END)
        f.write(json.dumps(cp.as_dict(), sort_keys=True, separators=(",", ":")) + "\n")
        f.flush()
        os.fsync(f.fileno())
    for listener in list(_listeners):
        try:
            listener(cp)
        except Exception:  # a failing webhook never undoes the checkpoint
            log.exception("audit checkpoint listener failed")
    return cp


def last_checkpoint() -> Checkpoint | None:
    """The newest checkpoint of the file (MAC checked), or None."""
    key = audit_key(create=False)
    if key is None:
        return None
    cps, _ = read_checkpoints(key)
    return cps[-1] if cps else None


def set_aside_checkpoints(why: str) -> Path | None:
    """Move the checkpoint file aside (``….<why>-<UTC time>``) when the database is replaced on purpose
    (`luoshi demo --force`, `luoshi restore --force`); returns the new name, or None if there was none."""
    path = checkpoint_path()
    if not path.exists():
        return None
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{why}-{stamp}")
    path.rename(target)
    return target


def fingerprint(key: bytes) -> str:
    """A short public name of a key (first 16 hex digits of its SHA-256), to tell keys apart."""
    return hashlib.sha256(key).hexdigest()[:16]


# ---- backup and restore (registered with luoshi.core.backup in AuditConfig.ready) ---------------------

def before_backup() -> dict:
    """Checkpoint the chain (verifying the entries since the previous checkpoint) just before a backup;
    what goes into the archive's manifest under "audit"."""
    cp = write_checkpoint("backup")
    key = audit_key(create=False)
    return {"checkpoint": cp.as_dict(), "key_fingerprint": fingerprint(key) if key else None,
            "summary": f"audit checkpoint #{cp.n} at {cp.seq} entries"}


def after_restore() -> tuple[bool, str]:
    """The restored chain must verify against the restored key and checkpoints."""
    from .services import verify_chain

    _key_cache.clear()
    result = verify_chain()
    if result.ok:
        return True, f"audit chain intact, {result.checked} entries verified"
    return False, f"the audit chain does not verify: {result.reason} [{result.kind}]"
