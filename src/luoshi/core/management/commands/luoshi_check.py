"""luoshi check [--strict] [--deploy]: what is configured, and what is unsafe for production."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from luoshi.core import checks
from luoshi.core.management.base import LuoshiCommand

MANY_USERS_FOR_SQLITE = 200


class Command(LuoshiCommand):
    help = "Print the configuration and warn about what is unsafe for production; runs Django's system checks."
    requires_system_checks = []  # run below, so the report is printed even when a check fails

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true",
                            help="run Django's deployment checks too and exit 1 on any warning")
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
        if getattr(settings, "HTTPS", False):
            out(f"  HTTPS:           on (Secure cookies, HSTS {settings.SECURE_HSTS_SECONDS} s, redirect, "
                f"X-Forwarded-Proto from {', '.join(settings.LUOSHI_FORWARDED_ALLOW_IPS)})")
        else:
            out("  HTTPS:           off (set LUOSHI_HTTPS=1 behind a TLS proxy)")
        out(f"  login lockout:   after {settings.AXES_FAILURE_LIMIT} failures per user+address, "
            f"{settings.AXES_COOLOFF_TIME}; API tokens live {settings.LUOSHI_TOKEN_TTL_HOURS:g} h")

        for report in checks.EARLY:  # sections of the apps (luoshi.core.checks)
            report(out, warnings, None)
        db_ok = self.database_report(out, warnings, engine)
        for report in checks.LATE:
            report(out, warnings, db_ok)

        deploy = deploy or strict
        out("Django system checks" + (" (with deployment checks):" if deploy else ":"))
        try:
            # --strict: a warning of Django's checks (HSTS, Secure cookies …) fails like ours.
            call_command("check", deploy=deploy, fail_level="WARNING" if strict else "ERROR",
                         stdout=self.stdout, stderr=self.stderr)
        except SystemCheckError as exc:
            self.stderr.write(str(exc))
            warnings.append("Django's system checks found " + ("issues (see above; LUOSHI_HTTPS=1 behind a TLS "
                                                                "proxy answers the security.* ones)"
                                                                if strict else "errors"))

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
        from django.apps import apps
        from django.contrib.auth import get_user_model

        User = get_user_model()
        users = User.objects.filter(is_active=True).count()
        # core imports no app above it: the counted models are looked up by label
        counts = "".join(f", {apps.get_model(label).objects.count()} {name}"
                         for label, name in (("orgs.Unit", "units"), ("ledger.Task", "tasks"))
                         if apps.is_installed(f"luoshi.{label.split('.')[0]}"))
        out(f"  database state:  migrated; {users} active users{counts}")
        if engine == "sqlite3" and users > MANY_USERS_FOR_SQLITE:
            warnings.append(f"{users} active users on SQLite: use PostgreSQL (DATABASE_URL) for this many users")
        if users and not User.objects.filter(is_active=True, role="admin").exists() \
                and not User.objects.filter(is_active=True, is_superuser=True).exists():
            warnings.append("no active administrator (管理员)")
        if User.objects.filter(username__in=["duchayuan", "shizhang", "fgw"], is_active=True).count() == 3:
            warnings.append("the demo users of `luoshi demo` exist: this looks like a demo database")
        return True

def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".luoshi-check-"):
            pass
        return True
    except OSError:
        return False
