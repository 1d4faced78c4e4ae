"""One place that turns a case into what a given user may see (pages, API, exports)."""
from __future__ import annotations

from django.urls import reverse

from . import permissions as perm
from .models import Case


def _iso(v):
    return v.isoformat() if v else None


def case_dict(user, case: Case, *, detail: bool = False) -> dict:
    rep = perm.reporter_view(user, case)
    d = {
        "id": case.pk, "number": case.number, "kind": case.kind, "category": case.category.code,
        "category_name": case.category.name, "channel": case.channel, "status": case.status,
        "status_display": case.get_status_display(), "description": case.description, "address": case.address,
        "lat": case.lat, "long": case.long,
        "subject_unit": case.subject_unit.name if case.subject_unit_id else None,
        "responsible_unit": case.responsible_unit.name if case.responsible_unit_id else None,
        "created_at": _iso(case.created_at), "dispatched_at": _iso(case.dispatched_at),
        "deadline": _iso(case.deadline), "replied_at": _iso(case.replied_at), "closed_at": _iso(case.closed_at),
        "reporter": rep, "public_reply": case.public_reply, "rating": case.rating or None,
        "parent": case.parent.number if case.parent_id else None,
    }
    if detail:
        see = perm.can_see_reporter(user, case)
        d["events"] = [{"kind": e.kind, "from_status": e.from_status, "to_status": e.to_status,
                        "actor": str(e.actor) if e.actor_id else "公众/系统", "note": e.note, "public": e.public,
                        "at": _iso(e.at)} for e in case.events.select_related("actor")]
        d["photos"] = [{"id": p.pk, "url": reverse("cases:photo", args=[p.pk, "public"]),
                        **({"original_url": reverse("cases:photo", args=[p.pk, "original"]), "exif": p.exif}
                           if see else {})} for p in case.photos.all()]
        if case.kind == "complaint":
            d.update({"subject_person": case.subject_person, "investigation": case.investigation,
                      "finding": case.finding or None, "opinion": case.opinion})
        d["extension_until"] = _iso(case.extension_until)
    return d
