"""luoshi units import FILE.xlsx | export FILE.xlsx | sample FILE.xlsx | load-sample"""
from __future__ import annotations

from django.core.management.base import CommandError

from luoshi.orgs.importexport import (CLI_ACTOR, UnitImportError, export_units_xlsx, import_units,
                                      load_sample_units, plan_import, read_table,
                                      write_sample_xlsx)
from luoshi.core.management.base import LuoshiCommand, progress_bar


class Command(LuoshiCommand):
    help = "Import or export the unit tree (单位) as Excel (.xlsx; import also reads .csv)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,export,sample,load-sample}")
        p = sub.add_parser("import", help="import units from FILE (all or nothing; re-import updates by full name)")
        p.add_argument("file")
        p.add_argument("--check", action="store_true", help="only check the file, write nothing")
        p = sub.add_parser("export", help="export every unit to FILE.xlsx (the import format)")
        p.add_argument("file")
        p = sub.add_parser("sample", help="write the bundled sample tree (临江市) to FILE.xlsx")
        p.add_argument("file")
        sub.add_parser("load-sample", help="load the bundled sample tree into the database")

    def handle(self, *args, action, **options):
        self.verbosity = options.get("verbosity", 1)
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_import(self, file, check=False, **_):
        rows = read_table(file)
        total = max(0, sum(1 for r in rows if any(r)) - 1)
        if check:
            try:
                plan = plan_import(rows)
            except UnitImportError as exc:
                for line in exc.all_messages_en()[:50]:
                    self.stderr.write(f"  {line}")
                raise CommandError(f"{file}: {exc.message_en}; the file would be refused") from None
            self._report(plan.notes, plan.warnings)
            for name in plan.create[:50]:
                self.stdout.write(f"  would create {name}")
            for name, columns in plan.update[:50]:
                self.stdout.write(f"  would update {name}: {', '.join(columns)}")
            self.stdout.write(f"OK: {len(plan.create) + len(plan.update) + plan.unchanged} units; would create "
                              f"{len(plan.create)}, update {len(plan.update)}, leave {plan.unchanged} unchanged "
                              "(nothing written)")
            return
        with progress_bar(total, "importing units", "unit") as bar:
            try:
                result = import_units(rows, actor=CLI_ACTOR, progress=bar.update)
            except UnitImportError as exc:
                if self.verbosity >= 2:  # every problem, one per line; default stays one line
                    for line in exc.all_messages_en()[:50]:
                        self.stderr.write(f"  {line}")
                raise CommandError(f"{file}: {exc.message_en}; nothing was imported") from None
        self._report(result.notes, result.warnings)
        self.stdout.write(f"imported {result.total} units from {file}: {result.created} created, "
                          f"{result.updated} updated, {result.unchanged} unchanged")

    def _report(self, notes, warnings):
        for _row, en, _zh in notes:
            self.stdout.write(f"  note: {en}")
        for _row, en, _zh in warnings:
            self.stdout.write(f"  warning: row {_row}: {en}")

    def do_export(self, file, **_):
        if not file.lower().endswith(".xlsx"):
            raise CommandError("the export file name must end in .xlsx")
        try:
            n = export_units_xlsx(file)
        except OSError as exc:
            raise CommandError(f"cannot write {file}: {exc.strerror or exc}") from None
        self.stdout.write(f"exported {n} units to {file}")

    def do_sample(self, file, **_):
        if not file.lower().endswith(".xlsx"):
            raise CommandError("the file name must end in .xlsx")
        n = write_sample_xlsx(file)
        self.stdout.write(f"wrote the sample unit tree ({n} units, fictional 临江市) to {file}")

    def do_load_sample(self, **_):
        result = load_sample_units(actor=CLI_ACTOR)
        self.stdout.write(f"sample units: {result.created} created, {result.updated} updated, "
                          f"{result.unchanged} unchanged")
