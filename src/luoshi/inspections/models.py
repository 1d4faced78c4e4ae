"""明查暗访 (open and unannounced inspections): plans, reusable checklists, on-site records with
evidence, findings → 限期整改, and the inspection 通报.

An unannounced plan (暗访) is invisible to the inspected units and their leaders until it is published —
everywhere; `luoshi.inspections.scope` is the one rule that decides it. Written only through
`luoshi.inspections.services`.
"""
from django.conf import settings
from django.db import models


class Mode(models.TextChoices):
    OPEN = "open", "明查"
    UNANNOUNCED = "unannounced", "暗访"


class Severity(models.TextChoices):
    MINOR = "minor", "一般"
    SERIOUS = "serious", "较重"
    GRAVE = "grave", "严重"


class Checklist(models.Model):
    """A reusable checklist (检查表) of 检查项."""

    name = models.CharField("名称", max_length=100, unique=True)
    description = models.TextField("说明", blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查表"

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """检查项, e.g. 窗口在岗, 首问负责, 一次性告知, 限时办结, 工作纪律."""

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="items")
    title = models.CharField("检查项", max_length=100)
    guidance = models.CharField("检查要点", max_length=500, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["checklist_id", "sort_order", "id"]
        verbose_name = verbose_name_plural = "检查项"

    def __str__(self) -> str:
        return self.title


class Plan(models.Model):
    """检查计划: who inspects which units/places, when, open (明查) or unannounced (暗访)."""

    title = models.CharField("计划名称", max_length=200)
    mode = models.CharField("方式", max_length=12, choices=Mode.choices)
    checklist = models.ForeignKey(Checklist, verbose_name="检查表", on_delete=models.PROTECT, related_name="plans")
    units = models.ManyToManyField("orgs.Unit", verbose_name="被检查单位", related_name="inspection_plans")
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="检查人员",
                                        related_name="inspection_plans")
    places = models.TextField("检查地点", blank=True)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")
    published = models.BooleanField("已通报", default=False, db_index=True)
    published_on = models.DateField("通报日期", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    bulletin_summary = models.TextField("通报综述", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_on", "-id"]
        verbose_name = verbose_name_plural = "检查计划"

    def __str__(self) -> str:
        return self.title

    @property
    def secret(self) -> bool:
        """An unannounced plan not yet published: hidden from the inspected."""
        return self.mode == Mode.UNANNOUNCED and not self.published


class Record(models.Model):
    """现场检查记录: one visit to one unit/place, with each checklist answer."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="records")
    unit = models.ForeignKey("orgs.Unit", verbose_name="被检查单位", on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="检查人员", on_delete=models.PROTECT,
                                  related_name="+")
    visited_at = models.DateTimeField("检查时间")
    place = models.CharField("检查地点", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    notes = models.TextField("检查情况", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_at", "-id"]
        verbose_name = verbose_name_plural = "现场检查记录"

    def __str__(self) -> str:  # the audit entry's label (was “Record object (4)”); no unit or person in it
        return f"现场检查记录 #{self.pk}(检查计划 #{self.plan_id})"


class Answer(models.Model):
    class Result(models.TextChoices):
        OK = "ok", "符合"
        PROBLEM = "problem", "存在问题"
        NA = "na", "不适用"

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField("结果", max_length=8, choices=Result.choices)
    note = models.CharField("说明", max_length=1000, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查项结果"
        constraints = [models.UniqueConstraint(fields=["record", "item"], name="uniq_answer_record_item")]


class Evidence(models.Model):
    """A photo or short video, kept byte for byte as uploaded (SHA-256 recorded, EXIF time/place read)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "照片"
        VIDEO = "video", "视频"

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField("类型", max_length=6, choices=Kind.choices)
    file = models.FileField("文件", upload_to="inspections/evidence/", max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveBigIntegerField("大小(字节)")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    taken_at = models.CharField("拍摄时间(EXIF)", max_length=32, blank=True)
    latitude = models.DecimalField("拍摄纬度(EXIF)", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("拍摄经度(EXIF)", max_digits=9, decimal_places=6, null=True, blank=True)
    exif = models.JSONField("EXIF", default=dict, blank=True)
    duration = models.FloatField("视频时长(秒)", null=True, blank=True, help_text="read from the container (videos)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "检查证据"


class Finding(models.Model):
    """检查发现的问题: unit, 检查项, description, evidence, severity → 限期整改 and referrals."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="findings")
    record = models.ForeignKey(Record, null=True, blank=True, on_delete=models.PROTECT, related_name="findings")
    unit = models.ForeignKey("orgs.Unit", verbose_name="责任单位", on_delete=models.PROTECT,
                             related_name="inspection_findings")
    item = models.ForeignKey(ChecklistItem, verbose_name="检查项", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    description = models.TextField("问题描述")
    severity = models.CharField("严重程度", max_length=8, choices=Severity.choices, default=Severity.MINOR)
    staff_name = models.CharField("涉及人员", max_length=64, blank=True, help_text="masked (王*) in the 通报")
    evidence = models.ManyToManyField(Evidence, verbose_name="证据", blank=True, related_name="findings")
    rectify = models.BooleanField("限期整改", default=True)
    rectify_days = models.PositiveSmallIntegerField("整改时限(工作日)", default=10)
    refer_case = models.BooleanField("转效能投诉", default=False)
    refer_accountability = models.BooleanField("提出问责建议", default=False)
    rectification = models.ForeignKey("supervision.RectificationItem", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    referrals = models.JSONField("移送情况", default=list, blank=True,
                                 help_text='what receivers of finding_referred made of it: [{"kind", "ref", "label", "url"}]')
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "unit_id", "id"]
        verbose_name = verbose_name_plural = "检查发现问题"
        indexes = [models.Index(fields=["unit", "plan"], name="insp_finding_unit_plan")]

    def __str__(self) -> str:
        return self.description[:60]
