"""Chinese labels of audit actions, shown on the audit page and a task's history.

Apps add their own actions with `register({"case.dispatch": "派遣", ...})` (at import
time or in AppConfig.ready()); unknown actions are shown as their code."""
from __future__ import annotations

AUDIT_LABELS = {
    "task.create": "立项", "task.assign": "交办", "task.sign": "签收", "task.report": "报送进展",
    "task.request_completion": "申请办结", "task.start_review": "开始审核", "task.approve": "审核通过(办结)",
    "task.return": "退回", "task.suspend": "中止", "task.extend": "延期", "task.update": "修改任务",
    "task.rollup": "进度汇总", "report.create": "新增进展报告", "extension.request": "申请延期",
    "extension.decide": "审批延期", "instruction.create": "领导批示", "source.create": "登记来源",
    "unit.create": "新增单位", "unit.update": "修改单位",
}


def register(labels: dict[str, str]) -> None:
    """Add or override labels of audit actions (action code -> Chinese label)."""
    AUDIT_LABELS.update(labels)
