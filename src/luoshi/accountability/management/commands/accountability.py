"""luoshi manage accountability sync|stats

sync   raise the proposals whose cause has none yet: interview escalation steps (约谈/问责建议),
       一票否决 units of published assessment runs, and published inspection findings marked 提出问责建议.
       Idempotent; prints the numbers raised.
stats  print the statistics line (问责统计) for a period: --start/--end (YYYY-MM-DD, default this year).
"""
from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Accountability (问责): sync proposals from causes; print statistics"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["sync", "stats"])
        parser.add_argument("--start")
        parser.add_argument("--end")

    def handle(self, *args, action, start=None, end=None, **opts):
        if action == "sync":
            from luoshi.accountability.hooks import sync_escalations, sync_findings, sync_vetoes

            esc, veto, found = sync_escalations(), sync_vetoes(), sync_findings()
            self.stdout.write(f"raised {esc} proposal(s) from escalations, {veto} from vetoes, "
                              f"{found} from inspection findings")
            return
        from luoshi.accountability.stats import statistics

        today = dt.date.today()
        try:
            s = dt.date.fromisoformat(start) if start else dt.date(today.year, 1, 1)
            e = dt.date.fromisoformat(end) if end else dt.date(today.year, 12, 31)
        except ValueError as exc:
            raise CommandError(f"dates must be YYYY-MM-DD: {exc}") from None
        data = statistics(s, e)
        self.stdout.write(data["summary"])
        for label, rows in (("by responsibility", data["by_responsibility"]), ("by cause", data["by_cause"]),
                            ("by month", data["by_month"]), ("by unit", data["by_unit"][:10])):
            self.stdout.write(f"{label}: " + ", ".join(f"{a} {b}" for a, b in rows))
