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


# What an action code's parts mean when no app registered a label for the whole code
# ("escalation.step" → 升级督办·执行一步), so the audit page never shows a bare code.
OBJECT_ZH = {
    "task": "督办事项", "report": "进展报告", "extension": "延期申请", "instruction": "领导批示", "source": "来源",
    "unit": "单位", "user": "用户", "calendar": "工作日历", "escalation": "升级督办", "notice": "督办单",
    "rectification": "限期整改", "finding": "督查发现", "review": "导入审核", "case": "案件", "petition": "信访件",
    "inspection": "明查暗访", "plan": "检查计划", "assessment": "考核", "proposal": "问责建议", "audit": "审计",
    "light": "督办灯色", "policy": "升级策略", "open311": "Open311接口", "key": "接口密钥", "category": "类别",
    "survey": "群众评议", "appeal": "申诉", "decision": "问责决定", "person": "问责对象", "measure": "问责措施",
    "backup": "备份", "restore": "恢复", "login": "登录", "token": "API令牌", "lockout": "登录锁定",
}
VERB_ZH = {
    "create": "新建", "update": "修改", "delete": "删除", "step": "执行一步", "issue": "签发", "acknowledge": "签收",
    "answer": "回复", "review": "审核", "submit": "提交", "verify": "验收", "decide": "决定", "request": "申请",
    "accept": "接受", "discard": "放弃", "merge": "合并", "split": "拆分", "upload": "上传", "load_notice": "导入通知",
    "set_local_day": "本地调整", "set_password": "修改密码", "assign": "交办", "dispatch": "派遣", "sign": "签收",
    "return": "退回", "reject": "退单", "close": "结案", "reopen": "重新办理", "rate": "评价", "publish": "发布",
    "run": "计算", "appeal": "申诉", "lock": "锁定", "unlock": "解锁", "revoke": "吊销", "checkpoint": "锚定",
    "policy": "设置策略", "extend": "延期", "suspend": "中止", "approve": "批准", "cancel": "作废",
    # notification kinds use the past tense of the same events
    "issued": "已签发", "returned": "被退回", "assigned": "新交办", "answered": "已回复", "reviewed": "已审核",
    "decided": "已决定", "overdue": "已逾期", "due_soon": "临期", "escalated": "升级督办", "instructed": "领导批示",
    "submitted": "已提交", "verified": "已验收", "rejected": "被退单", "dispatched": "已派遣", "closed": "已办结",
    "reminder": "提醒", "created": "已新建", "updated": "已修改", "published": "已发布",
}


def action_label(action: str) -> str:
    """The Chinese label of an audit action code: registered, else composed from its parts."""
    if action in AUDIT_LABELS:
        return AUDIT_LABELS[action]
    obj, _, verb = action.partition(".")
    obj_zh = OBJECT_ZH.get(obj, "")
    verb_zh = VERB_ZH.get(verb, "")
    if obj_zh and verb_zh:
        return f"{obj_zh}·{verb_zh}"
    return obj_zh or verb_zh or "其他操作"


def object_type_label(object_type: str) -> str:
    """"ledger.task" → the model's Chinese verbose_name (督办事项); unknown types → 其他对象."""
    from django.apps import apps

    try:
        label = str(apps.get_model(object_type)._meta.verbose_name) if "." in object_type else ""
    except (LookupError, ValueError):
        label = ""
    if label:
        return label
    return OBJECT_ZH.get(object_type.rpartition(".")[2], "其他对象")


def object_text(object_type: str, object_id, object_repr: str) -> str:
    """What the audit page shows for an entry's object: its repr, with Django's English fallback
    repr ("Instruction object (3)") replaced by the Chinese type and id (领导批示 #3)."""
    import re

    if not object_repr or re.fullmatch(r"\w+ object \(\d+\)", object_repr):
        return f"{object_type_label(object_type)} #{object_id}"
    return object_repr
