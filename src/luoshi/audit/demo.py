"""Demo step of the audit trail: the database was just replaced, so the checkpoints that anchor
the old chain are moved aside first (see luoshi.audit.anchor; luoshi.core.demo runs this first)."""
from __future__ import annotations


def build(ctx) -> None:
    from .anchor import set_aside_checkpoints

    if aside := set_aside_checkpoints("demo"):  # they anchor the wiped chain
        ctx.warn(f"audit checkpoints of the old database moved to {aside}")
