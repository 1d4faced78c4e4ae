"""信访 (petitions): registration, 交办/转办, 领导包案, time limits of the 信访工作条例 (2022),
repeat detection, 积案 and its 化解, 复查/复核 and 终结.

Everything here is written only through `luoshi.petitions.services` (audited `do_…` functions).
A petitioner's identity is protected: the ID number is never stored in clear (a keyed hash for
repeat detection plus a masked form for display), and name/phone are shown masked to everyone who
is not entitled to them (see `luoshi.petitions.privacy`).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from luoshi.core.models import YearCounter


class Channel(models.TextChoices):
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    ONLINE = "online", "网上信访"
    HOTLINE = "hotline", "热线转来"


class Status(models.TextChoices):
    REGISTERED = "registered", "已登记待受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    HANDLING = "handling", "办理中"
    ANSWERED = "answered", "已答复"
    REVIEW = "review", "复查中"
    REVIEWED = "reviewed", "已复查"
    RECHECK = "recheck", "复核中"
    RECHECKED = "rechecked", "已复核"
    TERMINATED = "terminated", "已终结"
    REPEAT = "repeat", "重复信访(已终结,不再受理)"


# Statuses with a running clock, and which deadline field each runs against.
OPEN_STATUSES = (Status.REGISTERED, Status.HANDLING, Status.REVIEW, Status.RECHECK)
# The limits that run on the handling unit (受理告知 and 办理): what the supervision engine lights per unit and
# addresses its 督办单 to. 复查 and 复核 are decided by the higher office (信访工作条例 第三十五条、第三十六条),
# not by the handling unit: their overdue limits light the petition (and its 积案 entry) but send the unit
# nothing it could act on.
UNIT_CLOCK_STATUSES = (Status.REGISTERED, Status.HANDLING)
CLOSED_STATUSES = (Status.NOT_ACCEPTED, Status.TERMINATED, Status.REPEAT)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Petitioner(models.Model):
    """信访人. `id_hash` is HMAC-SHA256 of the normalised ID number under a server key
    (never the number itself); `id_masked` is what screens show (110***********1234)."""

    name = models.CharField("姓名", max_length=64)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    address = models.CharField("住址", max_length=200, blank=True)
    id_hash = models.CharField("身份证号散列", max_length=64, blank=True, db_index=True)
    id_masked = models.CharField("身份证号(脱敏)", max_length=24, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "信访人"

    def __str__(self) -> str:
        from .privacy import mask_name

        return mask_name(self.name)


class PetitionCounter(YearCounter):
    """Per-year counter for petition numbers (XF2026000001)."""

    class Meta:
        verbose_name = verbose_name_plural = "信访编号计数"


class Petition(models.Model):
    """一件信访事项."""

    class Mode(models.TextChoices):
        ASSIGN = "assign", "交办"
        TRANSFER = "transfer", "转办"

    number = models.CharField("信访编号", max_length=40, unique=True)
    channel = models.CharField("信访形式", max_length=10, choices=Channel.choices)
    petitioner = models.ForeignKey(Petitioner, verbose_name="信访人", on_delete=models.PROTECT,
                                   related_name="petitions")
    batch = models.CharField("批次", max_length=40, blank=True, help_text="来访批次号")
    people = models.PositiveIntegerField("人数", default=1)
    collective = models.BooleanField("集体访", default=False, db_index=True)
    title = models.CharField("信访事由", max_length=200)
    content = models.TextField("诉求内容")
    received_on = models.DateField("收到日期", db_index=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                      related_name="+")
    hotline_ref = models.CharField("热线工单号", max_length=40, blank=True)
    status = models.CharField("办理状态", max_length=14, choices=Status.choices, default=Status.REGISTERED,
                              db_index=True)
    handling_unit = models.ForeignKey("orgs.Unit", verbose_name="责任单位", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="petitions")
    mode = models.CharField("交办方式", max_length=10, choices=Mode.choices, blank=True)
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    owner_leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="包案领导", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="owned_petitions")
    accept_by = models.DateField("受理告知期限")
    accepted_on = models.DateField("受理告知日期", null=True, blank=True,
                                   help_text="date of the 受理 or 不予受理 decision")
    not_accepted_reason = models.TextField("不予受理理由", blank=True)
    due = models.DateField("办理期限", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延长天数", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_state = models.CharField("延期审批", max_length=10, blank=True,
                                       choices=[("requested", "待审批"), ("approved", "已批准"),
                                                ("refused", "未批准")])
    answer = models.TextField("答复意见", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    satisfaction = models.CharField("群众评价", max_length=12, choices=Satisfaction.choices, blank=True)
    review_requested_on = models.DateField("复查申请日期", null=True, blank=True)
    review_due = models.DateField("复查期限", null=True, blank=True)
    review_opinion = models.TextField("复查意见", blank=True)
    reviewed_on = models.DateField("复查日期", null=True, blank=True)
    recheck_requested_on = models.DateField("复核申请日期", null=True, blank=True)
    recheck_due = models.DateField("复核期限", null=True, blank=True)
    recheck_opinion = models.TextField("复核意见", blank=True)
    rechecked_on = models.DateField("复核日期", null=True, blank=True)
    terminated_on = models.DateField("终结日期", null=True, blank=True)
    terminated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="终结审核人", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    repeat_of = models.ForeignKey("self", verbose_name="首次信访", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="repeats")
    repeat_count = models.PositiveIntegerField("重复信访次数", default=0)
    deadline = models.DateField("当前期限", null=True, blank=True, db_index=True,
                                help_text="the limit now running (受理/办理/复查/复核), kept by the services")
    light = models.CharField("灯色", max_length=8, default="green", db_index=True)
    reminded = models.CharField("已提醒", max_length=24, blank=True, help_text="deadline:light last reminded")
    backlog = models.BooleanField("积案", default=False, db_index=True)
    backlog_since = models.DateField("列入积案日期", null=True, blank=True)
    backlog_reason = models.CharField("积案原因", max_length=200, blank=True)
    resolved_on = models.DateField("化解日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "信访事项"
        indexes = [
            models.Index(fields=["handling_unit", "-received_on"], name="pt_unit_recv"),
            models.Index(fields=["backlog_since"], condition=Q(backlog=True), name="pt_backlog"),
            # The 积案 list (open backlog, oldest listing first) and the API's ?backlog=1 (newest first) read
            # these in order and stop at the page: no join or sort over the whole backlog.
            models.Index(fields=["backlog_since", "id"], condition=Q(backlog=True, resolved_on__isnull=True),
                         name="pt_backlog_open"),
            models.Index(fields=["-received_on", "-id"], condition=Q(backlog=True), name="pt_backlog_recv"),
            models.Index(fields=["owner_leader", "-received_on"], name="pt_owner"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES



class PetitionEvent(models.Model):
    """One step on a petition's timeline (办理过程)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=24)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "信访办理过程"


class JointMeeting(models.Model):
    """联席会议 notes on one petition."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField("会议日期")
    attendees = models.CharField("参会单位及人员", max_length=500)
    notes = models.TextField("会议纪要")
    decisions = models.TextField("议定事项", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "联席会议纪要"


class ResolutionPlan(models.Model):
    """积案化解方案 of one backlog petition."""

    petition = models.OneToOneField(Petition, on_delete=models.PROTECT, related_name="plan")
    summary = models.TextField("化解方案")
    target_on = models.DateField("计划化解日期")
    progress = models.PositiveSmallIntegerField("化解进度%", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "积案化解方案"


class ResolutionStep(models.Model):
    """A step of a 化解 plan."""

    plan = models.ForeignKey(ResolutionPlan, on_delete=models.PROTECT, related_name="steps")
    description = models.CharField("措施", max_length=300)
    due = models.DateField("计划完成")
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.TextField("完成情况", blank=True)
    superseded = models.BooleanField("已被调整取代", default=False)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = verbose_name_plural = "化解步骤"
