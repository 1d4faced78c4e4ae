"""多级分解: a lead unit breaks its task down to subordinate units; progress rolls up."""
import pytest

from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.ledger import services as s
from luoshi.ledger.models import Status
from luoshi.ledger.permissions import visible_tasks


def test_district_breaks_down_to_towns_and_progress_rolls_up(users, units, make_task):
    parent = make_task(title="开展效能建设专项检查", lead=("jia",))
    s.do_sign_task(users["jia"], parent)
    sub_dong = s.do_create_task(users["jia"], title="东街道专项检查", lead_units=[units["dong"]], parent=parent,
                                assign=True)
    sub_xi = s.do_create_task(users["jia"], title="西镇专项检查", lead_units=[units["xi"]], parent=parent,
                              assign=True)
    assert sub_dong.status == Status.ASSIGNED
    s.do_sign_task(users["dong"], sub_dong)
    s.do_report_progress(users["dong"], sub_dong, text="已检查10家单位", percent=50)
    parent.refresh_from_db()
    assert parent.progress == 25  # (50 + 0) / 2
    # the district supervises its sub-tasks
    s.do_request_completion(users["dong"], sub_dong, note="已完成")
    s.do_approve_completion(users["jia"], sub_dong)
    parent.refresh_from_db()
    assert parent.progress == 50  # (100 + 0) / 2
    with pytest.raises(LuoshiError):
        s.do_request_completion(users["jia"], parent, note="已完成")  # 西镇 still open
    assert sub_xi in visible_tasks(users["jia"])
    assert sub_xi not in visible_tasks(users["dong"])


def test_cannot_break_down_to_units_outside_own_subtree(users, units, make_task):
    parent = make_task(lead=("jia",))
    with pytest.raises(LuoshiError) as err:
        s.do_create_task(users["jia"], title="越级分解", lead_units=[units["nan"]], parent=parent)
    assert "下级单位" in err.value.message_zh
    with pytest.raises(NotAllowed):
        s.do_create_task(users["yi"], title="不是牵头单位", lead_units=[units["nan"]], parent=parent)
