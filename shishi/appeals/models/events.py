"""诉求事件 — the appeal's timeline and audit trail."""

from django.db import models

from shishi.appeals.models.appeal import Appeal
from shishi.core.models import EventBase
from shishi.orgs.models import Unit


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
        TRACK_FAILED = "track_failed", "查询验证未通过"
        EVALUATION_EXTENDED = "evaluation_extended", "评价期限顺延"

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
