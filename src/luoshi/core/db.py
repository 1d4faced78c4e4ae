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
