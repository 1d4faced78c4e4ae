"""Database helpers shared by the apps' set-based code paths."""
from __future__ import annotations

from django.db import connection


def insert_tuples(model, columns, rows) -> None:
    """COPY plain tuples into `model`'s table (PostgreSQL only; the id comes from the column default)."""
    if not rows:
        return
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cur, connection.wrap_database_errors:
        with cur.cursor.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({cols}) FROM STDIN") as cp:
            write = cp.write_row
            for r in rows:
                write(r)


# ---- `field__any_of=ids`: one array parameter instead of thousands of placeholders -------------------------
from django.db.models import Field, ForeignObject, Lookup  # noqa: E402


class AnyOf(Lookup):
    """`qs.filter(task_id__any_of=ids)`: the rows whose field is one of `ids` (ints). On PostgreSQL
    ``field = ANY(%s)`` with the list as ONE array parameter — a 5,000-id batch costs the app ~5 ms of CPU
    instead of ~16 ms for Django's ``IN (%s, %s, …)`` (each value resolved, a query string of 5,000
    placeholders parsed by the driver), and the server parses one parameter; elsewhere a plain IN list."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(v) for v in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, values]
        if not values:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # foreign keys keep their own lookup registry
