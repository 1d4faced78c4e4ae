"""Sections that apps add to `luoshi check` without core importing them.

An app registers in its AppConfig.ready():

    from luoshi.core.checks import register_report
    register_report(my_report)                 # after the database section
    register_report(my_report, early=True)     # before it (needs no database)

A report is fn(out, warnings, db_ok): out(line) prints one indented line, warnings
is the list of problems `luoshi check` ends with (non-zero exit with --strict),
db_ok says whether the database is reachable and migrated.
"""
from __future__ import annotations

EARLY: list = []
LATE: list = []


def register_report(fn, *, early: bool = False) -> None:
    (EARLY if early else LATE).append(fn)
