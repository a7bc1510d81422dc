"""集成令牌: how another system (the provincial 12345 platform, a county's hotline, a mobile
app) signs its calls to `/api/v1/` and Open311.

A token acts as one unit (and sees that unit's subtree) with the scopes it was issued with,
never as the person who issued it. Only a hash of the key is stored; the key is shown once.
Each token has its own service account (`person`): the name its events are signed with.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class IntegrationToken(models.Model):
    name = models.CharField("名称", max_length=60)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="代表单位"
    )
    scopes = models.JSONField("权限范围", default=list)
    # sha256 of the key; the key itself is never stored (core idea of `api.tokens`)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("令牌前缀", max_length=12, editable=False)
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="integration_token",
        editable=False,
    )
    rate_per_minute = models.PositiveIntegerField("每分钟请求上限", default=600)
    # None: issued on the command line (`shishi issue-token`)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        null=True,
    )
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    expires_at = models.DateTimeField("有效期至")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "集成令牌"
        verbose_name_plural = "集成令牌"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def state(self, now) -> str:
        if self.revoked_at is not None:
            return "已吊销"
        if self.expires_at <= now:
            return "已过期"
        return "有效"
