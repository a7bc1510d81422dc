"""部署任务 — a directive a unit (the city office, or any unit to its own subtree) issues to
its target units, and the assignment each target unit completes with a report and evidence.

Assignments are duties of the duty kit: a stored working-day deadline (+ its 估算 flag), the
supervision rung, events with codes, SMS through orgs.notify."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shishi.core.models import EventBase, StoredFile
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


def directive_file_path(instance: "DirectiveFile", filename: str) -> str:
    return f"campaign/{instance.directive.code}/attachments/{filename}"


class DirectiveFile(StoredFile):
    """任务附件 — the notice, plan or form a directive comes with (PDF or images)."""

    directive = models.ForeignKey(
        Directive, verbose_name="部署任务", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=directive_file_path)

    class Meta:
        verbose_name = "任务附件"
        verbose_name_plural = "任务附件"


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


class Evidence(StoredFile):
    """佐证材料 — a file a unit attached to its report (photos, minutes, PDFs)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="任务落实", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"


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


class StudyFile(StoredFile):
    """学习活动的佐证材料 — photos or PDFs of a session."""

    session = models.ForeignKey(
        StudySession, verbose_name="学习活动", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=study_file_path)

    class Meta:
        verbose_name = "学习活动材料"
        verbose_name_plural = "学习活动材料"


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


# --- 巡回指导 and 整改 --------------------------------------------------------------------------


class GuidanceGroup(models.Model):
    """巡回指导组 — a roving guidance group: a leader and members (people holding the
    guidance role) who guide the units assigned to the group, round after round."""

    name = models.CharField("名称", max_length=40, unique=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="组长", on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="成员",
        blank=True,
        related_name="guidance_groups",
    )
    units = models.ManyToManyField(
        Unit, verbose_name="指导单位", through="GroupUnit", related_name="guidance_groups"
    )
    created_at = models.DateTimeField("成立时间")

    class Meta:
        verbose_name = "巡回指导组"
        verbose_name_plural = "巡回指导组"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class GroupUnit(models.Model):
    """A unit assigned to a group: each unit is guided by one group (its subtree with it)."""

    group = models.ForeignKey(
        GuidanceGroup, verbose_name="巡回指导组", on_delete=models.CASCADE, related_name="assigned"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="指导单位", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "指导单位"
        verbose_name_plural = "指导单位"
        constraints = [
            models.UniqueConstraint(fields=["unit"], name="guidance_one_group_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.group.name} {self.unit.name}"


class GuidanceRound(models.Model):
    """巡回指导轮次 — a round with its dates; every group visits each of its units in it."""

    number = models.PositiveSmallIntegerField("轮次", unique=True)
    starts = models.DateField("开始日期")
    ends = models.DateField("结束日期")

    class Meta:
        verbose_name = "巡回指导轮次"
        verbose_name_plural = "巡回指导轮次"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gte=models.F("starts")), name="guidance_round_dates"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="guidance_round_number"),
        ]

    def __str__(self) -> str:
        return f"第{self.number}轮"


