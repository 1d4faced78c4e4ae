"""Document date of dated work plans: a date line under the title, or the title's year."""
import pytest

from luoshi.extract import extract_text
from luoshi.extract.split import parse_date_line

PLAN = "2026年全市营商环境工作要点\n{date}一、提升效能\n1.市发改委要于6月底前出台实施方案。\n2.各区县要在今年年底前建立问题台账。\n"


def _doc(date_line):
    return extract_text(PLAN.format(date=date_line + "\n" if date_line else ""))["documents"][0]


@pytest.mark.parametrize("line", ["2026年1月15日", "（2026年1月15日）", "(2026年1月15日)", "2026-01-15",
                                  "二〇二六年一月十五日", "2026年1月15日印发", "中共XX市委办公室 2026年1月15日",
                                  "（2026年1月15日市政府第5次常务会议通过）"])
def test_date_line_under_the_title_sets_the_document_date(line):
    doc = _doc(line)
    assert doc["title"] == "2026年全市营商环境工作要点"
    assert doc["date"] == "2026-01-15"
    dates = [t["deadline"]["date"] for t in doc["tasks"] if t["deadline"]]
    assert dates == ["2026-06-30", "2026-12-31"]
    assert all(t["text"] != line for t in doc["tasks"])


def test_title_year_without_a_date_line():
    doc = _doc(None)
    assert doc["date"] is None
    assert [t["deadline"]["date"] for t in doc["tasks"] if t["deadline"]] == ["2026-06-30", "2026-12-31"]


def test_plan_for_next_year_issued_in_december():
    doc = _doc("2025年12月28日")
    assert doc["date"] == "2025-12-28"
    assert [t["deadline"]["date"] for t in doc["tasks"] if t["deadline"]] == ["2026-06-30", "2026-12-31"]


def test_prose_with_a_date_is_not_a_date_line():
    assert parse_date_line("2026年1月15日各部门要完成自查。") is None
    assert parse_date_line("市政府 2026年1月15日") == "2026-01-15"
