"""luoshi ledger export --xlsx FILE [--unit NAME] [--status S]"""
from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import Q

from luoshi.ledger.exports import write_ledger_xlsx
from luoshi.ledger.models import Status, Task
from luoshi.orgs.services import match_units, subtree_ids
from luoshi.core.management.base import LuoshiCommand


class Command(LuoshiCommand):
    help = "Export the task ledger (台账) to Excel. The command line sees every task."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{export}")
        p = sub.add_parser("export", help="write the ledger to an .xlsx file")
        p.add_argument("--xlsx", required=True, metavar="FILE", help="output file (.xlsx)")
        p.add_argument("--unit", metavar="NAME", help="only tasks led or co-handled by this unit or units under "
                                                      "it (full name, short name or alias)")
        p.add_argument("--status", metavar="S", action="append",
                       help="only tasks in this state (code like in_progress or label like 办理中); repeatable")
        p.add_argument("--title", default="督办事项台账", help="title row of the sheet")

    def handle(self, *args, action, **options):
        if action == "export":
            self.export(**options)

    def export(self, xlsx, unit=None, status=None, title="督办事项台账", **_):
        if not xlsx.lower().endswith(".xlsx"):
            raise CommandError("the output file name must end in .xlsx")
        tasks = Task.objects.all()
        if unit:
            found = match_units([unit]).get(unit)
            if found is None:
                raise CommandError(f"unknown unit {unit!r}")
            ids = subtree_ids(found.pk)
            tasks = tasks.filter(Q(lead_units__in=ids) | Q(co_units__in=ids)).distinct()
        if status:
            codes = []
            labels = {label: value for value, label in Status.choices}
            for s in status:
                code = s if s in Status.values else labels.get(s)
                if code is None:
                    raise CommandError(f"unknown status {s!r}; use one of: {', '.join(Status.values)}")
                codes.append(code)
            tasks = tasks.filter(status__in=codes)
        tasks = Task.objects.filter(pk__in=tasks.values("pk"))
        count = tasks.count()
        try:
            write_ledger_xlsx(tasks, xlsx, title=title)
        except OSError as exc:
            raise CommandError(f"cannot write {xlsx}: {exc.strerror or exc}") from None
        self.stdout.write(f"exported {count} tasks to {xlsx}")