class Visit(models.Model):
    """指导 — one visit of a group to one of its units, in the round its date falls in, with
    the methods used and what was found."""

    class Method(models.TextChoices):
        BRIEFING = "briefing", "听取汇报"
        RECORDS = "records", "查阅资料"
        TALKS = "talks", "个别谈话"
        SPOT_CHECK = "spot_check", "随机抽查"
        SIT_IN = "sit_in", "巡听旁听"

    group = models.ForeignKey(
        GuidanceGroup, verbose_name="巡回指导组", on_delete=models.PROTECT, related_name="visits"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="指导单位", on_delete=models.PROTECT, related_name="guidance_visits"
    )
    round = models.ForeignKey(
        GuidanceRound, verbose_name="轮次", on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField("指导日期")
    methods = models.JSONField("指导方式", default=list)
    findings = models.TextField("发现的问题和意见建议")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "巡回指导"
        verbose_name_plural = "巡回指导"
        ordering = ["-visited_on", "-pk"]
        indexes = [
            # The coverage matrix (queries.guidance_coverage): visits per round and unit.
            models.Index(fields=["round", "unit"], name="visit_round_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.group.name} {self.unit.name}"

    def method_labels(self) -> list[str]:
        return [self.Method(code).label for code in self.methods if code in self.Method.values]


class Rectification(models.Model):
    """整改事项 — a problem a unit must put right by a deadline: raised by a guidance group
    from a visit, or by the city office (or a unit above) from a 专题组织生活会; the unit
    reports progress and evidence; only the raising side closes it (销号) or sends it back."""

    class Status(models.TextChoices):
        OPEN = "open", "整改中"
        REPORTED = "reported", "待销号"
        CLOSED = "closed", "已销号"

    class Source(models.TextChoices):
        VISIT = "visit", "巡回指导发现"
        LIFE_MEETING = "life_meeting", "专题组织生活会查摆"
        OTHER = "other", "其他途径发现"

    code = models.CharField("编号", max_length=24, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="rectifications"
    )
    source = models.CharField("问题来源", max_length=20, choices=Source)
    visit = models.ForeignKey(
        Visit,
        verbose_name="巡回指导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    session = models.ForeignKey(
        StudySession,
        verbose_name="组织生活会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    # Who closes it: the raising group, else the raising unit (the city office may always).
    group = models.ForeignKey(
        GuidanceGroup,
        verbose_name="提出的指导组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    raised_unit = models.ForeignKey(
        Unit, verbose_name="提出单位", on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField("提出时间")
    problem = models.TextField("存在问题")
    measures = models.TextField("整改要求")
    days = models.PositiveSmallIntegerField("整改时限（工作日）")
    due = models.DateField("整改期限")
    due_estimated = models.BooleanField("期限为估算", default=False)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.OPEN)
    progress = models.TextField("最新整改进展", blank=True)
    reported_at = models.DateTimeField("申请销号时间", null=True, blank=True)
    returns = models.PositiveSmallIntegerField("退回次数", default=0)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    # Closed: was the report that passed made by the deadline it answered? (None until then)
    on_time = models.BooleanField("按期整改", null=True, blank=True)
    supervision = models.PositiveSmallIntegerField("督办级别", choices=Level, default=Level.NONE)
    supervision_at = models.DateTimeField("督办时间", null=True, blank=True)

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["due", "pk"]
        indexes = [
            # The supervision sweep (campaign.actions.worker): items still being put right.
            models.Index(fields=["due"], name="rectification_due_idx", condition=Q(status="open")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.unit.name}"


def rectification_file_path(instance: "RectificationFile", filename: str) -> str:
    return f"campaign/rectification/{instance.item.unit_id}/{instance.item.code}/{filename}"


class RectificationFile(StoredFile):
    """整改佐证材料 — a file the unit attached to a progress report."""

    item = models.ForeignKey(
        Rectification, verbose_name="整改事项", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=rectification_file_path)

    class Meta:
        verbose_name = "整改佐证材料"
        verbose_name_plural = "整改佐证材料"


class RectificationEvent(EventBase):
    """整改事项的记录 — the item's timeline and audit trail."""

    class Verb(models.TextChoices):
        RAISED = "raised", "提出整改"
        PROGRESS = "progress", "报告整改进展"
        REPORTED = "reported", "申请销号"
        CLOSED = "closed", "销号"
        RETURNED = "returned", "退回继续整改"
        REMIND = "remind", "提醒"
        URGE = "urge", "催办"
        SUPERVISE = "supervise", "督办"
        NOTIFY = "notify", "通报"

    verb = models.CharField("动作", max_length=30, choices=Verb)
    item = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="events", verbose_name="整改事项"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    subject_field = "item"

    class Meta(EventBase.Meta):
        verbose_name = "整改事项记录"
        verbose_name_plural = "整改事项记录"


class VisitEvent(EventBase):
    """巡回指导的记录 — who recorded a visit (the audit trail)."""

    class Verb(models.TextChoices):
        RECORDED = "recorded", "登记巡回指导"

    verb = models.CharField("动作", max_length=30, choices=Verb)
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="events", verbose_name="巡回指导"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    subject_field = "visit"

    class Meta(EventBase.Meta):
        verbose_name = "巡回指导记录"
        verbose_name_plural = "巡回指导记录"
