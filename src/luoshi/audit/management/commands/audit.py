"""luoshi audit verify"""
from __future__ import annotations

from django.core.management.base import CommandError

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import verify_chain
from luoshi.web.management.base import LuoshiCommand, progress_bar


class Command(LuoshiCommand):
    help = "Audit trail (全程留痕) tools."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify}")
        sub.add_parser("verify", help="check the hash chain of every audit entry; exit 1 when broken")

    def handle(self, *args, action, **options):
        if action == "verify":
            self.verify()

    def verify(self):
        total = AuditEntry.objects.count()
        with progress_bar(total, "verifying audit trail", "entry") as bar:
            result = verify_chain(progress=bar.update)
        if result.ok:
            self.stdout.write(f"OK: audit chain intact, {result.checked} entries verified")
            return
        entry = AuditEntry.objects.filter(seq=result.first_broken_seq).first()
        where = f" ({entry.at:%Y-%m-%d %H:%M:%S} {entry.actor_name} {entry.action})" if entry else ""
        raise CommandError(f"audit chain BROKEN at entry #{result.first_broken_seq}{where}: {result.reason}; "
                           f"{result.checked} entries before it are intact")
