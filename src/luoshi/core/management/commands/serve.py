"""luoshi serve [--host H] [--port P] [--workers N]: migrate, collect static files, run gunicorn."""
from __future__ import annotations

import multiprocessing
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from luoshi.core.management.base import LuoshiCommand


def default_workers() -> int:
    return min(8, multiprocessing.cpu_count() * 2 + 1)


class Command(LuoshiCommand):
    help = "Run the web server (gunicorn) after applying migrations and collecting static files."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("LUOSHI_HOST", "127.0.0.1"),
                            help="address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
        parser.add_argument("--port", type=int, default=int(os.environ.get("LUOSHI_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("LUOSHI_WORKERS", "0")) or None,
                            help="worker processes (default 2×CPUs+1, at most 8)")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("LUOSHI_THREADS", "2")),
                            help="threads per worker (default 2)")
        parser.add_argument("--timeout", type=int, default=120, help="worker timeout in seconds (default 120)")
        parser.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")

    def handle(self, *args, host, port, workers, threads, timeout, no_migrate=False, **options):
        if not 0 < port < 65536:
            raise CommandError(f"invalid port {port}")
        workers = workers or default_workers()
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.auth import get_user_model

        if not get_user_model().objects.exists():
            self.stdout.write("No users yet. Try `luoshi demo` for a demo database with sample logins, or create "
                              "an administrator with `luoshi manage createsuperuser`.")
        if settings.DEBUG:
            self.stderr.write("warning: DEBUG is on (LUOSHI_DEBUG); never use it in production")
        bind = f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"
        self.stdout.write(f"luoshi listening on http://{bind}/ ({workers} workers × {threads} threads); "
                          f"data in {settings.DATA_DIR}")
        self.stdout.flush()
        connections.close_all()  # never share a database connection with forked workers
        LuoshiServer({
            "bind": bind,
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "timeout": timeout,
            "graceful_timeout": 30,
            "accesslog": "-",
            "errorlog": "-",
            "proc_name": "luoshi",
            "forwarded_allow_ips": os.environ.get("LUOSHI_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        }).run()


def _base():
    from gunicorn.app.base import BaseApplication

    return BaseApplication


class LuoshiServer(_base()):
    """gunicorn driven from Python: no gunicorn command line, luoshi's settings only."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if "control_socket" in self.cfg.settings:  # gunicorn >= 25.1
            path = os.environ.get("LUOSHI_CONTROL_SOCKET")
            if path:  # e.g. /run/luoshi/gunicorn.ctl, for `gunicornc`
                self.cfg.set("control_socket", path)
            else:  # no socket in $HOME shared by every luoshi on the machine
                self.cfg.set("control_socket_disable", True)

    def load(self):
        from luoshi.wsgi import application

        return application
