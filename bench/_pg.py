"""PostgreSQL for the benchmarks: one throwaway database per run.

    from _pg import bench_database

    with bench_database("luoshi_bench_sweep", keep=args.keep) as url:
        ...   # DATABASE_URL and LUOSHI_DATA_DIR are set; django.setup() may run now

Without DATABASE_URL a throwaway PostgreSQL cluster is started (Debian's /usr/lib/postgresql/*/bin, in a
temp dir, loopback on a free port, fsync off; as the `postgres` user when run as root) and removed at the
end. With DATABASE_URL=postgres://… (a role allowed to CREATE DATABASE) a database `<prefix>_<pid>` is
created on that server instead, and dropped at the end unless `keep` is true.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile

__all__ = ["Cluster", "bench_database", "free_port"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL server (like scripts/test.sh start_postgres)."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        if not bins:
            raise SystemExit("no PostgreSQL server binaries (apt-get install postgresql) and no DATABASE_URL")
        self.bin = bins[-1]
        self.dir = tempfile.mkdtemp(prefix="luoshi-bench-pg.")
        self.port = free_port()
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *cmd):
        subprocess.run([*self.as_user, *cmd], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def start(self) -> str:
        data = os.path.join(self.dir, "data")
        self._run(f"{self.bin}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        self._run(f"{self.bin}/pg_ctl", "-D", data, "-l", os.path.join(self.dir, "server.log"), "-w", "-t", "60",
                  "-o", f"-k {self.dir} -h 127.0.0.1 -p {self.port} -c fsync=off -c synchronous_commit=off "
                        f"-c full_page_writes=off -c shared_buffers=512MB -c max_wal_size=4GB", "start")
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self):
        try:
            self._run(f"{self.bin}/pg_ctl", "-D", os.path.join(self.dir, "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def bench_database(prefix: str, keep: bool = False, *, name: str | None = None, reuse: bool = False):
    """Yield the URL of a fresh, empty PostgreSQL database `<prefix>_<pid>` (also put in DATABASE_URL).

    `name`: the database's name instead of `<prefix>_<pid>`. `reuse`: the database `name` exists already
    (left by an earlier run with `keep`): it is neither created nor dropped.
    LUOSHI_DATA_DIR is set to a temp dir unless already set. Exits with status 2 when DATABASE_URL names
    something other than PostgreSQL. The database (and a cluster started here) is removed at the end,
    except with `keep` or `reuse` on a server given by DATABASE_URL.
    """
    if reuse and not name:
        raise ValueError("reuse needs the name of the database to reuse")
    cluster = None
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        cluster = Cluster()
        url = cluster.start()
        print(f"started PostgreSQL on 127.0.0.1:{cluster.port} ({cluster.dir})")
    if not url.startswith(("postgres://", "postgresql://")):
        print(f"{os.path.basename(sys.argv[0])} needs PostgreSQL (DATABASE_URL=postgres://… or none)",
              file=sys.stderr)
        raise SystemExit(2)
    os.environ.setdefault("LUOSHI_DATA_DIR", tempfile.mkdtemp(prefix="luoshi-bench-data."))
    import psycopg

    admin_url = url.replace("postgres://", "postgresql://", 1)
    name = name or f"{prefix}_{os.getpid()}"
    try:
        if not reuse:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
        try:
            yield os.environ["DATABASE_URL"]
        finally:
            if not (keep or reuse) or cluster:
                if "django" in sys.modules:
                    from django.db import connections

                    connections.close_all()
                with psycopg.connect(admin_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        if cluster:
            cluster.stop()
