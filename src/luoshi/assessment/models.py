"""Assessment (绩效考核/目标管理考核): plans, indicator trees, the data units report, expert and public
ratings, bonus/deduction entries, frozen score runs, appeals (申诉).

Everything here is written only through `luoshi.assessment.services` (audited do_… functions).
"""
from django.conf import settings
from django.db import models


class Group(models.TextChoices):
    """Unit groups ranked separately (分类考核)."""

    CITY_DEPT = "city_dept", "市直部门"
    COUNTY = "county", "区县"
    TOWN = "town", "乡镇/街道"


# A unit without a membership row belongs to the group of its kind.
KIND_GROUP = {"city_dept": Group.CITY_DEPT, "county": Group.COUNTY, "town": Group.TOWN}


class GroupMembership(models.Model):
    """A unit's assessment group from `since` (until `until`): moves between groups mid-year are rows here."""

    unit = models.ForeignKey("orgs.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    group = models.CharField("考核类别", max_length=12, choices=Group.choices)
    since = models.DateField("起始日期")
    until = models.DateField("截止日期", null=True, blank=True)

    class Meta:
        ordering = ["unit_id", "since", "id"]
        verbose_name = verbose_name_plural = "考核分组"


class Plan(models.Model):
    """A 考核方案 for one period (年度/半年/季度) and one unit group, with its indicator tree."""

    class State(models.TextChoices):
        DRAFT = "draft", "编制中"
        ACTIVE = "active", "实施中"
        CLOSED = "closed", "已归档"

    class Missing(models.TextChoices):
        ZERO = "zero", "缺报按零分计"
        EXCLUDE = "exclude", "缺报不计入(按其余指标折算)"

    code = models.CharField("方案编号", max_length=40, unique=True)
    name = models.CharField("方案名称", max_length=200)
    period = models.CharField("考核周期", max_length=10, help_text="2026、2026-H1 或 2026-Q3")
    group = models.CharField("考核类别", max_length=12, choices=Group.choices)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.DRAFT)
    missing_policy = models.CharField("缺报数据", max_length=8, choices=Missing.choices, default=Missing.ZERO)
    excellent_quota = models.PositiveSmallIntegerField("优秀比例上限%", default=20)
    grade_floors = models.JSONField("等次分数线", default=dict, blank=True,
                                    help_text='{"优秀": 90, "良好": 80, "一般": 60}')
    min_raters_to_trim = models.PositiveSmallIntegerField("去掉最高最低分的最少评分人数", default=5)
    appeal_days = models.PositiveSmallIntegerField("申诉期(日)", default=10)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-period", "group", "code"]
        verbose_name = verbose_name_plural = "考核方案"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    """A node of the indicator tree (一级/二级/三级指标). Scored nodes' weights add up to 100 at the top
    and to their parent's weight below; 加分/扣分/一票否决 items stand outside the 100 points."""

    class Kind(models.TextChoices):
        SCORED = "scored", "计分指标"
        BONUS = "bonus", "加分项"
        DEDUCT = "deduct", "扣分项"
        VETO = "veto", "一票否决"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="indicators")
    parent = models.ForeignKey("self", verbose_name="上级指标", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    code = models.CharField("序号", max_length=20)
    name = models.CharField("指标名称", max_length=200)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.SCORED)
    weight = models.DecimalField("分值", max_digits=7, decimal_places=2, default=0)
    method = models.CharField("计分方法", max_length=40, blank=True, help_text="叶子指标的数据来源")
    params = models.JSONField("计分参数", default=dict, blank=True)
    cap = models.DecimalField("封顶分值", max_digits=7, decimal_places=2, null=True, blank=True)
    description = models.TextField("评分标准", blank=True)
    sort_order = models.IntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["plan_id", "sort_order", "id"]
        verbose_name = verbose_name_plural = "考核指标"
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="uniq_assess_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def level(self) -> int:
        return self.code.count(".") + 1


