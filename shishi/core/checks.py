"""System checks that need the database (run by `migrate` and `check --database default`)."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

from shishi.core import workdays


def calendar_warnings(today) -> list[Warning]:
    """One warning per year in the deadline horizon that has no holiday calendar."""
    return [
        Warning(
            f"{year}年的法定节假日安排未知：日历包不含该年，也没有录入节假日调整；"
            "该年的期限暂按周一至周五计算并标注“估算”。",
            hint="在“工作日历”中录入国务院办公厅公布的放假调休安排。",
            id="shishi.W001",
        )
        for year in workdays.calendar_gaps(today)
    ]


@register(Tags.database)
def calendar_covers_horizon(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    try:
        return calendar_warnings(timezone.localdate())
    except DatabaseError:  # tables not migrated yet
        return []


# What each SMS provider needs from the environment (settings dict, keys).
SMS_CREDENTIALS = {
    "shishi.core.smsproviders.AliyunBackend": (
        "SMS_ALIYUN",
        ("access_key_id", "access_key_secret"),
    ),
    "shishi.core.smsproviders.TencentBackend": (
        "SMS_TENCENT",
        ("secret_id", "secret_key", "sdk_app_id"),
    ),
    "shishi.core.smsproviders.HttpBackend": ("SMS_HTTP", ("url", "secret")),
}


@register()
def sms_provider_configured(app_configs=None, **kwargs):
    """A provider chosen without its credentials would fail every SMS: say so at start."""
    from django.conf import settings
    from django.core.checks import Error

    backend = settings.OUTBOX_BACKENDS.get("sms", "")
    if backend not in SMS_CREDENTIALS:
        return []
    name, keys = SMS_CREDENTIALS[backend]
    missing = [key for key in keys if not getattr(settings, name).get(key)]
    problems = []
    if missing:
        problems.append(
            Error(
                f"短信服务商 {backend.rsplit('.', 1)[-1]} 缺少配置：{', '.join(missing)}",
                hint="按 README“SMS”一节设置对应的环境变量。",
                id="shishi.E101",
            )
        )
    if not settings.SMS_RECEIPT_TOKEN:
        problems.append(
            Warning(
                "未设置 SHISHI_SMS_RECEIPT_TOKEN：服务商的送达回执将被拒收，短信停留在“已发送”。",
                hint="设置一个足够长的随机值，并把回执地址 /sms/receipts/<该值>/ 配置到服务商。",
                id="shishi.W102",
            )
        )
    return problems
