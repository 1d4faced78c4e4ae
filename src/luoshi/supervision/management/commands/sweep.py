"""`luoshi sweep [--at YYYY-MM-DD] [--json]`: recompute every open task's light,
record missed periodic reports, issue three-colour notices and escalation steps.
Idempotent: running it twice for the same date changes nothing the second time."""
from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import CommandError

from luoshi.core.management.base import LuoshiCommand


class Command(LuoshiCommand):
    help = "Supervision sweep: lights, report slots, notices, escalation (督查督办巡检)"

    def add_arguments(self, parser):
        parser.add_argument("--at", help="evaluate as of this date (YYYY-MM-DD; default today)")
        parser.add_argument("--json", action="store_true", help="print a JSON summary")
        parser.add_argument("--enqueue", action="store_true",
                            help="enqueue sweep_task on the configured tasks backend instead of running here")

    def handle(self, *args, **opts):
        at = opts.get("at")
        if at:
            try:
                dt.date.fromisoformat(at)
            except ValueError:
                raise CommandError(f"--at: {at!r} is not a date (YYYY-MM-DD)") from None
        from luoshi.supervision.tasks import sweep_task

        if opts["enqueue"]:
            result = sweep_task.enqueue(at)
            self.stdout.write(f"enqueued sweep {result.id} ({result.status})")
            return
        from luoshi.supervision.sweep import run_sweep

        summary = run_sweep(dt.date.fromisoformat(at) if at else None).as_dict()
        if opts["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=1))
            return
        w = self.stdout.write
        lights = summary["lights"]
        w(f"sweep {summary['on']}: {summary['tasks_checked']} open tasks checked in {summary['seconds']}s")
        w(f"  lights: green {lights['green']}, blue {lights['blue']}, yellow {lights['yellow']}, red {lights['red']}")
        w(f"  changed {summary['changed']}, notices issued {summary['notices_issued']}, "
          f"escalations {summary['escalations']}, report slots {summary['report_slots']}, "
          f"findings {summary['findings']}")
        cp = summary.get("audit_checkpoint") or {}
        if cp.get("error"):
            self.stderr.write(f"  audit checkpoint REFUSED: {cp['error']} (run `luoshi audit verify`)")
        elif cp:
            w(f"  audit checkpoint #{cp['n']}: {cp['seq']} entries, head {cp['hash'][:16]}…")
        for c in summary["changes"]:
            w(f"  {c['task']}: {c['from']} -> {c['to']} ({c['reason']})" + (f" [{c['notice']}]" if c["notice"] else ""))
