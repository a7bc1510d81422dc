"""诉求 — the appeal, its category tree and the vocabularies of its life (status, channel, kind,
reply kinds, verdicts)."""

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from shishi.core import workdays
from shishi.core.indexes import literal_in
from shishi.core.masking import mask_name, mask_phone
from shishi.core.supervision import Level
from shishi.orgs.models import Unit


def new_tracking_key() -> str:
    return secrets.token_urlsafe(16)


# A title's length: typed in the forms, or made from the content (`core.text.summary`).
TITLE_MAX = 30


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

    def _in_hand_inline(self) -> RawSQL:
        """The in-hand test with its values inline, as appeal_due_idx states it: only so
        does SQLite read through that partial index (core.indexes; a 1M-row scan else).
        The literal names the table, so these are for top-level reads, not subqueries."""
        return literal_in(self.model, "status", IN_HAND_STATUSES)

    def in_hand(self) -> "AppealQuerySet":
        """A unit is working on it: the handling deadline runs and supervision applies."""
        return self.filter(self._in_hand_inline())

    def overdue(self, today: date) -> "AppealQuerySet":
        """In hand past the handling deadline (the partial index appeal_due_idx)."""
        return self.filter(self._in_hand_inline(), handle_due__lt=today)

    def due_within(self, today: date, days: int) -> "AppealQuerySet":
        """In hand and due from today to `days` working days ahead."""
        last = workdays.add_workdays(today, days)
        return self.filter(self._in_hand_inline(), handle_due__gte=today, handle_due__lte=last)

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
    title = models.CharField("标题", max_length=60)  # TITLE_MAX typed or made (text.summary)
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
    # The citizen's own link to the tracking page (/t/<key>, sent by SMS): 128 random bits,
    # where the code and the phone's last four digits are a guessable pair.
    tracking_key = models.CharField(
        "查询密钥", max_length=32, unique=True, default=new_tracking_key, editable=False
    )
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
            # their callback window; with status leading, also the 待回访 count's term.
            models.Index(
                fields=["status", "callback_due"],
                name="appeal_callback_idx",
                condition=Q(status="replied"),
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
