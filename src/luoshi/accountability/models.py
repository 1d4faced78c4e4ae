"""Accountability (问责): proposals arising from a cause, the people held to account, the measures
decided on them, their 申辩/申诉, and the 典型问题通报 that publishes cases (names masked).

Everything here is written only through `luoshi.accountability.services` (audited `do_…` functions);
nothing is deleted: people are withdrawn, measures revoked, proposals closed as 不予问责.
"""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from luoshi.core.models import YearCounter


class MeasureCategory(models.TextChoices):
    MEASURE = "measure", "问责措施"
    ORGANISATIONAL = "organisational", "组织处理"
    REFERRAL = "referral", "移送党纪政纪处分"


class MeasureType(models.Model):
    """One rung of the configurable ladder of measures (问责措施), ordered by `rank` (mildest first).

    `deduction` (考核扣分, points) and `cancels_honours` (取消当年评优评先资格) are what a decided
    measure feeds into assessment. A `referral` measure (党纪政纪处分) is recorded as a referral to
    the discipline inspection organs, never as a decision of this office.
    """

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("措施名称", max_length=40, unique=True)
    rank = models.PositiveSmallIntegerField("轻重次序", help_text="数字越大越重;重复问责时按此次序升级")
    category = models.CharField("类别", max_length=16, choices=MeasureCategory.choices,
                                default=MeasureCategory.MEASURE)
    deduction = models.DecimalField("考核扣分", max_digits=5, decimal_places=2, default=0)
    cancels_honours = models.BooleanField("取消当年评优评先资格", default=False)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["rank", "id"]
        verbose_name = verbose_name_plural = "问责措施"

    def __str__(self) -> str:
        return self.name

    @property
    def is_referral(self) -> bool:
        return self.category == MeasureCategory.REFERRAL


class CauseType(models.TextChoices):
    ESCALATION = "escalation", "逾期升级至约谈/问责建议"
    COMPLAINT = "complaint", "效能投诉查实"
    INSPECTION = "inspection", "督查检查发现问题"
    VETO = "veto", "考核一票否决"
    MANUAL = "manual", "人工录入"


class ProposalCounter(YearCounter):
    """Per-year counter for proposal numbers (问责〔2026〕第0001号)."""

    class Meta:
        verbose_name = verbose_name_plural = "问责编号计数"


