"""典型案例评选 — a selection of the year's best practical projects: units nominate, the
office accepts or rejects, judges score on a rubric, the public votes by phone, and the
combined score decides the winners (`results.py`)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from shishi.core.models import EventBase, StoredFile
from shishi.orgs.models import Unit
from shishi.projects.models import Project

MAX_VOTES_PER_DAY = 10  # the most a selection may allow one phone a day


class Phase(models.TextChoices):
    PENDING = "pending", "未开始"
    NOMINATION = "nomination", "推荐申报"
    REVIEW = "review", "评审"
    VOTING = "voting", "群众投票"
    RESULTS = "results", "结果产生"


class Selection(models.Model):
    """评选活动 — its phases run by date: 推荐申报 from `nominate_from` to `nominate_until`,
    评审 to `review_until`, 群众投票 the day after to `vote_until`, then the results."""

    code = models.CharField("编号", max_length=24, unique=True)
    title = models.CharField("评选名称", max_length=100)
    description = models.TextField("评选说明")
    office = models.ForeignKey(
        Unit, verbose_name="主办单位", on_delete=models.PROTECT, related_name="selections"
    )
    nominate_from = models.DateField("推荐开始")
    nominate_until = models.DateField("推荐截止")
    review_until = models.DateField("评审截止")
    vote_until = models.DateField("投票截止")
    winners = models.PositiveSmallIntegerField("评选名额")
    judge_weight = models.PositiveSmallIntegerField(
        "评委评分权重（%）", help_text="群众投票权重 = 100 − 评委评分权重"
    )
    votes_per_day = models.PositiveSmallIntegerField("每个手机号每天可投票数")
    show_live_counts = models.BooleanField("投票期间公开实时票数", default=False)
    published_at = models.DateTimeField("结果发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "典型案例评选"
        verbose_name_plural = "典型案例评选"
        ordering = ["-nominate_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nominate_until__gte=F("nominate_from"))
                & Q(review_until__gte=F("nominate_until"))
                & Q(vote_until__gt=F("review_until")),
                name="selection_phases_in_order",
            ),
            models.CheckConstraint(
                condition=Q(judge_weight__lte=100), name="selection_weight_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(votes_per_day__gte=1, votes_per_day__lte=MAX_VOTES_PER_DAY),
                name="selection_votes_per_day_range",
            ),
            models.CheckConstraint(condition=Q(winners__gte=1), name="selection_has_winners"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def public_weight(self) -> int:
        return 100 - self.judge_weight

    @property
    def vote_from(self) -> date:
        return self.review_until + timedelta(days=1)

    def phase(self, today: date) -> Phase:
        if today < self.nominate_from:
            return Phase.PENDING
        if today <= self.nominate_until:
            return Phase.NOMINATION
        if today <= self.review_until:
            return Phase.REVIEW
        if today <= self.vote_until:
            return Phase.VOTING
        return Phase.RESULTS


class Criterion(models.Model):
    """评分细则 — one line of the judges' rubric, scored 0 to `max_points` (the lines of a
    selection add up to 100)."""

    selection = models.ForeignKey(
        Selection, verbose_name="评选", on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField("评分项", max_length=60)
    max_points = models.PositiveSmallIntegerField("分值")
    order = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = "评分细则"
        verbose_name_plural = "评分细则"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "order"], name="criterion_order_unique"),
            models.CheckConstraint(
                condition=Q(max_points__gte=1, max_points__lte=100), name="criterion_points_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_points}分）"


class Nomination(models.Model):
    """推荐案例 — a unit's nomination, from one of its completed projects (figures taken from
    the project) or described freely; the office accepts or rejects it with a reason."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        ACCEPTED = "accepted", "已入围"
        REJECTED = "rejected", "未入围"

    selection = models.ForeignKey(
        Selection, verbose_name="评选", on_delete=models.PROTECT, related_name="nominations"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="推荐单位", on_delete=models.PROTECT, related_name="nominations"
    )
    project = models.ForeignKey(
        Project,
        verbose_name="实事项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    title = models.CharField("案例名称", max_length=100)
    summary = models.TextField("案例简介")
    # Taken from the project when nominated: [[label, value], …] as shown (not recomputed).
    figures = models.JSONField("主要数据", default=list, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.SUBMITTED)
    reason = models.CharField("审核意见", max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="推荐人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("推荐时间")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "推荐案例"
        verbose_name_plural = "推荐案例"
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "project"],
                condition=Q(project__isnull=False),
                name="nomination_project_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def nomination_photo_path(instance: "NominationPhoto", filename: str) -> str:
    return f"cases/{instance.nomination.selection.code}/{instance.nomination_id}/{filename}"


class NominationPhoto(StoredFile):
    """案例照片 — shown to the public while the nomination is accepted."""

    nomination = models.ForeignKey(
        Nomination, verbose_name="推荐案例", on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(upload_to=nomination_photo_path)

    class Meta:
        verbose_name = "案例照片"
        verbose_name_plural = "案例照片"


class Judge(models.Model):
    """评委 — a person scoring a selection's accepted nominations (never their own unit's)."""

    selection = models.ForeignKey(
        Selection, verbose_name="评选", on_delete=models.CASCADE, related_name="judges"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评委", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "评委"
        verbose_name_plural = "评委"
        constraints = [
            models.UniqueConstraint(fields=["selection", "person"], name="judge_once"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Score(models.Model):
    """A judge's points on one line of the rubric for one nomination (changeable until the
    review closes)."""

    judge = models.ForeignKey(
        Judge, verbose_name="评委", on_delete=models.PROTECT, related_name="scores"
    )
    nomination = models.ForeignKey(
        Nomination, verbose_name="推荐案例", on_delete=models.PROTECT, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="评分项", on_delete=models.PROTECT, related_name="scores"
    )
    points = models.PositiveSmallIntegerField("得分")
    scored_at = models.DateTimeField("评分时间")

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "nomination", "criterion"], name="score_once_per_line"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.judge} {self.nomination} {self.criterion}: {self.points}"


class Vote(models.Model):
    """群众投票 — one vote of a confirmed phone for an accepted nomination.

    The daily limit is the database's: a phone's votes of a day take the slots 1, 2, … in
    turn and a slot is unique, so two votes arriving together cannot both take the last one
    (`actions.votes.cast_vote` refuses a slot beyond the selection's limit). The number is
    kept (masked wherever shown) for the fraud checks: sequences and prefix surges."""

    selection = models.ForeignKey(
        Selection, verbose_name="评选", on_delete=models.PROTECT, related_name="votes"
    )
    nomination = models.ForeignKey(
        Nomination, verbose_name="推荐案例", on_delete=models.PROTECT, related_name="votes"
    )
    phone = models.CharField("手机号", max_length=11)
    phone_hash = models.CharField(max_length=64)
    day = models.DateField("投票日")
    slot = models.PositiveSmallIntegerField("当日第几票")
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    at = models.DateTimeField("投票时间")
    voided = models.BooleanField("已作废", default=False)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作废人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "投票"
        verbose_name_plural = "投票"
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "phone_hash", "day", "slot"], name="vote_slot_once"
            ),
            models.UniqueConstraint(
                fields=["selection", "phone_hash", "day", "nomination"],
                name="vote_once_a_day_per_case",
            ),
            models.CheckConstraint(
                condition=Q(slot__gte=1, slot__lte=MAX_VOTES_PER_DAY), name="vote_slot_range"
            ),
        ]
        indexes = [
            # The bursts page (queries.bursts): a selection's votes in a time window.
            models.Index(fields=["selection", "at"], name="vote_selection_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.selection.code} {self.nomination_id} {self.at:%Y-%m-%d %H:%M}"


class SelectionEvent(EventBase):
    """评选的记录 — nominations submitted and decided, judges named, votes voided, results
    published: the selection's audit trail."""

    class Verb(models.TextChoices):
        CREATED = "created", "发起评选"
        NOMINATED = "nominated", "推荐案例"
        ACCEPTED = "accepted", "审核入围"
        REJECTED = "rejected", "审核未入围"
        JUDGE_ADDED = "judge_added", "聘请评委"
        VOIDED = "voided", "作废投票"
        PUBLISHED = "published", "发布结果"

    verb = models.CharField("动作", max_length=30, choices=Verb)
    selection = models.ForeignKey(
        Selection, on_delete=models.CASCADE, related_name="events", verbose_name="评选"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    subject_field = "selection"

    class Meta(EventBase.Meta):
        verbose_name = "评选记录"
        verbose_name_plural = "评选记录"
