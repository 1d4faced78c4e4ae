"""全程留痕: every change is chained; tampering behind the app's back is detected."""
from django.db import connection

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import verify_chain
from luoshi.ledger import services as s


def test_chain_verifies_and_names_first_tampered_entry(users, make_task):
    task = make_task()
    s.do_sign_task(users["fgw"], task)
    s.do_report_progress(users["fgw"], task, text="推进中", percent=20)
    result = verify_chain()
    assert result.ok and result.checked == AuditEntry.objects.count() >= 4
    victim = AuditEntry.objects.filter(action="task.sign").get()
    AuditEntry.objects.filter(pk=victim.pk).update(actor_name="别人")  # bypasses the app
    result = verify_chain()
    assert not result.ok and result.first_broken_seq == victim.seq


def test_deleted_entry_is_detected(users, make_task):
    make_task()
    make_task(title="第二项")
    middle = AuditEntry.objects.order_by("seq")[1]
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [middle.pk])
    result = verify_chain()
    assert not result.ok and result.first_broken_seq == middle.seq


def test_entry_names_who_when_what(users, make_task):
    task = make_task()
    entry = AuditEntry.objects.filter(action="task.assign").get()
    assert entry.actor == users["supervisor"] and entry.at
    assert entry.before["status"] == "draft" and entry.after["status"] == "assigned"
    assert entry.object_id == str(task.pk)
