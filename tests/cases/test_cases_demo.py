"""The cases demo: every kind and state, the three logins, an Open311 key that works."""
from __future__ import annotations

import io

from luoshi.cases.models import Case, Status
from luoshi.cases.open311 import check_key


def test_demo_builds_every_state(db):
    from luoshi.orgs.importexport import load_sample_units
    from luoshi.cases.demo import build

    load_sample_units(actor="test")
    out = io.StringIO()
    key = build(None, out)
    assert out.getvalue().strip().splitlines()[-1] == key and check_key(key)
    states = set(Case.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    assert {"problem", "complaint"} == set(Case.objects.values_list("kind", flat=True))
    fgw_case = Case.objects.get(subject_unit__name="临江市发展和改革委员会", reporter_name="陈春华")
    assert fgw_case.responsible_unit.display_name == "市效能办"
    from luoshi.accounts.models import User

    assert set(User.objects.filter(username__in=["rexian", "paiqian", "xiaonengban"]).values_list("role", flat=True)) \
        == {"operator", "dispatcher", "supervisor"}
