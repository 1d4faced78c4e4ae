"""Issue 9: the unit workspace lists the unit's open 督办单 next to its tasks; a notice on which the
unit is only copied is listed 供参阅, not as a to-do."""
from __future__ import annotations

import pytest

from luoshi.notifications.models import Notification
from luoshi.supervision.notices import do_answer_notice, do_issue_notice, do_review_answer

pytestmark = pytest.mark.django_db


def section(html: str, key: str) -> str:
    start = html.index(f'id="s-{key}"')
    return html[start:html.index("</section>", start)]


def test_workspace_lists_open_notices_and_copies_for_reference(users, units, make_task, client_for):
    task = make_task(title="推进老旧小区改造", co=("edu",))
    notice = do_issue_notice(users["supervisor"], task, light="yellow", reason="进度滞后")
    notice.copy_units.add(units["edu"])
    fgw = client_for("fgw").get("/workspace/").content.decode()
    assert notice.number in section(fgw, "notices") and "待回复" in section(fgw, "notices")
    assert notice.number not in section(fgw, "notices-cc")
    edu = client_for("edu").get("/workspace/").content.decode()
    assert notice.number not in section(edu, "notices")
    assert notice.number in section(edu, "notices-cc") and "供参阅" in section(edu, "notices-cc")
    # a returned answer reaches the addressed unit's inbox
    do_answer_notice(users["fgw"], notice, "已加快进度")
    do_review_answer(users["supervisor"], notice, accept=False, note="请附整改台账")
    assert Notification.objects.filter(user=users["fgw"], kind="notice.rejected").exists()
    do_answer_notice(users["fgw"], notice, "已附整改台账")
    do_review_answer(users["supervisor"], notice, accept=True)
    assert notice.number not in client_for("fgw").get("/workspace/").content.decode()
