"""The in-app inbox moved to luoshi.notifications: copy every message (same id, times and read
state; task/notice foreign keys become object_type/object_id), then drop the old table."""
from django.core.management.color import no_style
from django.db import migrations


def copy_messages(apps, schema_editor):
    """One INSERT … SELECT (a sweep can leave millions of messages; no row goes through Python)."""
    Old = apps.get_model("supervision", "Notification")
    New = apps.get_model("notifications", "Notification")
    conn = schema_editor.connection
    q = conn.ops.quote_name
    with conn.cursor() as cur:
        cur.execute(
            f"INSERT INTO {q(New._meta.db_table)} "
            f"(id, user_id, kind, title, body, url, object_type, object_id, created_at, read_at) "
            f"SELECT id, user_id, kind, title, body, url, "
            f"CASE WHEN notice_id IS NOT NULL THEN 'supervision.supervisionnotice' "
            f"WHEN task_id IS NOT NULL THEN 'ledger.task' ELSE '' END, "
            f"CASE WHEN notice_id IS NOT NULL THEN CAST(notice_id AS VARCHAR(64)) "
            f"WHEN task_id IS NOT NULL THEN CAST(task_id AS VARCHAR(64)) ELSE '' END, "
            f"created_at, read_at FROM {q(Old._meta.db_table)}")
        # explicit ids were inserted: move the id sequence past them (PostgreSQL)
        for statement in conn.ops.sequence_reset_sql(no_style(), [New]):
            cur.execute(statement)


def copy_back(apps, schema_editor):
    Old = apps.get_model("supervision", "Notification")
    New = apps.get_model("notifications", "Notification")
    db = schema_editor.connection.alias
    for n in New.objects.using(db).order_by("id").iterator(chunk_size=5000):
        task_id = notice_id = None
        if n.object_type == "supervision.supervisionnotice":
            notice_id = int(n.object_id)
            task_id = apps.get_model("supervision", "SupervisionNotice").objects.using(db).filter(
                pk=notice_id).values_list("task_id", flat=True).first()
        elif n.object_type == "ledger.task":
            task_id = int(n.object_id)
        Old.objects.using(db).create(id=n.id, user_id=n.user_id, kind=n.kind, title=n.title, body=n.body, url=n.url,
                                     task_id=task_id, notice_id=notice_id, read_at=n.read_at)
        Old.objects.using(db).filter(pk=n.id).update(created_at=n.created_at)


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0002_light_summaries"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_messages, copy_back),
        migrations.DeleteModel(name="Notification"),
    ]
