"""The unit tree (单位): names and aliases are unique, no cycles, changes audited, matching by alias."""
import pytest

from luoshi.audit.models import AuditEntry
from luoshi.core.errors import LuoshiError
from luoshi.orgs.models import Unit
from luoshi.orgs.services import do_save_unit, match_units, subtree_ids


def test_alias_and_short_name_match_the_same_unit(units):
    found = match_units(["市发改委", "市发展改革委", "市发展和改革委员会", "市财政局"])
    assert found["市发改委"] == found["市发展改革委"] == found["市发展和改革委员会"] == units["fgw"]
    assert found["市财政局"] is None


@pytest.mark.parametrize("name, aliases", [("市发展和改革委员会", []), ("市物价局", ["市发改委"]), ("市统计局", ["甲区"])])
def test_duplicate_names_are_refused(users, units, name, aliases):
    before = (Unit.objects.count(), AuditEntry.objects.count())
    with pytest.raises(LuoshiError) as err:
        do_save_unit(users["admin"], name=name, aliases=aliases, kind="city_dept", parent=units["city"])
    assert "已被" in err.value.message_zh
    assert (Unit.objects.count(), AuditEntry.objects.count()) == before


def test_cycle_is_refused(users, units):
    with pytest.raises(LuoshiError) as err:
        do_save_unit(users["admin"], units["jia"], parent=units["dong"])
    assert "循环" in err.value.message_zh
    units["jia"].refresh_from_db()
    assert units["jia"].parent == units["city"]


def test_change_is_audited_with_before_and_after(users, units):
    do_save_unit(users["admin"], units["edu"], aliases="市教委、教育局")
    entry = AuditEntry.objects.filter(action="unit.update").get()
    assert entry.before["aliases"] == [] and entry.after["aliases"] == ["市教委", "教育局"]
    assert entry.actor == users["admin"]


def test_script_in_unit_name_is_refused(users, units):
    with pytest.raises(LuoshiError):
        do_save_unit(users["admin"], name="<script>x</script>局", kind="city_dept")


def test_subtree(units):
    assert subtree_ids(units["jia"].pk) == {units[k].pk for k in ("jia", "jia_fg", "dong", "xi")}
