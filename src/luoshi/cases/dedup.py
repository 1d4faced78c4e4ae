"""Possible duplicates (疑似重复): same place, similar text, close in time.

Candidates (pre-filter, index range scans only), cases of the last `days` days that are not void or merged:
(a) with a point: the cases in the grid cells (Case.grid, GRID_DEG ≈ 500 m) around it, one range of index
case_grid_created per cell, then kept when within about `radius_m`; (b) of the same category: with a point,
only those without a point of their own (partial index case_category_nopoint) — the neighbourhood is (a);
without a point, the newest of the category (index case_category_created). At most `max_candidates` rows
are read, as plain tuples (no model instances). They are scored with rapidfuzz — text 65 %, place 35 %
(100 within `radius_m`, else the partial ratio of the addresses) — with a score cutoff derived from
`threshold`, so a candidate that cannot reach it stops after the cheapest comparison. Only the hits are
built as Case objects from the rows read (no further query); on PostgreSQL both candidate queries go in
one round trip (UNION ALL). Measured at 1,000,000 cases: README (Cases → figures).
"""
from __future__ import annotations

import datetime as dt
import math

from django.db import connection
from django.utils import timezone
from rapidfuzz import fuzz

from .models import GRID_DEG, Case, Status, grid_cell

EXCLUDED = (Status.VOID, Status.MERGED)
TEXT_CHARS = 500   # compared characters of a candidate's description
COLS = ("id", "description", "address", "lat", "long", "number", "status", "kind", "category_id", "created_at")


def _score(text: str, address: str, cand_text: str, cand_address: str, near: bool) -> float:
    """The score 0..100 of one candidate (no cutoff): what find_duplicates computes."""
    s = fuzz.token_set_ratio(text, cand_text) if text and cand_text else 0.0
    s = max(s, fuzz.partial_ratio(text, cand_text) * 0.9) if text and cand_text else s
    a = fuzz.partial_ratio(address, cand_address) if address and cand_address else 0.0
    place = 100.0 if near else a
    return round(0.65 * s + 0.35 * place, 1)


def cells_around(lat: float, long: float, radius_m: float) -> list[int]:
    """The grid cells (Case.grid) covering every point within `radius_m` of (lat, long)."""
    dlat = radius_m / 111_000
    dlong = radius_m / (111_000 * max(math.cos(math.radians(lat)), 0.01))
    rows = range(math.floor((lat - dlat + 90) / GRID_DEG), math.floor((lat + dlat + 90) / GRID_DEG) + 1)
    cols = range(math.floor((long - dlong + 180) / GRID_DEG), math.floor((long + dlong + 180) / GRID_DEG) + 1)
    if len(rows) * len(cols) > 400:  # a radius far beyond what the check is for
        raise ValueError("radius too large for the duplicate grid")
    return [r * 100000 + c for r in rows for c in cols]


def find_duplicates(*, description: str = "", address: str = "", lat=None, long=None, category=None,
                    at: dt.datetime | None = None, exclude_id=None, days: int = 7, radius_m: float = 300,
                    threshold: float = 70.0, limit: int = 5, max_candidates: int = 100, qs=None) -> list[dict]:
    """[{"case": Case, "score": 0..100, "near": bool}] best first, score ≥ threshold, at most `limit`.

    `at`: the new case's time (default now); `exclude_id`: the case itself when checking a stored case;
    `qs`: a narrower base queryset (e.g. one scope). Cost: two indexed queries of ≤ max_candidates rows and
    rapidfuzz over them (p95 in milliseconds at a million cases, see bench/cases_bench.py)."""
    at = at or timezone.now()
    base = (Case.objects.all() if qs is None else qs).exclude(status__in=EXCLUDED)
    base = base.filter(created_at__gte=at - dt.timedelta(days=days), created_at__lte=at + dt.timedelta(hours=1))
    if exclude_id:
        base = base.exclude(pk=exclude_id)
    has_point = lat is not None and long is not None
    cos = max(math.cos(math.radians(lat)), 0.01) if has_point else 1.0
    queries = []
    if has_point:
        cells = cells_around(lat, long, radius_m)
        near_q = base.filter(grid__in=cells) if len(cells) > 1 else base.filter(grid=grid_cell(lat, long))
        queries.append(near_q.order_by("-created_at").values_list(*COLS)[:max_candidates // 2])
    if category is not None:
        same = base.filter(category=category)
        if has_point:
            same = same.filter(grid__isnull=True)
        queries.append(same.order_by("-created_at").values_list(*COLS)[:max_candidates - len(queries) * 50])
    if len(queries) == 2 and connection.features.supports_slicing_ordering_in_compound:
        queries = [queries[0].union(queries[1], all=True)]   # one round trip (PostgreSQL)
    rows: dict[int, tuple] = {}
    for q in queries:
        for r in q:
            if r[0] in rows:
                continue
            if r[3] is not None and has_point and not (abs(r[3] - lat) * 111_000 <= radius_m
                                                       and abs(r[4] - long) * 111_000 * cos <= radius_m):
                continue  # in a neighbouring cell but farther than radius_m
            rows[r[0]] = r
    scored: list[tuple[float, bool, int]] = []
    for cid, ctext, caddr, clat, clong, *_ in rows.values():
        near = bool(has_point and clat is not None and clong is not None
                    and abs(clat - lat) * 111_000 <= radius_m and abs(clong - long) * 111_000 * cos <= radius_m)
        if near:
            place = 100.0
        else:
            place = fuzz.partial_ratio(address, caddr) if address and caddr else 0.0
        need = (threshold - 0.35 * place) / 0.65 - 0.2   # the text score this candidate needs (rounding slack)
        if need > 100:
            continue
        ctext = (ctext or "")[:TEXT_CHARS]
        if not (description and ctext):
            s = 0.0
        else:
            cut = max(need, 0)
            s = fuzz.token_set_ratio(description, ctext, score_cutoff=cut)
            if s < need:
                s = max(s, fuzz.partial_ratio(description, ctext, score_cutoff=min(cut / 0.9, 100)) * 0.9)
        score = round(0.65 * s + 0.35 * place, 1)
        if score >= threshold:
            scored.append((score, near, cid))
    scored.sort(key=lambda t: (-t[0], -t[2]))
    # The hits as Case objects built from the row already read (no further query): the fields of COLS.
    return [{"case": Case(**dict(zip(COLS, rows[cid]))), "score": score, "near": near}
            for score, near, cid in scored[:limit]]
