"""Shared pieces of luoshi's management commands."""
from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError


class LuoshiCommand(BaseCommand):
    """A command whose refusals (LuoshiError and friends) become one-line CommandErrors."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError:
            raise
        except Exception as exc:
            message = getattr(exc, "message_en", None)
            if message is None:
                raise
            raise CommandError(str(message).replace("\n", " ")) from None


def progress_bar(total: int | None, desc: str, unit: str = "row"):
    """A tqdm bar on stderr, shown only on a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=None, leave=False)
