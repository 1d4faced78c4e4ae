"""Bad input to the ledger is refused with a clear message and writes nothing."""
import datetime as dt

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.core.errors import LuoshiError
from luoshi.ledger import services as s
from luoshi.ledger.models import Task


def _count():
    return Task.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("kwargs, zh", [
    ({"title": "<script>alert(1)</script>"}, "脚本"),
    ({"requirement": "见<img src=x onerror=alert(1)>"}, "脚本"),
    ({"title": "  "}, "不能为空"),
    ({"lead": ()}, "牵头单位"),
    ({"lead": ("fgw",), "co": ("fgw",)}, "既是牵头单位"),
    ({"deadline": dt.date(2020, 1, 1)}, "早于"),
    ({"recurrence": "每月"}, "无法识别"),
    ({"deadline_working_days": 0}, "工作日数"),
    ({"deadline": dt.date(2099, 1, 1), "deadline_working_days": 5}, "二者选一"),
    ({"targets": [{"metric": "办结率", "op": ">=", "value": "很多"}]}, "不是数字"),
])
def test_refused_and_nothing_written(make_task, kwargs, zh):
    before = _count()
    kw = {"title": "正常标题", **kwargs}
    with pytest.raises(LuoshiError) as err:
        make_task(**kw)
    assert zh in err.value.message_zh
    assert err.value.message_en and err.value.message_en[:12].isascii()
    assert _count() == before


def test_working_day_deadline_before_assignment_is_impossible(make_task):
    task = make_task(deadline_working_days=3)
    assert task.deadline > task.assigned_on


def test_markup_free_text_with_angle_brackets_in_prose_is_fine(make_task):
    task = make_task(title="确保满意率 >= 95%,投诉量 < 10件")
    assert task.title == "确保满意率 >= 95%,投诉量 < 10件"
