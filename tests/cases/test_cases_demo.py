"""The cases demo: every kind and state, the three logins, an Open311 key that works."""
from __future__ import annotations

import io
import random

from luoshi.cases.models import Case, Status
from luoshi.cases.open311 import check_key


def test_demo_builds_every_state(db):
    from django.utils import timezone

    from luoshi.core.demo import DemoContext, demo_modules

    out = io.StringIO()
    ctx = DemoContext(rng=random.Random(1), password="luoshi-demo-2024", out=out, today=timezone.localdate())
    for label, module in demo_modules():
        if label in ("orgs", "accounts", "cases"):
            module.build(ctx)
    key = ctx.cases_open311_key
    assert out.getvalue().strip().endswith(key) and check_key(key)
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    assert {"problem", "complaint"} == set(Case.objects.values_list("kind", flat=True))
    from luoshi.supervision.models import SupervisionNotice

    overdue = Case.objects.filter(status__in=("dispatched", "accepted", "handling"), deadline__lt=timezone.now())
    assert overdue.exists()
    assert set(SupervisionNotice.objects.filter(source_type="cases").values_list("source_id", flat=True)) == set(
        overdue.values_list("pk", flat=True))
    fgw_case = Case.objects.get(subject_unit__name="临江市发展和改革委员会", reporter_name="陈春华")
    assert fgw_case.responsible_unit.display_name == "市效能办"
    assert {u: ctx.users[u].role for u in ("rexian", "paiqian", "xiaonengban")} == {
        "rexian": "operator", "paiqian": "dispatcher", "xiaonengban": "supervisor"}
