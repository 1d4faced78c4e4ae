"""Shared pieces of luoshi's management commands."""
from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError


def luoshi_verb(command: str) -> str:
    """The `luoshi` verb that runs the Django command `command` (luoshi_check → check, workcal → calendar)."""
    from luoshi.core.verbs import COMMANDS

    return next((verb for verb, name in COMMANDS.items() if name == command), command)


class LuoshiCommand(BaseCommand):
    """A command whose refusals (LuoshiError and friends) become one-line CommandErrors, and whose
    usage lines name the `luoshi` verb the operator typed (`luoshi calendar`, not `workcal`)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, luoshi_verb(subcommand), **kwargs)

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError:
            raise
        except DatabaseError as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise CommandError(f"database error: {first} (is the database set up? run `luoshi manage migrate`, "
                               "or `luoshi demo` for a demo database)") from None
        except Exception as exc:
            message = getattr(exc, "message_en", None)
            if message is None:
                raise
            raise CommandError(str(message).replace("\n", " ")) from None


def progress_bar(total: int | None, desc: str, unit: str = "row"):
    """A tqdm bar on stderr, shown only on a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=None, leave=False)
