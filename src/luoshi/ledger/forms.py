"""Forms of the ledger pages. They only parse and shape input (dates, numbers, choices);
the rules (permissions, states, plain text, deadlines) live in the do_ services."""
from __future__ import annotations

import re

from django import forms
from django.conf import settings

from luoshi.ledger.models import Priority, Source, SourceKind, Target
from luoshi.orgs.models import Unit
from luoshi.orgs.widgets import UnitMultipleField, UnitPickerMultiple, limit_options

REQUIRED = {"required": "此项为必填项"}
BAD_DATE = "日期无效,请按“年-月-日”填写真实存在的日期(如 2025-03-31)"
DATE_ERRORS = {"required": "请填写日期", "invalid": BAD_DATE}
INT_ERRORS = {"required": "此项为必填项", "invalid": "请输入整数",
              "min_value": "不能小于%(limit_value)s", "max_value": "不能大于%(limit_value)s"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kw):
        super().__init__(format="%Y-%m-%d", **kw)


def date_field(label, required=True, **kw):
    return forms.DateField(label=label, required=required, widget=DateInput(), input_formats=["%Y-%m-%d"],
                           error_messages=DATE_ERRORS, **kw)


def text_field(label, required=True, max_length=None, textarea=False, rows=3, **kw):
    widget = forms.Textarea(attrs={"rows": rows}) if textarea else forms.TextInput()
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget,
                           strip=True, error_messages={**REQUIRED, "max_length": "不能超过%(limit_value)d字"},
                           **kw)


def check_upload(f):
    if f and f.size > settings.LUOSHI_MAX_UPLOAD_BYTES:
        mb = settings.LUOSHI_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise forms.ValidationError(f"附件不能超过{mb}MB")
    return f


class UnitChoices(UnitMultipleField):
    """Several units; without JavaScript in a large organisation also typed names (orgs.widgets)."""


class TargetForm(forms.Form):
    metric = text_field("指标", required=False, max_length=100)
    op = forms.ChoiceField(label="比较", choices=Target.Op.choices, initial=Target.Op.GE, required=False)
    value = forms.DecimalField(label="目标值", required=False, max_digits=16, decimal_places=4,
                               error_messages={"invalid": "目标值应为数字",
                                               "max_digits": "目标值位数过多",
                                               "max_decimal_places": "目标值最多4位小数",
                                               "max_whole_digits": "目标值过大"})
    unit = text_field("单位", required=False, max_length=20)

    def clean(self):
        data = super().clean()
        if data.get("metric") and data.get("value") is None and not self.errors:
            raise forms.ValidationError("填写了指标时须填写目标值")
        if data.get("value") is not None and not data.get("metric") and not self.errors:
            raise forms.ValidationError("填写了目标值时须填写指标名称")
        return data


TargetFormSet = forms.formset_factory(TargetForm, extra=3, max_num=20)


