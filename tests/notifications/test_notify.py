"""luoshi.notifications.services: what every app calls to reach people."""
from __future__ import annotations

import pytest
from django.core import mail

from luoshi.notifications.models import Notification
from luoshi.notifications.services import do_mark_read, notify, notify_roles, notify_units, object_ref


@pytest.mark.django_db(transaction=True)
def test_notify_writes_one_row_per_user_and_mails_after_commit(users, make_task):
    task = make_task(title="发改任务", lead=("fgw",))
    users["fgw"].email = "fgw@example.gov.cn"
    users["fgw"].save()
    mail.outbox.clear()
    n = notify([users["fgw"], users["edu"], users["fgw"]], kind="test.kind", title="标" * 250, body="正文",
               url=f"/tasks/{task.pk}/", obj=task)
    assert n == 2
    rows = list(Notification.objects.filter(kind="test.kind").order_by("user_id"))
    assert [r.user_id for r in rows] == sorted([users["fgw"].pk, users["edu"].pk])
    assert all(len(r.title) == 200 and r.object_type == "ledger.task" and r.object_id == str(task.pk)
               for r in rows)
    assert [m.to for m in mail.outbox] == [["fgw@example.gov.cn"]]
    assert f"/tasks/{task.pk}/" in mail.outbox[0].body


def test_notify_units_and_roles_reach_the_right_people(users, units):
    assert notify_units([units["jia"], units["fgw"]], kind="k", title="联络员") == 2
    assert set(Notification.objects.filter(title="联络员").values_list("user__username", flat=True)) == {
        "jia_liaison", "fgw_liaison"}
    assert notify_units([units["jia"]], roles=("leader",), kind="k", title="领导") == 1
    assert Notification.objects.get(title="领导").user == users["jia_leader"]
    assert notify_roles(("operator", "dispatcher"), kind="k", title="热线") == 2
    users["operator"].is_active = False
    users["operator"].save()
    assert notify_roles(("operator",), kind="k", title="停用") == 0
    assert object_ref(None) == ("", "")


def test_mark_read_touches_only_own_messages(users):
    notify([users["fgw"], users["edu"]], kind="k", title="消息")
    mine = Notification.objects.get(user=users["fgw"])
    theirs = Notification.objects.get(user=users["edu"])
    assert do_mark_read(users["fgw"], [mine.pk, theirs.pk]) == 1
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert do_mark_read(users["edu"]) == 1
    assert do_mark_read(users["edu"]) == 0
