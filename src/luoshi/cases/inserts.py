"""One-row INSERTs on the intake path without the ORM's per-call SQL compilation (PostgreSQL).

`Model.save()` compiles its INSERT anew on every call (~a quarter of an Open311 POST's CPU went into the
case's 37 columns). `insert_one` builds the statement and one value getter per column once per model
and sends the same INSERT. It sends no model signals (none is connected for the models it is used on:
Case, CaseEvent) and runs no overridden save(): callers do what that save() would (Case.grid).
Elsewhere than on PostgreSQL it is `obj.save(force_insert=True)`.
"""
from __future__ import annotations

from django.db import connection

from luoshi.core.db import column_getter

_plans: dict = {}


def _plan(model, with_pk: bool):
    key = (model, with_pk)
    if key not in _plans:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if with_pk or f is not meta.pk]
        q = connection.ops.quote_name
        sql = (f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        if not with_pk:
            sql += f" RETURNING {q(meta.pk.column)}"
        _plans[key] = (sql, [column_getter(f) for f in fields])
    return _plans[key]


def insert_one(obj) -> None:
    """INSERT `obj` (a new instance; its pk given or drawn by the database) and mark it saved."""
    if connection.vendor != "postgresql":
        obj.save(force_insert=True)
        return
    with_pk = obj.pk is not None
    sql, getters = _plan(type(obj), with_pk)
    with connection.cursor() as cur:
        cur.execute(sql, [g(obj) for g in getters])
        if not with_pk:
            obj.pk = cur.fetchone()[0]
    obj._state.adding, obj._state.db = False, connection.alias
