"""Cases (案件): citizen problem reports (城管问题/12345 诉求) and conduct complaints
(效能投诉) — one engine for every channel (web form, hotline, Open311, REST API).

Identity of the reporter (姓名、电话、住址、照片元数据) lives only on Case and
CasePhoto.original; every view reads it through luoshi.cases.permissions.
"""
import math

from django.conf import settings
from django.db import models
from django.db.models import Q

GRID_DEG = 0.005   # grid cell (格网) side in degrees: ~555 m north–south, ~400–530 m east–west in China


def grid_cell(lat, long) -> int | None:
    """The grid cell (格网编号) of a point: row × 100000 + column of a GRID_DEG grid, None without a point.
    Used by the duplicate check to read the cases around a point with one index range per cell row."""
    if lat is None or long is None:
        return None
    return math.floor((lat + 90) / GRID_DEG) * 100000 + math.floor((long + 180) / GRID_DEG)


class Kind(models.TextChoices):
    PROBLEM = "problem", "问题反映"
    COMPLAINT = "complaint", "效能投诉"


class LimitUnit(models.TextChoices):
    HOURS = "hours", "工作小时"
    WORKING_DAYS = "working_days", "工作日"


class Category(models.Model):
    """A case category (案件类别 / Open311 service) with its handling time limit (办理时限)."""

    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.PROBLEM)
    description = models.CharField("说明", max_length=300, blank=True)
    group = models.CharField("分组", max_length=50, blank=True)
    limit_value = models.PositiveIntegerField("办理时限", default=5)
    limit_unit = models.CharField("时限单位", max_length=16, choices=LimitUnit.choices,
                                  default=LimitUnit.WORKING_DAYS)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.IntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = verbose_name_plural = "案件类别"

    def __str__(self) -> str:
        return self.name

    @property
    def limit_text(self) -> str:
        return f"{self.limit_value}{self.get_limit_unit_display()}"


