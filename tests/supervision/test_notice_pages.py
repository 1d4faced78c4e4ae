"""Notice pages: list, detail, 签收/回复 forms, PDF download; a unit sees only its own notices."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pdfminer.high_level import extract_text

from luoshi.ledger.models import TaskEvent

from luoshi.supervision.models import SupervisionNotice
from luoshi.supervision.notices import do_issue_notice

D = dt.date
pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def two_notices(placed_task, users):
    t1 = placed_task(D(2025, 2, 3), D(2025, 12, 31), lead=("fgw",), title="发改任务")
    t2 = placed_task(D(2025, 2, 3), D(2025, 12, 31), lead=("yi",), title="乙县任务")
    return (do_issue_notice(users["supervisor"], t1, light="red", reason="发改逾期", on=D(2025, 6, 2)),
            do_issue_notice(users["supervisor"], t2, light="yellow", reason="乙县滞后", on=D(2025, 6, 2)))


def test_list_shows_only_own_notices(client, users, two_notices):
    n1, n2 = two_notices
    html = login(client, users["fgw"]).get("/supervision/notices/").content.decode()
    assert n1.number in html and n2.number not in html
    assert client.get(f"/supervision/notices/{n2.pk}/").status_code == 404
    assert client.get(f"/supervision/notices/{n2.pk}/pdf/").status_code == 404
    assert client.post(f"/supervision/notices/{n2.pk}/do/acknowledge/").status_code == 404
    html = login(client, users["supervisor"]).get("/supervision/notices/?light=yellow").content.decode()
    assert n2.number in html and n1.number not in html


def test_unit_acknowledges_and_answers_through_the_page(client, users, two_notices):
    n1, _ = two_notices
    login(client, users["fgw"])
    page = client.get(f"/supervision/notices/{n1.pk}/").content.decode()
    assert "签收" in page and "answer-form" in page
    client.post(f"/supervision/notices/{n1.pk}/do/acknowledge/")
    resp = client.post(f"/supervision/notices/{n1.pk}/do/answer/", {"answer": "已完成整改并报送材料"}, follow=True)
    assert "已回复督办单" in resp.content.decode()
    n1.refresh_from_db()
    assert (n1.state, n1.answer) == ("answered", "已完成整改并报送材料")
    assert TaskEvent.objects.filter(task=n1.task, kind="notice_answer").exists()
    # an empty answer shows the Chinese error, writes nothing
    login(client, users["supervisor"])
    resp = client.post(f"/supervision/notices/{n1.pk}/do/reject/", {"note": ""}, follow=True)
    assert "审核意见不能为空" in resp.content.decode()
    n1.refresh_from_db()
    assert n1.state == "answered"


def test_pdf_download(client, users, two_notices):
    n1, _ = two_notices
    resp = login(client, users["fgw"]).get(f"/supervision/notices/{n1.pk}/pdf/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert "attachment" in resp["Content-Disposition"]
    text = "".join(extract_text(io.BytesIO(resp.content)).split())
    assert n1.number in text and "发改逾期" in text


def test_manual_issue_page_is_for_supervisors(client, users, placed_task):
    t = placed_task(D(2025, 2, 3), D(2025, 12, 31))
    assert login(client, users["fgw"]).get(f"/supervision/tasks/{t.pk}/notice/").status_code == 403
    login(client, users["supervisor"])
    resp = client.post(f"/supervision/tasks/{t.pk}/notice/", {"light": "yellow", "reason": "现场督查发现进度慢"})
    n = SupervisionNotice.objects.get(task=t)
    assert resp.status_code == 302 and resp["Location"] == f"/supervision/notices/{n.pk}/"
    assert (n.kind, n.light, n.issued_by) == ("manual", "yellow", users["supervisor"])
