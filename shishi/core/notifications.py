"""The SMS kinds of the core: the one-time code (验证码), sent before every other message."""

from shishi.core import sms

CODE = sms.kind(
    "core.code",
    "验证码",
    "您正在{purpose}，验证码 {code}，10分钟内有效。如非本人操作请忽略。",
    sensitive=True,
)
