"""luoshi restore FILE [--force]: rebuild an empty installation from a `luoshi backup` archive."""
from __future__ import annotations

from django.core.management.base import CommandError

from luoshi.audit.backup import BackupError, restore
from luoshi.web.management.base import LuoshiCommand


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
        result = out["verify"]
        if not result.ok:
            raise CommandError(f"restored, but the audit chain does not verify: {result.reason} [{result.kind}]")
        self.stdout.write(f"restored from {file}: audit chain intact, {result.checked} entries verified")
