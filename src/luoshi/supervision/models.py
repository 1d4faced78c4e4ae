"""Supervision (督查督办): traffic lights, report slots, findings, three-colour notices
(三色督办单), escalation, rectification (限期整改) and in-app notifications.

Everything here is written only through the supervision do_ services (notices, escalation, rectification) and the sweep.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from luoshi.core.models import YearCounter


class Color(models.TextChoices):
    GREEN = "green", "绿灯(正常)"
    BLUE = "blue", "蓝灯(临期)"
    YELLOW = "yellow", "黄灯(滞后)"
    RED = "red", "红灯(逾期)"


COLOR_ORDER = {Color.GREEN: 0, Color.BLUE: 1, Color.YELLOW: 2, Color.RED: 3}


class SupervisionState(models.Model):
    """The current light of one open task and the date it turned this colour."""

    task = models.OneToOneField("ledger.Task", on_delete=models.CASCADE, related_name="supervision")
    light = models.CharField("灯色", max_length=8, choices=Color.choices, default=Color.GREEN, db_index=True)
    since = models.DateField("亮灯日期")
    reason = models.CharField("原因", max_length=300, blank=True)
    expected_progress = models.PositiveSmallIntegerField("序时进度%", default=0)
    missing_reports = models.PositiveIntegerField("缺报次数", default=0)
    episode_since = models.DateField("黄/红灯起始", null=True, blank=True,
                                     help_text="escalation chain anchor: first day of the yellow/red streak")
    listed = models.BooleanField("挂牌督办", default=False, db_index=True)
    listed_on = models.DateField("挂牌日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "督办灯色"

    def __str__(self) -> str:
        return f"{self.task_id} {self.light} since {self.since}"


class LightTotals(models.Model):
    """Light counts over all open tasks as of the last sweep (single row, id 1). Also the lock that
    serialises refreshes of UnitLights."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    green = models.PositiveIntegerField(default=0)
    blue = models.PositiveIntegerField(default=0)
    yellow = models.PositiveIntegerField(default=0)
    red = models.PositiveIntegerField(default=0)
    swept_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "灯色汇总"

    def __str__(self) -> str:
        return f"灯色汇总({self.swept_on or '未巡检'})"


class UnitLights(models.Model):
    """Light counts of the open tasks each unit leads, refreshed by every sweep (lights only change
    there), so the dashboard reads a few thousand rows instead of grouping every light through the
    task↔unit table."""

    unit = models.OneToOneField("orgs.Unit", primary_key=True, on_delete=models.CASCADE, related_name="+")
    green = models.PositiveIntegerField(default=0)
    blue = models.PositiveIntegerField(default=0)
    yellow = models.PositiveIntegerField(default=0)
    red = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["-red", "-yellow", "-blue"], name="sv_unitlights_rank")]
        verbose_name = verbose_name_plural = "单位灯色汇总"

    def __str__(self) -> str:
        return f"单位 #{self.unit_id} 红{self.red} 黄{self.yellow} 蓝{self.blue}"


