"""First sweep of a bulk-imported ledger: every open task gets its light row even when the rows go in with the
task foreign key checked once and the secondary indexes built once for the whole insert (PostgreSQL), and that
foreign key and those indexes are back afterwards."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from luoshi.supervision import bulk
from luoshi.supervision.models import SupervisionState
from luoshi.supervision.sweep import run_sweep

pytestmark = pytest.mark.django_db


def _light_indexes():
    with connection.cursor() as cur:
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname",
                    [SupervisionState._meta.db_table])
        return cur.fetchall()


def test_mass_green_rows_keep_the_task_foreign_key(placed_task, monkeypatch):
    monkeypatch.setattr(bulk, "GREEN_BULK_MIN", 1)  # the mass path from the first row on
    swapped = []
    real_swap = bulk._swap_fk
    monkeypatch.setattr(bulk, "_swap_fk", lambda *a: swapped.append(real_swap(*a)) or swapped[-1])
    indexes = _light_indexes() if connection.vendor == "postgresql" else None
    on = dt.date(2025, 6, 16)
    tasks = [placed_task(on - dt.timedelta(days=30), on + dt.timedelta(days=60), progress=90, title=f"任务{i}")
             for i in range(5)]
    late = placed_task(on - dt.timedelta(days=90), on - dt.timedelta(days=3), progress=10, title="逾期任务")
    result = run_sweep(on)
    lights = dict(SupervisionState.objects.values_list("task_id", "light"))
    assert lights == {**{t.pk: "green" for t in tasks}, late.pk: "red"}
    assert result.lights["green"] == 5 and result.lights["red"] == 1
    assert run_sweep(on).changes == []  # idempotent
    if connection.vendor == "postgresql":
        assert swapped == [5]  # the five green rows went in with the foreign key checked once
        with connection.cursor() as cur:
            cur.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                        "WHERE conrelid = %s::regclass AND contype = 'f'", [SupervisionState._meta.db_table])
            defs = [r[0] for r in cur.fetchall()]
        assert any("REFERENCES ledger_task(id)" in d and "DEFERRABLE INITIALLY DEFERRED" in d for d in defs), defs
        assert len(indexes) >= 4 and _light_indexes() == indexes  # light, listed (+ LIKE) dropped and rebuilt
        with connection.cursor() as cur:  # the rebuilt indexes hold every row
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute(f"SELECT count(*) FROM {SupervisionState._meta.db_table} WHERE light = 'green'")
            assert cur.fetchone()[0] == 5
    SupervisionState.objects.filter(task=tasks[0]).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionState.objects.create(task_id=10**9, since=on)
        connection.check_constraints()  # deferred foreign keys are checked here, as at commit
