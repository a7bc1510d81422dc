"""Base tables every domain uses: events/audit, the outbox, holiday overrides, code sequences."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from shishi.core.masking import mask_codes


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a row of an append-only log."""


class StoredFile(models.Model):
    """A file someone uploaded as evidence or an attachment: `core.uploads.attach` stores it,
    `core.uploads.serve` sends it. Subclasses add `file` (with their upload path) and the
    foreign key to what it belongs to."""

    name = models.CharField("文件名", max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class EventBase(models.Model):
    """事件 — one state change or action: who, when, from, to, note.

    Domains subclass this with a foreign key to their subject (an appeal, a project) so the
    same rows serve as the citizen's timeline (`public=True` rows) and the audit trail.
    Rows are append-only.
    """

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A snapshot of who acted ("张三（芝山街道·经办人）", "群众", "系统"), kept even if
    # the person is renamed later.
    actor_label = models.CharField("操作人（快照）", max_length=120, blank=True)
    verb = models.CharField("动作", max_length=60)
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    public = models.BooleanField("公开", default=False, help_text="是否在群众可见的进度中显示")

    # The foreign key to the thing whose timeline this is ("appeal", "project"); set by the
    # domains that record through `build()` / `record()`.
    subject_field = ""

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("事件记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("事件记录只能追加，不能删除")

    @classmethod
    def build(
        cls,
        subject: models.Model,
        *,
        verb: str,
        now: datetime,
        actor: Any = None,
        unit: models.Model | None = None,
        label: str = "",
        from_state: str = "",
        note: str = "",
        public: bool = False,
        data: dict | None = None,
    ) -> "EventBase":
        """An unsaved event on `subject`, which `record()` saves (and a sweep saves in bulk).

        `actor` is an `orgs.access.Actor` (person, unit, label()) or None for the worker;
        `label` overrides how the actor is named (群众 for citizens). The subject's status
        after the change is the event's `to_state`.
        """
        event = cls(
            at=now,
            actor=actor.person if actor else None,
            actor_label=label or (actor.label() if actor else "系统"),
            verb=verb,
            from_state=from_state,
            to_state=getattr(subject, "status", ""),
            note=note,
            public=public,
            data=data or {},
        )
        setattr(event, cls.subject_field, subject)
        if hasattr(event, "unit_id"):
            event.unit = unit or (actor.unit if actor else None)
        return event

    @classmethod
    def record(cls, subject: models.Model, **fields: Any) -> "EventBase":
        """Append one event on `subject` (see `build()` for the fields)."""
        event = cls.build(subject, **fields)
        event.save()
        return event


class AuditEntry(EventBase):
    """审计日志 — actions on things that have no timeline of their own (units, people, settings).

    `verb` stores a code; the Chinese label is what people read (`get_verb_display`).
    """

    class Verb(models.TextChoices):
        UNIT_CREATED = "unit_created", "新增单位"
        UNIT_EDITED = "unit_edited", "修改单位"
        UNIT_ENABLED = "unit_enabled", "启用单位"
        UNIT_DISABLED = "unit_disabled", "停用单位"
        PERSON_CREATED = "person_created", "新增人员"
        PERSON_EDITED = "person_edited", "修改人员"
        ACCOUNT_ENABLED = "account_enabled", "启用账号"
        ACCOUNT_DISABLED = "account_disabled", "停用账号"
        PASSWORD_RESET = "password_reset", "重置密码"
        ROLE_GRANTED = "role_granted", "授予角色"
        ROLE_REVOKED = "role_revoked", "撤销角色"
        HOLIDAY_SET = "holiday_set", "设置节假日调整"
        HOLIDAY_DELETED = "holiday_deleted", "删除节假日调整"
        YEAR_CONFIRMED = "year_confirmed", "确认年度放假安排"
        YEAR_UNCONFIRMED = "year_unconfirmed", "撤销年度放假安排确认"
        TOTP_ENROLLED = "totp_enrolled", "启用动态验证码"
        TOTP_RECOVERY_USED = "totp_recovery_used", "使用恢复码登录"
        TOTP_RESET = "totp_reset", "重置动态验证码"
        LOGIN_UNLOCKED = "login_unlocked", "解除登录锁定"
        EXPORTED = "exported", "导出数据"
        TOKEN_ISSUED = "token_issued", "签发集成令牌"
        TOKEN_REVOKED = "token_revoked", "吊销集成令牌"
        SMS_TEMPLATE_SET = "sms_template_set", "设置短信模板"
        SMS_RESENT = "sms_resent", "重发短信"

    verb = models.CharField("动作", max_length=30, choices=Verb)
    target_type = models.CharField("对象类型", max_length=60, blank=True)
    target_id = models.CharField("对象编号", max_length=40, blank=True)
    target_label = models.CharField("对象", max_length=200, blank=True)
    # The path of the unit the entry concerns, so auditors read their own subtree only.
    scope_path = models.CharField("所属单位路径", max_length=255, blank=True)

    class Meta(EventBase.Meta):
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-pk"]
        indexes = [
            # The audit page filters by target ("everything done to this unit").
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # The staff audit page: entries under the reader's subtree, newest first.
            models.Index(fields=["scope_path", "at"], name="audit_scope_idx"),
        ]

    def __str__(self) -> str:
        label = self.get_verb_display()
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {label} {self.target_label}"

    # Append-only like every event (EventBase refuses save of an existing row and delete);
    # PostgreSQL also refuses it in the database (migration core 0010). Never purged.


class OutboxMessage(models.Model):
    """待发消息 — a notification written in the transaction that caused it, sent by the worker."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        # A provider's receipt (回执) moves a sent SMS on to one of these two.
        DELIVERED = "delivered", "已送达"
        FAILED = "failed", "未送达"
        DEAD = "dead", "发送失败"
        # The kind has no template ID at the provider yet: kept, shown, resent once mapped.
        UNMAPPED = "unmapped", "未配置模板"

    class Priority(models.IntegerChoices):
        CODE = 0, "验证码"
        NORMAL = 1, "普通"

    class Channel(models.TextChoices):
        SMS = "sms", "短信"
        EMAIL = "email", "邮件"
        CONSOLE = "console", "控制台"

    channel = models.CharField("渠道", max_length=20, choices=Channel)
    recipient = models.CharField("接收方", max_length=200)
    subject = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("内容")
    # A one-time code is in the body: masked in the admin, and in the row once it is sent.
    sensitive = models.BooleanField("含验证码", default=False)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    # Doubles as the claim: a worker pushes it forward by a lease before sending.
    next_attempt_at = models.DateTimeField("下次尝试", default=timezone.now)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    # The registered SMS kind (core.sms) and its variables: what a provider's template gets.
    # Empty for email and console messages, whose body is all there is.
    kind = models.CharField("短信类型", max_length=60, blank=True)
    params = models.JSONField("模板变量", default=dict, blank=True)
    priority = models.PositiveSmallIntegerField("优先级", choices=Priority, default=Priority.NORMAL)
    # What the message is about ("appeal:12", "project:3"): its timeline shows the delivery.
    ref = models.CharField("关联事项", max_length=40, blank=True)
    # The unit the message is counted against in the SMS costs (短信费用). A plain id: core
    # sits below orgs, and the count must outlive a unit that is merged away.
    unit_id = models.PositiveIntegerField("计费单位", null=True, blank=True)
    provider_id = models.CharField("服务商消息编号", max_length=100, blank=True)
    delivered_at = models.DateTimeField("回执时间", null=True, blank=True)

    class Meta:
        verbose_name = "待发消息"
        verbose_name_plural = "消息发件箱"
        ordering = ["-created_at"]
        indexes = [
            # outbox.deliver_due(): pending rows whose next attempt is due, codes first, then
            # oldest first. Partial, so the sent rows kept for OUTBOX_RETENTION_DAYS do not grow it.
            models.Index(
                fields=["priority", "next_attempt_at"],
                name="outbox_due_idx",
                condition=models.Q(status="pending"),
            ),
            # receipts.apply(): a provider's receipt names its own message id.
            models.Index(
                fields=["provider_id"],
                name="outbox_provider_idx",
                condition=~models.Q(provider_id=""),
            ),
            # The appeal and project timelines: the SMS about one subject.
            models.Index(fields=["ref"], name="outbox_ref_idx", condition=~models.Q(ref="")),
            # The staff failures page and the costs figure: rows by status, newest first.
            models.Index(fields=["status", "created_at"], name="outbox_status_idx"),
        ]

    def __str__(self) -> str:
        text = self.subject or self.readable_body()[:20]
        return f"{self.get_channel_display()} → {self.recipient}: {text}"

    def readable_body(self) -> str:
        """The body as staff may read it: a sensitive message's codes starred out."""
        return mask_codes(self.body) if self.sensitive else self.body

    def readable_params(self) -> dict:
        """The template variables as staff may read them (a code starred out)."""
        if not self.sensitive:
            return self.params
        return {name: mask_codes(value) for name, value in self.params.items()}


class SmsTemplate(models.Model):
    """短信模板 — the provider's approved template ID for one registered SMS kind (core.sms)."""

    kind = models.CharField("短信类型", max_length=60, unique=True)
    template_id = models.CharField("服务商模板编号", max_length=60)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "短信模板"
        verbose_name_plural = "短信模板"
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.template_id}"


class HolidayOverride(models.Model):
    """节假日调整 — an admin's word on one date, overriding the calendar package.

    Needed for years the package does not know yet and for local changes.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField(
        "是否工作日", help_text="勾选：上班（含调休补班）；不勾选：放假"
    )
    note = models.CharField("说明", max_length=60, blank=True, help_text="如：春节、国庆节调休")

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'} {self.note}"


class CodeSequence(models.Model):
    """The last number handed out for one prefix on one day (ZZ20261128-00001)."""

    prefix = models.CharField(max_length=10)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="code_sequence_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.day:%Y%m%d}: {self.last}"


class WorkerHeartbeat(models.Model):
    """The worker's last sign of life, read by /healthz."""

    name = models.CharField(max_length=40, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class RateBucket(models.Model):
    """One fixed-window counter of the public rate limits (shared by every app process)."""

    key = models.CharField(max_length=120)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_bucket_unique")
        ]
        indexes = [
            # ratelimit.purge(): drop windows that have ended.
            models.Index(fields=["window_start"], name="rate_bucket_window_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start:%H:%M}: {self.count}"


class PhoneChallenge(models.Model):
    """短信验证码 — a one-time code proving a citizen holds a phone number."""

    phone = models.CharField(max_length=20)
    purpose = models.CharField(max_length=30)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # otp.verify(): the newest open challenge of a phone for a purpose.
            models.Index(fields=["phone", "purpose", "created_at"], name="phone_challenge_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class CalendarYear(models.Model):
    """节假日安排已录入 — an administrator's word that a year's holidays are all entered.

    Until then a year the calendar package does not know stays "estimated", even if some
    dates have already been entered.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", default=timezone.now)

    class Meta:
        verbose_name = "已录入的年度放假安排"
        verbose_name_plural = "已录入的年度放假安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年"
