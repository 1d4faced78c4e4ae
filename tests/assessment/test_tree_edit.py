"""The plan editor deactivates (停用, never deletes) and moves (re-parents / reorders) indicators: codes follow
the tree, weights stay valid, published results keep their labels, every change is audited."""
from __future__ import annotations

from decimal import Decimal

import pytest

from luoshi.assessment import scoring
from luoshi.assessment import services as svc
from luoshi.assessment.models import Indicator
from luoshi.audit.models import AuditEntry
from luoshi.core.errors import LuoshiError, NotAllowed

from .conftest import AS_OF, text

pytestmark = pytest.mark.django_db


def tree(plan):
    """{code: (name, weight, active)} of every indicator of the plan (active or not)."""
    return {i.code: (i.name, i.weight, i.is_active) for i in Indicator.objects.filter(plan=plan)}


def test_move_reparents_and_weights_travel(make_plan, office):
    plan = make_plan()
    ind = svc.do_move_indicator(office, plan.ind["overdue"], parent=plan.ind["data"], position=1)
    t = tree(plan)
    assert ind.code == "2.1" and t["2.1"][0] == "逾期件数" and t["2.2"][0] == "单位GDP能耗下降率"
    # 1 工作落实 60 → 40, 2 数据填报 30 → 50: every level still adds up
    assert t["1"][1] == Decimal(40) and t["2"][1] == Decimal(50) and t["1.1"][1] == Decimal(40)
    assert [i.code for i in scoring.validate_plan(plan)] == ["1.1", "2.1", "2.2", "3", "4", "5", "6"]
    e = AuditEntry.objects.filter(action="assessment.indicator.move").get()
    assert e.before["code"] == "1.2" and e.after["code"] == "2.1" and e.after["recoded"] == {"1.2": "2.1",
                                                                                          "2.1": "2.2"}
    assert e.after["weights"] == {"1": {"from": "60.00", "to": "40.00"}, "2": {"from": "30.00", "to": "50.00"}}


def test_reorder_at_the_top_renumbers_sub_indicators(make_plan, office):
    plan = make_plan()
    svc.do_move_indicator(office, plan.ind["survey"], parent=None, position=1)
    t = tree(plan)
    assert t["1"][0] == "群众评议" and t["2"][0] == "工作落实" and t["2.1"][0] == "按时办结率"
    assert t["2.2"][0] == "逾期件数" and t["3.1"][0] == "单位GDP能耗下降率" and t["6"][0] == "安全生产一票否决"
    assert t["2"][1] == Decimal(60)  # same parent: no weight moves
    scoring.validate_plan(plan)
    # back down to the end of the list
    svc.do_move_indicator(office, plan.ind["survey"], parent=None, position=99)
    assert tree(plan)["6"][0] == "群众评议" and tree(plan)["1"][0] == "工作落实" and tree(plan)["5"][0] == "安全生产一票否决"


def test_sibling_becomes_parent_only_when_the_plan_stays_valid(make_plan, office):
    plan = make_plan()
    before = tree(plan)
    # 1.2 逾期件数 (20) under its sibling 1.1 (40, a leaf): 1.1 would weigh 60 with one sub-indicator of 20
    with pytest.raises(LuoshiError) as e:
        svc.do_move_indicator(office, plan.ind["overdue"], parent=plan.ind["ontime"], position=1)
    assert "“1.1 按时办结率”的下级指标的分值合计为20,应为60" in e.value.message_zh
    assert tree(plan) == before
    # with a draft plan that does not add up yet, the editor may restructure freely
    svc.do_save_indicator(office, plan, plan.ind["work"], weight=70)
    svc.do_move_indicator(office, plan.ind["overdue"], parent=plan.ind["ontime"], position=1)
    t = tree(plan)
    assert t["1.1"] == ("按时办结率", Decimal(60), True) and t["1.1.1"] == ("逾期件数", Decimal(20), True)


def test_refused_moves_change_nothing(make_plan, office, users):
    plan = make_plan()
    before = tree(plan)
    with pytest.raises(LuoshiError) as e:  # 2 数据填报 would be left with neither sub-indicators nor a method
        svc.do_move_indicator(office, plan.ind["energy"], parent=plan.ind["work"], position=1)
    assert "不再有效" in e.value.message_zh and "2 数据填报" in e.value.message_zh
    with pytest.raises(LuoshiError) as e:
        svc.do_move_indicator(office, plan.ind["work"], parent=plan.ind["ontime"], position=1)
    assert "其自身" in e.value.message_zh
    with pytest.raises(LuoshiError) as e:
        svc.do_move_indicator(office, plan.ind["work"], parent=plan.ind["energy"], position=1)
    assert "超过三级" in e.value.message_zh
    with pytest.raises(LuoshiError):
        svc.do_move_indicator(office, plan.ind["ontime"], parent=plan.ind["bonus"], position=1)
    with pytest.raises(NotAllowed):
        svc.do_move_indicator(users["fgw"], plan.ind["ontime"], parent=None, position=1)
    assert tree(plan) == before and not AuditEntry.objects.filter(action="assessment.indicator.move").exists()


