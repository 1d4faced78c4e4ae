"""The audit key and the checkpoint file (审计密钥与锚点文件): the lowest layer of luoshi.audit.

Read and written here without touching the database; `luoshi.audit.services` (the chain) builds on it and
`luoshi.audit.anchor` (writing checkpoints, backup hooks) on both. See anchor.py for the whole design.
"""
from __future__ import annotations

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


def _audit_file(setting: str, name: str) -> Path:
    """The file named by `setting` if set, else ``<data dir>-<name>`` beside the data directory
    (``<data dir>/<name>`` only if the directory above is not writable or the file already lives inside)."""
    configured = getattr(settings, setting, "") or ""
    if configured:
        return Path(configured).expanduser()
    beside = _beside_data_dir(name)
    inside = Path(settings.DATA_DIR) / name
    if beside.exists() or not inside.exists() and os.access(beside.parent, os.W_OK):
        return beside
    return inside


def key_path() -> Path:
    """Where the audit key lives: LUOSHI_AUDIT_KEY_FILE, else ``<data dir>-audit.key`` beside the data
    directory (``<data dir>/audit.key`` only if the directory above is not writable)."""
    return _audit_file("LUOSHI_AUDIT_KEY_FILE", "audit.key")


def checkpoint_path() -> Path:
    """Where the append-only audit checkpoints go: LUOSHI_AUDIT_CHECKPOINT_FILE, else beside the data directory."""
    return _audit_file("LUOSHI_AUDIT_CHECKPOINT_FILE", "audit-checkpoints.jsonl")


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


def fingerprint(key: bytes) -> str:
    """A short public name of a key (first 16 hex digits of its SHA-256), to tell keys apart."""
    return hashlib.sha256(key).hexdigest()[:16]
