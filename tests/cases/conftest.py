"""Fixtures for the cases app: categories, an area with a boundary, routing rules,
office users (话务员 operator, 派遣员 dispatcher) and a case factory through the services."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from luoshi.cases.models import Area, Category, Kind, LimitUnit, RoutingRule
from tests.conftest import make_user

COMPLAINANT = {"reporter_name": "陈秘密", "reporter_phone": "13912345678", "reporter_email": "chen.mimi@example.cn",
               "reporter_address": "幸福小区9栋"}


@pytest.fixture
def cats(db):
    return {
        "road": Category.objects.create(code="CG-ROAD", name="道路破损", kind=Kind.PROBLEM, limit_value=24,
                                        limit_unit=LimitUnit.HOURS),
        "urgent": Category.objects.create(code="CG-URGENT", name="紧急险情", kind=Kind.PROBLEM, limit_value=2,
                                          limit_unit=LimitUnit.HOURS),
        "slow": Category.objects.create(code="XN-SLOW", name="慢作为", kind=Kind.COMPLAINT, limit_value=5,
                                        limit_unit=LimitUnit.WORKING_DAYS),
    }


@pytest.fixture
def office(units):
    from luoshi.orgs.models import Unit, UnitKind

    units["hotline"] = Unit.objects.create(name="市12345政务服务便民热线中心", kind=UnitKind.CITY_DEPT,
                                           parent=units["city"], short_names=["12345热线"])
    return {
        "operator": make_user("rexian", "operator", units["hotline"], display_name="刘话务"),
        "dispatcher": make_user("paiqian", "dispatcher", units["hotline"], display_name="何派遣"),
    }


@pytest.fixture
def routing(cats, units):
    jia = Area.objects.create(name="甲区", unit=units["jia"], boundary={
        "type": "Polygon", "coordinates": [[[118.0, 30.0], [118.1, 30.0], [118.1, 30.1], [118.0, 30.1], [118.0, 30.0]]]})
    dong = Area.objects.create(name="东街道", unit=units["dong"])
    RoutingRule.objects.create(category=cats["road"], area=jia, unit=units["dong"])
    RoutingRule.objects.create(category=cats["slow"], area=None, unit=units["duchashi"])
    return {"jia": jia, "dong": dong}


@pytest.fixture
def new_case(office, cats, routing):
    from luoshi.cases.services import do_create_case

    def _make(kind="problem", cat="road", actor=None, **kw):
        kw.setdefault("description", "人民路与解放路交叉口井盖缺失,存在安全隐患")
        kw.setdefault("address", "甲区人民路100号")
        if kind == "complaint":
            kw.setdefault("subject_unit", "市发改委")
            for k, v in COMPLAINANT.items():
                kw.setdefault(k, v)
            cat = "slow" if cat == "road" else cat
        return do_create_case(actor if actor is not None else office["operator"], kind=kind,
                              category=cats[cat].code, **kw)

    return _make


def jpeg_bytes(size=(64, 48), gps=True) -> bytes:
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"            # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (30.0, 3.0, 0.0), 3: "E", 4: (118.0, 2.0, 0.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()
