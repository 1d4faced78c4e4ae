"""Possible duplicates (疑似重复): same place, similar text, close in time.

Candidates are open or recent cases of the last `days` days, near the point (about
`radius_m`) or of the same category; they are scored with rapidfuzz on the text and
the address. Bounded: at most `max_candidates` rows are compared (newest first), so
the check stays in milliseconds at a million cases (index case_category_created /
case_latlong)."""
from __future__ import annotations

import datetime as dt
import math

from django.utils import timezone
from rapidfuzz import fuzz

from .models import Case, Status

EXCLUDED = (Status.VOID, Status.MERGED)


def _score(text: str, address: str, cand_text: str, cand_address: str, near: bool) -> float:
    s = fuzz.token_set_ratio(text, cand_text) if text and cand_text else 0.0
    s = max(s, fuzz.partial_ratio(text, cand_text) * 0.9) if text and cand_text else s
    a = fuzz.partial_ratio(address, cand_address) if address and cand_address else 0.0
    place = 100.0 if near else a
    return round(0.65 * s + 0.35 * place, 1)


def find_duplicates(*, description: str = "", address: str = "", lat=None, long=None, category=None,
                    at: dt.datetime | None = None, exclude_id=None, days: int = 7, radius_m: float = 300,
                    threshold: float = 70.0, limit: int = 5, max_candidates: int = 100, qs=None) -> list[dict]:
    """[{"case": Case, "score": 0..100, "near": bool}] best first, score ≥ threshold."""
    at = at or timezone.now()
    base = (Case.objects.all() if qs is None else qs).exclude(status__in=EXCLUDED)
    base = base.filter(created_at__gte=at - dt.timedelta(days=days), created_at__lte=at + dt.timedelta(hours=1))
    if exclude_id:
        base = base.exclude(pk=exclude_id)
    cols = ("id", "number", "description", "address", "lat", "long", "status", "created_at", "category_id", "kind")
    # Two index-friendly queries (case_latlong, case_category_created) instead of one OR.
    rows: dict[int, Case] = {}
    if lat is not None and long is not None:
        dlat = radius_m / 111_000
        dlong = radius_m / (111_000 * max(math.cos(math.radians(lat)), 0.01))
        for c in (base.filter(lat__range=(lat - dlat, lat + dlat), long__range=(long - dlong, long + dlong))
                  .order_by("-created_at").only(*cols)[:max_candidates // 2]):
            rows[c.pk] = c
    if category is not None:
        for c in base.filter(category=category).order_by("-created_at").only(*cols)[:max_candidates]:
            rows.setdefault(c.pk, c)
    rows = list(rows.values())
    out = []
    for c in rows:
        near = bool(lat is not None and c.lat is not None
                    and abs(c.lat - lat) * 111_000 <= radius_m
                    and abs(c.long - long) * 111_000 * max(math.cos(math.radians(lat)), 0.01) <= radius_m)
        score = _score(description, address, c.description[:500], c.address, near)
        if score >= threshold:
            out.append({"case": c, "score": score, "near": near})
    out.sort(key=lambda d: -d["score"])
    return out[:limit]
