"""实事项目 — the ledger of practical projects: milestones, progress reports, disclosure with
objections, completion with evidence, acceptance and the public's rating."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from shishi.appeals.models import Appeal
from shishi.core.masking import mask_phone
from shishi.core.models import EventBase
from shishi.core.supervision import Level
from shishi.orgs.models import Unit


class Area(models.TextChoices):
    """The 8 key areas (重点领域)."""

    DEVELOPMENT = "development", "贯彻新发展理念"
    RURAL = "rural", "推进乡村振兴"
    LIVING = "living", "提高生活品质"
    BUSINESS = "business", "优化营商环境"
    TAIWAN = "taiwan", "服务台胞台企"
    DIGITAL = "digital", "数字赋能增效"
    ECOLOGY = "ecology", "生态环境建设"
    GOVERNANCE = "governance", "基层治理"


class ProjectLevel(models.TextChoices):
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWN = "town", "乡级"
    VILLAGE = "village", "村级"


class Source(models.TextChoices):
    PUBLIC = "public", "群众点题"
    RESEARCH = "research", "调研"
    SUPERIOR = "superior", "上级部署"
    DEPUTIES = "deputies", "代表委员建议"
    HOTSPOT = "hotspot", "热点诉求"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "周报"
    MONTHLY = "monthly", "月报"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已审核"
    DISCLOSED = "disclosed", "公示中"
    IN_PROGRESS = "in_progress", "实施中"
    COMPLETED = "completed", "已完成"
    ACCEPTED = "accepted", "已验收"
    EVALUATED = "evaluated", "已评价"
    SUSPENDED = "suspended", "已暂停"
    CANCELLED = "cancelled", "已取消"


# The public sees a project from its disclosure on.
PUBLIC_STATUSES = (
    Status.DISCLOSED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.ACCEPTED,
    Status.EVALUATED,
    Status.SUSPENDED,
)
RATABLE_STATUSES = (Status.COMPLETED, Status.ACCEPTED)
# Not (or no longer) a project of the ledger's figures: 完成率, the dashboards.
UNCOUNTED_STATUSES = (Status.DRAFT, Status.CANCELLED)
# Done, whatever came after: what 完成率 counts.
DONE_STATUSES = (Status.COMPLETED, Status.ACCEPTED, Status.EVALUATED)
# Bands of 形象进度 the dashboards chart and the ledger filters by: code -> (label, from, to).
PROGRESS_BANDS = {
    "none": ("未动工（0%）", 0, 0),
    "early": ("1%–49%", 1, 49),
    "late": ("50%–99%", 50, 99),
    "full": ("100%", 100, 100),
}


def progress_band(progress: int) -> str:
    return next(code for code, (_, low, high) in PROGRESS_BANDS.items() if low <= progress <= high)


EDITABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED)


class ProjectQuerySet(models.QuerySet):
    """The filters readers of projects share (lists, panels, the public pages)."""

    def public(self) -> "ProjectQuerySet":
        """What anyone may read: projects from disclosure on."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def in_progress(self) -> "ProjectQuerySet":
        return self.filter(status=Status.IN_PROGRESS)

    def late(self, today: date) -> "ProjectQuerySet":
        """In progress with a milestone not done, or a progress report not filed, by its date."""
        late_milestone = Milestone.objects.filter(
            project=OuterRef("pk"), done_at__isnull=True, due__lt=today
        )
        missing_report = ReportSlot.objects.filter(
            project=OuterRef("pk"), report__isnull=True, due__lt=today
        )
        return self.in_progress().filter(Exists(late_milestone) | Exists(missing_report))