class ReportedFigure(models.Model):
    """A figure a unit reports against a target (填报数据), with evidence; the office accepts or returns it.
    A new submission supersedes the previous one (kept, never deleted)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        ACCEPTED = "accepted", "已认可"
        RETURNED = "returned", "已退回"

    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="figures")
    unit = models.ForeignKey("orgs.Unit", verbose_name="填报单位", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("填报值", max_digits=16, decimal_places=4)
    note = models.TextField("说明", blank=True)
    evidence = models.FileField("佐证材料", upload_to="assessment/evidence/%Y/%m/", blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.SUBMITTED)
    superseded = models.BooleanField("已被新填报替代", default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("填报时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = verbose_name_plural = "填报数据"
        indexes = [models.Index(fields=["indicator", "unit", "state"], name="as_fig_ind_unit_state")]


class ScoreSheet(models.Model):
    """专家评分表: the sheet one named rater (a 考核专家 login) fills for a plan — the plan's expert indicators ×
    the units the office assigned to the rater. The rater sees only their own sheets; the scores count once
    the sheet is submitted (提交), which locks it until the office reopens it."""

    class State(models.TextChoices):
        OPEN = "open", "评分中"
        SUBMITTED = "submitted", "已提交"

    plan = models.ForeignKey(Plan, verbose_name="考核方案", on_delete=models.PROTECT, related_name="sheets")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评分专家", on_delete=models.PROTECT,
                              related_name="score_sheets")
    rater_name = models.CharField("评分人", max_length=60, help_text="the name its scores carry (ExpertScore.rater)")
    units = models.ManyToManyField("orgs.Unit", verbose_name="评分单位", related_name="+")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分配人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("分配时间", auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "rater_name", "id"]
        verbose_name = verbose_name_plural = "专家评分表"
        constraints = [models.UniqueConstraint(fields=["plan", "rater"], name="uniq_assess_sheet_rater"),
                       models.UniqueConstraint(fields=["plan", "rater_name"], name="uniq_assess_sheet_name")]

    def __str__(self) -> str:
        return f"{self.rater_name}的评分表"


class ExpertScore(models.Model):
    """One named rater's score (0-100) of one unit on one indicator (专家评分), entered on the rater's own
    score sheet (`sheet`) or by the office for a rater without a login (`sheet` empty)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="expert_scores")
    sheet = models.ForeignKey(ScoreSheet, verbose_name="评分表", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="scores")
    unit = models.ForeignKey("orgs.Unit", verbose_name="被评单位", on_delete=models.PROTECT, related_name="+")
    rater = models.CharField("评分人", max_length=60)
    score = models.DecimalField("得分(百分制)", max_digits=6, decimal_places=2)
    note = models.CharField("评语", max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator_id", "unit_id", "rater"]
        verbose_name = verbose_name_plural = "专家评分"
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "rater"], name="uniq_assess_rater")]


class Survey(models.Model):
    """群众评议: a public questionnaire about the units of a plan, answered through one-time codes or an
    open link (rate limited). Each answer scores 0-100; a unit's value is the mean of its answers."""

    class Mode(models.TextChoices):
        CODES = "codes", "一次性评议码"
        OPEN = "open", "公开链接(限频)"

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField("问卷标题", max_length=200)
    mode = models.CharField("方式", max_length=6, choices=Mode.choices, default=Mode.OPEN)
    questions = models.JSONField("题目", default=list,
                                 help_text='[{"text": "…", "choices": [["满意", 100], ["基本满意", 60], ["不满意", 0]]}]')
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "群众评议问卷"

    def __str__(self) -> str:
        return self.title


