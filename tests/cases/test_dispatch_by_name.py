"""Issue 9: the case dispatch chooser (责任单位) in a large organisation without JavaScript — the page carries
no list of every unit, and a typed name is resolved by the server (several fits: a Chinese message naming
them; nothing is written)."""
from __future__ import annotations

import pytest

from luoshi.orgs.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_dispatch_by_typed_name(units, office, new_case, client_for):
    Unit.objects.bulk_create([Unit(name=f"甲区第{i:03d}社区居民委员会", kind=UnitKind.TOWN, parent=units["jia"],
                                   sort_order=1000 + i) for i in range(320)])
    case, _ = new_case()
    c = client_for("supervisor")
    c.force_login(office["dispatcher"])
    html = c.get(f"/cases/{case.pk}/").content.decode()
    assert html.count("社区居民委员会") == 0 and 'name="unit__name"' in html
    r = c.post(f"/cases/{case.pk}/", {"action": "dispatch", "unit__name": "第01"}, follow=True)
    assert "“第01”对应10个责任单位" in r.content.decode()
    case.refresh_from_db()
    assert case.responsible_unit_id is None
    c.post(f"/cases/{case.pk}/", {"action": "dispatch", "unit__name": "甲区第017社区居民委员会"})
    case.refresh_from_db()
    assert case.responsible_unit.name == "甲区第017社区居民委员会"