class Project(models.Model):
    """实事项目 — one practical project a unit committed to do for the people."""

    code = models.CharField("项目编号", max_length=24, unique=True)
    title = models.CharField("项目名称", max_length=100)
    description = models.TextField("项目简介", blank=True)
    area = models.CharField("重点领域", max_length=16, choices=Area)
    level = models.CharField("层级", max_length=10, choices=ProjectLevel)
    source = models.CharField("项目来源", max_length=10, choices=Source)
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led_projects"
    )
    co_units = models.ManyToManyField(
        Unit, verbose_name="配合单位", blank=True, related_name="co_projects"
    )
    leader = models.CharField("责任领导", max_length=60)
    planned_start = models.DateField("计划开始")
    planned_end = models.DateField("计划完成")
    targets = models.TextField("目标任务")
    budget = models.DecimalField("投资（万元）", max_digits=12, decimal_places=2, default=0)
    beneficiaries = models.PositiveIntegerField("受益人数", default=0)
    place = models.CharField("实施地点", max_length=200, blank=True)
    cadence = models.CharField("进度报送", max_length=10, choices=Cadence, default=Cadence.MONTHLY)
    status = models.CharField("状态", max_length=12, choices=Status, default=Status.DRAFT)
    # Before a suspension or cancellation is approved, the status it would go to.
    pending_status = models.CharField("待批准的状态", max_length=12, choices=Status, blank=True)
    pending_reason = models.CharField("申请理由", max_length=300, blank=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    disclosure_until = models.DateField("公示截止", null=True, blank=True)
    disclosure_estimated = models.BooleanField("公示截止为估算", default=False)
    started_at = models.DateTimeField("开工时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    accepted_at = models.DateTimeField("验收时间", null=True, blank=True)
    # The public rates an accepted project until this day; then it becomes 已评价.
    rating_until = models.DateField("评价截止", null=True, blank=True)
    rating_estimated = models.BooleanField("评价截止为估算", default=False)
    rating_count = models.PositiveIntegerField("评价人数", default=0)
    rating_total = models.PositiveIntegerField("评价总星数", default=0)
    appeals = models.ManyToManyField(
        Appeal, verbose_name="来源诉求", blank=True, related_name="projects"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间")

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "实事项目"
        verbose_name_plural = "实事项目"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The public list: disclosed projects by area and level, newest first.
            models.Index(fields=["status", "area", "level"], name="project_public_idx"),
            # A unit's ledger.
            models.Index(fields=["lead_unit", "status"], name="project_unit_idx"),
            # close_evaluations (core.supervision.close_due): accepted projects by the end of
            # their rating window.
            models.Index(
                fields=["rating_until"], name="project_rating_idx", condition=Q(status="accepted")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="project_end_after_start",
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_positive"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_max"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def rating(self) -> float | None:
        return round(self.rating_total / self.rating_count, 1) if self.rating_count else None


class Milestone(models.Model):
    """节点 — a step with a weight and a date; done steps make the progress."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=100)
    weight = models.PositiveSmallIntegerField("权重", default=1)
    due = models.DateField("计划完成")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    supervision = models.PositiveSmallIntegerField("督办级别", choices=Level, default=Level.NONE)
    supervision_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "项目节点"
        verbose_name_plural = "项目节点"
        ordering = ["due", "pk"]
        indexes = [
            # The supervision sweep (projects.actions.worker via core.supervision.sweep):
            # milestones not yet done, by date.
            models.Index(fields=["due"], name="milestone_due_idx", condition=Q(done_at=None)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="milestone_weight_positive")
        ]

    def __str__(self) -> str:
        return self.title


class ReportSlot(models.Model):
    """报送期 — one week or month a project owes a progress report for.

    Created by the worker for every period a project in progress has entered; a slot without
    a report after its due date is a missing report and climbs the supervision ladder.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="slots")
    period_start = models.DateField("报送期")
    due = models.DateField("报送截止")
    supervision = models.PositiveSmallIntegerField("督办级别", choices=Level, default=Level.NONE)
    supervision_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "报送期"
        verbose_name_plural = "报送期"
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period_start"], name="slot_unique_period"),
        ]
        indexes = [models.Index(fields=["due"], name="slot_due_idx")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period_start}"


class ProgressReport(models.Model):
    """进度报告 — the unit's weekly or monthly report, reviewed by its leader."""

    class Review(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已审核"
        RETURNED = "returned", "已退回"

    slot = models.OneToOneField(ReportSlot, on_delete=models.CASCADE, related_name="report")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("报送时间")
    late = models.BooleanField("迟报", default=False)
    text = models.TextField("本期进展")
    percent = models.PositiveSmallIntegerField("形象进度（%）")
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步计划", blank=True)
    review = models.CharField("审核", max_length=10, choices=Review, default=Review.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "进度报告"
        verbose_name_plural = "进度报告"
        ordering = ["-filed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_max")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.slot.period_start}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"projects/{instance.project.code}/{filename}"


class Attachment(models.Model):
    """附件 — photos and documents of a report, or completion evidence."""

    class Kind(models.TextChoices):
        REPORT = "report", "进度附件"
        BEFORE = "before", "实施前照片"
        AFTER = "after", "完成后照片"
        DOCUMENT = "document", "佐证材料"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    file = models.FileField(upload_to=attachment_path)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.file.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Objection(models.Model):
    """公示异议 — a member of the public questions a disclosed project; the unit answers."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="objections")
    phone = models.CharField(max_length=20)
    content = models.TextField("异议内容")
    created_at = models.DateTimeField()
    answer = models.TextField("答复", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.content[:20]}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Rating(models.Model):
    """群众评价 — stars and a comment, one per phone per project."""

    class Moderation(models.TextChoices):
        PENDING = "pending", "待审核"
        SHOWN = "shown", "已公开"
        HIDDEN = "hidden", "不公开"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ratings")
    phone = models.CharField(max_length=20)
    stars = models.PositiveSmallIntegerField("评分")
    comment = models.CharField("评价", max_length=300, blank=True)
    created_at = models.DateTimeField()
    moderation = models.CharField(
        "审核", max_length=10, choices=Moderation, default=Moderation.PENDING
    )

    class Meta:
        verbose_name = "群众评价"
        verbose_name_plural = "群众评价"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "phone"], name="rating_one_per_phone"),
            models.CheckConstraint(
                condition=Q(stars__gte=1) & Q(stars__lte=5), name="rating_stars_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.stars}★"


class ProjectEvent(EventBase):
    """项目事件 — the project's timeline; public rows are shown on the disclosure page.

    `verb` stores a code; the Chinese label is what people read (`get_verb_display`).
    Record through `projects.events`.
    """

    class Verb(models.TextChoices):
        CREATED = "created", "登记项目"
        IMPORTED = "imported", "导入项目"
        EDITED = "edited", "修改项目"
        APPEALS_LINKED = "appeals_linked", "关联诉求"
        MILESTONE_ADDED = "milestone_added", "增加节点"
        MILESTONE_REMOVED = "milestone_removed", "删除节点"
        MILESTONE_DONE = "milestone_done", "完成节点"
        SUBMITTED = "submitted", "提交审核"
        APPROVED = "approved", "审核通过"
        SENT_BACK = "sent_back", "退回修改"
        DISCLOSED = "disclosed", "公示"
        STARTED = "started", "开工实施"
        COMPLETED = "completed", "项目完成"
        ACCEPTED = "accepted", "验收通过"
        NOT_ACCEPTED = "not_accepted", "验收不通过"
        SUSPEND_REQUESTED = "suspend_requested", "申请暂停"
        RESUME_REQUESTED = "resume_requested", "申请恢复实施"
        CANCEL_REQUESTED = "cancel_requested", "申请取消"
        SUSPEND_APPROVED = "suspend_approved", "批准暂停"
        SUSPEND_DENIED = "suspend_denied", "不批准暂停"
        RESUME_APPROVED = "resume_approved", "批准恢复实施"
        RESUME_DENIED = "resume_denied", "不批准恢复实施"
        CANCEL_APPROVED = "cancel_approved", "批准取消"
        CANCEL_DENIED = "cancel_denied", "不批准取消"
        WEEKLY_FILED = "weekly_filed", "报送周报"
        MONTHLY_FILED = "monthly_filed", "报送月报"
        REPORT_APPROVED = "report_approved", "审核进度报告"
        REPORT_RETURNED = "report_returned", "退回进度报告"
        PROGRESS_PUBLISHED = "progress_published", "进度报告"
        OBJECTION_FILED = "objection_filed", "收到公示异议"
        OBJECTION_ANSWERED = "objection_answered", "答复公示异议"
        RATED = "rated", "群众评价"
        RATING_MODERATED = "rating_moderated", "审核评价"
        REMIND = "remind", "提醒"
        URGE = "urge", "催办"
        SUPERVISE = "supervise", "督办"
        NOTIFY = "notify", "通报"
        RATING_CLOSED = "rating_closed", "评价结束"

    verb = models.CharField("动作", max_length=30, choices=Verb)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(EventBase.Meta):
        verbose_name = "项目事件"
        verbose_name_plural = "项目事件"
        indexes = [models.Index(fields=["project", "at"], name="project_event_idx")]

    subject_field = "project"

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_verb_display()}"