class TaskForm(forms.Form):
    """立项 (and 分解子任务 when `parent` is given)."""

    DEADLINE_MODES = [("date", "指定日期"), ("workdays", "交办后N个工作日"), ("none", "暂不设定")]
    RECURRENCE_MODES = [("none", "无"), ("monthly", "每月N日前报送"), ("quarterly", "每季度报送")]

    title = text_field("工作任务", max_length=300)
    requirement = text_field("具体要求", required=False, textarea=True, rows=4)
    source = forms.ModelChoiceField(label="任务来源", required=False, queryset=Source.objects.none(),
                                    empty_label="(无)", error_messages={"invalid_choice": "来源不存在"})
    section = text_field("所属章节", required=False, max_length=500)
    lead_units = UnitChoices(label="牵头单位", queryset=Unit.objects.none(), widget=UnitPickerMultiple(),
                             error_messages={"required": "至少需要一个牵头单位",
                                             "invalid_choice": "所选单位不存在或不可选",
                                             "invalid_pk_value": "所选单位无效"})
    co_units = UnitChoices(label="配合单位", required=False, queryset=Unit.objects.none(),
                           widget=UnitPickerMultiple(),
                           error_messages={"invalid_choice": "所选单位不存在或不可选",
                                           "invalid_pk_value": "所选单位无效"})
    responsible_leader = text_field("责任领导", required=False, max_length=100)
    deadline_mode = forms.ChoiceField(label="完成时限", choices=DEADLINE_MODES, initial="date",
                                      widget=forms.RadioSelect)
    deadline = date_field("完成日期", required=False)
    deadline_working_days = forms.IntegerField(label="工作日数", required=False, min_value=1, max_value=3650,
                                               error_messages=INT_ERRORS)
    recurrence_mode = forms.ChoiceField(label="定期报送", choices=RECURRENCE_MODES, initial="none",
                                        widget=forms.RadioSelect)
    recurrence_day = forms.IntegerField(label="每月报送日", required=False, min_value=1, max_value=31,
                                        error_messages=INT_ERRORS)
    priority = forms.TypedChoiceField(label="重要程度", choices=Priority.choices, coerce=int,
                                      initial=Priority.NORMAL)
    tags = text_field("标签", required=False, max_length=300, help_text="多个标签用逗号或顿号分隔")
    assign = forms.BooleanField(label="立即交办", required=False, initial=True)

    def __init__(self, *a, units=None, parent=None, edit=None, under=(), **kw):
        super().__init__(*a, **kw)
        self.edit = edit
        units = units if units is not None else Unit.objects.filter(is_active=True)
        self.fields["lead_units"].queryset = units
        self.fields["co_units"].queryset = units
        n = units.count()
        for name in ("lead_units", "co_units"):
            limit_options(self.fields[name], n)
        if under:  # 分解子任务 by a unit: the type-ahead offers the units below the parent's lead units
            for name in ("lead_units", "co_units"):
                self.fields[name].widget.attrs["data-under"] = ",".join(str(u) for u in under)
        self.parent = parent
        if parent is None:
            self.fields["source"].queryset = Source.objects.filter(is_archived=False).order_by("-date", "-id")
        else:
            del self.fields["source"]
            del self.fields["recurrence_mode"]
            del self.fields["recurrence_day"]
        if edit is not None:  # 编辑任务: no 交办 here, the source stays; after 交办 the deadline moves by 延期 only
            del self.fields["assign"]
            self.fields.pop("source", None)
            if edit.status != "draft":
                for name in ("deadline_mode", "deadline", "deadline_working_days"):
                    self.fields[name].required = False
                    self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        mode = data.get("deadline_mode")
        if self.edit is not None and self.edit.status != "draft":
            mode = "locked"
        if mode == "locked":
            pass
        elif mode == "date":
            if not data.get("deadline") and "deadline" not in self.errors:
                self.add_error("deadline", "请选择完成日期")
            data["deadline_working_days"] = None
        elif mode == "workdays":
            if not data.get("deadline_working_days") and "deadline_working_days" not in self.errors:
                self.add_error("deadline_working_days", "请填写工作日数")
            data["deadline"] = None
        else:
            data["deadline"] = data["deadline_working_days"] = None
        rmode = data.get("recurrence_mode", "none")
        if rmode == "monthly":
            if not data.get("recurrence_day") and "recurrence_day" not in self.errors:
                self.add_error("recurrence_day", "请填写每月报送日")
            data["recurrence"] = f"monthly:{data.get('recurrence_day')}"
        elif rmode == "quarterly":
            data["recurrence"] = "quarterly"
        else:
            data["recurrence"] = ""
        data["tag_list"] = [t.strip() for t in re.split(r"[,,、;;\s]+", data.get("tags") or "") if t.strip()]
        return data

    def update_kwargs(self, task, targets) -> dict:
        """The changes for do_update_task (编辑任务); the deadline only while the task is still 立项."""
        d = self.cleaned_data
        kw = dict(title=d["title"], requirement=d["requirement"], section=d["section"],
                  lead_units=list(d["lead_units"]), co_units=list(d["co_units"]),
                  responsible_leader=d["responsible_leader"], priority=d["priority"], tags=d["tag_list"],
                  targets=targets, recurrence=d.get("recurrence", task.recurrence))
        if task.status == "draft":
            kw.update(deadline=d["deadline"], deadline_working_days=d["deadline_working_days"])
        return kw

    def service_kwargs(self, targets) -> dict:
        d = self.cleaned_data
        kw = dict(title=d["title"], requirement=d["requirement"], section=d["section"],
                  lead_units=list(d["lead_units"]), co_units=list(d["co_units"]),
                  responsible_leader=d["responsible_leader"], deadline=d["deadline"],
                  deadline_working_days=d["deadline_working_days"], priority=d["priority"],
                  tags=d["tag_list"], targets=targets, assign=d["assign"])
        if self.parent is None:
            kw.update(source=d.get("source"), recurrence=d["recurrence"])
        else:
            kw["parent"] = self.parent
        return kw


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label="来源类型", choices=SourceKind.choices, initial=SourceKind.SPEECH)
    title = text_field("标题", max_length=300)
    date = date_field("日期", required=False)
    issuer = text_field("发文/讲话单位", required=False, max_length=200)
    speaker = text_field("讲话人", required=False, max_length=200)
    doc_number = text_field("文号", required=False, max_length=100)
    attachment = forms.FileField(label="附件", required=False, validators=[check_upload])
    text = text_field("正文", required=False, textarea=True, rows=10)


