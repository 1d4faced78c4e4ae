"""The demo data of both apps: every petition state incl. 积案 and 终结, 市发改委 handling some, two
inspection plans with the unannounced one hidden from `fgw`."""
import random
import io

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_ctx():
    """The demo composer's context after the orgs and accounts demos (units and logins)."""
    import datetime as dt

    from django.utils import timezone

    from luoshi.accounts import demo as accounts_demo
    from luoshi.core.demo import DemoContext
    from luoshi.orgs import demo as orgs_demo
    ctx = DemoContext(rng=random.Random(1), password="luoshi-demo-2024", out=io.StringIO(),
                      today=timezone.localdate())
    orgs_demo.build(ctx)
    accounts_demo.build(ctx)
    return ctx


def test_demo_petitions_and_inspections(demo_ctx):
    from luoshi.inspections import demo as idemo
    from luoshi.inspections.models import Plan
    from luoshi.petitions import demo as pdemo
    from luoshi.petitions.models import Petition, Status

    pdemo.build(demo_ctx)
    plans = idemo.build(demo_ctx)
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert set(Status.values) == statuses
    assert Petition.objects.filter(backlog=True, resolved_on__isnull=True).exists()
    assert Petition.objects.filter(backlog=True, resolved_on__isnull=False).exists()
    # the 积案 list reads as a new user expects: each open 积案 has its handling unit (the repeats of the
    # repeated matter were answered 不予受理: in progress as the first one, not three more 积案 without a unit)
    open_backlog = Petition.objects.filter(backlog=True, resolved_on__isnull=True)
    assert not open_backlog.filter(handling_unit__isnull=True).exists()
    assert open_backlog.filter(backlog_reason__startswith="重复信访").count() == 1
    assert Petition.objects.filter(status="terminated").exists() and Petition.objects.filter(status="repeat").exists()
    fgw = demo_ctx.users["fgw"]
    assert Petition.objects.filter(handling_unit=fgw.unit).count() >= 3
    c = Client()
    c.force_login(fgw)
    page = c.get("/petitions/").content.decode()
    assert "企业用电价格执行有误" in page and "王秀英" not in page and "王**" in page
    assert Plan.objects.count() == 2
    secret = plans["secret"]
    assert secret.mode == "unannounced" and not secret.published and secret.units.filter(pk=fgw.unit_id).exists()
    body = c.get("/inspections/").content.decode()
    assert "机关作风暗访" not in body and "政务服务窗口作风明查" not in body  # fgw is in neither's published scope
    assert c.get(f"/inspections/plans/{secret.pk}/").status_code == 404
    assert secret.findings.get().evidence.filter(kind="photo").exists()
    # the phone page's referrals: the published plan's 转效能投诉 became a case; the secret plan's 提出问责建议
    # (naming a person) waits for publication
    from luoshi.cases.models import Case

    referred = plans["open"].findings.get(refer_case=True)
    assert Case.objects.filter(source_type="inspections.finding", source_id=referred.pk).exists()
    assert referred.referrals[0]["kind"] == "case"
    waiting = secret.findings.get()
    assert waiting.refer_accountability and waiting.staff_name == "孙浩然"
