"""Append to and verify the audit trail (全程留痕)."""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from .keys import GENESIS, Checkpoint, audit_key, read_checkpoints
from .models import AuditEntry, AuditHead


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
    """Version 1 (entries written before the chain was keyed): SHA-256, object_repr not covered."""
    payload = json.dumps(
        [prev_hash, seq, at, actor_id, actor_name, action, object_type, object_id, summary, before, after],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_mac(key: bytes, prev_hash: str, seq: int, at: str, actor_id, actor_name: str, action: str,
              object_type: str, object_id: str, object_repr: str, summary: str, before_s: str, after_s: str) -> str:
    """Version 2: HMAC-SHA256 with the audit key over every field the audit page, API and admin show.

    `before_s`/`after_s` are the canonical JSON texts of the stored values (_canonical). The single and
    the bulk writer and verify_chain all hash through this function, so the three agree by construction.
    """
    head = json.dumps(["v2", prev_hash, seq, at, actor_id, actor_name, action, object_type, object_id,
                       object_repr, summary], **_HASH_OPTS)
    return hmac.digest(key, f"{head[:-1]},{before_s},{after_s}]".encode("utf-8"), "sha256").hex()


def record(actor, action: str, obj=None, *, object_type: str | None = None, object_id=None,
           summary: str = "", before=None, after=None) -> AuditEntry:
    """Append one entry; call inside the transaction of the change it records."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = str(obj)[:300]
    else:
        object_repr = ""
    key = audit_key()
    before, before_s = _canonical(before)
    after, after_s = _canonical(after)
    # Everything above is computed before the chain head is locked; the head's row lock is then held from
    # here to the caller's COMMIT, so callers record last. No savepoint inside a caller's transaction (two
    # round trips under the lock): a failed append makes the whole change roll back, as it must.
    with transaction.atomic(savepoint=False):
        last_seq, last_hash = _lock_head()
        at = timezone.now()
        entry = AuditEntry(
            seq=last_seq + 1,
            at=at,
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=_actor_name(actor),
            action=action,
            object_type=object_type or "",
            object_id=str(object_id or ""),
            object_repr=object_repr,
            summary=summary[:500],
            before=before,
            after=after,
            prev_hash=last_hash,
            version=2,
        )
        entry.hash = entry_mac(key, entry.prev_hash, entry.seq, at.isoformat(), entry.actor_id, entry.actor_name,
                               entry.action, entry.object_type, entry.object_id, entry.object_repr, entry.summary,
                               before_s, after_s)
        _append(entry, before_s, after_s)
    return entry


_SQL: dict = {}


def _sql(name: str) -> str:
    """The hot path's statements, built once from the models' table names."""
    if not _SQL:
        h, e = AuditHead._meta.db_table, AuditEntry._meta.db_table
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        _SQL["lock"] = f"SELECT last_seq, last_hash FROM {h} WHERE id = 1{lock}"
        _SQL["head"] = f"UPDATE {h} SET last_seq = %s, last_hash = %s WHERE id = 1"
        cols = ", ".join(ENTRY_COLUMNS)
        values = ", ".join("%s::jsonb" if c in ("before", "after") else "%s" for c in ENTRY_COLUMNS)
        # PostgreSQL: the entry and the head in ONE statement, so the head's lock is held for three round
        # trips (lock, append, COMMIT) instead of four.
        _SQL["append_pg"] = (f"WITH e AS (INSERT INTO {e} ({cols}) VALUES ({values}) RETURNING id) "
                             f"UPDATE {h} SET last_seq = %s, last_hash = %s WHERE id = 1 RETURNING (SELECT id FROM e)")
    return _SQL[name]


def _lock_head() -> tuple[int, str]:
    """(last_seq, last_hash) of the chain head, its row locked to the end of the transaction; the head
    is created on first use."""
    with connection.cursor() as cur:
        cur.execute(_sql("lock"))
        row = cur.fetchone()
    if row is None:
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        row = (head.last_seq, head.last_hash)
    return row


def _append(entry: AuditEntry, before_s: str, after_s: str) -> None:
    """INSERT the entry and move the head to it (the head is locked by _lock_head)."""
    if connection.vendor == "postgresql":
        values = [getattr(entry, "actor_id" if c == "actor_id" else c) for c in ENTRY_COLUMNS]
        values[ENTRY_COLUMNS.index("before")] = None if entry.before is None else before_s
        values[ENTRY_COLUMNS.index("after")] = None if entry.after is None else after_s
        with connection.cursor() as cur:
            cur.execute(_sql("append_pg"), [*values, entry.seq, entry.hash])
            entry.pk = cur.fetchone()[0]
        entry._state.adding = False
        return
    entry.save()
    with connection.cursor() as cur:
        cur.execute(_sql("head"), [entry.seq, entry.hash])


def _actor_name(actor) -> str:
    if getattr(actor, "pk", None):
        return actor.get_full_name() or actor.get_username()
    return actor if isinstance(actor, str) else "系统"


_HASH_OPTS = {"ensure_ascii": False, "sort_keys": True, "separators": (",", ":")}
_ENCODER = json.JSONEncoder(**_HASH_OPTS)
_DECODER = json.JSONDecoder()
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
                 "summary", "before", "after", "prev_hash", "hash", "version")


def record_many(items, batch_size: int = 2000, insert=None) -> int:
    """Append many entries in order under ONE lock of the chain head (bulk writers such as the sweep).

    `items`: iterable of dicts with record()'s arguments: actor, action, and optionally obj, object_type,
    object_id, object_repr, summary, before, after. On PostgreSQL the rows go in with COPY from tuples;
    elsewhere `insert(model, rows)` may replace bulk_create. Call inside the transaction of the changes
    recorded; the entries chain exactly as if record() had been called for each in turn (the hash is
    entry_hash's, built from the same canonical JSON). Returns the number written.
    """
    items = list(items)
    if not items:
        return 0
    key = audit_key()
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        seq, prev = head.last_seq, head.last_hash
        at = timezone.now()
        at_iso = at.isoformat()
        dumps, hmac_digest = json.dumps, hmac.digest
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
            object_repr = (object_repr or "")[:300]
            summary = (it.get("summary") or "")[:500]
            before, before_s = _canonical(it.get("before"))
            after, after_s = _canonical(it.get("after"))
            # entry_mac, inlined (the sweep appends ~120k entries in one call)
            head_s = dumps(["v2", prev, seq, at_iso, actor_id, actor_name, it["action"], object_type, object_id,
                            object_repr, summary], **_HASH_OPTS)
            digest = hmac_digest(key, f"{head_s[:-1]},{before_s},{after_s}]".encode("utf-8"), "sha256").hex()
            rows.append((seq, at, actor_id, actor_name, it["action"], object_type, object_id,
                         object_repr, summary, before, after, prev, digest,
                         None if before is None else before_s, None if after is None else after_s))
            prev = digest
        if connection.vendor == "postgresql":
            cols = ", ".join(connection.ops.quote_name(c) for c in ENTRY_COLUMNS)
            with connection.cursor() as cur, connection.wrap_database_errors:
                with cur.cursor.copy(f"COPY {connection.ops.quote_name(AuditEntry._meta.db_table)} ({cols}) "
                                     f"FROM STDIN") as cp:
                    write = cp.write_row
                    for r in rows:
                        write((*r[:9], r[13], r[14], r[11], r[12], 2))
        else:
            entries = [AuditEntry(**dict(zip(ENTRY_COLUMNS, (*r[:13], 2)))) for r in rows]
            if insert is not None:
                insert(AuditEntry, entries)
            else:
                AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
        head.last_seq, head.last_hash = seq, prev
        head.save(update_fields=["last_seq", "last_hash"])
    return len(rows)


@dataclass
class VerifyResult:
    """What verify_chain found. `kind` names the fault: missing (an entry deleted), link (an entry's
    prev_hash does not name the one before), altered (hash/MAC mismatch: edited, or recomputed without the
    key), downgraded (an entry claims the old unkeyed format after it ended), rewritten (the hash differs
    from a checkpoint's: the chain was recomputed), truncated (fewer entries than a checkpoint recorded),
    head (the head does not name the last entry), key (the audit key is missing or unusable),
    checkpoints (the checkpoint file was tampered with)."""

    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""
    kind: str = ""
    checkpoint: Checkpoint | None = None
    legacy: int = 0
    warnings: list = field(default_factory=list)


_VERIFY_COLUMNS = ("seq", "at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr",
                   "summary", "before", "after", "prev_hash", "hash", "version")


def verify_chain(progress=None, *, since: Checkpoint | None = None, key: bytes | None = None,
                 chunk: int = 20000) -> VerifyResult:
    """Walk the chain in order and check every link, hash and MAC, the head and the checkpoints.

    Returns the first fault found (see VerifyResult.kind). With `since` (a checkpoint), only the entries
    after it are walked, starting from its hash (what write_checkpoint does before anchoring); without,
    the whole chain is walked and checked against every checkpoint of the checkpoint file.
    Cost: one indexed range scan, ~8 µs of Python per entry (see bench/audit_bench.py).
    """
    if key is None:
        try:
            key = audit_key(create=False)
        except Exception as exc:
            return VerifyResult(False, 0, None, str(exc), "key")
    warnings: list[str] = []
    if since is None:
        checkpoints, problems = read_checkpoints(key) if key is not None else ([], [])
        if problems:
            return VerifyResult(False, 0, None, "; ".join(problems[:3]), "checkpoints")
        legacy = min((c.legacy_until for c in checkpoints), default=None)
        start_seq, prev = 0, GENESIS
    else:
        checkpoints, legacy = [since], since.legacy_until
        start_seq, prev = since.seq, since.hash
    last_cp = checkpoints[-1] if checkpoints else None
    anchors = {c.seq: c for c in checkpoints}

    def fail(seq, reason, kind, checked):
        return VerifyResult(False, checked, seq, reason, kind, last_cp, legacy or 0, warnings)

    if since is not None and since.seq:
        row = AuditEntry.objects.filter(seq=since.seq).values_list("hash", flat=True).first()
        if row != since.hash:
            what = "is missing" if row is None else "has another hash"
            return fail(since.seq, f"entry #{since.seq}, anchored by checkpoint #{since.n} ({since.at}), {what}: "
                                   "the chain was truncated or rewritten", "rewritten" if row else "truncated", 0)

    # Raw SQL instead of the ORM: Django's per-row converters cost more than the hashing. The texts are
    # decoded exactly as JSONField/DateTimeField would (json.loads; SQLite keeps naive UTC "Y-m-d H:M:S[.f]").
    encode = _ENCODER.encode
    loads = _DECODER.decode
    hmac_digest, compare = hmac.digest, hmac.compare_digest
    qn = connection.ops.quote_name
    query = (f"SELECT {', '.join(qn(c) for c in _VERIFY_COLUMNS)} FROM {qn(AuditEntry._meta.db_table)} "
             f"WHERE {qn('seq')} >= %s ORDER BY {qn('seq')} LIMIT %s")
    expected = start_seq + 1
    checked = 0
    seen_v2 = False
    while True:
        with connection.cursor() as cur:
            cur.execute(query, [expected, chunk])
            rows = cur.fetchall()
        if not rows:
            break
        for (seq, at, actor_id, actor_name, action, object_type, object_id, object_repr, summary, before, after,
             prev_hash, digest, version) in rows:
            if seq != expected:
                return fail(expected, f"entry #{expected} is missing (deleted)" if seq == expected + 1 else
                            f"entries #{expected}–#{seq - 1} are missing (deleted)", "missing", checked)
            if prev_hash != prev:
                return fail(seq, f"entry #{seq} does not link to the entry before it", "link", checked)
            if isinstance(at, str):  # SQLite without converters: naive UTC text
                at = at.replace(" ", "T", 1) + "+00:00"
            else:  # SQLite's converter gives naive UTC datetimes, PostgreSQL aware ones
                at = (at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)).isoformat()
            before = None if before is None else loads(before) if isinstance(before, str) else before
            after = None if after is None else loads(after) if isinstance(after, str) else after
            if version == 2:
                if key is None:
                    return fail(seq, "the audit key is missing: entries of version 2 cannot be checked "
                                "(restore the key file, see LUOSHI_AUDIT_KEY_FILE)", "key", checked)
                # = entry_mac(...): one canonical list, the head fields then before and after
                payload = encode(["v2", prev_hash, seq, at, actor_id, actor_name, action, object_type, object_id,
                                  object_repr, summary, before, after])
                ok = compare(digest, hmac_digest(key, payload.encode("utf-8"), "sha256").hex())
                seen_v2 = True
            elif version == 1:
                if seen_v2 or (legacy is not None and seq > legacy):
                    limit = f" (old entries end at #{legacy})" if legacy is not None else ""
                    return fail(seq, f"entry #{seq} claims the old unkeyed hash format after keyed entries"
                                     f"{limit}: the chain was rewritten", "downgraded", checked)
                ok = digest == entry_hash(prev_hash, seq, at, actor_id, actor_name, action,
                                          object_type, object_id, summary, before, after)
            else:
                return fail(seq, f"entry #{seq} has an unknown hash version {version}", "altered", checked)
            if not ok:
                hint = "" if version == 1 else " (or the chain was recomputed without the audit key)"
                return fail(seq, f"entry #{seq} was altered (hash mismatch){hint}", "altered", checked)
            cp = anchors.get(seq)
            if cp is not None and cp.hash != digest:
                return fail(seq, f"entry #{seq} differs from checkpoint #{cp.n} of {cp.at}: the chain was "
                                 "rewritten (recomputed) after that checkpoint was taken", "rewritten", checked)
            prev = digest
            expected += 1
            checked += 1
        if progress:
            progress(len(rows))
    last_seq = expected - 1
    if last_cp is not None and last_cp.seq > last_seq:
        missing = "all entries are gone" if last_seq == 0 else             f"entries #{last_seq + 1}–#{last_cp.seq} are gone"
        return fail(last_seq + 1, f"the chain was truncated: checkpoint #{last_cp.n} of {last_cp.at} recorded "
                                  f"{last_cp.seq} entries, the database has {last_seq} ({missing})",
                    "truncated", checked)
    head = AuditHead.objects.filter(id=1).first()
    if head is None:
        if last_seq:
            return fail(last_seq, "the chain head is missing", "head", checked)
    elif head.last_seq != last_seq:
        if head.last_seq > last_seq:
            return fail(last_seq + 1, f"the chain ends at #{last_seq} but the head says {head.last_seq} entries "
                                      "were written (the newest entries were deleted)", "head", checked)
        return fail(head.last_seq, f"the head says {head.last_seq} entries but the chain goes on to #{last_seq} "
                                   "(the head was lowered)", "head", checked)
    elif head.last_hash != prev:
        return fail(last_seq, f"the chain head's hash does not match entry #{last_seq} (head corrupted)", "head",
                    checked)
    if since is None and last_cp is None:
        warnings.append("no checkpoint yet: trimming the newest entries or recomputing the chain cannot be "
                        "detected until one is taken (`luoshi audit checkpoint`, or after each sweep)")
    if since is None and key is None and checked:
        warnings.append("no audit key: only the old unkeyed entries were checked")
    return VerifyResult(True, checked, None, "", "", last_cp, legacy or 0, warnings)


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
