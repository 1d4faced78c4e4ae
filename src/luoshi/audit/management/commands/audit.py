"""luoshi audit verify | checkpoint | status"""
from __future__ import annotations

import time

from django.core.management.base import CommandError

from luoshi.audit.anchor import (AuditAnchorError, audit_key, checkpoint_path, fingerprint, inside_data_dir,
                                 key_path, write_checkpoint)
from luoshi.audit.models import AuditEntry
from luoshi.audit.services import verify_chain
from luoshi.core.management.base import LuoshiCommand, progress_bar


class Command(LuoshiCommand):
    help = "Audit trail (全程留痕) tools."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,checkpoint,status}")
        sub.add_parser("verify", help="check every entry's hash/MAC, the head and the checkpoints; exit 1 when broken")
        sub.add_parser("checkpoint", help="append a MACed checkpoint of the chain head to the checkpoint file "
                                          "(after verifying the entries since the previous one)")
        sub.add_parser("status", help="where the audit key and checkpoint file are; the last checkpoint")

    def handle(self, *args, action, **options):
        getattr(self, action)()

    def verify(self):
        total = AuditEntry.objects.count()
        t0 = time.monotonic()
        with progress_bar(total, "verifying audit trail", "entry") as bar:
            result = verify_chain(progress=bar.update)
        secs = time.monotonic() - t0
        for w in result.warnings:
            self.stderr.write(f"warning: {w}")
        if result.ok:
            cp = result.checkpoint
            anchored = (f"; matches checkpoint #{cp.n} of {cp.at} ({cp.seq} entries)" if cp
                        else "; no checkpoint yet")
            legacy = f" ({result.legacy} old unkeyed entries)" if result.legacy else ""
            self.stdout.write(f"OK: audit chain intact, {result.checked} entries verified{legacy} in {secs:.1f}s"
                              f"{anchored}")
            return
        entry = AuditEntry.objects.filter(seq=result.first_broken_seq).first() \
            if result.first_broken_seq else None
        where = f" ({entry.at:%Y-%m-%d %H:%M:%S} {entry.actor_name} {entry.action})" if entry else ""
        at = f" at entry #{result.first_broken_seq}{where}" if result.first_broken_seq else ""
        raise CommandError(f"audit chain BROKEN{at}: {result.reason} [{result.kind}]; "
                           f"{result.checked} entries before it are intact")

    def checkpoint(self):
        try:
            cp = write_checkpoint("manual")
        except AuditAnchorError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"checkpoint #{cp.n}: {cp.seq} entries, head {cp.hash[:16]}…, mac {cp.mac[:16]}… "
                          f"appended to {checkpoint_path()}")

    def status(self):
        kp, cpp = key_path(), checkpoint_path()
        try:
            key = audit_key(create=False)
        except AuditAnchorError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"audit key:        {kp} ({'fingerprint ' + fingerprint(key) if key else 'not created yet'})"
                          + (" — INSIDE the data directory" if inside_data_dir(kp) else ""))
        self.stdout.write(f"checkpoint file:  {cpp}" + (" — INSIDE the data directory" if inside_data_dir(cpp) else ""))
        from luoshi.audit.anchor import read_checkpoints

        cps, problems = read_checkpoints(key, cpp) if key else ([], [])
        if cps:
            self.stdout.write(f"last checkpoint:  #{cps[-1].n} of {cps[-1].at}: {cps[-1].seq} entries ({cps[-1].reason})")
        else:
            self.stdout.write("last checkpoint:  none")
        for p in problems:
            self.stderr.write(f"warning: {p}")
