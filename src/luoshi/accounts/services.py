"""People (用户): every creation and change goes through here and is audited."""
from __future__ import annotations

import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from luoshi.audit.services import record, snapshot
from luoshi.core.errors import LuoshiError, NotAllowed, check_plain_text
from luoshi.orgs.models import Unit

from .models import Role, User

USER_FIELDS = ["username", "display_name", "email", "phone", "unit", "role", "is_active", "is_staff"]
_USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


def _may_manage_users(actor) -> bool:
    # The CLI acts as a named operator string; in the app only 管理员 manage people.
    return isinstance(actor, str) or getattr(actor, "is_luoshi_admin", False)


def _check_role_unit(role: str, unit: Unit | None) -> None:
    if role not in Role.values:
        raise LuoshiError(f"unknown role {role!r} (one of {', '.join(Role.values)})", f"未知的角色“{role}”",
                          field="role")
    if role == Role.LIAISON and unit is None:
        raise LuoshiError("a liaison officer needs a unit", "单位联络员必须属于一个单位", field="unit")
    if unit is not None and not unit.is_active:
        raise LuoshiError(f"unit {unit.name!r} is inactive", f"单位“{unit.name}”已停用", field="unit")


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise LuoshiError("password too weak: " + " ".join(str(m) for m in exc.messages),
                          "密码不符合要求:" + ";".join(str(m) for m in exc.messages), field="password") from None


@transaction.atomic
def do_create_user(actor, *, username: str, password: str, role: str, unit: Unit | None = None,
                   display_name: str = "", email: str = "", phone: str = "", is_staff: bool = False,
                   check_password: bool = True) -> User:
    """Create a user holding one role in one unit."""
    if not _may_manage_users(actor):
        raise NotAllowed("only administrators manage users", "只有管理员可以管理用户")
    username = (username or "").strip()
    if not _USERNAME.match(username):
        raise LuoshiError("username may contain letters, digits and @.+-_ only", "用户名只能包含字母、数字和@.+-_",
                          field="username")
    if User.objects.filter(username=username).exists():
        raise LuoshiError(f"username {username!r} is taken", f"用户名“{username}”已存在", field="username")
    _check_role_unit(role, unit)
    if check_password:
        _check_password(password)
    user = User(username=username, role=role, unit=unit, is_staff=is_staff or role == Role.ADMIN,
                display_name=check_plain_text(display_name, "姓名", "display name", max_length=64),
                email=check_plain_text(email, "邮箱", "email", max_length=254),
                phone=check_plain_text(phone, "电话", "phone", max_length=32))
    user.set_password(password)
    user.save()
    record(actor, "user.create", user, after=snapshot(user, USER_FIELDS))
    return user


@transaction.atomic
def do_update_user(actor, user: User, **changes) -> User:
    """Change role, unit, name or contact, or (de)activate. Users are never deleted."""
    if not _may_manage_users(actor):
        raise NotAllowed("only administrators manage users", "只有管理员可以管理用户")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, USER_FIELDS)
    allowed = {"role", "unit", "display_name", "email", "phone", "is_active", "is_staff"}
    unknown = set(changes) - allowed
    if unknown:
        raise LuoshiError(f"cannot change {', '.join(sorted(unknown))}",
                          f"以下字段不能在此修改:{'、'.join(sorted(unknown))}", field=sorted(unknown)[0])
    for key, label in (("display_name", "姓名"), ("email", "邮箱"), ("phone", "电话")):
        if key in changes:
            changes[key] = check_plain_text(changes[key], label, key, max_length=254)
    for key, value in changes.items():
        setattr(user, key, value)
    _check_role_unit(user.role, user.unit)
    user.save()
    record(actor, "user.update", user, before=before, after=snapshot(user, USER_FIELDS))
    return user


@transaction.atomic
def do_set_password(actor, user: User, password: str) -> None:
    if not _may_manage_users(actor):
        raise NotAllowed("only administrators manage users", "只有管理员可以管理用户")
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor, "user.set_password", user, summary="重置密码")  # the password itself is never logged
    from .tokens import do_revoke_tokens

    do_revoke_tokens(actor, user, reason="密码已更改")


@transaction.atomic
def do_unlock_user(actor, user: User) -> int:
    """Lift the login lockout (登录锁定) of `user` for every address → failure records cleared.

    Audited as login.unlock (also when nothing was locked, so the request is on record)."""
    if not _may_manage_users(actor):
        raise NotAllowed("only administrators manage users", "只有管理员可以管理用户")
    from axes.utils import reset

    cleared = reset(username=user.get_username())
    record(actor, "login.unlock", user, summary=f"解除登录锁定(清除失败记录 {cleared} 条)", after={"cleared": cleared})
    return cleared
