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


def test_supervision_workspace_and_overview_list_copies_for_reference(users, units, make_task, client_for):
    """The same kind on 本单位督办 (/supervision/workspace/) and 督办总览 (/supervision/): a copied notice is
    供参阅, never among the unit's 待办督办单."""
    task = make_task(title="推进老旧小区改造", co=("edu",))
    notice = do_issue_notice(users["supervisor"], task, light="yellow", reason="进度滞后")
    notice.copy_units.add(units["edu"])

    def part(html, ident):
        start = html.index(f'id="{ident}"')
        return html[start:html.index("</ul>", start)]

    fgw = client_for("fgw").get("/supervision/workspace/").content.decode()
    assert notice.number in part(fgw, "ws-notices") and 'id="ws-notices-cc"' in fgw
    assert notice.number not in part(fgw, "ws-notices-cc")
    edu = client_for("edu").get("/supervision/workspace/").content.decode()
    assert notice.number not in part(edu, "ws-notices")
    assert notice.number in part(edu, "ws-notices-cc") and "供参阅" in part(edu, "ws-notices-cc")
    # the overview marks it too
    over = client_for("edu").get("/supervision/").content.decode()
    row = over[over.index(notice.number):]
    assert "供参阅" in row[:row.index("</tr>")]
    over = client_for("fgw").get("/supervision/").content.decode()
    row = over[over.index(notice.number):]
    assert "供参阅" not in row[:row.index("</tr>")]


def test_notice_list_and_page_mark_a_copied_notice_for_reference(users, units, make_task, client_for):
    """The same kind on 督办单 (/supervision/notices/) and the notice's own page: a copied unit sees
    供参阅 instead of a bare 待签收 it cannot act on; the addressed unit sees its to-do."""
    task = make_task(title="推进老旧小区改造", co=("edu",))
    notice = do_issue_notice(users["supervisor"], task, light="yellow", reason="进度滞后")
    notice.copy_units.add(units["edu"])

    def row(html):
        rest = html[html.index(notice.number):]
        return rest[:rest.index("</tr>")]

    edu = client_for("edu").get("/supervision/notices/").content.decode()
    assert "供参阅" in row(edu)
    fgw = client_for("fgw").get("/supervision/notices/").content.decode()
    assert "供参阅" not in row(fgw) and "待签收" in row(fgw)
    page = client_for("edu").get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert 'id="notice-for-reading"' in page and "/do/answer/" not in page
    page = client_for("fgw").get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert 'id="notice-for-reading"' not in page and "/do/answer/" in page
    page = client_for("supervisor").get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert 'id="notice-for-reading"' not in page
