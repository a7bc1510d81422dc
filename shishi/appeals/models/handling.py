"""How an appeal is handled: its dispatches, replies, review requests, photos, and the
interviews (约谈) of the units that hold them."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shishi.appeals.models.appeal import Appeal, ReplyKind, Verdict
from shishi.orgs.models import Unit


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
            # Metrics of a period for every unit: that period's dispatches, read by time.
            models.Index(fields=["at"], name="dispatch_at_idx"),
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
            # Metrics of a period for every unit (staff home, ranking): replies given and
            # verdicts received in it, read by time whatever the total (an OR of two ranges).
            models.Index(fields=["at"], name="reply_at_idx"),
            models.Index(fields=["verdict_at"], name="reply_verdict_idx"),
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
