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
import json
import logging
import os
from pathlib import Path

from .keys import (GENESIS, MAX_CHECKPOINT_FILE_BYTES, AuditAnchorError, Checkpoint, _cp_mac,  # noqa: F401
                   _key_cache, audit_key, checkpoint_path, fingerprint, inside_data_dir, key_path, mac,
                   read_checkpoints)
from .models import AuditEntry, AuditHead
from .services import verify_chain

log = logging.getLogger(__name__)

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
    _key_cache.clear()
    result = verify_chain()
    if result.ok:
        return True, f"audit chain intact, {result.checked} entries verified"
    return False, f"the audit chain does not verify: {result.reason} [{result.kind}]"
