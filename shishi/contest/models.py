"""单位竞赛（六比一看） — a year's competition between the counties, districts and development
zones: dimensions (比项目、比投资 … 看实效) with weighted indicators, the monthly dispatch
(月调度: each participant submits the month's values with evidence by a working-day due
date), the city office's review, quarterly notes (季点评) and the year-end interviews (约谈).

Weights: a dimension's weight is its share of the total (the dimensions add up to 100%); an
indicator's weight is its share *within its dimension* (each dimension's indicators add up
to 100%). The scoring itself is `contest.scoring` (the only definition).

Frozen once used: when the contest has any submission (the first month is opened), its
dimensions, indicators and weights can no longer change — the actions refuse with a message
rather than version them, so every month of a year is scored by the same rules.

Submissions are duties of the duty kit: a stored working-day due date (+ its 估算 flag), the
supervision rung, events with codes, SMS through orgs.notify."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shishi.core.models import EventBase, StoredFile
from shishi.core.supervision import Level
from shishi.orgs.models import Unit

# The kinds of unit that compete: county-level divisions and development zones.
PARTICIPANT_KINDS = (Unit.Kind.COUNTY, Unit.Kind.DISTRICT, Unit.Kind.ZONE)

# 六比一看, what a new contest starts with (the city office renames, adds or removes).
DEFAULT_DIMENSIONS = (
    ("比项目", 15),
    ("比投资", 15),
    ("比招商", 15),
    ("比产业", 15),
    ("比作风", 10),
    ("比环境", 10),
    ("看实效", 20),
)


class Contest(models.Model):
    """单位竞赛 — one year's competition, organised by a unit (the city office)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "筹备中"
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("竞赛名称", max_length=100)
    organiser = models.ForeignKey(
        Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="contests"
    )
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.DRAFT)
    # Month M's values are due on this working day of month M+1 (1 = the first working day).
    due_workday = models.PositiveSmallIntegerField("每月报送截止（次月第几个工作日）", default=5)
    bottom_n = models.PositiveSmallIntegerField("年终约谈名次（倒数）", default=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "单位竞赛"
        verbose_name_plural = "单位竞赛"
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "year"], name="contest_one_per_year"),
            models.CheckConstraint(
                condition=Q(due_workday__gte=1, due_workday__lte=20), name="contest_due_workday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.name}"


class Dimension(models.Model):
    """竞赛维度 — 比项目、比投资 … 看实效; `weight` is its share of the total (%)."""

    contest = models.ForeignKey(
        Contest, verbose_name="单位竞赛", on_delete=models.CASCADE, related_name="dimensions"
    )
    name = models.CharField("维度名称", max_length=30)
    order = models.PositiveSmallIntegerField("排序", default=0)
    weight = models.DecimalField("权重（%）", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "竞赛维度"
        verbose_name_plural = "竞赛维度"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="dimension_unique_name"),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="dimension_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """考核指标 — one figure a participant reports each month; `weight` is its share within
    its dimension (%)."""

    class Direction(models.TextChoices):
        HIGHER = "higher", "越高越好"
        LOWER = "lower", "越低越好"

    class DataType(models.TextChoices):
        INTEGER = "integer", "整数"
        DECIMAL = "decimal", "小数"
        PERCENT = "percent", "百分比"

    dimension = models.ForeignKey(
        Dimension, verbose_name="竞赛维度", on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField("指标名称", max_length=50)
    unit = models.CharField("计量单位", max_length=20, blank=True)
    direction = models.CharField("方向", max_length=10, choices=Direction, default=Direction.HIGHER)
    weight = models.DecimalField("维度内权重（%）", max_digits=5, decimal_places=2)
    data_type = models.CharField("数据类型", max_length=10, choices=DataType)
    # Growth rates may fall below zero; counts and amounts may not.
    signed = models.BooleanField("可为负数", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["dimension__order", "dimension_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "name"], name="indicator_unique_name"),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="indicator_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """参赛单位 — a county, district or development zone in the contest."""

    contest = models.ForeignKey(
        Contest, verbose_name="单位竞赛", on_delete=models.CASCADE, related_name="participants"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="参赛单位", on_delete=models.PROTECT, related_name="contest_entries"
    )

    class Meta:
        verbose_name = "参赛单位"
        verbose_name_plural = "参赛单位"
        ordering = ["unit__sort", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "unit"], name="participant_unique_unit"),
        ]

    def __str__(self) -> str:
        return self.unit.name


class Round(models.Model):
    """月调度 — one month of the contest, opened by the city office: every participant then
    owes a submission by `due`."""

    contest = models.ForeignKey(
        Contest, verbose_name="单位竞赛", on_delete=models.CASCADE, related_name="rounds"
    )
    month = models.PositiveSmallIntegerField("月份")
    due = models.DateField("报送截止日期")
    due_estimated = models.BooleanField("期限为估算", default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("发起时间")

    class Meta:
        verbose_name = "月度调度"
        verbose_name_plural = "月度调度"
        ordering = ["contest", "month"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "month"], name="round_unique_month"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="round_month_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest.year}年{self.month}月调度"


class Submission(models.Model):
    """月度报送 — a participant's values for one month (a duty: due, the ladder)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待报送"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已采用"

    round = models.ForeignKey(
        Round, verbose_name="月度调度", on_delete=models.CASCADE, related_name="submissions"
    )
    participant = models.ForeignKey(
        Participant, verbose_name="参赛单位", on_delete=models.CASCADE, related_name="submissions"
    )
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.DRAFT)
    # `due` moves with an approved extension or a return; `first_due` is the round's date,
    # which `late` is judged by.
    due = models.DateField("报送期限")
    due_estimated = models.BooleanField("期限为估算", default=False)
    first_due = models.DateField("原定期限")
    note = models.TextField("情况说明", blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    # Set at the first submission: after the round's own due date (an extension was needed).
    late = models.BooleanField("逾期报送", null=True, blank=True)
    returns = models.PositiveSmallIntegerField("退回次数", default=0)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    accepted_at = models.DateTimeField("采用时间", null=True, blank=True)
    supervision = models.PositiveSmallIntegerField("督办级别", choices=Level, default=Level.NONE)
    supervision_at = models.DateTimeField("督办时间", null=True, blank=True)

    class Meta:
        verbose_name = "月度报送"
        verbose_name_plural = "月度报送"
        ordering = ["round__month", "participant__unit__sort", "participant__unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participant"], name="submission_unique_participant"
            ),
        ]
        indexes = [
            # The supervision sweep (contest.actions.worker): submissions still owed, by due.
            models.Index(
                fields=["due"],
                name="contest_submission_due_idx",
                condition=Q(status__in=["draft", "returned"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.participant}"


class Value(models.Model):
    """指标值 — one indicator's value in a submission."""

    submission = models.ForeignKey(
        Submission, verbose_name="月度报送", on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="考核指标", on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField("数值", max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = "指标值"
        verbose_name_plural = "指标值"
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.value}"


def submission_file_path(instance: "SubmissionFile", filename: str) -> str:
    row = instance.submission
    return f"contest/{row.round.contest_id}/{row.round.month}/{row.participant_id}/{filename}"


class SubmissionFile(StoredFile):
    """佐证材料 — a file a participant attached to its month's values."""

    submission = models.ForeignKey(
        Submission, verbose_name="月度报送", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=submission_file_path)

    class Meta:
        verbose_name = "竞赛佐证材料"
        verbose_name_plural = "竞赛佐证材料"


class Extension(models.Model):
    """延期申请 — a participant asks for a later due date; the city office decides."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    submission = models.ForeignKey(
        Submission, verbose_name="月度报送", on_delete=models.CASCADE, related_name="extensions"
    )
    reason = models.CharField("申请理由", max_length=300)
    until = models.DateField("申请延至")
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    answer = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(status="pending"),
                name="extension_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} 延至{self.until}"


class ReviewNote(models.Model):
    """季点评 — the city office's note on one participant for one quarter, seen by it."""

    participant = models.ForeignKey(
        Participant, verbose_name="参赛单位", on_delete=models.CASCADE, related_name="notes"
    )
    quarter = models.PositiveSmallIntegerField("季度")
    text = models.TextField("点评意见")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="点评人", on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField("点评时间")

    class Meta:
        verbose_name = "季度点评"
        verbose_name_plural = "季度点评"
        ordering = ["quarter", "participant__unit__sort", "participant__unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "quarter"], name="note_one_per_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="note_quarter_range"
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.quarter}季度 {self.participant}"


class Interview(models.Model):
    """约谈 — the year-end talk with a participant ranked in the bottom N."""

    participant = models.ForeignKey(
        Participant, verbose_name="参赛单位", on_delete=models.CASCADE, related_name="interviews"
    )
    held_on = models.DateField("约谈日期")
    interviewers = models.CharField("约谈人", max_length=200)
    interviewees = models.CharField("被约谈人", max_length=200)
    rank = models.PositiveSmallIntegerField("年度名次", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "竞赛约谈"
        verbose_name_plural = "竞赛约谈"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} 约谈{self.participant}"


class InterviewPoint(models.Model):
    """约谈要点 — one point raised; it may become a 整改 item with a deadline."""

    interview = models.ForeignKey(
        Interview, verbose_name="约谈", on_delete=models.CASCADE, related_name="points"
    )
    order = models.PositiveSmallIntegerField("序号")
    text = models.CharField("约谈要点", max_length=300)
    rectification = models.OneToOneField(
        "campaign.Rectification",
        verbose_name="整改事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contest_point",
    )

    class Meta:
        verbose_name = "约谈要点"
        verbose_name_plural = "约谈要点"
        ordering = ["interview", "order"]

    def __str__(self) -> str:
        return self.text


class ContestEvent(EventBase):
    """单位竞赛的记录 — setup changes, rounds, submissions, reviews, extensions, notes and
    interviews (the audit trail; a submission's rows are its timeline)."""

    class Verb(models.TextChoices):
        CREATED = "created", "创建竞赛"
        CHANGED = "changed", "修改竞赛设置"
        OPENED = "opened", "启动竞赛"
        CLOSED = "closed", "结束竞赛"
        ROUND = "round", "发起月度调度"
        SUBMITTED = "submitted", "报送数据"
        ACCEPTED = "accepted", "审核采用"
        RETURNED = "returned", "退回重报"
        EXTENSION_ASKED = "extension_asked", "申请延期"
        EXTENSION_APPROVED = "extension_approved", "批准延期"
        EXTENSION_REFUSED = "extension_refused", "不批准延期"
        NOTE = "note", "季度点评"
        INTERVIEW = "interview", "登记约谈"
        RECTIFICATION = "rectification", "约谈要点转为整改"
        REMIND = "remind", "提醒"
        URGE = "urge", "催办"
        SUPERVISE = "supervise", "督办"
        NOTIFY = "notify", "通报"

    verb = models.CharField("动作", max_length=30, choices=Verb)
    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="events", verbose_name="单位竞赛"
    )
    submission = models.ForeignKey(
        Submission,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name="月度报送",
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    subject_field = "contest"

    class Meta(EventBase.Meta):
        verbose_name = "单位竞赛记录"
        verbose_name_plural = "单位竞赛记录"
