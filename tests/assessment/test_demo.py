"""`luoshi demo` builds the assessment demo: two published plans (市直部门, 区县), reported figures with
evidence, expert scores (two 考核专家 logins with their own score sheets), a survey with answers and a pending
appeal; `luoshi assess` reads them back."""
from __future__ import annotations

import json

from tests.cli.conftest import luoshi

CHECK = r"""
import json
from luoshi.assessment.models import (Appeal, Plan, ReportedFigure, ScoreRun, ScoreSheet, ServiceCard, SurveyResponse,
                                      TargetFigure, TargetLetter, WindowRecord)
print("JSON" + json.dumps({
    "published": sorted(r.plan.group for r in ScoreRun.objects.filter(state="published")),
    "accepted": ReportedFigure.objects.filter(state="accepted").count(),
    "returned": ReportedFigure.objects.filter(state="returned").count(),
    "evidence": ReportedFigure.objects.exclude(evidence="").count(),
    "answers": SurveyResponse.objects.count(),
    "appeals": list(Appeal.objects.values_list("state", flat=True)),
    "letters": list(TargetLetter.objects.values_list("state", flat=True)),
    "letter_figures": TargetFigure.objects.count(),
    "windows": WindowRecord.objects.count(),
    "cards": ServiceCard.objects.count(),
    "sheets": sorted((s.rater.username, s.rater.role, s.plan.group, s.state, s.scores.count() > 0)
                     for s in ScoreSheet.objects.select_related("rater", "plan")),
}))
"""


def test_demo_has_published_plans_survey_answers_and_an_appeal(tmp_path):
    data = tmp_path / "data"
    proc = luoshi("demo", data_dir=data, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "assessment: 2 published plans" in proc.stdout
    got = json.loads(luoshi("manage", "shell", "-c", CHECK, data_dir=data).stdout.split("JSON", 1)[1])
    assert got["published"] == ["city_dept", "county"]
    assert got["accepted"] > 20 and got["returned"] >= 1 and got["evidence"] > 5
    assert got["answers"] > 100 and got["appeals"] == ["pending"]
    assert got["letters"] == ["signed"] and got["letter_figures"] >= 4
    assert got["windows"] > 200 and got["cards"] >= 1
    assert got["sheets"] == [["zhuanjia", "expert", "city_dept", "submitted", True],
                             ["zhuanjia", "expert", "county", "submitted", True],
                             ["zhuanjia2", "expert", "city_dept", "submitted", True],
                             ["zhuanjia2", "expert", "county", "open", True]]
    plans = json.loads(luoshi("assess", "plans", "--json", data_dir=data).stdout)
    assert {p["group"] for p in plans} == {"city_dept", "county"}
    code = next(p["code"] for p in plans if p["group"] == "county")
    score = json.loads(luoshi("assess", "score", code, "--json", data_dir=data).stdout)
    assert score["published"] and len(score["units"]) >= 5
    for u in score["units"]:
        assert round(sum(i["points"] for i in u["items"]), 2) == u["total"]
    # the 区县 plan scores each district's figure against its own 节能目标
    energy = [i for u in score["units"] for i in u["items"] if i["indicator"] == "2.1" and i["value"] is not None]
    assert energy and all(i["note"].startswith("本单位目标值") for i in energy)
