"""luoshi check [--strict] [--deploy]: what is configured, and what is unsafe for production."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from luoshi.web.management.base import LuoshiCommand

MANY_USERS_FOR_SQLITE = 200


class Command(LuoshiCommand):
    help = "Print the configuration and warn about what is unsafe for production; runs Django's system checks."
    requires_system_checks = []  # run below, so the report is printed even when a check fails

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
        parser.add_argument("--deploy", action="store_true", help="also run Django's deployment checks (HTTPS …)")

    def handle(self, *args, strict=False, deploy=False, **options):
        from luoshi import __version__

        warnings: list[str] = []
        out = self.stdout.write
        out(f"luoshi {__version__} configuration")

        data_dir = Path(settings.DATA_DIR)
        writable = _writable(data_dir)
        out(f"  data dir:        {data_dir} ({'writable' if writable else 'NOT WRITABLE'})")
        if not writable:
            warnings.append(f"the data directory {data_dir} is not writable (uploads, SQLite, static files)")

        db = settings.DATABASES["default"]
        engine = db["ENGINE"].rsplit(".", 1)[-1]
        if engine == "sqlite3":
            out(f"  database:        SQLite {db['NAME']}")
        else:
            who = f"{db.get('USER')}@" if db.get("USER") else ""
            where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 'default port'}"
            pw = ", password set (hidden)" if db.get("PASSWORD") else ""
            out(f"  database:        {engine} {who}{where}/{db.get('NAME')}{pw}")

        from_env = getattr(settings, "SECRET_KEY_FROM_ENV", bool(os.environ.get("LUOSHI_SECRET_KEY")))
        out("  secret key:      " + ("from LUOSHI_SECRET_KEY" if from_env
                                      else f"generated, kept in {data_dir / 'secret_key'}"))
        if not from_env:
            warnings.append("SECRET_KEY is not set from the environment (LUOSHI_SECRET_KEY); the generated key "
                            "lives in the data directory, so every server needs the same copy and backups carry it")
        if len(settings.SECRET_KEY) < 40:
            warnings.append("SECRET_KEY is shorter than 40 characters")

        out(f"  DEBUG:           {'ON' if settings.DEBUG else 'off'}")
        if settings.DEBUG:
            warnings.append("DEBUG is on (LUOSHI_DEBUG): error pages show settings and code; never in production")
        out(f"  allowed hosts:   {', '.join(settings.ALLOWED_HOSTS) or '(none)'}")
        if "*" in settings.ALLOWED_HOSTS:
            warnings.append("ALLOWED_HOSTS contains '*': any Host header is accepted")
        if settings.CSRF_TRUSTED_ORIGINS:
            out(f"  CSRF origins:    {', '.join(settings.CSRF_TRUSTED_ORIGINS)}")
        backend = settings.TASKS["default"]["BACKEND"]
        out(f"  task backend:    {backend}")
        email = settings.EMAIL_BACKEND
        out(f"  email backend:   {email}")
        if email.endswith("console.EmailBackend"):
            warnings.append("email is only printed to the console (LUOSHI_EMAIL_BACKEND): reminders are not sent")
        out(f"  time zone:       {settings.TIME_ZONE}")

        self.audit_report(out, warnings)
        db_ok = self.database_report(out, warnings, engine)
        self.calendar_report(out, warnings, db_ok)

        out("Django system checks:")
        try:
            call_command("check", deploy=deploy, stdout=self.stdout, stderr=self.stderr)
        except SystemCheckError as exc:
            self.stderr.write(str(exc))
            warnings.append("Django's system checks found errors")

        if warnings:
            out(f"{len(warnings)} warning(s) for production:")
            for w in warnings:
                out(f"  ! {w}")
            if strict:
                raise CommandError(f"{len(warnings)} warning(s) (--strict)")
        else:
            out("no warnings")

    def database_report(self, out, warnings, engine) -> bool:
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        try:
            connection.ensure_connection()
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as exc:  # unreachable server, wrong password, …
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            warnings.append(f"cannot reach the database: {first}")
            out("  database state:  UNREACHABLE")
            return False
        if pending:
            warnings.append(f"{len(pending)} migration(s) not applied: run `luoshi manage migrate` "
                            "(`luoshi serve` applies them)")
            out(f"  database state:  {len(pending)} migration(s) pending")
            return False
        from luoshi.accounts.models import User
        from luoshi.ledger.models import Task
        from luoshi.orgs.models import Unit

        users = User.objects.filter(is_active=True).count()
        out(f"  database state:  migrated; {users} active users, {Unit.objects.count()} units, "
            f"{Task.objects.count()} tasks")
        if engine == "sqlite3" and users > MANY_USERS_FOR_SQLITE:
            warnings.append(f"{users} active users on SQLite: use PostgreSQL (DATABASE_URL) for this many users")
        if users and not User.objects.filter(is_active=True, role="admin").exists() \
                and not User.objects.filter(is_active=True, is_superuser=True).exists():
            warnings.append("no active administrator (管理员)")
        if User.objects.filter(username__in=["duchayuan", "shizhang", "fgw"], is_active=True).count() == 3:
            warnings.append("the demo users of `luoshi demo` exist: this looks like a demo database")
        return True

    def audit_report(self, out, warnings):
        from luoshi.audit.anchor import checkpoint_path, inside_data_dir, key_path

        key, cps = key_path(), checkpoint_path()
        state = "present" if key.exists() else "created on first audited change"
        out(f"  audit key:       {key} ({state})")
        out(f"  audit anchors:   {cps}")
        for what, path in (("audit key", key), ("audit checkpoint file", cps)):
            if inside_data_dir(path):
                warnings.append(f"the {what} {path} is inside the data directory: whoever can replace the "
                                f"database files can replace it too (set LUOSHI_AUDIT_"
                                f"{'KEY' if what == 'audit key' else 'CHECKPOINT'}_FILE to a path outside it)")
        if key.exists() and key.stat().st_mode & 0o077:
            warnings.append(f"the audit key {key} is readable by other users (chmod 600)")

    def calendar_report(self, out, warnings, db_ok):
        from django.utils import timezone

        from luoshi.workcal.calendar import _package_years
        from luoshi.workcal.models import HolidayNotice

        lo, hi = _package_years()
        loaded = sorted(HolidayNotice.objects.values_list("year", flat=True)) if db_ok else []
        out(f"  calendar years:  {lo}–{hi} (chinese-calendar package)"
            + (f"; loaded notices: {', '.join(map(str, loaded))}" if loaded else ""))
        known = set(range(lo, hi + 1)) | set(loaded)
        year = timezone.localdate().year
        if year not in known:
            warnings.append(f"the official holiday schedule of {year} is not known: working-day deadlines are "
                            f"provisional (`luoshi calendar load FILE --year {year} --title ...`)")
        elif year + 1 not in known:
            out(f"  note: {year + 1} holidays not loaded yet; deadlines in {year + 1} are provisional")


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".luoshi-check-"):
            pass
        return True
    except OSError:
        return False
