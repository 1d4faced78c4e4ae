"""The `luoshi` command.

`luoshi extract` is handled by the pure extraction library and never imports
Django, so it stays fast and usable without a database. Every other command
is a Django management command of the same name (a few are renamed to avoid
clashing with Django's own commands).
"""
from __future__ import annotations

import os
import sys

from luoshi.core.verbs import COMMANDS as _COMMANDS  # luoshi verb -> Django management command

USAGE = """usage: luoshi COMMAND [ARGS]

commands:
  serve [--host H] [--port P] [--workers N]   run the web server (migrations applied)
  demo [--force]                   fresh demo database with sample data; prints logins
  units import FILE.xlsx [--check] import the unit tree (单位) from Excel/CSV, all or nothing
  units export FILE.xlsx           export the unit tree to Excel
  units sample FILE.xlsx | load-sample   the bundled sample city (临江市)
  users add NAME --role R [--unit U] | list | set-role | set-password | deactivate | unlock NAME   people (用户)
  ledger export --xlsx FILE [--unit NAME] [--status S]   export the task ledger (台账)
  calendar load FILE --year Y --title T   load a holiday notice (节假日安排) table
  calendar set-day DATE --off|--work [--name N]   declare a local day off / working day
  calendar show YEAR               list a year's holidays and make-up working days
  audit verify | checkpoint | status   verify the audit chain (MACs, head, checkpoints) / anchor it
  backup FILE                      one archive: database, uploads, secret and audit keys, checksums
  restore FILE [--force]           rebuild an empty installation from a backup archive
  sweep [--at YYYY-MM-DD] [--json] run one supervision sweep (lights, notices, escalation)
  petitions sweep [--at YYYY-MM-DD] [--json] [--enqueue]   信访 sweep (limits, 积案, 包案 reminders, escalation)
  assess plans|score CODE [--period P] [--live]|run CODE|publish RUN|methods [--json]   assessment (考核)
  open311 keys add NAME | revoke NAME | list   Open311 API keys (the new key is the last line)
  check [--strict]                 configuration sanity check
  extract FILE|DIR [--format json|xlsx|md] [-o OUT]   extract tasks from speeches (no database)
  manage ...                       any Django management command
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    verb, rest = argv[0], argv[1:]
    if verb == "extract":
        from luoshi.extract.cli import main as extract_main

        return extract_main(rest)
    if verb == "--version":
        from luoshi import __version__

        print(__version__)
        return 0
    if verb not in _COMMANDS:
        print(f"luoshi: unknown command {verb!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    from django.core.management import execute_from_command_line

    command = _COMMANDS[verb]
    if command is None:
        execute_from_command_line(["luoshi", *rest])
    else:
        execute_from_command_line(["luoshi", command, *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
