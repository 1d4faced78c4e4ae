"""Demo data of supervision: a first sweep over the demo ledger, so the lights (亮灯),
督办单 and inboxes have something to show (see luoshi.core.demo)."""
from __future__ import annotations


def build(ctx) -> None:
    from .sweep import run_sweep

    result = run_sweep()
    lights = ", ".join(f"{k} {v}" for k, v in result.lights.items())
    ctx.log(f"supervision sweep: {lights}; {result.notices_issued} notices issued")
