"""诉求 — citizens' and enterprises' problems, the units that hold them, and their timelines."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from shishi.core import workdays
from shishi.core.masking import mask_name, mask_phone
from shishi.core.models import EventBase
from shishi.core.supervision import Level
from shishi.orgs.models import Unit


class Category(models.Model):
    """诉求分类 — a node of the category tree, with deadlines in working days.

    A blank deadline is inherited from the parent, and at the top from the appeal's kind
    (咨询 3, 求助 5, 投诉/建议 13 handling days; 1 day to sign; 3 days to call back).
    """

    name = models.CharField("名称", max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField("层级", default=1)
    full_name = models.CharField("完整名称", max_length=200, editable=False)
    sign_days = models.PositiveSmallIntegerField("签收时限（工作日）", null=True, blank=True)
    handle_days = models.PositiveSmallIntegerField("办理时限（工作日）", null=True, blank=True)
    callback_days = models.PositiveSmallIntegerField("回访时限（工作日）", null=True, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("在用", default=True)

    # The top-level category of appeals whose reporter chose 不清楚 (public form); the office
    # reclassifies them (actions.reclassify_appeal). Created when first needed.
    UNSORTED = "待分类"

    class Meta:
        verbose_name = "诉求分类"
        verbose_name_plural = "诉求分类"
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = f"{self.parent.full_name}/{self.name}" if self.parent else self.name
        self.level = self.parent.level + 1 if self.parent else 1
        super().save(*args, **kwargs)

    @property
    def is_unsorted(self) -> bool:
        return self.parent_id is None and self.name == self.UNSORTED


class Status(models.TextChoices):
    RECEIVED = "received", "已受理"
    DISPATCHED = "dispatched", "已派单"
    ACCEPTED = "accepted", "已签收"
    RETURNED = "returned", "已退单"
    REOPENED = "reopened", "重办中"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"
    MERGED = "merged", "已合并"
    INVALID = "invalid", "无效"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.DISPATCHED,
    Status.ACCEPTED,
    Status.RETURNED,
    Status.REOPENED,
)
# Waiting to be dispatched where it is (待派单): the dispatch deadline runs.
WAITING_STATUSES = (Status.RECEIVED, Status.RETURNED)
# A unit is working on it: the handling deadline runs and supervision applies.
IN_HAND_STATUSES = (Status.DISPATCHED, Status.ACCEPTED, Status.REOPENED)
FINAL_STATUSES = (Status.CLOSED, Status.MERGED, Status.INVALID, Status.WITHDRAWN)


class Channel(models.TextChoices):
    WEB = "web", "网上反映"
    OPERATOR = "operator", "热线电话"
    API = "api", "系统对接"
    OPEN311 = "open311", "Open311"
    ENTERPRISE = "enterprise", "企业服务"


class Kind(models.TextChoices):
    CONSULT = "consult", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"


class ReplyKind(models.TextChoices):
    SOLVED = "solved", "已解决"
    PARTLY = "partly", "部分解决"
    EXPLAINED = "explained", "已解释说明"
    UNSOLVABLE = "unsolvable", "无法解决"


class Verdict(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
    UNREACHED = "unreached", "未联系上"
    NONE = "none", "未评价"


class AppealQuerySet(models.QuerySet):
    """The filters readers of appeals share (queues, panels, the sweep). Each also exists as
    a `Q`, so one aggregate can count several of them at once."""

    @staticmethod
    def in_hand_q() -> Q:
        return Q(status__in=IN_HAND_STATUSES)

    @staticmethod
    def overdue_q(today: date) -> Q:
        return Q(status__in=IN_HAND_STATUSES, handle_due__lt=today)

    @staticmethod
    def due_within_q(today: date, days: int) -> Q:
        last = workdays.add_workdays(today, days)
        return Q(status__in=IN_HAND_STATUSES, handle_due__gte=today, handle_due__lte=last)

    @staticmethod
    def replied_q() -> Q:
        return Q(status=Status.REPLIED)

    def in_hand(self) -> "AppealQuerySet":
        """A unit is working on it: the handling deadline runs and supervision applies."""
        return self.filter(self.in_hand_q())

    def overdue(self, today: date) -> "AppealQuerySet":
        """In hand past the handling deadline (the partial index appeal_due_idx)."""
        return self.filter(self.overdue_q(today))

    def due_within(self, today: date, days: int) -> "AppealQuerySet":
        """In hand and due from today to `days` working days ahead."""
        return self.filter(self.due_within_q(today, days))

    def replied(self) -> "AppealQuerySet":
        """Answered, waiting for the citizen's verdict (待回访)."""
        return self.filter(self.replied_q())

    def held_by(self, unit: Unit) -> "AppealQuerySet":
        return self.filter(holder=unit)


