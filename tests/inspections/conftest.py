import datetime as dt
import io

import pytest
from PIL import Image

from tests.conftest import make_user


def jpeg(color=(200, 50, 50), size=(64, 48), gps=True) -> bytes:
    im = Image.new("RGB", size, color)
    ex = Image.Exif()
    ex.get_ifd(0x8769)[36867] = "2026:03:02 10:00:00"
    if gps:
        ex.get_ifd(0x8825).update({1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 30.0)})
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=ex)
    return buf.getvalue()


@pytest.fixture
def inspector(units):
    return make_user("jianchayuan", "inspector", units["duchashi"], display_name="郑检查")


@pytest.fixture
def checklist(users):
    from luoshi.inspections.services import DEFAULT_ITEMS, do_save_checklist

    return do_save_checklist(users["supervisor"], name="政务服务窗口作风检查表", items=DEFAULT_ITEMS)


@pytest.fixture
def secret_plan(users, units, inspector, checklist):
    from luoshi.inspections.services import do_create_plan

    return do_create_plan(users["supervisor"], title="政务服务窗口暗访", mode="unannounced", checklist=checklist,
                          units=[units["fgw"], units["jia_fg"]], inspectors=[inspector],
                          start_on=dt.date(2026, 3, 2), end_on=dt.date(2026, 3, 6), places="市民中心")


@pytest.fixture
def visited(secret_plan, inspector, units):
    from luoshi.inspections.services import do_record_visit

    items = list(secret_plan.checklist.items.all())
    answers = {i.pk: ("ok", "") for i in items}
    answers[items[0].pk] = ("problem", "窗口工作人员离岗20分钟")
    return do_record_visit(inspector, secret_plan, unit=units["fgw"], answers=answers, notes="上午10点检查",
                           latitude="30.25", longitude="120.17", files=[("a.jpg", jpeg())],
                           severities={items[0].pk: "serious"})
