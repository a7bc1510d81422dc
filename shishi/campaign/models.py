"""部署任务 — a directive a unit (the city office, or any unit to its own subtree) issues to
its target units, and the assignment each target unit completes with a report and evidence.

Assignments are duties of the duty kit: a stored working-day deadline (+ its 估算 flag), the
supervision rung, events with codes, SMS through orgs.notify."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shishi.core.models import EventBase
from shishi.core.supervision import Level
from shishi.orgs.models import Unit


class Directive(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    code = models.CharField("任务编号", max_length=24, unique=True)
    title = models.CharField("任务名称", max_length=100)
    content = models.TextField("任务内容")
    issuer = models.ForeignKey(
        Unit, verbose_name="部署单位", on_delete=models.PROTECT, related_name="issued_directives"
    )
    # Targets: every active unit under `target_root` (the issuer's subtree, itself excluded)
    # whose kind is one of `target_kinds` (all kinds when empty).
    target_root = models.ForeignKey(
        Unit, verbose_name="下达范围", on_delete=models.PROTECT, related_name="+"
    )
    target_kinds = models.JSONField("下达到的单位类型", default=list, blank=True)
    days = models.PositiveSmallIntegerField("完成时限（工作日）")
    due = models.DateField("完成期限")
    due_estimated = models.BooleanField("期限为估算", default=False)
    evidence = models.CharField("佐证材料要求", max_length=300)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.OPEN)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="部署人", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("部署时间")
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "部署任务"
        verbose_name_plural = "部署任务"
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Assignment(models.Model):
    """One target unit's duty under a directive (履职: report + evidence, approved by the
    issuer)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待完成"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已完成"

    directive = models.ForeignKey(
        Directive, verbose_name="部署任务", on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="承担单位", on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.PENDING)
    due = models.DateField("完成期限")
    due_estimated = models.BooleanField("期限为估算", default=False)
    # A unit created while the directive was open joins it with a deadline of its own.
    joined_late = models.BooleanField("新建单位补充下达", default=False)
    report = models.TextField("完成情况", blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    returns = models.PositiveSmallIntegerField("退回次数", default=0)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    approved_at = models.DateTimeField("审核通过时间", null=True, blank=True)
    # Approved: was the report that passed first submitted by the deadline? (None until then)
    on_time = models.BooleanField("按时完成", null=True, blank=True)
    supervision = models.PositiveSmallIntegerField("督办级别", choices=Level, default=Level.NONE)
    supervision_at = models.DateTimeField("督办时间", null=True, blank=True)

    class Meta:
        verbose_name = "任务落实"
        verbose_name_plural = "任务落实"
        ordering = ["unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "unit"], name="assignment_unique_unit"),
        ]
        indexes = [
            # The supervision sweep (campaign.actions.worker): duties still to be done, by
            # deadline; submitted and approved ones stay out of it.
            models.Index(
                fields=["due"],
                name="assignment_due_idx",
                condition=Q(status__in=["pending", "returned"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.directive.code} {self.unit.name}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"campaign/{instance.assignment.directive.code}/{instance.assignment.unit_id}/{filename}"


class Evidence(models.Model):
    """佐证材料 — a file a unit attached to its report (photos, minutes, PDFs)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="任务落实", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path)
    name = models.CharField("文件名", max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.name


class AssignmentEvent(EventBase):
    """任务落实的记录 — the assignment's timeline and audit trail (codes stored, labels
    shown); record through `campaign.events`."""

    class Verb(models.TextChoices):
        ASSIGNED = "assigned", "下达任务"
        JOINED = "joined", "补充下达（新建单位）"
        SUBMITTED = "submitted", "报送完成情况"
        APPROVED = "approved", "审核通过"
        RETURNED = "returned", "退回重报"
        REMIND = "remind", "提醒"
        URGE = "urge", "催办"
        SUPERVISE = "supervise", "督办"
        NOTIFY = "notify", "通报"

    verb = models.CharField("动作", max_length=30, choices=Verb)
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="events", verbose_name="任务落实"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    subject_field = "assignment"

    class Meta(EventBase.Meta):
        verbose_name = "任务落实记录"
        verbose_name_plural = "任务落实记录"


class StudySession(models.Model):
    """学习活动 — a study session a unit held (理论学习中心组学习, 三会一课 …), recorded by its
    clerk or leader with who attended and the minutes."""

    class Kind(models.TextChoices):
        CENTRAL_GROUP = "central_group", "理论学习中心组学习"
        READING_CLASS = "reading_class", "读书班"
        SEMINAR = "seminar", "专题研讨班"
        PARTY_LECTURE = "party_lecture", "专题党课"
        PARTY_DAY = "party_day", "主题党日"
        OATH = "oath", "重温入党誓词"
        BROADCAST = "broadcast", "集中收听收看"
        LIFE_MEETING = "life_meeting", "专题组织生活会"
        OTHER = "other", "其他"

    class Mode(models.TextChoices):
        """五学."""

        SELF = "self", "自学"
        GROUP = "group", "集体研学"
        LEADER = "leader", "领导带学"
        MODEL = "model", "典型导学"
        REVIEW = "review", "巡听评学"

    unit = models.ForeignKey(
        Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="study_sessions"
    )
    kind = models.CharField("活动类型", max_length=20, choices=Kind)
    mode = models.CharField("学习方式", max_length=10, choices=Mode)
    held_on = models.DateField("活动日期")
    topic = models.CharField("学习主题", max_length=100)
    place = models.CharField("地点", max_length=100, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="参加人员", blank=True, related_name="+"
    )
    # People without an account (party members, residents) counted but not named.
    extra_attendees = models.PositiveIntegerField("其他参加人数", default=0)
    minutes = models.TextField("活动记录", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "学习活动"
        verbose_name_plural = "学习活动"
        ordering = ["-held_on", "-pk"]
        indexes = [
            # The 学习活动 list and the figures: a subtree's sessions in a date range.
            models.Index(fields=["held_on"], name="study_held_on_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


def study_file_path(instance: "StudyFile", filename: str) -> str:
    return f"campaign/study/{instance.session.unit_id}/{instance.session_id}/{filename}"


class StudyFile(models.Model):
    """学习活动的佐证材料 — photos or PDFs of a session."""

    session = models.ForeignKey(
        StudySession, verbose_name="学习活动", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=study_file_path)
    name = models.CharField("文件名", max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "学习活动材料"
        verbose_name_plural = "学习活动材料"

    def __str__(self) -> str:
        return self.name


class StudyEvent(EventBase):
    """学习活动的记录 — who recorded or removed a session (the audit trail; a removed
    session's row stays, its link emptied)."""

    class Verb(models.TextChoices):
        RECORDED = "recorded", "登记学习活动"
        REMOVED = "removed", "删除学习活动"

    verb = models.CharField("动作", max_length=30, choices=Verb)
    session = models.ForeignKey(
        StudySession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name="学习活动",
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    subject_field = "session"

    class Meta(EventBase.Meta):
        verbose_name = "学习活动记录"
        verbose_name_plural = "学习活动记录"