class SurveyLink(models.Model):
    """The public link of one unit's questionnaire (/public/survey/<token>/)."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="links")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=32, unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "unit"], name="uniq_assess_survey_unit")]
        verbose_name = verbose_name_plural = "评议链接"

    def __str__(self) -> str:
        return f"评议链接 #{self.pk}"


class SurveyCode(models.Model):
    """A one-time code handed out for one unit's questionnaire (评议码)."""

    link = models.ForeignKey(SurveyLink, on_delete=models.PROTECT, related_name="codes")
    code = models.CharField(max_length=16, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评议码"

    def __str__(self) -> str:
        return f"评议码 #{self.pk}"  # never the code itself: it is a credential


class SurveyResponse(models.Model):
    """One answered questionnaire. Anonymous: only a salted hash of the client address is kept, for the
    rate limit; nothing identifies the respondent to anyone."""

    link = models.ForeignKey(SurveyLink, on_delete=models.PROTECT, related_name="responses")
    answers = models.JSONField(default=list)
    score = models.DecimalField(max_digits=6, decimal_places=2)
    comment = models.CharField("意见建议", max_length=500, blank=True)
    client_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评议答卷"


class Adjustment(models.Model):
    """A 加分/扣分/一票否决 entry recorded by the office against an indicator of that kind (奖项, 明查暗访
    发现, 约谈…). `amount` counts occurrences (or points with per=1); revoked entries are kept."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="adjustments")
    unit = models.ForeignKey("orgs.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("数量/分值", max_digits=9, decimal_places=2, default=1)
    reason = models.CharField("事由", max_length=300)
    on = models.DateField("日期")
    revoked = models.BooleanField("已撤销", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = verbose_name_plural = "加减分记录"


class ScoreRun(models.Model):
    """One computed result of a plan for a period. Published runs are frozen: later data do not change
    them; only decided appeals do (and are audited)."""

    class State(models.TextChoices):
        DRAFT = "draft", "试算"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="runs")
    period = models.CharField("考核周期", max_length=10)
    as_of = models.DateField("数据截止日")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("计算时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    appeal_until = models.DateField("申诉截止日", null=True, blank=True)
    units_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "考核结果"

    def __str__(self) -> str:
        return f"{self.plan.code} {self.period} #{self.pk}"


class UnitResult(models.Model):
    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("单位", max_length=100)
    total = models.DecimalField("总分", max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField("名次")
    position = models.PositiveIntegerField("排序位置")
    grade = models.CharField("等次", max_length=10)
    vetoed = models.BooleanField("一票否决", default=False)
    no_excellent = models.BooleanField("取消评优资格", default=False)

    class Meta:
        ordering = ["run_id", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="uniq_assess_run_unit")]
        verbose_name = verbose_name_plural = "单位考核结果"


class ItemResult(models.Model):
    result = models.ForeignKey(UnitResult, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True)
    points = models.DecimalField(max_digits=8, decimal_places=2)
    weight = models.DecimalField(max_digits=7, decimal_places=2)
    rows = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True)
    # the indicator's code and name when the run was computed: a published card keeps them when the plan
    # editor later moves or renames the indicator (empty on runs stored before they were kept)
    code = models.CharField("指标序号", max_length=20, blank=True)
    name = models.CharField("指标名称", max_length=200, blank=True)
    points_before_appeal = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["result_id", "id"]
        verbose_name = verbose_name_plural = "指标得分"

    @property
    def label_code(self) -> str:
        return self.code or self.indicator.code

    @property
    def label_name(self) -> str:
        return self.name or self.indicator.name


class Appeal(models.Model):
    """申诉: a unit contests one item of a published result within the appeal window; the office decides."""

    class State(models.TextChoices):
        PENDING = "pending", "待处理"
        UPHELD = "upheld", "申诉成立"
        REJECTED = "rejected", "申诉不成立"

    run = models.ForeignKey(ScoreRun, on_delete=models.PROTECT, related_name="appeals")
    unit = models.ForeignKey("orgs.Unit", verbose_name="申诉单位", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ItemResult, verbose_name="申诉指标", on_delete=models.PROTECT, related_name="appeals")
    reason = models.TextField("申诉理由")
    evidence = models.FileField("佐证材料", upload_to="assessment/appeals/%Y/%m/", blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    new_points = models.DecimalField("核定分值", max_digits=8, decimal_places=2, null=True, blank=True)
    decision_note = models.TextField("处理意见", blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = verbose_name_plural = "考核申诉"


class TargetLetter(models.Model):
    """目标责任状: a unit's signed yearly target letter — targets with weights (adding up to 100) and the
    signatories; once signed its targets are fixed and tracked with periodic figures."""

    class State(models.TextChoices):
        DRAFT = "draft", "待签订"
        SIGNED = "signed", "已签订"

    unit = models.ForeignKey("orgs.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    signatories = models.JSONField("签订人", default=list, help_text='[{"role": "发包方", "name": "市长 王明远"}, …]')
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.DRAFT)
    signed_on = models.DateField("签订日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit_id"]
        verbose_name = verbose_name_plural = "目标责任状"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="uniq_assess_letter_unit_year")]

    def __str__(self) -> str:
        return self.title


class LetterTarget(models.Model):
    """One target of a 目标责任状 (e.g. 单位GDP能耗下降率 ≥ 3.2 %, weight 20)."""

    class Op(models.TextChoices):
        GE = "ge", "不低于"
        LE = "le", "不高于"

    letter = models.ForeignKey(TargetLetter, on_delete=models.PROTECT, related_name="targets")
    seq = models.PositiveSmallIntegerField("序号")
    name = models.CharField("目标", max_length=200)
    op = models.CharField("比较", max_length=2, choices=Op.choices, default=Op.GE)
    target = models.DecimalField("目标值", max_digits=16, decimal_places=4)
    measure_unit = models.CharField("计量单位", max_length=20, blank=True)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["letter_id", "seq"]
        verbose_name = verbose_name_plural = "责任目标"


class TargetFigure(models.Model):
    """A periodic figure (月度/季度完成值) of a letter target; the latest one before the reading day counts.
    A new figure for the same period supersedes the old (kept)."""

    target = models.ForeignKey(LetterTarget, on_delete=models.PROTECT, related_name="figures")
    period = models.CharField("期间", max_length=10, help_text="2026-03 或 2026-Q1")
    period_end = models.DateField("期末")
    value = models.DecimalField("完成值", max_digits=16, decimal_places=4)
    note = models.CharField("说明", max_length=500, blank=True)
    superseded = models.BooleanField(default=False)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_id", "period_end", "id"]
        verbose_name = verbose_name_plural = "目标完成情况"


class WindowRecord(models.Model):
    """One 政务服务 window record imported from the service system: 事项, 受理/办结时间, 承诺时限 (working
    days; 0 = 即办), 是否现场办结, 评价. `due_at` is the end of the promised last working day."""

    centre = models.ForeignKey("orgs.Unit", verbose_name="政务服务中心", on_delete=models.PROTECT, related_name="+")
    window = models.CharField("窗口", max_length=100, blank=True)
    item = models.CharField("事项", max_length=200)
    accepted_at = models.DateTimeField("受理时间")
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)
    promised_days = models.PositiveSmallIntegerField("承诺时限(工作日)")
    due_at = models.DateTimeField("承诺办结时间")
    onsite = models.BooleanField("现场办结", default=False)
    rating = models.CharField("评价", max_length=8, blank=True)
    key = models.CharField(max_length=64, unique=True, help_text="re-importing the same row changes nothing")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["centre_id", "accepted_at", "id"]
        verbose_name = verbose_name_plural = "政务服务办件"
        indexes = [models.Index(fields=["centre", "accepted_at"], name="as_window_centre_acc"),
                   models.Index(fields=["finished_at", "due_at"], name="as_window_open_due")]


class ServiceCard(models.Model):
    """电子监察: a yellow (past the promised time) or red (more than 3 working days past it) card raised to
    the centre for an unfinished item — once per record and colour."""

    record = models.ForeignKey(WindowRecord, on_delete=models.PROTECT, related_name="cards")
    color = models.CharField("牌色", max_length=8, choices=[("yellow", "黄牌"), ("red", "红牌")])
    on = models.DateField("亮牌日期")

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = verbose_name_plural = "电子监察亮牌"
        constraints = [models.UniqueConstraint(fields=["record", "color"], name="uniq_assess_card")]
