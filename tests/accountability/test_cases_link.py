"""A 效能投诉 found 属实 raises a proposal against the unit complained about, without the complainant."""
from __future__ import annotations

import pytest

from luoshi.accountability.models import CauseType, Proposal
from luoshi.cases import services as csvc
from tests.cases.conftest import COMPLAINANT, cats, new_case, office, routing  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_complaint_found_true_raises_a_proposal(new_case, office, units, officer, django_capture_on_commit_callbacks):
    case, _ = new_case(kind="complaint")
    disp = office["dispatcher"]
    csvc.do_dispatch_case(disp, case, unit=units["duchashi"])
    csvc.do_sign_case(disp, case)
    csvc.do_investigate_case(disp, case, "调取窗口记录,确有拖延")
    with django_capture_on_commit_callbacks(execute=True):
        csvc.do_find_case(disp, case, "true", "责令书面检查")
    p = Proposal.objects.get()
    assert (p.cause_type, p.cause, p.unit.name) == (CauseType.COMPLAINT, case, "市发展和改革委员会")
    assert "认定属实" in p.cause_label and "确有拖延" in p.facts
    for secret in COMPLAINANT.values():
        assert secret not in p.facts + p.cause_label
    with django_capture_on_commit_callbacks(execute=True):  # a second signal for the same case: still one
        from luoshi.cases.signals import complaint_found

        complaint_found.send(sender=type(case), case=case, finding="true", actor=disp)
    assert Proposal.objects.count() == 1


def test_complaint_not_true_raises_nothing(new_case, office, units, officer, django_capture_on_commit_callbacks):
    case, _ = new_case(kind="complaint")
    disp = office["dispatcher"]
    csvc.do_dispatch_case(disp, case, unit=units["duchashi"])
    csvc.do_sign_case(disp, case)
    csvc.do_investigate_case(disp, case, "经核查,已按时办理")
    with django_capture_on_commit_callbacks(execute=True):
        csvc.do_find_case(disp, case, "false", "不予处理")
    assert not Proposal.objects.exists()
