"""A finding marked 转效能投诉 becomes a 效能投诉 case when its plan is published (finding_referred → cases)."""
import pytest
from django.test import Client

from luoshi.audit.models import AuditEntry
from luoshi.cases.models import Case
from luoshi.inspections import services as svc
from luoshi.inspections.models import Finding

pytestmark = pytest.mark.django_db


def _c(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def referred(visited, secret_plan, inspector, units):
    item = secret_plan.checklist.items.get(title="首问负责")
    return svc.do_record_finding(inspector, secret_plan, unit=units["fgw"], item=item, severity="serious",
                                 description="首问窗口推诿群众,让其另找科室", staff_name="王小明", refer_case=True)


def test_published_finding_becomes_a_registered_complaint(referred, secret_plan, users, inspector):
    assert not Case.objects.exists()                       # nothing leaks before publication
    svc.do_publish_plan(users["supervisor"], secret_plan)
    case = Case.objects.get()
    assert case.kind == "complaint" and case.channel == "inspection" and case.status == "registered"
    assert case.subject_unit.name == "市发展和改革委员会" and case.category.code == "MCAF"
    assert case.source_type == "inspections.finding" and case.source_id == referred.pk
    assert "首问窗口推诿群众" in case.description and "首问负责" in case.source_label
    # nobody is named: neither the inspector nor the 涉及人员 (that goes to accountability, masked)
    assert case.anonymous and not case.reporter_name and not case.subject_person
    assert "王小明" not in case.description and inspector.display_name not in case.description
    referred.refresh_from_db()
    assert referred.referrals == [{"kind": "case", "ref": case.number, "label": f"效能投诉{case.number}",
                                   "url": f"/cases/{case.pk}/"}]
    e = AuditEntry.objects.get(action="case.referred")
    assert e.after["source"] == f"inspections.finding:{referred.pk}" and "王小明" not in str(e.after)
    # only the finding marked for it was referred
    assert Finding.objects.filter(plan=secret_plan).count() == 2 and Case.objects.count() == 1


def test_referral_links_instead_of_duplicating(referred, secret_plan, users):
    from luoshi.cases.referrals import on_finding_referred

    svc.do_publish_plan(users["supervisor"], secret_plan)
    case = Case.objects.get()
    referred.refresh_from_db()
    again = on_finding_referred(finding=referred, kind="case", actor=users["supervisor"])
    assert again["ref"] == case.number and Case.objects.count() == 1
    assert on_finding_referred(finding=referred, kind="accountability", actor=users["supervisor"]) is None


def test_unit_sees_the_case_and_the_link_without_names(referred, secret_plan, users):
    svc.do_publish_plan(users["supervisor"], secret_plan)
    case = Case.objects.get()
    fgw = _c(users["fgw"])
    page = fgw.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="case-source"' in html and "首问负责" in html and "王小明" not in html
    data = fgw.get("/api/inspections/findings/").json()
    mine = [f for f in data["results"] if f["id"] == referred.pk]
    assert mine and mine[0]["referrals"][0]["ref"] == case.number
    # another unit sees neither
    edu = _c(users["edu"])
    assert edu.get(f"/cases/{case.pk}/").status_code in (403, 404)