class Area(models.Model):
    """A district/area (区域) for routing: matched by name in the address, or by
    point-in-polygon when `boundary` (GeoJSON Polygon/MultiPolygon, WGS84) is loaded."""

    name = models.CharField("名称", max_length=100, unique=True)
    unit = models.ForeignKey("orgs.Unit", verbose_name="属地单位", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    boundary = models.JSONField("边界(GeoJSON)", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "区域"

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Routing (派遣规则): category × area → responsible unit. Empty category or area
    means "any"; the most specific active rule wins, then the lowest priority number."""

    category = models.ForeignKey(Category, verbose_name="类别", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="rules")
    area = models.ForeignKey(Area, verbose_name="区域", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="rules")
    unit = models.ForeignKey("orgs.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    priority = models.IntegerField("优先级", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = verbose_name_plural = "派遣规则"

    def __str__(self) -> str:
        return f"{self.category or '全部类别'} × {self.area or '全部区域'} → {self.unit}"


class Channel(models.TextChoices):
    WEB = "web", "网上提交"
    HOTLINE = "hotline", "12345热线"
    OPEN311 = "open311", "Open311接口"
    API = "api", "系统接口"
    VISIT = "visit", "来访"
    LETTER = "letter", "来信"
    INSPECTION = "inspection", "明查暗访移送"


class Status(models.TextChoices):
    RECEIVED = "received", "受理"
    REGISTERED = "registered", "立案"
    DISPATCHED = "dispatched", "已派遣"
    ACCEPTED = "accepted", "已签收"
    HANDLING = "handling", "处置中"
    REPLIED = "replied", "办结反馈"
    VERIFIED = "verified", "已核查"
    VISITED = "visited", "已回访"
    CLOSED = "closed", "结案"
    RETURNED = "returned", "退单"
    VOID = "void", "作废"
    MERGED = "merged", "已合并"


# Open in the Open311 sense and for the supervision clock.
OPEN_STATUSES = (Status.RECEIVED, Status.REGISTERED, Status.DISPATCHED, Status.ACCEPTED, Status.HANDLING,
                 Status.RETURNED)
UNIT_STATUSES = (Status.DISPATCHED, Status.ACCEPTED, Status.HANDLING)  # the clock runs on the unit
DONE_STATUSES = (Status.REPLIED, Status.VERIFIED, Status.VISITED, Status.CLOSED)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Finding(models.TextChoices):
    TRUE = "true", "属实"
    PARTLY = "partly", "部分属实"
    FALSE = "false", "不属实"


class Case(models.Model):
    """One citizen case (案件). `number` is public; `query_hash` is the HMAC of the
    query code (查询码) given to the reporter once."""

    number = models.CharField("案件编号", max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.PROBLEM)
    category = models.ForeignKey(Category, verbose_name="类别", on_delete=models.PROTECT, related_name="cases")
    channel = models.CharField("来源渠道", max_length=16, choices=Channel.choices, default=Channel.WEB)
    description = models.TextField("诉求内容")
    address = models.CharField("事发地址", max_length=300, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    long = models.FloatField("经度", null=True, blank=True)
    grid = models.BigIntegerField("格网编号", null=True, blank=True, editable=False,
                                  help_text="grid_cell(lat, long), kept by save()")
    area = models.ForeignKey(Area, verbose_name="区域", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    # Reporter identity: never shown to the subject unit nor the responsible unit (see permissions).
    anonymous = models.BooleanField("匿名", default=False)
    reporter_name = models.CharField("反映人姓名", max_length=64, blank=True)
    reporter_phone = models.CharField("反映人电话", max_length=32, blank=True)
    reporter_email = models.EmailField("反映人邮箱", blank=True)
    reporter_address = models.CharField("反映人住址", max_length=300, blank=True)
    query_hash = models.CharField("查询码摘要", max_length=64, blank=True)
    open311_token = models.CharField("Open311令牌", max_length=40, blank=True, db_index=True)
    subject_unit = models.ForeignKey("orgs.Unit", verbose_name="被投诉单位", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="complaints_against")
    subject_person = models.CharField("被投诉人", max_length=64, blank=True)
    responsible_unit = models.ForeignKey("orgs.Unit", verbose_name="责任单位", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="cases")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RECEIVED)
    parent = models.ForeignKey("self", verbose_name="合并至", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="merged_children")
    created_at = models.DateTimeField("受理时间", db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    dispatched_at = models.DateTimeField("派遣时间", null=True, blank=True)
    deadline = models.DateTimeField("办理时限", null=True, blank=True)
    replied_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    extension_until = models.DateTimeField("申请延期至", null=True, blank=True)
    extension_reason = models.CharField("延期理由", max_length=300, blank=True)
    public_reply = models.TextField("答复内容", blank=True)
    return_count = models.PositiveIntegerField("退单次数", default=0)
    rework_count = models.PositiveIntegerField("返工次数", default=0)
    reopened = models.BooleanField("不满意已重办", default=False)
    rating = models.CharField("评价", max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.CharField("评价意见", max_length=500, blank=True)
    # 效能投诉: 调查 → 认定 → 处理意见
    investigation = models.TextField("调查情况", blank=True)
    finding = models.CharField("认定结果", max_length=16, choices=Finding.choices, blank=True)
    opinion = models.TextField("处理意见", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    # A case another app referred here (e.g. an inspection finding, "inspections.finding"): a generic
    # reference, so cases never imports that app. One case per source item.
    source_type = models.CharField("来源类型", max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    source_label = models.CharField("来源", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "案件"
        indexes = [
            models.Index(fields=["responsible_unit", "status", "-created_at"], name="case_unit_status"),
            models.Index(fields=["status", "deadline"], name="case_status_deadline"),
            models.Index(fields=["category", "-created_at"], name="case_category_created"),
            models.Index(fields=["lat", "long"], name="case_latlong"),
            models.Index(fields=["grid", "created_at"], name="case_grid_created"),
            models.Index(fields=["category", "-created_at"], condition=Q(grid__isnull=True),
                         name="case_category_nopoint"),
            models.Index(fields=["source_type", "source_id"], name="case_source"),
        ]

    def __str__(self) -> str:
        return self.number or f"案件#{self.pk}"

    def save(self, *args, **kwargs):
        self.grid = grid_cell(self.lat, self.long)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ("lat" in update_fields or "long" in update_fields):
            kwargs["update_fields"] = {*update_fields, "grid"}
        super().save(*args, **kwargs)

    @property
    def is_complaint(self) -> bool:
        return self.kind == Kind.COMPLAINT

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEvent(models.Model):
    """A step on a case's timeline (案件动态). `public` steps are shown to the reporter."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事件", max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("说明", blank=True)
    public = models.BooleanField("对反映人公开", default=False)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "案件动态"

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


def _photo_path(instance, filename):
    return f"cases/{instance.case_id}/{filename}"


class CasePhoto(models.Model):
    """A photo. `original` keeps EXIF/GPS for the office; `public` is a re-encoded copy
    without any metadata — the only one shown outside the office."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="photos")
    original = models.FileField("原图", upload_to=_photo_path)
    public = models.FileField("公开图", upload_to=_photo_path)
    exif = models.JSONField("元数据", default=dict, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "案件照片"


class Open311Key(models.Model):
    """An Open311 API key (接口密钥). Only its SHA-256 is stored; revoked keys stay listed."""

    name = models.CharField("名称", max_length=100)
    prefix = models.CharField("前缀", max_length=12)
    key_hash = models.CharField("摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "Open311密钥"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