class Appeal(models.Model):
    """诉求 — one problem a citizen or enterprise raised, and where it stands."""

    code = models.CharField("受理编号", max_length=24, unique=True)
    channel = models.CharField("来源渠道", max_length=12, choices=Channel)
    kind = models.CharField("诉求类型", max_length=12, choices=Kind)
    category = models.ForeignKey(
        Category, verbose_name="分类", on_delete=models.PROTECT, related_name="appeals"
    )
    title = models.CharField("标题", max_length=60)
    content = models.TextField("诉求内容")
    place = models.CharField("地点", max_length=200, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    county = models.ForeignKey(
        Unit,
        verbose_name="县（区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    town = models.ForeignKey(
        Unit,
        verbose_name="乡镇（街道）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reporter_name = models.CharField("反映人", max_length=40, blank=True)
    reporter_phone = models.CharField("联系电话", max_length=20)
    # HMAC of the number (core.masking.phone_hash): finds a caller's other appeals without
    # searching, or indexing, the number itself.
    phone_hash = models.CharField("号码摘要", max_length=64, blank=True, editable=False)
    enterprise_name = models.CharField("企业名称", max_length=100, blank=True)

    status = models.CharField("状态", max_length=12, choices=Status, default=Status.RECEIVED)
    # 首接负责: the unit that received it coordinates to the end; the holder does the work.
    first_receiver = models.ForeignKey(
        Unit, verbose_name="首接单位", on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey(
        Unit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="held_appeals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField("受理时间")

    # Deadlines: computed once by deadlines.py and stored (DESIGN §4).
    handle_due = models.DateField("办理期限", null=True, blank=True)
    due_estimated = models.BooleanField("期限为估算", default=False)
    callback_due = models.DateField("回访期限", null=True, blank=True)
    callback_due_estimated = models.BooleanField("回访期限为估算", default=False)
    supervision = models.PositiveSmallIntegerField("督办级别", choices=Level, default=Level.NONE)
    supervision_at = models.DateTimeField("督办时间", null=True, blank=True)
    escalated = models.BooleanField("已提级督办", default=False)
    # While received or returned (待派单): dispatch by this date, set at intake and on return;
    # its own rung on the ladder (the handling rung above is another duty's).
    dispatch_due = models.DateField("派单期限", null=True, blank=True)
    dispatch_due_estimated = models.BooleanField("派单期限为估算", default=False)
    dispatch_level = models.PositiveSmallIntegerField(
        "派单督办级别", choices=Level, default=Level.NONE
    )
    dispatch_level_at = models.DateTimeField("派单督办时间", null=True, blank=True)

    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    reply_kind = models.CharField("答复结果", max_length=12, choices=ReplyKind, blank=True)
    verdict = models.CharField("评价", max_length=12, choices=Verdict, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重办次数", default=0)
    return_count = models.PositiveSmallIntegerField("退单次数", default=0)
    extension_count = models.PositiveSmallIntegerField("延期次数", default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="合并至",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_appeals",
    )

    # A retried programmatic submission carries the same key and gets the same appeal.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    # jieba tokens of title, content and place, indexed for full-text search (search.py).
    search_text = models.TextField(blank=True, editable=False)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = "诉求"
        verbose_name_plural = "诉求"
        ordering = ["-received_at", "-pk"]
        indexes = [
            # Staff lists: keyset pagination by (received_at, pk), newest first.
            models.Index(fields=["-received_at", "-id"], name="appeal_recent_idx"),
            # Unit queues: what a holder has in a status, newest first.
            models.Index(fields=["holder", "status", "-received_at"], name="appeal_queue_idx"),
            # The supervision sweep (appeals.actions.worker via core.supervision.sweep) and the
            # overdue count of appeals.metrics: only appeals in hand, by handling deadline;
            # closed ones (nearly all) stay out of it.
            models.Index(
                fields=["handle_due"],
                name="appeal_due_idx",
                condition=Q(status__in=IN_HAND_STATUSES),
            ),
            # The dispatch ladder (appeals.actions.worker.sweep_dispatch): appeals waiting to
            # be dispatched, by dispatch deadline.
            models.Index(
                fields=["dispatch_due"],
                name="appeal_dispatch_due_idx",
                condition=Q(status__in=WAITING_STATUSES),
            ),
            # 同号码历史诉求 (access.caller_appeals): a caller's appeals, newest first.
            models.Index(fields=["phone_hash", "-received_at"], name="appeal_phone_hash_idx"),
            # close_unevaluated (core.supervision.close_due): replied appeals by the end of
            # their callback window.
            models.Index(
                fields=["callback_due"], name="appeal_callback_idx", condition=Q(status="replied")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="appeal_merged_has_target",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | (Q(lat__gte=-90) & Q(lat__lte=90)),
                name="appeal_lat_range",
            ),
            models.CheckConstraint(
                condition=Q(lng__isnull=True) | (Q(lng__gte=-180) & Q(lng__lte=180)),
                name="appeal_lng_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.reporter_phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.reporter_name) or "匿名"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def waiting(self) -> bool:
        """Received or returned: waiting to be dispatched (待派单)."""
        return self.status in WAITING_STATUSES

    @property
    def waited_workdays(self) -> int:
        """Working days since it was received, to today (business time): how long the
        citizen has waited, shown on the 待派单 list."""
        return workdays.workdays_between(timezone.localdate(self.received_at), timezone.localdate())


class Dispatch(models.Model):
    """派单 — one hand-over of an appeal to a unit, with its own signing deadline.

    The response rate (响应率) counts these: signed by `sign_due` or not.
    """

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="dispatches")
    from_unit = models.ForeignKey(
        Unit, verbose_name="派单单位", on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="dispatches"
    )
    co_handler = models.BooleanField("协办", default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("派单时间")
    sign_due = models.DateField("签收期限")
    sign_due_estimated = models.BooleanField("签收期限为估算", default=False)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_on_time = models.BooleanField("按时签收", null=True)
    returned_at = models.DateTimeField("退单时间", null=True, blank=True)
    return_reason = models.CharField("退单理由", max_length=300, blank=True)
    active = models.BooleanField("当前", default=True)

    class Meta:
        verbose_name = "派单"
        verbose_name_plural = "派单"
        ordering = ["at", "pk"]
        indexes = [
            # Metrics: a unit's dispatches in a month; visibility: appeals sent to a subtree.
            models.Index(fields=["to_unit", "at"], name="dispatch_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.appeal.code} → {self.to_unit}"


class ReplyQuerySet(models.QuerySet):
    def given(self) -> "ReplyQuerySet":
        """Answers the citizen has received: not drafts awaiting (or returned by) the
        leader's approval. Metrics, the tracking page and callbacks read only these."""
        return self.filter(approval__in=Reply.GIVEN)


class Reply(models.Model):
    """答复 — a unit's answer; a reopened appeal gets another one.

    Where the holding unit's kind requires it (`APPEAL_REPLY_APPROVAL_KINDS`), the clerk's
    answer is first a draft (`approval` pending) that only the unit's leader makes public;
    a returned draft stays as a record and the clerk writes a new one. `at` is when the
    citizen got the answer (for a draft: when it was written) and `on_time` is judged then.
    """

    class Approval(models.TextChoices):
        NOT_REQUIRED = "not_required", "无需审核"
        PENDING = "pending", "待负责人审核"
        APPROVED = "approved", "负责人已审核"
        RETURNED = "returned", "已退回修改"

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey(
        Unit, verbose_name="答复单位", on_delete=models.PROTECT, related_name="appeal_replies"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("答复时间")
    kind = models.CharField("答复结果", max_length=12, choices=ReplyKind)
    text = models.TextField("答复内容")
    reason = models.CharField("无法解决原因", max_length=300, blank=True)
    on_time = models.BooleanField("按时答复")
    direct = models.BooleanField("直办", default=False)
    verdict = models.CharField("评价", max_length=12, choices=Verdict, blank=True)
    verdict_at = models.DateTimeField("评价时间", null=True, blank=True)
    verdict_by_citizen = models.BooleanField("群众自评", default=False)
    verdict_note = models.CharField("评价意见", max_length=300, blank=True)
    # 问题是否解决, in the citizen's own words at callback or evaluation; None when nobody
    # asked (verdicts before the question existed). 解决率 counts it, never the reply's kind.
    solved_by_citizen = models.BooleanField("群众认为已解决", null=True, blank=True)
    callback_attempts = models.PositiveSmallIntegerField("回访次数", default=0)
    approval = models.CharField(
        "负责人审核", max_length=12, choices=Approval, default=Approval.NOT_REQUIRED
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    approval_note = models.CharField("审核意见", max_length=300, blank=True)

    objects = ReplyQuerySet.as_manager()

    # The approval states of an answer the citizen has received.
    GIVEN = (Approval.NOT_REQUIRED, Approval.APPROVED)

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"
        ordering = ["at", "pk"]
        indexes = [
            # Metrics: a unit's replies in a month.
            models.Index(fields=["unit", "at"], name="reply_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.appeal.code} {self.get_kind_display()}"

    @property
    def given(self) -> bool:
        return self.approval in self.GIVEN


class Review(models.Model):
    """审核 — a request a supervisor decides: a deadline extension or marking invalid."""

    class Type(models.TextChoices):
        EXTENSION = "extension", "延期"
        INVALID = "invalid", "无效件"

    class Decision(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已同意"
        DENIED = "denied", "不同意"

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="reviews")
    type = models.CharField("类型", max_length=10, choices=Type)
    unit = models.ForeignKey(
        Unit, verbose_name="申请单位", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    days = models.PositiveSmallIntegerField("延期工作日", null=True, blank=True)
    reason = models.CharField("理由", max_length=300)
    decision = models.CharField(
        "审核结果", max_length=10, choices=Decision, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "审核申请"
        verbose_name_plural = "审核申请"
        ordering = ["-requested_at"]
        constraints = [
            # One open request of a type per appeal at a time.
            models.UniqueConstraint(
                fields=["appeal", "type"],
                condition=Q(decision="pending"),
                name="review_one_pending_per_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal.code} {self.get_type_display()} {self.get_decision_display()}"


def photo_path(instance: "Photo", filename: str) -> str:
    return f"appeals/{instance.appeal.received_at:%Y/%m}/{instance.appeal.code}/{filename}"


class Photo(models.Model):
    """诉求照片 — evidence the reporter attached, or photos of the finished work that came
    with a unit's reply (JPEG/PNG, size-limited). One table, so a page reads both at once."""

    class Kind(models.TextChoices):
        REPORTER = "reporter", "现场照片"
        RESULT = "result", "办理结果照片"

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField("类型", max_length=10, choices=Kind, default=Kind.REPORTER)
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(upload_to=photo_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "照片"
        verbose_name_plural = "照片"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="reporter", reply__isnull=True)
                | Q(kind="result", reply__isnull=False),
                name="photo_result_has_reply",
            ),
        ]

    def __str__(self) -> str:
        return self.file.name


class AppealEvent(EventBase):
    """诉求事件 — the appeal's timeline: public rows are what the citizen sees.

    `verb` stores a code; the Chinese label is what people read (`get_verb_display`).
    Record through `appeals.events`.
    """

    class Verb(models.TextChoices):
        RECEIVED = "received", "受理"
        DISPATCHED = "dispatched", "派单"
        DISPATCH_NOTE = "dispatch_note", "派单意见"
        SIGNED = "signed", "签收"
        CO_SIGNED = "co_signed", "协办签收"
        RETURNED = "returned", "退单"
        EXTENSION_REQUESTED = "extension_requested", "申请延期"
        EXTENSION_APPROVED = "extension_approved", "同意延期"
        EXTENSION_DENIED = "extension_denied", "不同意延期"
        INVALID_REQUESTED = "invalid_requested", "申请无效件"
        INVALID_APPROVED = "invalid_approved", "认定无效"
        INVALID_DENIED = "invalid_denied", "不同意无效件"
        REPLY_DRAFTED = "reply_drafted", "答复送审"
        REPLY_RETURNED = "reply_returned", "退回答复"
        REPLIED = "replied", "答复"
        DIRECT_REPLY = "direct_reply", "直办答复"
        UNREACHED = "unreached", "回访未联系上"
        EVALUATED = "evaluated", "评价"
        REOPENED = "reopened", "不满意重办"
        ESCALATED = "escalated", "提级督办"
        MERGED = "merged", "合并"
        ABSORBED = "absorbed", "合并相同诉求"
        WITHDRAWN = "withdrawn", "撤回"
        REMIND = "remind", "提醒"
        URGE = "urge", "催办"
        SUPERVISE = "supervise", "督办"
        NOTIFY = "notify", "通报"
        RECLASSIFIED = "reclassified", "修改分类"
        CLOSED_UNEVALUATED = "closed_unevaluated", "逾期未评价办结"
        IN_PROJECT = "in_project", "纳入实事项目"
        PROJECT_DONE = "project_done", "实事项目完成"
        PHONE_REVEALED = "phone_revealed", "查看号码"
        INSTRUCTED = "instructed", "领导批示"
        INTERVIEWED = "interviewed", "约谈"

    verb = models.CharField("动作", max_length=30, choices=Verb)
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(EventBase.Meta):
        verbose_name = "诉求事件"
        verbose_name_plural = "诉求事件"
        indexes = [models.Index(fields=["appeal", "at"], name="appeal_event_idx")]

    subject_field = "appeal"

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.get_verb_display()}"


class Interview(models.Model):
    """约谈 — the city office summons a unit's leaders over how it handles appeals; shown on
    the unit's page. Recorded by a supervisor, from the appeal that prompted it."""

    unit = models.ForeignKey(
        Unit, verbose_name="被约谈单位", on_delete=models.PROTECT, related_name="interviews"
    )
    appeal = models.ForeignKey(
        Appeal,
        verbose_name="相关诉求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    held_on = models.DateField("约谈日期")
    interviewees = models.CharField("被约谈人", max_length=100)
    points = models.TextField("约谈要点", max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "约谈"
        verbose_name_plural = "约谈"
        ordering = ["-held_on", "-pk"]
        indexes = [
            # The unit page's 约谈记录 (queries.interviews_of): a unit's, newest first.
            models.Index(fields=["unit", "-held_on"], name="interview_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.held_on:%Y-%m-%d}"
