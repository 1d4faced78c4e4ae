"""Statistics per unit and period, ranking, 通报 (.docx and PDF); figures recomputed from the ledger."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document
from pdfminer.high_level import extract_text

from luoshi.ledger.models import Status, Task
from luoshi.ledger.services import (do_approve_completion, do_decide_extension, do_request_completion,
                                    do_request_extension, do_sign_task)
from luoshi.supervision.pdf import bulletin_pdf
from luoshi.supervision.notices import do_issue_notice
from luoshi.supervision.sweep import run_sweep
from luoshi.supervision.bulletins import bulletin_data, bulletin_docx
from luoshi.supervision.stats import unit_stats
from luoshi.workcal.services import working_days_between

D = dt.date
pytestmark = pytest.mark.django_db
START, END, ON = D(2025, 3, 1), D(2025, 3, 31), D(2025, 4, 10)


@pytest.fixture
def scenario(placed_task, users):
    def close(t, liaison, on):
        do_sign_task(users[liaison], t)
        do_request_completion(users[liaison], t, note="已完成")
        return do_approve_completion(users["supervisor"], t, on=on)

    fgw1 = close(placed_task(D(2025, 2, 3), D(2025, 3, 14), title="发改按期"), "fgw", D(2025, 3, 10))
    fgw2 = close(placed_task(D(2025, 2, 3), D(2025, 3, 20), title="发改逾期办结"), "fgw", D(2025, 3, 25))
    fgw3 = placed_task(D(2025, 2, 3), D(2025, 3, 28), progress=40, title="发改逾期未办结")
    edu1 = close(placed_task(D(2025, 2, 3), D(2025, 3, 31), lead=("edu",), title="教育按期"), "edu", D(2025, 3, 31))
    placed_task(D(2025, 2, 3), D(2025, 4, 30), lead=("edu",), title="教育期外")
    do_issue_notice(users["supervisor"], fgw3, light="yellow", reason="滞后", on=D(2025, 3, 20))
    return {"fgw": [fgw1, fgw2, fgw3], "edu": [edu1]}


def independent(unit):
    """Recompute one unit's figures straight from the task rows."""
    tasks = [t for t in Task.objects.filter(lead_units=unit) if t.deadline and START <= t.deadline <= END
             and t.status not in (Status.DRAFT, Status.SUSPENDED)]
    on_time = [t for t in tasks if t.status == Status.CLOSED and t.closed_on <= t.deadline]
    late = [t for t in tasks if (t.status == Status.CLOSED and t.closed_on > t.deadline)
            or (t.status != Status.CLOSED and t.deadline < ON)]
    days = [working_days_between(t.deadline, t.closed_on if t.status == Status.CLOSED else ON) for t in late]
    return len(tasks), len(on_time), len(late), (round(sum(days) / len(days), 1) if days else 0.0)


def test_figures_and_ranking(scenario, units):
    rows = {r["unit"]: r for r in unit_stats(START, END, ON)}
    fgw, edu = rows["市发展和改革委员会"], rows["市教育局"]
    # Days late are working days: 03-20 → 03-25 is 3; 03-28 → 04-10 is 8 (清明 04-04 is off): (3 + 8) / 2
    assert (fgw["tasks"], fgw["on_time"], fgw["late"], fgw["avg_days_late"]) == (3, 1, 2, 5.5)
    assert (fgw["on_time_rate"], fgw["overdue_rate"], fgw["notices"]) == (0.3333, 0.6667, 1)
    assert (edu["tasks"], edu["on_time_rate"], edu["overdue_rate"]) == (1, 1.0, 0.0)
    assert [edu["rank"], fgw["rank"]] == [1, 2]
    for key in ("fgw", "edu"):
        r = rows[units[key].name]
        assert (r["tasks"], r["on_time"], r["late"], r["avg_days_late"]) == independent(units[key])


def test_extensions_counted_in_the_period_they_were_approved(placed_task, users):
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14))
    today = timezone.localdate()
    req = do_request_extension(users["fgw"], t, new_deadline=today + dt.timedelta(days=30), reason="征地未完成")
    do_decide_extension(users["supervisor"], req, approve=True)
    rows = {r["unit"]: r for r in unit_stats(today - dt.timedelta(days=1), today + dt.timedelta(days=60), today)}
    assert rows["市发展和改革委员会"]["extensions"] == 1
    assert unit_stats(START, END, ON) == []   # the task's deadline moved out of March


def test_bulletin_docx_and_pdf(scenario):
    run_sweep(ON)
    data = bulletin_data(START, END, ON)
    # fgw has an overdue task (red); edu's 04-30 task is at 0 % with 序时进度 well ahead (yellow).
    assert [(c["unit"], c["card"]) for c in data["cards"]] == [("市发展和改革委员会", "红牌"), ("市教育局", "黄牌")]
    assert [o["title"] for o in data["overdue"]] == ["发改逾期未办结"]
    doc = Document(io.BytesIO(bulletin_docx(data)))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    for needle in ("督办事项落实情况的通报", "红牌", "发改逾期未办结", "市教育局", "100.0%", "33.3%"):
        assert needle in text, needle
    pdf_text = "".join(extract_text(io.BytesIO(bulletin_pdf(data))).split())
    for needle in ("督办事项落实情况的通报", "红牌", "发改逾期未办结", "市发展和改革委员会"):
        assert needle in pdf_text, needle



def test_unit_with_nothing_due_has_no_rate_and_ranks_last(users, make_task):
    import datetime as dt

    from luoshi.ledger import services as ledger
    from luoshi.supervision.stats import unit_stats

    today = ledger.today()
    later = make_task(title="下月到期", lead=("edu",), deadline=today + dt.timedelta(days=40))
    req = ledger.do_request_extension(users["edu"], later, new_deadline=today + dt.timedelta(days=60), reason="等待批复")
    ledger.do_decide_extension(users["supervisor"], req, approve=True)  # edu appears through its extension
    due = make_task(title="今天到期", lead=("fgw",), deadline=today)
    ledger.do_sign_task(users["fgw"], due)
    ledger.do_request_completion(users["fgw"], due, note="已完成")
    ledger.do_approve_completion(users["supervisor"], due)
    rows = unit_stats(today - dt.timedelta(days=30), today)
    assert [r["unit"] for r in rows] == ["市发展和改革委员会", "市教育局"]
    fgw, edu = rows
    assert (fgw["tasks"], fgw["on_time_rate"], fgw["on_time_rate_pct"]) == (1, 1.0, "100.0%")
    assert (edu["tasks"], edu["extensions"], edu["on_time_rate"], edu["on_time_rate_pct"]) == (0, 1, None, "—")
