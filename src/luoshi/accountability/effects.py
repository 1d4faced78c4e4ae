"""What decided measures do to assessment (考核): a deduction and/or the loss of the year's
评优评先 eligibility for the unit held to account.

`unit_effects(year)` is the read side: {unit id: {"deduction": Decimal, "cancels_honours": bool,
"measures": int}} of the active effects. `push(effect)` hands a new or deactivated effect to
assessment's hook when assessment offers one (see hooks.py), inside the deciding transaction.
"""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from .models import AssessmentEffect

_sinks: list = []


def connect(sink) -> None:
    """Register `sink(effect: AssessmentEffect)`; called for every new or deactivated effect."""
    if sink not in _sinks:
        _sinks.append(sink)


def push(effect: AssessmentEffect) -> None:
    for sink in list(_sinks):
        sink(effect)


def unit_effects(year: int, unit_ids=None) -> dict[int, dict]:
    """Active effects per unit for assessment year `year`."""
    qs = AssessmentEffect.objects.filter(year=year, is_active=True)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    out = {}
    for row in qs.values("unit_id").annotate(d=Sum("deduction"), c=Count("id", filter=Q(cancels_honours=True)), n=Count("id")):
        out[row["unit_id"]] = {"deduction": row["d"] or Decimal("0"), "cancels_honours": bool(row["c"]),
                               "measures": row["n"]}
    return out
