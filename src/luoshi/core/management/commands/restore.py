"""luoshi restore FILE [--force]: rebuild an empty installation from a `luoshi backup` archive."""
from __future__ import annotations

from django.core.management.base import CommandError

from luoshi.core.backup import BackupError, restore
from luoshi.core.management.base import LuoshiCommand


class Command(LuoshiCommand):
    help = ("Restore a `luoshi backup` archive into this (empty) installation: checks the manifest's checksums "
            "first, then the database, uploads, keys and audit checkpoints; then migrates and verifies the "
            "audit chain.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="archive written by `luoshi backup`")
        parser.add_argument("--force", action="store_true",
                            help="replace an installation that holds data (its files are set aside, its "
                                 "database tables dropped)")

    def handle(self, *args, file, force=False, **options):
        try:
            out = restore(file, force=force, report=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        bad = [msg for ok, msg in out["checks"] if not ok]
        if bad:
            raise CommandError("restored, but " + "; ".join(bad))
        self.stdout.write(f"restored from {file}: " + "; ".join(msg for _, msg in out["checks"]))
