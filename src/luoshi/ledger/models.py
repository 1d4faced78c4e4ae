from django.conf import settings
from django.db import models


class SourceKind(models.TextChoices):
    MEETING = "meeting", "会议"
    SPEECH = "speech", "讲话"
    WORK_PLAN = "work_plan", "工作要点/实施方案"
    INSTRUCTION = "instruction", "领导批示"
    DOCUMENT = "document", "文件"
    OTHER = "other", "其他"


class Source(models.Model):
    """Where tasks come from (来源): a meeting, speech, work plan, instruction or document."""

    kind = models.CharField("类型", max_length=16, choices=SourceKind.choices, default=SourceKind.SPEECH)
    title = models.CharField("标题", max_length=300)
    date = models.DateField("日期", null=True, blank=True)
    issuer = models.CharField("发文/讲话单位", max_length=200, blank=True)
    speaker = models.CharField("讲话人", max_length=200, blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    text = models.TextField("正文", blank=True)
    attachment = models.FileField("附件", upload_to="sources/%Y/%m/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    is_archived = models.BooleanField("已归档", default=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = "任务来源"

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    DRAFT = "draft", "立项"
    ASSIGNED = "assigned", "交办"
    SIGNED = "signed", "已签收"
    IN_PROGRESS = "in_progress", "办理中"
    COMPLETION_REQUESTED = "completion_requested", "申请办结"
    UNDER_REVIEW = "under_review", "审核中"
    CLOSED = "closed", "办结"
    SUSPENDED = "suspended", "中止"


OPEN_STATUSES = (Status.ASSIGNED, Status.SIGNED, Status.IN_PROGRESS,
                 Status.COMPLETION_REQUESTED, Status.UNDER_REVIEW)


class Priority(models.IntegerChoices):
    LOW = 1, "一般"
    NORMAL = 2, "重要"
    HIGH = 3, "重点"
    URGENT = 4, "紧急"


class PublicKind(models.TextChoices):
    """What the office publishes a task as on the citizen portal (/public/); blank: not public."""
    NONE = "", "不公开"
    LIVELIHOOD = "livelihood", "民生实事"
    COMMITMENT = "commitment", "公开承诺"


class Task(models.Model):
    """A supervised work item (督办事项), one row of the ledger (台账)."""

    number = models.CharField("编号", max_length=32, unique=True)
    title = models.CharField("工作任务", max_length=300)
    requirement = models.TextField("具体要求", blank=True)
    source = models.ForeignKey(Source, verbose_name="来源", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="tasks")
    section = models.CharField("所属章节", max_length=500, blank=True)
    parent = models.ForeignKey("self", verbose_name="上级任务", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="subtasks")
    lead_units = models.ManyToManyField("orgs.Unit", verbose_name="牵头单位", related_name="led_tasks")
    co_units = models.ManyToManyField("orgs.Unit", verbose_name="配合单位", related_name="co_tasks", blank=True)
    responsible_leader = models.CharField("责任领导", max_length=100, blank=True)
    # Deadline (完成时限): a calendar date, or N working days from assignment.
    deadline = models.DateField("完成时限", null=True, blank=True, db_index=True)
    deadline_working_days = models.PositiveIntegerField("办理时限(工作日)", null=True, blank=True)
    deadline_provisional = models.BooleanField(
        "时限待定", default=False,
        help_text="截止日所在年份的法定节假日安排尚未公布,按周末推算。")
    original_deadline = models.DateField("原定时限", null=True, blank=True)
    recurrence = models.CharField("定期报送", max_length=32, blank=True,
                                  help_text="如 monthly:28(每月28日前)、quarterly(每季度)")
    priority = models.IntegerField("重要程度", choices=Priority.choices, default=Priority.NORMAL)
    tags = models.JSONField("标签", default=list, blank=True)
    status = models.CharField("状态", max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True)
    progress = models.PositiveSmallIntegerField("完成进度%", default=0)
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Citizen portal (公示): only tasks the office marks public are shown there, with this note only.
    # db_default: rows inserted by code that predates these columns (old migrations' states) stay valid.
    public_kind = models.CharField("公开类别", max_length=12, choices=PublicKind.choices, blank=True, default="",
                                   db_default="", db_index=True)
    public_note = models.TextField("公开进展说明", blank=True, default="", db_default="")
    public_updated_on = models.DateField("公开信息更新日期", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "督办事项"
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_public(self) -> bool:
        return bool(self.public_kind)


class Target(models.Model):
    """A quantitative target (量化目标): 现场办结率 ≥ 90 %."""

    class Op(models.TextChoices):
        GE = ">=", "不低于"
        LE = "<=", "不高于"
        EQ = "=", "达到"
        GT = ">", "高于"
        LT = "<", "低于"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField("指标", max_length=100)
    op = models.CharField("比较", max_length=2, choices=Op.choices, default=Op.GE)
    value = models.DecimalField("目标值", max_digits=16, decimal_places=4)
    unit = models.CharField("单位", max_length=20, blank=True)
    text = models.CharField("原文", max_length=300, blank=True)
    # 目标完成值: what the lead unit says was achieved, recorded when it requests completion (申请办结).
    achieved = models.DecimalField("目标完成值", max_digits=16, decimal_places=4, null=True, blank=True)
    achieved_on = models.DateField("完成值填报日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "量化目标"

    def __str__(self) -> str:
        value = f"{self.value.normalize():f}"
        done = f"(完成值 {self.achieved_text})" if self.achieved is not None else ""
        return f"{self.metric} {self.op} {value}{self.unit}{done}"

    @property
    def achieved_text(self) -> str:
        """The achieved value with its unit ("92.5%"), "" before completion is requested."""
        return "" if self.achieved is None else f"{self.achieved.normalize():f}{self.unit}"

    @property
    def met(self) -> bool | None:
        """Whether the achieved value meets the target (None while not recorded)."""
        if self.achieved is None:
            return None
        a, v = self.achieved, self.value
        return {">=": a >= v, "<=": a <= v, "=": a == v, ">": a > v, "<": a < v}[self.op]


class ProgressReport(models.Model):
    """A progress report (进展反馈). Never edited: history is the list of reports."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("orgs.Unit", verbose_name="报送单位", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("完成进度%")
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    attachment = models.FileField("附件", upload_to="reports/%Y/%m/", blank=True)
    # A co-unit (配合单位) reports its own contribution; only the lead unit's report is the task's progress.
    by_co_unit = models.BooleanField("配合单位报送", default=False, db_default=False)
    regress_reason = models.TextField("进度回退原因", blank=True, default="", db_default="")
    created_at = models.DateTimeField("报送时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "进展反馈"

    def __str__(self) -> str:
        return f"{self.task.number} {self.percent}%"


class TaskEvent(models.Model):
    """A step in a task's life (timeline): transitions, reports, instructions."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事件", max_length=32)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "任务动态"

    def __str__(self) -> str:
        return f"{self.task.number} {self.kind}"


class Instruction(models.Model):
    """A leader's written instruction on a task (领导批示)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="instructions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("批示内容")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = verbose_name_plural = "领导批示"

    def __str__(self) -> str:
        return f"{self.task.number} 批示 #{self.pk}"


class ExtensionRequest(models.Model):
    """A request to extend the deadline (延期申请)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="extensions")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("延期理由")
    old_deadline = models.DateField("原时限", null=True, blank=True)
    new_deadline = models.DateField("申请延至")
    decision = models.CharField("审批", max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decision_note = models.TextField("审批意见", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "延期申请"

    def __str__(self) -> str:
        return f"{self.task.number} 申请延期至{self.new_deadline}"
