"""Routing (派遣规则): which unit should handle a case.

Area: the first Area whose GeoJSON boundary contains the point (shapely), else the
first whose name (or its unit's names) appears in the address. Rule: the active
RoutingRule matching category and area, most specific first (both > category only >
area only > catch-all), then by priority. A complaint is never routed to the unit
complained about nor inside it: such rules are skipped."""
from __future__ import annotations

from functools import lru_cache

from shapely.geometry import Point, shape

from luoshi.orgs.services import subtree_ids

from .models import Area, RoutingRule


@lru_cache(maxsize=256)
def _shape(area_id: int, boundary_text: str):
    import json

    return shape(json.loads(boundary_text))


def find_area(address: str = "", lat=None, long=None) -> Area | None:
    import json

    areas = list(Area.objects.select_related("unit"))
    if lat is not None and long is not None:
        pt = Point(long, lat)
        for a in areas:
            if a.boundary:
                try:
                    if _shape(a.pk, json.dumps(a.boundary, sort_keys=True)).contains(pt):
                        return a
                except (ValueError, TypeError, AttributeError, KeyError):
                    continue
    if address:
        best = None
        for a in areas:
            names = [a.name] + (a.unit.all_names() if a.unit else [])
            hit = max((len(n) for n in names if n and n in address), default=0)
            if hit and (best is None or hit > best[0]):
                best = (hit, a)
        if best:
            return best[1]
    return None


def route(category, area, subject_unit=None):
    """The suggested responsible unit, or None."""
    banned = subtree_ids(subject_unit.pk) if subject_unit is not None else set()
    rules = RoutingRule.objects.filter(is_active=True, unit__is_active=True).select_related("unit")
    best = None
    for r in rules:
        if r.category_id and r.category_id != getattr(category, "pk", None):
            continue
        if r.area_id and r.area_id != getattr(area, "pk", None):
            continue
        if r.unit_id in banned:
            continue
        key = (-(2 * bool(r.category_id) + bool(r.area_id)), r.priority, r.pk)
        if best is None or key < best[0]:
            best = (key, r)
    if best:
        return best[1].unit
    if area is not None and area.unit_id and area.unit_id not in banned:
        return area.unit
    return None
