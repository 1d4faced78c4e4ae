"""`luoshi petitions sweep [--at YYYY-MM-DD [--force]] [--dry-run] [--enqueue] [--json]`

The daily 信访 sweep (信访超期扫描, limits of the 信访工作条例 2022, see luoshi.petitions.limits):
relights every running limit (受理告知 15 日, 办理 60 日 (+ approved extension), 复查/复核 30 日), lists
newly overdue petitions as 积案, reminds 包案 leaders once per limit and colour. Idempotent: a second
run for the same day changes nothing (it only records that it ran). Every run is audited
(`petition.sweep`, and one `petition.backlog` entry per petition newly listed).

A sweep as of another day than today would send real reminders and list 积案 dated that day, so it
writes nothing unless --force is given; --dry-run shows what it would do on any day and rolls back.
"""
from __future__ import annotations

import json

from luoshi.core.management.base import LuoshiCommand
from luoshi.supervision.management.commands.sweep import sweep_date


class Command(LuoshiCommand):
    help = "信访: the daily sweep of petition time limits (信访超期扫描)"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sw = sub.add_parser("sweep", help="relight running limits, list overdue petitions as 积案, remind 包案 leaders")
        sw.add_argument("--at", help="evaluate as of this date (YYYY-MM-DD; default today)")
        sw.add_argument("--json", action="store_true", help="print a JSON summary")
        sw.add_argument("--enqueue", action="store_true",
                        help="enqueue petition_sweep_task on the configured tasks backend instead of running here")
        sw.add_argument("--force", action="store_true", help="really write a sweep for an --at date other than today")
        sw.add_argument("--dry-run", action="store_true", help="show what a sweep would do and write nothing")

    def handle(self, *args, **opts):
        from django.db import transaction

        from luoshi.petitions.sweep import run_petition_sweep
        from luoshi.petitions.tasks import petition_sweep_task

        at = opts.get("at")
        on = sweep_date(opts, "send real reminders and list 积案")
        if opts["enqueue"]:
            result = petition_sweep_task.enqueue(at)
            self.stdout.write(f"enqueued petition sweep {result.id} ({result.status})")
            return
        if opts["dry_run"]:
            with transaction.atomic():
                summary = run_petition_sweep(on).as_dict()
                transaction.set_rollback(True)
            summary["dry_run"] = True
        else:
            summary = run_petition_sweep(on).as_dict()
        if opts["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=1))
            return
        w = self.stdout.write
        if summary.get("dry_run"):
            w("DRY RUN: nothing was written; a sweep would do this:")
        w(f"petition sweep {summary['on']}: {summary['open']} running limits; "
          f"red {summary['lights']['red']}, blue {summary['lights']['blue']}, green {summary['lights']['green']}")
        w(f"  changed: to red {summary['changed']['red']}, to blue {summary['changed']['blue']}, "
          f"to green {summary['changed']['green']}; new 积案 {summary['new_backlog']}; "
          f"reminders {summary['reminded']}; 督办单 {summary['notices']}, escalation steps {summary['escalations']}"
          + (f" ({summary['deferred']} deferred to the next sweep)" if summary.get("deferred") else ""))
        w(f"  seconds: {summary['seconds']}")
