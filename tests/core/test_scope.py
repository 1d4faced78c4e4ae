"""The one scope rule (luoshi.core.scope): role × domain, written out here rather than computed."""
from __future__ import annotations

import pytest

from luoshi.core import scope
from luoshi.core.scope import unit_scope
from luoshi.ledger.permissions import visible_tasks

ALL = None
DOMAINS = ["ledger", "cases", "petitions", "inspections", "assessment", "accountability"]


def test_every_role_in_every_domain(users, units):
    jia_subtree = {units[k].pk for k in ("jia", "jia_fg", "dong", "xi")}
    city_subtree = {u.pk for u in units.values()}
    expected = {
        "supervisor": {d: ALL for d in DOMAINS},
        "admin": {d: ALL for d in DOMAINS},
        "leader": {d: city_subtree for d in DOMAINS},
        "jia_leader": {d: jia_subtree for d in DOMAINS},
        "fgw": {d: {units["fgw"].pk} for d in DOMAINS},
        "operator": {d: (ALL if d == "cases" else set()) for d in DOMAINS},
        "dispatcher": {d: (ALL if d == "cases" else set()) for d in DOMAINS},
        "inspector": {d: (ALL if d == "inspections" else set()) for d in DOMAINS},
        "discipline": {d: (ALL if d in ("accountability", "ledger") else set()) for d in DOMAINS},
    }
    for key, row in expected.items():
        for domain, want in row.items():
            assert unit_scope(users[key], domain) == want, (key, domain)
    assert unit_scope(users["fgw"]) == {units["fgw"].pk}  # default domain: ledger
    assert scope.is_read_only(users["discipline"], "ledger")
    assert not scope.is_read_only(users["discipline"], "accountability")
    assert not scope.is_read_only(users["supervisor"], "ledger")


def test_leader_without_unit_sees_all_and_inactive_or_anonymous_nothing(users):
    from django.contrib.auth.models import AnonymousUser

    leader = users["leader"]
    leader.unit = None
    assert unit_scope(leader) is None
    fgw = users["fgw"]
    fgw.is_active = False
    assert unit_scope(fgw) == set()
    assert unit_scope(AnonymousUser(), "cases") == set()


def test_unknown_domain_reads_nothing_until_granted(users):
    assert unit_scope(users["operator"], "parking") == set()
    assert unit_scope(users["supervisor"], "parking") == set()
    scope.add_domain("parking")
    scope.grant("supervisor", "parking", scope.ALL)
    try:
        assert unit_scope(users["supervisor"], "parking") is None
    finally:
        scope._TABLE.pop(("supervisor", "parking"))
        scope.DOMAINS = tuple(d for d in scope.DOMAINS if d != "parking")
    with pytest.raises(ValueError):
        scope.grant("operator", "cases", "everything")


def test_new_roles_read_tasks_by_the_table(users, make_task):
    make_task(title="发改任务", lead=("fgw",))
    assert visible_tasks(users["discipline"]).count() == 1  # read-only ledger grant
    for key in ("operator", "dispatcher", "inspector"):
        assert visible_tasks(users[key]).count() == 0
