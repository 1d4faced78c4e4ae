"""People are created and changed through one audited service; the CLI uses it."""
import pytest
from django.core.management import CommandError, call_command

from luoshi.accounts.models import User
from luoshi.accounts.services import do_create_user, do_update_user
from luoshi.audit.models import AuditEntry
from luoshi.core.errors import LuoshiError, NotAllowed


def test_cli_adds_a_liaison_by_unit_alias_and_audits_it(units, capsys):
    call_command("users", "add", "fgw2", "--role", "liaison", "--unit", "市发改委", "--name", "新联络员",
                 "--password", "a-long-pass-123")
    user = User.objects.get(username="fgw2")
    assert user.unit == units["fgw"] and user.check_password("a-long-pass-123")
    entry = AuditEntry.objects.get(action="user.create", object_id=str(user.pk))
    assert entry.actor_name == "命令行" and entry.after["role"] == "liaison"
    assert "password" not in entry.after


def test_liaison_without_unit_and_unknown_unit_are_refused(units):
    with pytest.raises(LuoshiError) as err:
        do_create_user("命令行", username="x1", password="a-long-pass-123", role="liaison")
    assert "必须属于一个单位" in err.value.message_zh
    with pytest.raises(CommandError, match="unknown unit"):
        call_command("users", "add", "x2", "--role", "liaison", "--unit", "不存在局", "--password", "a-long-pass-123")
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()


def test_only_admins_manage_users_and_deactivation_keeps_the_user(users, units):
    with pytest.raises(NotAllowed):
        do_update_user(users["supervisor"], users["fgw"], role="supervisor")
    do_update_user(users["admin"], users["fgw"], is_active=False)
    users["fgw"].refresh_from_db()
    assert not users["fgw"].is_active
    entry = AuditEntry.objects.filter(action="user.update").get()
    assert entry.before["is_active"] is True and entry.after["is_active"] is False


def test_weak_password_and_duplicate_username_are_refused(users):
    with pytest.raises(LuoshiError, match="password too weak"):
        do_create_user("命令行", username="weak", password="123", role="leader")
    with pytest.raises(LuoshiError) as err:
        do_create_user("命令行", username="fgw_liaison", password="a-long-pass-123", role="leader")
    assert "已存在" in err.value.message_zh


def test_add_checks_the_unit_before_asking_for_a_password(units, monkeypatch):
    import getpass

    from django.core.management.base import CommandError

    asked = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": asked.append(prompt) or "never-used-123")
    with pytest.raises(CommandError, match="unknown unit '不存在局'"):
        call_command("users", "add", "x3", "--role", "liaison", "--unit", "不存在局")
    assert asked == []  # refused before any prompt
    assert not User.objects.filter(username="x3").exists()


def test_password_from_stdin(units, monkeypatch):
    import io
    import sys

    from django.core.management.base import CommandError

    monkeypatch.setattr(sys, "stdin", io.StringIO("a-long-pass-from-stdin\n"))
    call_command("users", "add", "scripted", "--role", "liaison", "--unit", "市发改委", "--password-stdin",
                 stdout=io.StringIO())
    assert User.objects.get(username="scripted").check_password("a-long-pass-from-stdin")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="no password on standard input"):
        call_command("users", "set-password", "scripted", "--password-stdin")
    with pytest.raises(CommandError, match="either --password or --password-stdin"):
        call_command("users", "set-password", "scripted", "--password", "x-long-pass-1", "--password-stdin")
