"""Reported figures against each unit's own target (e.g. a district's 节能目标 for 单位GDP能耗下降率): a unit
with its own target is scored against it, the others against the indicator's; set by the office, audited."""
from __future__ import annotations

from decimal import Decimal

import pytest

from luoshi.assessment import scoring
from luoshi.assessment import services as svc
from luoshi.audit.models import AuditEntry
from luoshi.core.errors import LuoshiError, NotAllowed

from .conftest import AS_OF, text

pytestmark = pytest.mark.django_db


def test_each_district_is_scored_against_its_own_target(make_plan, office, units, users, accepted_figure,
                                                         client_for):
    plan = make_plan(code="KH-QX", group="county")
    energy = plan.ind["energy"]  # weight 30, target 3 (≥)
    c = client_for("supervisor")
    r = c.post(f"/assessment/plans/{plan.pk}/do/targets/", {"indicator": energy.pk, "targets": "甲区|4\n不存在的区|3"},
               follow=True)
    assert "第2行的单位“不存在的区”不存在" in text(r)
    c.post(f"/assessment/plans/{plan.pk}/do/targets/", {"indicator": energy.pk, "targets": "甲区|4"})
    energy.refresh_from_db()
    assert energy.params["unit_targets"] == {str(units["jia"].pk): 4.0}
    e = AuditEntry.objects.filter(action="assessment.indicator.targets").get()
    assert e.before == {} and e.after == {"甲区人民政府": 4.0}
    for key in ("jia", "yi"):
        accepted_figure(energy, units[key], "3.2")
    by = {s.unit.name: s for s in scoring.compute(plan, as_of=AS_OF).units}
    jia = next(i for i in by["甲区人民政府"].items if i.indicator.code == "2.1")
    yi = next(i for i in by["乙县人民政府"].items if i.indicator.code == "2.1")
    assert (jia.points, jia.note) == (Decimal("24.00"), "本单位目标值4")  # 30 × 3.2 / 4
    assert (yi.points, yi.note) == (Decimal("30.00"), "")                # 3.2 ≥ 3: full
    # each liaison sees the target their unit is held to
    assert "本单位目标值 <span class=\"unit-target\">4.0</span>" in text(client_for("jia").get("/assessment/report/"))
    assert "本单位目标值 <span class=\"unit-target\">3.0</span>" in text(client_for("yi").get("/assessment/report/"))
    # removing the unit's own target: back to the indicator's
    svc.do_set_unit_targets(office, energy, {units["jia"]: None})
    energy.refresh_from_db()
    assert "unit_targets" not in energy.params
    with pytest.raises(NotAllowed):
        svc.do_set_unit_targets(users["jia"], energy, {units["jia"]: 1})
    with pytest.raises(LuoshiError):  # only target-rule indicators
        svc.do_set_unit_targets(office, plan.ind["ontime"], {units["jia"]: 1})
    with pytest.raises(LuoshiError):
        svc.do_set_unit_targets(office, energy, {units["jia"]: "abc"})
