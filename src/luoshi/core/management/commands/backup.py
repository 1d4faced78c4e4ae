"""luoshi backup FILE: one consistent archive of the database, uploads, keys and what apps register."""
from __future__ import annotations

import time

from django.core.management.base import CommandError

from luoshi.core.backup import BackupError, backup
from luoshi.core.management.base import LuoshiCommand


class Command(LuoshiCommand):
    help = ("Write a backup archive (.tar.gz): database (SQLite online backup or pg_dump), uploaded files, "
            "the secret and audit keys, audit checkpoints, and a manifest with SHA-256 checksums.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="archive to write, e.g. /var/backups/luoshi/luoshi-2026-03-02.tar.gz")
        parser.add_argument("--no-checkpoint", action="store_true",
                            help="skip the apps' before-backup steps (the audit checkpoint)")

    def handle(self, *args, file, no_checkpoint=False, **options):
        t0 = time.monotonic()
        try:
            m = backup(file, hooks=not no_checkpoint)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for w in m["warnings"]:
            self.stderr.write(f"warning: {w}")
        media = sum(1 for f in m["files"] if f["path"].startswith("media/"))
        extra = [p["summary"] for p in m["parts"].values() if isinstance(p, dict) and p.get("summary")]
        self.stdout.write(
            f"backup written: {file} ({m['archive_bytes'] / 1e6:.1f} MB, {m['database']['vendor']} database, "
            f"{media} uploaded files, keys" + "".join(f", {e}" for e in extra)
            + f") in {time.monotonic() - t0:.1f}s")
        self.stdout.write("it holds the secret and audit keys: keep it encrypted and out of reach")
