"""Per-process copies of the small reference tables every intake reads: Open311 keys (接口密钥),
categories (案件类别) and areas (区域, in `routing`), kept exact by ONE fingerprint query.

An Open311 POST used to spend three round trips on them (key, category, the areas' count); now it
spends one: `fingerprint()` reads, in a single SELECT, the keys' count, revoked count and highest id,
the categories' count, highest id, active count and complaint count, and the areas' count and highest
id. When any of these differ from the copy's, the copy is re-read. So, in every process and at once:
- a revoked key stops working (the revoked count changes) and a new key works;
- a category added, deleted, deactivated or re-activated, or switched between problem and complaint,
  is seen, and so is an area added or deleted;
- a database rolled back under the copy (tests) is seen (highest ids change).
Other edits made in ANOTHER process (a category's code or name, an area's boundary) reach this
process within REFRESH_SECONDS; edits in this process clear the copy at once (post_save/post_delete).

`snapshot()` takes the fingerprint once for the duration of a request (Open311 POST), so the key check,
the category and the area lookups share that one query.
"""
from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager

from django.db import connection

REFRESH_SECONDS = 10.0

_snap: contextvars.ContextVar = contextvars.ContextVar("luoshi_cases_refcache", default=None)
_state: dict = {"fp": None, "at": -1e9, "keys": None, "codes": None, "ids": None}
_sql: list = []


def _fingerprint_sql() -> str:
    if not _sql:
        from .models import Area, Category, Open311Key

        k, c, a = (m._meta.db_table for m in (Open311Key, Category, Area))
        _sql.append(
            f"SELECT (SELECT COUNT(*) FROM {k}), (SELECT COUNT(revoked_at) FROM {k}), (SELECT MAX(id) FROM {k}), "
            f"(SELECT COUNT(*) FROM {c}), (SELECT MAX(id) FROM {c}), "
            f"(SELECT SUM(CASE WHEN is_active THEN 1 ELSE 0 END) FROM {c}), "
            f"(SELECT SUM(CASE WHEN kind = 'complaint' THEN 1 ELSE 0 END) FROM {c}), "
            f"(SELECT COUNT(*) FROM {a}), (SELECT MAX(id) FROM {a})")
    return _sql[0]


def fingerprint() -> tuple:
    """(keys…, categories…, areas…) as of now, or as of the enclosing snapshot(). One query."""
    fp = _snap.get()
    if fp is not None:
        return fp
    with connection.cursor() as cur:
        cur.execute(_fingerprint_sql())
        return tuple(cur.fetchone())


def areas_fingerprint() -> tuple:
    return fingerprint()[7:]


@contextmanager
def snapshot():
    """Take the fingerprint once; fingerprint() inside returns it without another query."""
    token = _snap.set(fingerprint())
    try:
        yield
    finally:
        _snap.reset(token)


def forget(*_args, **_kwargs) -> None:
    """Drop this process's copy (connected to saves/deletes of keys, categories and areas)."""
    _state["fp"] = None


def _current() -> dict:
    fp = fingerprint()[:7]
    now = time.monotonic()
    if _state["fp"] != fp or now - _state["at"] > REFRESH_SECONDS:
        from .models import Category, Open311Key

        keys = dict(Open311Key.objects.filter(revoked_at__isnull=True).values_list("key_hash", "id"))
        cats = list(Category.objects.filter(is_active=True))
        _state.update(keys=keys, codes={c.code: c for c in cats}, ids={c.pk: c for c in cats}, fp=fp, at=now)
    return _state


def active_key_id(key_hash: str) -> int | None:
    """The id of the unrevoked Open311 key with this SHA-256, or None."""
    return _current()["keys"].get(key_hash)


def active_category(code: str = "", pk: int | None = None):
    """The active Category with this code (or primary key), or None. The instance is shared: read only."""
    state = _current()
    return state["codes"].get(code) if pk is None else state["ids"].get(pk)
