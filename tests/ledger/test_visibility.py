"""Who sees which tasks (queries, not menus)."""
from luoshi.ledger.permissions import visible_tasks


def test_each_role_sees_exactly_its_scope(users, make_task):
    city = make_task(title="市级任务", lead=("fgw",), co=("edu",))
    district = make_task(title="区级任务", lead=("jia",))
    county = make_task(title="县级任务", lead=("yi",))
    def seen(u):
        return set(visible_tasks(users[u]).values_list("title", flat=True))
    assert seen("supervisor") == seen("admin") == seen("leader") == {"市级任务", "区级任务", "县级任务"}
    assert seen("fgw") == {"市级任务"}
    assert seen("edu") == {"市级任务"}  # co-unit
    assert seen("jia") == {"区级任务"}
    assert seen("dong") == set()
    assert seen("jia_leader") == {"区级任务"}
    users["fgw"].is_active = False
    users["fgw"].save()
    assert not visible_tasks(users["fgw"]).exists()
    assert {city.pk, district.pk, county.pk}
