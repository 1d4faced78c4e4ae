"""luoshi users add|list|set-role|set-password|deactivate|activate|unlock"""
from __future__ import annotations

import getpass
import sys

from django.core.management.base import CommandError

from luoshi.accounts.models import Role, User
from luoshi.accounts.services import do_create_user, do_set_password, do_unlock_user, do_update_user
from luoshi.orgs.services import match_units
from luoshi.core.management.base import LuoshiCommand

CLI_ACTOR = "命令行"


def _unit(name):
    if not name:
        return None
    unit = match_units([name])[name]
    if unit is None:
        raise CommandError(f"unknown unit {name!r} (use a full name, short name or alias)")
    return unit


def _user(username):
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"no user {username!r}") from None


class Command(LuoshiCommand):
    help = "Manage users (用户): add, list, change role/unit, reset password, (de)activate. Never deletes."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("add", help="create a user")
        p.add_argument("username")
        p.add_argument("--role", required=True, choices=Role.values)
        p.add_argument("--unit", help="unit name, short name or alias")
        p.add_argument("--name", default="", help="display name (姓名)")
        p.add_argument("--email", default="")
        p.add_argument("--password", help="password (asked for when omitted and on a terminal)")
        p.add_argument("--password-stdin", action="store_true",
                       help="read the password from the first line of standard input (for scripts)")
        sub.add_parser("list", help="list users")
        p = sub.add_parser("set-role", help="change role and/or unit")
        p.add_argument("username")
        p.add_argument("--role", choices=Role.values)
        p.add_argument("--unit")
        p = sub.add_parser("set-password", help="reset a password")
        p.add_argument("username")
        p.add_argument("--password")
        p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        for name in ("deactivate", "activate"):
            p = sub.add_parser(name, help=f"{name} a user")
            p.add_argument("username")
        p = sub.add_parser("unlock", help="lift a login lockout (登录锁定) after too many failed logins")
        p.add_argument("username")

    def _password(self, given, from_stdin=False):
        if given and from_stdin:
            raise CommandError("give either --password or --password-stdin, not both")
        if from_stdin:
            line = sys.stdin.readline().rstrip("\r\n")
            if not line:
                raise CommandError("no password on standard input")
            return line
        if given:
            return given
        try:
            first = getpass.getpass("password: ")
            second = getpass.getpass("again: ")
        except (EOFError, OSError):
            raise CommandError("no password given (use --password)") from None
        if first != second:
            raise CommandError("the passwords differ")
        return first

    def handle(self, *args, action, **o):
        if action == "add":
            # Everything that can be refused is checked before the password is asked for.
            unit = _unit(o["unit"])
            if User.objects.filter(username=o["username"]).exists():
                raise CommandError(f"user {o['username']!r} already exists")
            password = self._password(o["password"], o["password_stdin"])
            user = do_create_user(CLI_ACTOR, username=o["username"], password=password,
                                  role=o["role"], unit=unit, display_name=o["name"], email=o["email"])
            self.stdout.write(f"created {user.username} ({user.get_role_display()}, {user.unit or '-'})")
        elif action == "list":
            for u in User.objects.select_related("unit").order_by("username"):
                state = "" if u.is_active else "  [inactive]"
                self.stdout.write(f"{u.username:<20} {u.get_role_display():<6} {u.unit or '-'}{state}")
        elif action == "set-role":
            changes = {}
            if o["role"]:
                changes["role"] = o["role"]
            if o["unit"]:
                changes["unit"] = _unit(o["unit"])
            if not changes:
                raise CommandError("give --role and/or --unit")
            user = do_update_user(CLI_ACTOR, _user(o["username"]), **changes)
            self.stdout.write(f"{user.username}: {user.get_role_display()}, {user.unit or '-'}")
        elif action == "set-password":
            user = _user(o["username"])
            do_set_password(CLI_ACTOR, user, self._password(o["password"], o["password_stdin"]))
            self.stdout.write("password changed")
        elif action == "unlock":
            cleared = do_unlock_user(CLI_ACTOR, _user(o["username"]))
            self.stdout.write(f"{o['username']} unlocked ({cleared} failure record(s) cleared)")
        else:
            do_update_user(CLI_ACTOR, _user(o["username"]), is_active=action == "activate")
            self.stdout.write(f"{o['username']} {action}d")