def test_deactivate_keeps_rows_and_balances_weights(make_plan, office):
    plan = make_plan()
    n = Indicator.objects.count()
    svc.do_set_indicator_active(office, plan.ind["overdue"], False, reason="本年度不再考核逾期件数",
                                balance_with=plan.ind["ontime"])
    t = tree(plan)
    assert t["1.2"] == ("逾期件数", Decimal(20), False) and t["1.1"][1] == Decimal(60)
    assert "1.2" not in [i.code for i in scoring.validate_plan(plan)]
    c = scoring.compute(plan, as_of=AS_OF)
    assert all(it.indicator.code != "1.2" for u in c.units for it in u.items)
    # reactivated: the weight comes back from the same sibling
    svc.do_set_indicator_active(office, plan.ind["overdue"], True, reason="恢复考核", balance_with=plan.ind["ontime"])
    assert tree(plan)["1.1"][1] == Decimal(40) and tree(plan)["1.2"][2]
    scoring.validate_plan(plan)
    # a parent takes its sub-indicators with it; without balancing the plan says what no longer adds up
    svc.do_set_indicator_active(office, plan.ind["work"], False, reason="指标体系调整")
    t = tree(plan)
    assert not t["1"][2] and not t["1.1"][2] and not t["1.2"][2]
    with pytest.raises(LuoshiError) as e:
        svc.do_run_scores(office, plan, as_of=AS_OF)
    assert "一级指标的分值合计为40" in e.value.message_zh
    with pytest.raises(LuoshiError) as e:  # a child cannot come back under an inactive parent
        svc.do_set_indicator_active(office, plan.ind["ontime"], True, reason="恢复")
    assert "请先启用上级指标" in e.value.message_zh
    assert Indicator.objects.count() == n  # nothing deleted
    actions = list(AuditEntry.objects.filter(action__startswith="assessment.indicator.").exclude(
        action__in=["assessment.indicator.create"]).values_list("action", flat=True).order_by("seq"))
    assert actions == ["assessment.indicator.deactivate", "assessment.indicator.activate",
                       "assessment.indicator.deactivate"]
    last = AuditEntry.objects.filter(action="assessment.indicator.deactivate").order_by("-seq").first()
    assert last.after["indicators"] == ["1", "1.1", "1.2"] and last.after["reason"] == "指标体系调整"
    assert "40" in last.after["problem"]


def test_deactivation_refusals(make_plan, office, users):
    plan = make_plan()
    with pytest.raises(LuoshiError):  # balance_with must be a sibling leaf
        svc.do_set_indicator_active(office, plan.ind["overdue"], False, reason="x", balance_with=plan.ind["energy"])
    with pytest.raises(LuoshiError):  # a reason is required
        svc.do_set_indicator_active(office, plan.ind["overdue"], False, reason="")
    with pytest.raises(LuoshiError):  # is_active goes through the dedicated service
        svc.do_save_indicator(office, plan, plan.ind["overdue"], is_active=False)
    with pytest.raises(NotAllowed):
        svc.do_set_indicator_active(users["leader"], plan.ind["overdue"], False, reason="x")
    assert all(a for _, _, a in tree(plan).values())


def test_published_card_keeps_its_codes_after_a_move(make_plan, office, units, accepted_figure, client_for):
    plan = make_plan()
    accepted_figure(plan.ind["energy"], units["edu"], "3")
    run = svc.do_publish_run(office, svc.do_run_scores(office, plan, as_of=AS_OF))
    frozen = svc.run_json(run)
    svc.do_move_indicator(office, plan.ind["survey"], parent=None, position=1)
    svc.do_save_indicator(office, plan, plan.ind["energy"], name="能耗强度下降率")
    assert svc.run_json(run) == frozen
    page = text(client_for("edu").get(f"/assessment/runs/{run.pk}/units/{units['edu'].pk}/"))
    assert "2.1 单位GDP能耗下降率" in page and "3 群众评议" in page and "能耗强度下降率" not in page


def test_editor_pages(make_plan, client_for):
    plan = make_plan()
    c = client_for("supervisor")
    r = c.post(f"/assessment/plans/{plan.pk}/indicators/move/", {"indicator": plan.ind["overdue"].pk,
                                                                 "parent": plan.ind["data"].pk, "position": "2"})
    assert r.status_code == 302 and tree(plan)["2.2"][0] == "逾期件数"
    r = c.post(f"/assessment/plans/{plan.pk}/indicators/active/", {"indicator": plan.ind["overdue"].pk,
                                                                   "active": "0", "reason": "不再考核",
                                                                   "balance_with": plan.ind["energy"].pk})
    assert r.status_code == 302 and not tree(plan)["2.2"][2] and tree(plan)["2.1"][1] == Decimal(50)
    page = text(c.get(f"/assessment/plans/{plan.pk}/"))
    assert 'id="weights-ok"' in page and "已停用的指标" in page and "2.2 逾期件数" in page
    # a refused move shows its reason, nothing changes
    r = c.post(f"/assessment/plans/{plan.pk}/indicators/move/", {"indicator": plan.ind["work"].pk,
                                                                 "parent": plan.ind["energy"].pk, "position": "1"},
               follow=True)
    assert "超过三级" in text(r)
    for role in ("fgw", "leader", "inspector"):
        for url in ("move", "active"):
            r = client_for(role).post(f"/assessment/plans/{plan.pk}/indicators/{url}/",
                                      {"indicator": plan.ind["ontime"].pk, "active": "0", "reason": "x"})
            assert r.status_code == 403, (role, url)
    assert tree(plan)["1.1"][2]
