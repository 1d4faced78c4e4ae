"""`luoshi sweep [--at YYYY-MM-DD [--force]] [--dry-run] [--json]`: recompute every open task's light,
record missed periodic reports, issue three-colour notices and escalation steps.
Idempotent: running it twice for the same date changes nothing the second time.

A sweep as of another day than today would issue real notices dated that day, so it writes
nothing unless --force is given; --dry-run shows what a sweep would do on any day and rolls
everything back (no notices, messages, mails, webhooks or audit checkpoint)."""
from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import CommandError

from luoshi.core.management.base import LuoshiCommand


def sweep_date(opts, would: str) -> dt.date | None:
    """The checks every sweep command makes of --at/--force/--dry-run/--enqueue (`luoshi sweep`, `luoshi
    petitions sweep`): the --at date (None: today), or CommandError when --at is not a date, --dry-run is
    combined with --enqueue, or --at is another day than today without --force or --dry-run. `would` says
    what a sweep as of that day would do ("issue real notices")."""
    from luoshi.supervision.common import today

    at = opts.get("at")
    on = None
    if at:
        try:
            on = dt.date.fromisoformat(at)
        except ValueError:
            raise CommandError(f"--at: {at!r} is not a date (YYYY-MM-DD)") from None
    if opts.get("dry_run") and opts.get("enqueue"):
        raise CommandError("--dry-run runs here; it cannot be combined with --enqueue")
    if on and on != today() and not (opts.get("force") or opts.get("dry_run")):
        raise CommandError(f"--at {at} is not today ({today()}): a sweep as of that day would {would} dated "
                           "then. Nothing was written; add --force to do it anyway, or --dry-run to see what it "
                           "would do")
    return on


class Command(LuoshiCommand):
    help = "Supervision sweep: lights, report slots, notices, escalation (督查督办巡检)"

    def add_arguments(self, parser):
        parser.add_argument("--at", help="evaluate as of this date (YYYY-MM-DD; default today)")
        parser.add_argument("--json", action="store_true", help="print a JSON summary")
        parser.add_argument("--enqueue", action="store_true",
                            help="enqueue sweep_task on the configured tasks backend instead of running here")
        parser.add_argument("--force", action="store_true",
                            help="really write a sweep for an --at date other than today")
        parser.add_argument("--dry-run", action="store_true",
                            help="show what a sweep would do and write nothing (any date)")

    def handle(self, *args, **opts):
        on = sweep_date(opts, "issue real notices")
        at = opts.get("at")
        from luoshi.supervision.tasks import sweep_task

        if opts["enqueue"]:
            result = sweep_task.enqueue(at)
            self.stdout.write(f"enqueued sweep {result.id} ({result.status})")
            return
        from django.db import transaction

        from luoshi.supervision.sweep import run_sweep

        if opts["dry_run"]:
            with transaction.atomic():
                summary = run_sweep(on, checkpoint=False).as_dict()
                transaction.set_rollback(True)  # discards rows and the on_commit mails/webhooks
            summary["dry_run"] = True
        else:
            summary = run_sweep(on).as_dict()
        if opts["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=1))
            return
        w = self.stdout.write
        lights = summary["lights"]
        if summary.get("dry_run"):
            w("DRY RUN: nothing was written; a sweep would do this:")
        w(f"sweep {summary['on']}: {summary['tasks_checked']} open tasks checked in {summary['seconds']}s")
        w(f"  lights: green {lights['green']}, blue {lights['blue']}, yellow {lights['yellow']}, red {lights['red']}")
        w(f"  changed {summary['changed']}, notices issued {summary['notices_issued']}, "
          f"escalations {summary['escalations']}, report slots {summary['report_slots']}, "
          f"findings {summary['findings']}")
        for bad in summary.get("skipped", []):
            self.stderr.write(f"  SKIPPED task id {bad['task_id']} (assigned {bad['assigned_on']}, deadline "
                              f"{bad['deadline']}): {bad['error']} — fix its dates")
        cp = summary.get("audit_checkpoint") or {}
        if cp.get("error"):
            self.stderr.write(f"  audit checkpoint REFUSED: {cp['error']} (run `luoshi audit verify`)")
        elif cp:
            w(f"  audit checkpoint #{cp['n']}: {cp['seq']} entries, head {cp['hash'][:16]}…")
        for c in summary["changes"]:
            w(f"  {c['task']}: {c['from']} -> {c['to']} ({c['reason']})" + (f" [{c['notice']}]" if c["notice"] else ""))
