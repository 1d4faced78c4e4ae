"""luoshi demo: a fresh database with sample data from every installed app (see luoshi.core.demo):
the 临江市 sample units, one user per role, a few dozen tasks in every state and a first
supervision sweep, all written through the do_ services."""
from __future__ import annotations

import os
import random
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone

from luoshi.core.demo import DEMO_PASSWORD, DemoContext, build_demo
from luoshi.core.management.base import LuoshiCommand

SEED = 20240615


class Command(LuoshiCommand):
    help = ("Create a FRESH demo database in LUOSHI_DATA_DIR with the 临江市 sample units, one user per role "
            "and tasks in every state; prints the logins. An existing database is never wiped without --force.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="wipe an existing database first (SQLite: the file is deleted; PostgreSQL: "
                                 "every row is deleted)")
        parser.add_argument("--password", default=DEMO_PASSWORD, help=f"password of every demo user "
                                                                       f"(default {DEMO_PASSWORD})")
        parser.add_argument("--seed", type=int, default=SEED, help="random seed (same seed, same demo)")

    def handle(self, *args, force=False, password=DEMO_PASSWORD, seed=SEED, **options):
        if len(password) < 8:
            raise CommandError("the password must have at least 8 characters")
        db = settings.DATABASES["default"]
        engine = db["ENGINE"].rsplit(".", 1)[-1]
        if engine == "sqlite3":
            name = str(db["NAME"])
            connections.close_all()
            if name and name != ":memory:" and "mode=memory" not in name:
                existing = _sqlite_contents(name)
                if existing and not force:
                    raise CommandError(f"refusing to wipe the existing database {name} ({existing}): "
                                       "`luoshi demo --force` deletes it and builds a new demo")
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(name + suffix).unlink(missing_ok=True)
            call_command("migrate", interactive=False, verbosity=0)
            where = f"SQLite {name}"
        else:
            if not force:
                raise CommandError(f"refusing to wipe the {engine} database {db.get('NAME')!r}: "
                                   f"`luoshi demo --force` deletes every row in it")
            call_command("migrate", interactive=False, verbosity=0)
            call_command("flush", interactive=False, verbosity=0)
            where = f"{engine} database {db.get('NAME')}"
        self.stdout.write(f"fresh demo database: {where}")
        ctx = DemoContext(rng=random.Random(seed), password=password, out=self.stdout, err=self.stderr,
                          today=timezone.localdate())
        build_demo(ctx)
        self.print_logins(ctx, password)

    def print_logins(self, ctx, password):
        from django.contrib.auth import get_user_model

        roles = dict(get_user_model()._meta.get_field("role").choices)

        self.stdout.write("")
        self.stdout.write("Demo logins (every password: %s)" % password)
        rows = [("username", "password", "role", "unit", "name")]
        for username, role, unit, display in ctx.logins:
            rows.append((username, password, f"{roles.get(role, role)} {role}", unit, display))
        widths = [max(_width(r[i]) for r in rows) for i in range(5)]
        for i, r in enumerate(rows):
            self.stdout.write("  " + "  ".join(_pad(c, widths[j]) for j, c in enumerate(r)).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        self.stdout.write("")
        port = os.environ.get("LUOSHI_PORT", "8000")  # what `luoshi serve` will use
        self.stdout.write(f"Start the web server with `luoshi serve` and log in at http://127.0.0.1:{port}/")


def _sqlite_contents(path: str) -> str:
    """A short description of what the SQLite file at `path` holds ("" when absent or empty)."""
    import sqlite3

    if not Path(path).is_file() or Path(path).stat().st_size == 0:
        return ""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            counts = {}
            for table, label in (("accounts_user", "users"), ("orgs_unit", "units"), ("ledger_task", "tasks")):
                try:
                    counts[label] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                except sqlite3.DatabaseError:
                    counts[label] = 0
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return "not a readable SQLite database"
    if not any(counts.values()):
        return ""
    return ", ".join(f"{n} {label}" for label, n in counts.items())


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))