class Proposal(models.Model):
    """A proposal to hold people to account (问责建议), linked to the cause it arose from."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "待决定"
        DECIDED = "decided", "已决定"
        NOT_PURSUED = "not_pursued", "不予问责"

    number = models.CharField("编号", max_length=40, unique=True)
    cause_type = models.CharField("问责事由类型", max_length=12, choices=CauseType.choices)
    cause_ct = models.ForeignKey(ContentType, verbose_name="事由对象类型", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    cause_id = models.CharField("事由对象", max_length=64, blank=True)
    cause_label = models.CharField("事由", max_length=300)
    task = models.ForeignKey("ledger.Task", verbose_name="督办事项", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="accountability_proposals")
    unit = models.ForeignKey("orgs.Unit", verbose_name="责任单位", on_delete=models.PROTECT,
                             related_name="accountability_proposals")
    facts = models.TextField("问题事实", blank=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.PROPOSED, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField("提出日期")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_number = models.CharField("决定文号", max_length=60, blank=True)
    decision_note = models.TextField("决定意见", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-proposed_on", "-id"]
        verbose_name = verbose_name_plural = "问责建议"
        indexes = [models.Index(fields=["-proposed_on", "-id"], name="acct_proposal_recent"),
                   models.Index(fields=["state", "decided_on"], name="acct_proposal_state_day")]
        constraints = [
            # One proposal per cause object: hooks may fire twice, the proposal is made once.
            models.UniqueConstraint(fields=["cause_ct", "cause_id"], condition=~Q(cause_id=""),
                                    name="acct_one_proposal_per_cause"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def cause(self):
        if self.cause_ct_id is None or not self.cause_id:
            return None
        return self.cause_ct.model_class()._default_manager.filter(pk=self.cause_id).first()


class Responsibility(models.TextChoices):
    DIRECT = "direct", "直接责任"
    MAIN_LEADER = "main_leader", "主要领导责任"
    IMPORTANT_LEADER = "important_leader", "重要领导责任"


class Person(models.Model):
    """A person held to account in one proposal (问责对象). Personal record: visible only to
    accountability officers (纪检/组织), the leaders entitled to the unit, and the person."""

    class State(models.TextChoices):
        PENDING = "pending", "待决定"
        DECIDED = "decided", "已决定"
        REFERRED = "referred", "已移送党纪政纪处分"
        NOT_PURSUED = "not_pursued", "不予问责"
        REVOKED = "revoked", "申诉后撤销"
        WITHDRAWN = "withdrawn", "已撤回"

    proposal = models.ForeignKey(Proposal, verbose_name="问责建议", on_delete=models.PROTECT, related_name="people")
    name = models.CharField("姓名", max_length=40)
    post = models.CharField("职务", max_length=100)
    unit = models.ForeignKey("orgs.Unit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+")
    responsibility = models.CharField("责任类型", max_length=16, choices=Responsibility.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="本人账号", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="accountability_records")
    suggested_measure = models.ForeignKey(MeasureType, verbose_name="建议措施", on_delete=models.PROTECT,
                                          related_name="+")
    suggestion_note = models.CharField("建议说明", max_length=300, blank=True)
    prior_count = models.PositiveSmallIntegerField("期内既往问责次数", default=0)
    measure = models.ForeignKey(MeasureType, verbose_name="决定措施", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.PENDING)
    # Copies of the proposal's cause and decision date: the statistics group people without a join.
    cause_type = models.CharField("问责事由类型", max_length=12, choices=CauseType.choices)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal_id", "id"]
        verbose_name = verbose_name_plural = "问责对象"
        indexes = [
            # The statistics read people by (state, decision date) and group by the included columns:
            # an index-only scan on PostgreSQL (SQLite ignores INCLUDE).
            models.Index(fields=["state", "decided_on"], name="acct_person_stats",
                         include=["measure", "responsibility", "cause_type", "unit"]),
            models.Index(fields=["name", "unit", "decided_on"], name="acct_person_repeat"),
        ]

    def __str__(self) -> str:
        # Never the name: object_repr lands in the audit trail, which 督查员 read.
        return f"问责对象#{self.pk}"


class Appeal(models.Model):
    """申辩 (before the decision) or 申诉 (after it) by the person, and the decision on it."""

    class Kind(models.TextChoices):
        DEFENCE = "defence", "申辩"
        APPEAL = "appeal", "申诉"

    class Outcome(models.TextChoices):
        PENDING = "pending", "待处理"
        REJECTED = "rejected", "不予采纳(维持)"
        CHANGED = "changed", "部分采纳(变更措施)"
        ACCEPTED = "accepted", "采纳(撤销问责)"

    person = models.ForeignKey(Person, verbose_name="问责对象", on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    text = models.TextField("申辩/申诉理由")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT,
                                     related_name="+")
    submitted_on = models.DateField("提交日期")
    outcome = models.CharField("处理结果", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    new_measure = models.ForeignKey(MeasureType, verbose_name="变更后措施", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("处理日期", null=True, blank=True)
    note = models.TextField("处理意见", blank=True)

    class Meta:
        ordering = ["person_id", "id"]
        verbose_name = verbose_name_plural = "申辩申诉"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}#{self.pk}"


class AssessmentEffect(models.Model):
    """What a decided measure does to the unit's assessment (考核): a deduction and/or the loss of
    the year's 评优评先 eligibility. Never deleted: a measure revoked or changed on 申诉 deactivates
    its effect. Read through `luoshi.accountability.effects` or pushed into assessment's hook."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="effects")
    unit = models.ForeignKey("orgs.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("考核年度")
    measure = models.ForeignKey(MeasureType, verbose_name="措施", on_delete=models.PROTECT, related_name="+")
    deduction = models.DecimalField("扣分", max_digits=5, decimal_places=2, default=0)
    cancels_honours = models.BooleanField("取消评优评先资格", default=False)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit_id", "id"]
        verbose_name = verbose_name_plural = "问责考核影响"
        indexes = [models.Index(fields=["year", "unit", "is_active"], name="acct_effect_year_unit")]


class BulletinCounter(YearCounter):
    """Per-year counter for 典型问题通报 numbers (问责通报〔2026〕第0001号)."""

    class Meta:
        verbose_name = verbose_name_plural = "通报编号计数"


class Bulletin(models.Model):
    """典型问题通报: decided proposals published as typical cases. Names are masked (张某) unless an
    accountability officer asks for the unmasked internal version; the public portal shows only
    published bulletins, always masked."""

    number = models.CharField("编号", max_length=40, unique=True)
    title = models.CharField("标题", max_length=200)
    intro = models.TextField("导语", blank=True)
    closing = models.TextField("结语", blank=True)
    proposals = models.ManyToManyField(Proposal, verbose_name="通报案例", related_name="bulletins")
    is_published = models.BooleanField("已公开", default=False)
    published_on = models.DateField("公开日期", null=True, blank=True)
    issued_on = models.DateField("印发日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = verbose_name_plural = "典型问题通报"

    def __str__(self) -> str:
        return self.number
