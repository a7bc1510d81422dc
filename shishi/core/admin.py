from django.contrib import admin, messages
from django.utils import timezone

from shishi.core import outbox
from shishi.core.models import AuditEntry, CalendarYear, HolidayOverride, OutboxMessage


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["at", "actor_label", "verb", "target_type", "target_label"]
    list_filter = ["verb", "target_type"]
    search_fields = ["actor_label", "target_label", "note"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "recipient",
        "subject",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
    ]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["recipient", "subject"]
    # The body and variables are shown through `readable_body` / `readable_params`, so a
    # pending one-time code stays hidden too.
    exclude = ["body", "params"]
    readonly_fields = [
        f.name for f in OutboxMessage._meta.fields if f.name not in ("body", "params")
    ] + ["readable_body", "readable_params"]
    actions = ["retry"]

    @admin.action(description="重新发送所选失败消息")
    def retry(self, request, queryset):
        now = timezone.now()
        dead = list(queryset.filter(status__in=outbox.RESENDABLE))
        for message in dead:
            outbox.retry_dead(message=message, now=now)
        self.message_user(request, f"已重新排队 {len(dead)} 条消息", messages.SUCCESS)

    @admin.display(description="内容")
    def readable_body(self, message: OutboxMessage) -> str:
        return message.readable_body()

    @admin.display(description="模板变量")
    def readable_params(self, message: OutboxMessage) -> dict:
        return message.readable_params()

    def has_add_permission(self, request):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "confirmed_by", "confirmed_at"]
