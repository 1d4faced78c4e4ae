"""The phone record page with a unit id that is digits to str.isdigit() but not to int() ("¹", "²³"), or too long
for the database's integer, or a position of "NaN": a 400 with a message, nothing written (all were 500s)."""
import pytest
from django.test import Client

from luoshi.audit.models import AuditEntry
from luoshi.inspections.models import Finding, Record
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("unit", ["¹", "²³", "１５", "9" * 20])
def test_odd_unit_id_on_the_record_page_is_a_400(secret_plan, inspector, unit):
    items = list(secret_plan.checklist.items.order_by("sort_order", "id"))
    data = {"unit": unit, "place": "市民中心5号窗口", **{f"r{i.pk}": "ok" for i in items}}
    c = Client()
    assert c.login(username=inspector.username, password=PASSWORD)
    r = c.post(f"/inspections/plans/{secret_plan.pk}/record/", data)
    assert r.status_code == 400 and "所选被检查单位无效" in r.content.decode()
    assert not Record.objects.exists() and not Finding.objects.exists()
    assert not AuditEntry.objects.filter(action="inspection.record").exists()


@pytest.mark.parametrize("lat, lon", [("NaN", "120.1"), ("30.2", "nan"), ("sNaN", "1"), ("inf", "1"), ("-Infinity", "1")])
def test_a_position_that_is_not_a_finite_number_is_a_400(secret_plan, inspector, units, lat, lon):
    items = list(secret_plan.checklist.items.order_by("sort_order", "id"))
    data = {"unit": units["fgw"].pk, "latitude": lat, "longitude": lon, **{f"r{i.pk}": "ok" for i in items}}
    c = Client()
    assert c.login(username=inspector.username, password=PASSWORD)
    r = c.post(f"/inspections/plans/{secret_plan.pk}/record/", data)
    assert r.status_code == 400 and "应为数字" in r.content.decode()
    assert not Record.objects.exists() and not AuditEntry.objects.filter(action="inspection.record").exists()


def test_the_audit_entry_of_a_record_is_labelled(visited, secret_plan):
    """The audit page showed “Record object (4)” for an on-site record."""
    e = AuditEntry.objects.filter(action="inspection.record").latest("seq")
    assert e.object_repr == f"现场检查记录 #{visited.pk}(检查计划 #{secret_plan.pk})"