class ReportSlot(models.Model):
    """One due periodic report (定期报送) of a recurring task."""

    task = models.ForeignKey("ledger.Task", on_delete=models.CASCADE, related_name="report_slots")
    due = models.DateField("应报日期")
    period_start = models.DateField("周期开始")
    fulfilled_by = models.ForeignKey("ledger.ProgressReport", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    fulfilled_on = models.DateField("报送日期", null=True, blank=True)

    class Meta:
        ordering = ["task_id", "due"]
        verbose_name = verbose_name_plural = "定期报送"
        constraints = [models.UniqueConstraint(fields=["task", "due"], name="uniq_slot_task_due")]

    def __str__(self) -> str:
        return f"{self.task_id} 应报 {self.due}"

    @property
    def late(self) -> bool:
        return self.fulfilled_on is not None and self.fulfilled_on > self.due


class Finding(models.Model):
    """A problem the sweep found (问题发现): a missed report, a late or lagging task."""

    class Kind(models.TextChoices):
        MISSING_REPORT = "missing_report", "未按期报送"
        BEHIND = "behind", "进度滞后"
        OVERDUE = "overdue", "逾期未办结"
        MANUAL = "manual", "督查发现"

    task = models.ForeignKey("ledger.Task", on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=80, unique=True, help_text="dedup key, e.g. slot:12")
    detail = models.CharField("说明", max_length=500)
    found_on = models.DateField("发现日期")
    slot = models.ForeignKey(ReportSlot, null=True, blank=True, on_delete=models.CASCADE, related_name="findings")

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = verbose_name_plural = "督查发现问题"

    def __str__(self) -> str:
        return self.detail


class NoticeCounter(YearCounter):
    """Per-year counter for notice numbers (督办〔2026〕第0001号)."""

    class Meta:
        verbose_name = verbose_name_plural = "督办单编号计数"


class SupervisionNotice(models.Model):
    """A three-colour supervision notice (三色督办单)."""

    class Kind(models.TextChoices):
        AUTO = "auto", "自动生成"
        MANUAL = "manual", "人工签发"
        ESCALATION = "escalation", "升级督办"

    class State(models.TextChoices):
        ISSUED = "issued", "待签收"
        ACKNOWLEDGED = "acknowledged", "已签收"
        ANSWERED = "answered", "已回复"
        ACCEPTED = "accepted", "回复已认可"
        REJECTED = "rejected", "回复被退回"

    number = models.CharField("编号", max_length=40, unique=True)
    year = models.PositiveIntegerField()
    seq = models.PositiveIntegerField()
    kind = models.CharField("方式", max_length=12, choices=Kind.choices, default=Kind.AUTO)
    task = models.ForeignKey("ledger.Task", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="notices", help_text="blank for a notice on another supervised kind")
    # A notice on an item of another supervised kind (supervision.kinds, e.g. an overdue case): a generic
    # reference, so supervision never imports that app. source_type is the kind's name, source_id the
    # item's pk, source_label its number and title as the unit may read them (never a complainant).
    source_type = models.CharField("来源类型", max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    source_label = models.CharField("督办事项", max_length=200, blank=True)
    source_url = models.CharField("事项链接", max_length=200, blank=True)
    light = models.CharField("灯色", max_length=8, choices=Color.choices)
    light_since = models.DateField("亮灯日期", null=True, blank=True)
    lead_unit = models.ForeignKey("orgs.Unit", verbose_name="主送单位", on_delete=models.PROTECT,
                                  related_name="notices")
    copy_units = models.ManyToManyField("orgs.Unit", verbose_name="抄送单位", related_name="copied_notices",
                                        blank=True)
    copy_leader = models.CharField("抄送领导", max_length=100, blank=True)
    reason = models.TextField("督办事由")
    required_action = models.TextField("整改要求")
    issued_on = models.DateField("签发日期")
    reply_by = models.DateField("回复期限")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    state = models.CharField("办理状态", max_length=14, choices=State.choices, default=State.ISSUED)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    answer = models.TextField("回复内容", blank=True)
    answered_on = models.DateField("回复日期", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    review_note = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = verbose_name_plural = "督办单"
        indexes = [models.Index(fields=["issued_on", "light"], name="sv_notice_issued_light"),
                   models.Index(fields=["source_type", "source_id"], name="sv_notice_source")]
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="uniq_notice_year_seq"),
            # One automatic notice per light episode: re-running the sweep issues nothing twice.
            models.UniqueConstraint(fields=["task", "light", "light_since"], condition=Q(kind="auto"),
                                    name="uniq_auto_notice_per_episode"),
            models.UniqueConstraint(fields=["source_type", "source_id", "light", "light_since"],
                                    condition=Q(kind="auto") & ~Q(source_type=""),
                                    name="uniq_auto_notice_per_item_episode"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def subject_number(self) -> str:
        """The number of what the notice is about: the task's, or the item's (first word of its label)."""
        return self.task.number if self.task_id else self.source_label.split(" ", 1)[0]

    @property
    def subject_title(self) -> str:
        if self.task_id:
            return self.task.title
        parts = self.source_label.split(" ", 1)
        return parts[1] if len(parts) > 1 else ""

    @property
    def subject_url(self) -> str:
        return f"/tasks/{self.task_id}/" if self.task_id else self.source_url

    @property
    def color_name(self) -> str:
        return {"blue": "蓝色", "yellow": "黄色", "red": "红色", "green": "绿色"}[self.light]

    @property
    def title_zh(self) -> str:
        return {"blue": "蓝色提醒单", "yellow": "黄色督办单", "red": "红色督办单", "green": "督办单"}[self.light]


class EscalationPolicy(models.Model):
    """An escalation chain (督办升级链) for tasks with a tag (blank tag: the default)."""

    name = models.CharField("名称", max_length=100)
    tag = models.CharField("适用标签", max_length=30, blank=True, unique=True,
                           help_text="空白为默认策略;否则适用于带此标签的任务")
    steps = models.JSONField("步骤", default=list,
                             help_text='[{"kind": "remind", "label": "提醒", "after_days": 0}, …]')

    class Meta:
        verbose_name = verbose_name_plural = "升级督办策略"

    def __str__(self) -> str:
        return self.name


class Escalation(models.Model):
    """One escalation step taken on a task during one non-green episode."""

    task = models.ForeignKey("ledger.Task", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="escalations")
    # A step on an item of another supervised kind (see SupervisionNotice.source_type).
    source_type = models.CharField("来源类型", max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    source_label = models.CharField("督办事项", max_length=200, blank=True)
    episode_since = models.DateField("亮灯日期")
    level = models.PositiveSmallIntegerField("级别")
    kind = models.CharField("措施", max_length=16)
    label = models.CharField("措施名称", max_length=40)
    on = models.DateField("日期")
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    notice = models.ForeignKey(SupervisionNotice, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")

    class Meta:
        ordering = ["task_id", "episode_since", "level"]
        verbose_name = verbose_name_plural = "升级督办记录"
        constraints = [models.UniqueConstraint(fields=["task", "episode_since", "level"],
                                               name="uniq_escalation_step"),
                       models.UniqueConstraint(fields=["source_type", "source_id", "episode_since", "level"],
                                               condition=~Q(source_type=""), name="uniq_item_escalation_step")]

    def __str__(self) -> str:
        return f"{self.label}({self.on})"


class RectificationItem(models.Model):
    """限期整改: a finding the unit must fix by a date, tracked to closure."""

    class State(models.TextChoices):
        OPEN = "open", "整改中"
        SUBMITTED = "submitted", "已提交整改报告"
        CLOSED = "closed", "已验收销号"

    task = models.ForeignKey("ledger.Task", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="rectifications", help_text="blank for an item from another source")
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="rectifications")
    # An item ordered by a higher app (e.g. an inspection finding): a generic reference, so supervision
    # never imports that app. source_type is "<app>.<model>", source_id its pk, source_label its title.
    source_type = models.CharField("来源类型", max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    source_label = models.CharField("来源", max_length=200, blank=True)
    notice = models.ForeignKey(SupervisionNotice, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="rectifications")
    unit = models.ForeignKey("orgs.Unit", verbose_name="整改单位", on_delete=models.PROTECT, related_name="+")
    requirement = models.TextField("整改要求")
    due = models.DateField("整改时限")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    report = models.TextField("整改情况", blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    verify_note = models.TextField("验收意见", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "限期整改"
        indexes = [models.Index(fields=["source_type", "source_id"], name="sv_rect_source")]

    @property
    def subject(self) -> str:
        """What the item is about: the task number or the source's label."""
        return self.task.number if self.task_id else self.source_label

    def __str__(self) -> str:
        return f"整改 #{self.pk}:{self.requirement[:30]}"
