"""Model bases every app may use (abstract: they add no table of their own)."""
from __future__ import annotations

from django.db import models


class YearCounter(models.Model):
    """A per-year number counter (年度编号计数): 督办〔2026〕第0001号, XF2026000001, 问责〔2026〕第0001号,
    问责通报〔2026〕第0001号 each come from a subclass. One row per year: `year` (primary key) and `last`
    (the last number given). Numbers never repeat and never go back, also when rows are deleted.

    Abstract: each subclass keeps its own table, exactly as before (no migration).
    """

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.year}年已编至第{self.last}号"

    @classmethod
    def next_number(cls, year: int, n: int = 1, *, floor: int = 0) -> int:
        """Reserve `n` (≥ 1) consecutive numbers of `year` and return the first. The counter's row is
        locked (SELECT … FOR UPDATE; SQLite: the write transaction) until the caller's transaction ends,
        so concurrent writers get distinct numbers; call it inside transaction.atomic(). `floor`: the
        highest number already used elsewhere (e.g. found in the numbered table), never reused."""
        if n < 1:
            raise ValueError("n must be >= 1")
        cls.objects.get_or_create(year=year)
        counter = cls.objects.select_for_update().get(year=year)
        first = max(counter.last, floor) + 1
        counter.last = first + n - 1
        counter.save(update_fields=["last"])
        return first
