"""Append to and verify the audit trail (全程留痕)."""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _default(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _number(text: str):
    """A JSON float as PostgreSQL's jsonb gives it back, so the hash made when writing
    matches the one verify_chain recomputes from the stored row on every database."""
    value = float(text)
    if value.is_integer() and abs(value) >= 1e16:
        return int(decimal.Decimal(text))  # jsonb prints 1e+20 as 100000000000000000000
    if value == 0:
        return 0.0  # jsonb has no negative zero
    return value


def _jsonable(value):
    # NaN/Infinity are not JSON (PostgreSQL refuses them): kept as strings.
    return None if value is None else json.loads(json.dumps(value, default=_default, ensure_ascii=False),
                                                 parse_float=_number, parse_constant=str)


def entry_hash(prev_hash: str, seq: int, at: str, actor_id, actor_name: str, action: str,
               object_type: str, object_id: str, summary: str, before, after) -> str:
    payload = json.dumps(
        [prev_hash, seq, at, actor_id, actor_name, action, object_type, object_id, summary, before, after],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _hash_of(entry: AuditEntry) -> str:
    return entry_hash(entry.prev_hash, entry.seq, entry.at.isoformat(), entry.actor_id, entry.actor_name,
                      entry.action, entry.object_type, entry.object_id, entry.summary,
                      entry.before, entry.after)


def record(actor, action: str, obj=None, *, object_type: str | None = None, object_id=None,
           summary: str = "", before=None, after=None) -> AuditEntry:
    """Append one entry; call inside the transaction of the change it records."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = str(obj)[:300]
    else:
        object_repr = ""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        at = timezone.now()
        entry = AuditEntry(
            seq=head.last_seq + 1,
            at=at,
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=(actor.get_full_name() or actor.get_username()) if getattr(actor, "pk", None)
            else (actor if isinstance(actor, str) else "系统"),
            action=action,
            object_type=object_type or "",
            object_id=str(object_id or ""),
            object_repr=object_repr,
            summary=summary[:500],
            before=_jsonable(before),
            after=_jsonable(after),
            prev_hash=head.last_hash,
        )
        entry.hash = _hash_of(entry)
        entry.save()
        head.last_seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def _actor_name(actor) -> str:
    if getattr(actor, "pk", None):
        return actor.get_full_name() or actor.get_username()
    return actor if isinstance(actor, str) else "系统"


_HASH_OPTS = {"ensure_ascii": False, "sort_keys": True, "separators": (",", ":")}
_PLAIN = (str, int, bool, type(None))


def _canonical(value):
    """(stored value, its canonical JSON text) of a before/after value: what _jsonable stores and the
    text entry_hash embeds for it. Flat dicts of str keys and str/int/bool/None/date values (what bulk
    writers record) skip _jsonable's JSON round trip; anything else goes through it."""
    if type(value) is dict and all(type(k) is str for k in value):
        out = {}
        for k, v in value.items():
            t = type(v)
            if t in _PLAIN:
                out[k] = v
            elif isinstance(v, str):
                out[k] = str.__str__(v)  # TextChoices members: the plain string json.dumps writes
            elif t in (dt.date, dt.datetime):
                out[k] = v.isoformat()
            else:
                break
        else:
            return out, json.dumps(out, **_HASH_OPTS)
    stored = _jsonable(value)
    return stored, json.dumps(stored, **_HASH_OPTS)


ENTRY_COLUMNS = ("seq", "at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr",
                 "summary", "before", "after", "prev_hash", "hash")


def record_many(items, batch_size: int = 2000, insert=None) -> int:
    """Append many entries in order under ONE lock of the chain head (bulk writers such as the sweep).

    `items`: iterable of dicts with record()'s arguments: actor, action, and optionally obj, object_type,
    object_id, object_repr, summary, before, after. On PostgreSQL the rows go in with COPY from tuples;
    elsewhere `insert(model, rows)` may replace bulk_create. Call inside the transaction of the changes
    recorded; the entries chain exactly as if record() had been called for each in turn (the hash is
    entry_hash's, built from the same canonical JSON). Returns the number written.
    """
    from django.db import connection

    items = list(items)
    if not items:
        return 0
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        seq, prev = head.last_seq, head.last_hash
        at = timezone.now()
        at_iso = at.isoformat()
        dumps, sha = json.dumps, hashlib.sha256
        labels = {}
        rows = []
        for it in items:
            obj = it.get("obj")
            actor = it.get("actor")
            object_type, object_id = it.get("object_type"), it.get("object_id")
            object_repr = it.get("object_repr", "")
            if obj is not None:
                if not object_type:
                    cls = type(obj)
                    object_type = labels.get(cls) or labels.setdefault(cls, obj._meta.label_lower)
                object_id = obj.pk if object_id is None else object_id
                object_repr = object_repr or str(obj)[:300]
            seq += 1
            actor_id = actor.pk if getattr(actor, "pk", None) else None
            actor_name = _actor_name(actor)
            object_type, object_id = object_type or "", str(object_id or "")
            summary = (it.get("summary") or "")[:500]
            before, before_s = _canonical(it.get("before"))
            after, after_s = _canonical(it.get("after"))
            head_s = dumps([prev, seq, at_iso, actor_id, actor_name, it["action"], object_type, object_id, summary],
                           **_HASH_OPTS)
            digest = sha(f"{head_s[:-1]},{before_s},{after_s}]".encode("utf-8")).hexdigest()
            rows.append((seq, at, actor_id, actor_name, it["action"], object_type, object_id,
                         (object_repr or "")[:300], summary, before, after, prev, digest,
                         None if before is None else before_s, None if after is None else after_s))
            prev = digest
        if connection.vendor == "postgresql":
            cols = ", ".join(connection.ops.quote_name(c) for c in ENTRY_COLUMNS)
            with connection.cursor() as cur, connection.wrap_database_errors:
                with cur.cursor.copy(f"COPY {connection.ops.quote_name(AuditEntry._meta.db_table)} ({cols}) "
                                     f"FROM STDIN") as cp:
                    write = cp.write_row
                    for r in rows:
                        write((*r[:9], r[13], r[14], r[11], r[12]))
        else:
            entries = [AuditEntry(**dict(zip(ENTRY_COLUMNS, (*r[:9], r[9], r[10], r[11], r[12])))) for r in rows]
            if insert is not None:
                insert(AuditEntry, entries)
            else:
                AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
        head.last_seq, head.last_hash = seq, prev
        head.save(update_fields=["last_seq", "last_hash"])
    return len(rows)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""


def verify_chain(progress=None) -> VerifyResult:
    """Walk the chain in order; report the first entry whose hash or link is wrong."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"entry #{expected_seq} is missing")
        if entry.prev_hash != prev:
            return VerifyResult(False, checked, entry.seq, f"entry #{entry.seq} does not link to the entry before it")
        if _hash_of(entry) != entry.hash:
            return VerifyResult(False, checked, entry.seq, f"entry #{entry.seq} was altered (hash mismatch)")
        prev = entry.hash
        expected_seq += 1
        checked += 1
        if progress:
            progress(1)
    head = AuditHead.objects.filter(id=1).first()
    if head and head.last_seq != checked:
        return VerifyResult(False, checked, checked + 1 if head.last_seq > checked else head.last_seq,
                            f"chain ends at #{checked} but {head.last_seq} entries were written")
    return VerifyResult(True, checked)


def snapshot(obj, fields) -> dict:
    """The values of `fields` of a model instance, for before/after."""
    out = {}
    for name in fields:
        value = getattr(obj, name)
        if hasattr(value, "all") and callable(value.all):
            value = sorted(str(v) for v in value.all())
        elif hasattr(value, "pk"):
            value = str(value)
        out[name] = value
    return _jsonable(out)


def history(obj):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("seq")
