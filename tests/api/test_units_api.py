"""/api/units/: everyone logged in reads the tree; 督查员 and 管理员 create and edit through
do_save_unit (duplicate names and cycles refused); units are never deleted."""
import pytest

from luoshi.audit.models import AuditEntry
from luoshi.orgs.models import Unit


def test_everyone_reads_the_tree_in_order(client_for, units):
    data = client_for("dong").get("/api/units/").json()
    assert data["count"] == len(units)
    names = [u["name"] for u in data["results"]]
    assert names[:3] == ["某市人民政府", "市人民政府督查室", "市发展和改革委员会"]
    fgw = client_for("dong").get(f"/api/units/{units['fgw'].pk}/").json()
    assert fgw["short_names"] == ["市发展改革委"] and fgw["aliases"] == ["市发改委"]
    assert fgw["parent"] == units["city"].pk and fgw["kind"] == "city_dept"
    children = client_for("dong").get(f"/api/units/?parent={units['jia'].pk}").json()
    assert [u["display_name"] for u in children["results"]] == ["甲区发改局", "东街道", "西镇"]


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisor_and_admin_create_and_edit(client_for, units, who):
    client = client_for(who)
    created = client.post("/api/units/", {"name": "甲区教育局", "short_names": ["甲区教育局"], "kind": "county_dept",
                                          "parent": units["jia"].pk}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    changed = client.patch(f"/api/units/{pk}/", {"aliases": ["甲区教体局"], "code": "JQJY"}, format="json")
    assert changed.status_code == 200
    unit = Unit.objects.get(pk=pk)
    assert unit.aliases == ["甲区教体局"] and unit.code == "JQJY" and unit.parent == units["jia"]
    actions = list(AuditEntry.objects.filter(object_type="orgs.unit", object_id=str(pk))
                   .values_list("action", "actor__username").order_by("seq"))
    assert actions == [("unit.create", created.wsgi_request.user.username),
                       ("unit.update", created.wsgi_request.user.username)]


def test_duplicate_names_and_cycles_are_400(client_for, units):
    client = client_for("supervisor")
    dup = client.post("/api/units/", {"name": "新单位", "aliases": ["市发改委"]}, format="json")
    assert dup.status_code == 400
    assert dup.json()["field"] == "name" and "已被" in dup.json()["detail_zh"]
    cycle = client.patch(f"/api/units/{units['jia'].pk}/", {"parent": units["dong"].pk}, format="json")
    assert cycle.status_code == 400
    assert cycle.json()["field"] == "parent" and "循环" in cycle.json()["detail_zh"]
    assert Unit.objects.get(pk=units["jia"].pk).parent == units["city"]
    bad_kind = client.post("/api/units/", {"name": "某单位", "kind": "planet"}, format="json")
    assert bad_kind.status_code == 400 and bad_kind.json()["field"] == "kind"


@pytest.mark.parametrize("who", ["fgw", "leader", "jia_leader"])
def test_others_cannot_write(client_for, units, who):
    client = client_for(who)
    assert client.post("/api/units/", {"name": "私设单位"}, format="json").status_code == 403
    assert client.patch(f"/api/units/{units['fgw'].pk}/", {"name": "改名"}, format="json").status_code == 403
    assert not Unit.objects.filter(name__in=["私设单位", "改名"]).exists()


def test_no_delete(client_for, units):
    assert client_for("admin").delete(f"/api/units/{units['nan'].pk}/").status_code == 405
    assert Unit.objects.filter(pk=units["nan"].pk).exists()