class ReportForm(forms.Form):
    text = text_field("进展情况", textarea=True, rows=4)
    percent = forms.IntegerField(label="完成进度(%)", min_value=0, max_value=100, error_messages=INT_ERRORS)
    problems = text_field("存在问题", required=False, textarea=True, rows=2)
    next_steps = text_field("下步打算", required=False, textarea=True, rows=2)
    attachment = forms.FileField(label="附件", required=False, validators=[check_upload])
    regress_reason = text_field("进度回退原因", required=False, textarea=True, rows=2)


class NoteForm(forms.Form):
    note = text_field("说明", required=False, textarea=True, rows=2)


class CompletionForm(forms.Form):
    """申请办结: 办结说明 plus one 目标完成值 per quantitative target (fields achieved_<target id>)."""

    note = text_field("办结说明", required=False, textarea=True, rows=2)

    def __init__(self, *a, targets=(), **kw):
        super().__init__(*a, **kw)
        for tg in targets:
            self.fields[f"achieved_{tg.pk}"] = forms.DecimalField(
                label=f"{tg.metric}完成值", required=False, max_digits=16, decimal_places=4,
                error_messages={"invalid": "目标完成值应为数字", "max_digits": "目标完成值位数过多",
                                "max_decimal_places": "目标完成值最多4位小数", "max_whole_digits": "目标完成值过大"})

    def achieved(self) -> dict:
        return {int(k.split("_", 1)[1]): v for k, v in self.cleaned_data.items()
                if k.startswith("achieved_") and v is not None}


class ReasonForm(forms.Form):
    reason = text_field("理由", textarea=True, rows=2)


class ExtensionForm(forms.Form):
    new_deadline = date_field("申请延至")
    reason = text_field("延期理由", textarea=True, rows=2)


class DecideExtensionForm(forms.Form):
    extension = forms.IntegerField(label="延期申请", widget=forms.HiddenInput, min_value=1,
                                   error_messages={"required": "缺少要审批的延期申请,请刷新页面后重试",
                                                   "invalid": "延期申请编号应为整数,请刷新页面后重试",
                                                   "min_value": "延期申请编号无效,请刷新页面后重试"})
    decision = forms.ChoiceField(label="审批结果", choices=[("approve", "同意"), ("refuse", "不同意")],
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "请选择是否同意",
                                                 "invalid_choice": "应为“同意”或“不同意”"})
    note = text_field("审批意见", required=False, textarea=True, rows=2)


class InstructionForm(forms.Form):
    text = text_field("批示内容", textarea=True, rows=3)
