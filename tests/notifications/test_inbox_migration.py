"""Messages written before the inbox moved from supervision to luoshi.notifications survive the
migration: same ids, texts, times and read state; task/notice links become object_type/object_id."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD = [("supervision", "0002_light_summaries"), ("notifications", None)]


def _leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_old_inbox_rows_are_copied():
    executor = MigrationExecutor(connection)
    executor.migrate(OLD)
    old_apps = MigrationExecutor(connection).loader.project_state([OLD[0]]).apps
    User = old_apps.get_model("accounts", "User")
    Task = old_apps.get_model("ledger", "Task")
    Old = old_apps.get_model("supervision", "Notification")
    alice = User.objects.create(username="alice", role="liaison")
    task = Task.objects.create(number="DB2025-00001", title="老旧小区改造")
    read_at = dt.datetime(2025, 3, 2, 9, 30, tzinfo=dt.timezone.utc)
    a = Old.objects.create(user=alice, kind="rectification", title="【限期整改】DB2025-00001", body="请整改",
                           url=f"/tasks/{task.pk}/", task=task, read_at=read_at)
    b = Old.objects.create(user=alice, kind="test", title="无关联的消息")
    created = {r.pk: r.created_at for r in Old.objects.all()}

    executor = MigrationExecutor(connection)
    executor.migrate(_leaves())

    from luoshi.notifications.models import Notification

    rows = {n.pk: n for n in Notification.objects.all()}
    assert set(rows) == {a.pk, b.pk}
    assert (rows[a.pk].object_type, rows[a.pk].object_id) == ("ledger.task", str(task.pk))
    assert (rows[b.pk].object_type, rows[b.pk].object_id) == ("", "")
    assert rows[a.pk].read_at == read_at and rows[b.pk].read_at is None
    assert rows[a.pk].title == "【限期整改】DB2025-00001" and rows[a.pk].body == "请整改"
    assert rows[a.pk].url == f"/tasks/{task.pk}/" and rows[a.pk].user_id == alice.pk
    assert {pk: n.created_at for pk, n in rows.items()} == created
    # the id sequence continues after the copied rows
    new = Notification.objects.create(user_id=alice.pk, kind="test", title="迁移后的新消息")
    assert new.pk > max(rows)
    assert "supervision_notification" not in connection.introspection.table_names()
