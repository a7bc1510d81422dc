"""Input rules shared by forms, the API, the portal and actions, so each is written once."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

# A mainland mobile number: 11 ASCII digits, 13x–19x. `\d` would also take full-width and
# other Unicode digits, and `$` a trailing newline; neither may reach an SMS gateway.
MOBILE_RE = re.compile(r"\A1[3-9][0-9]{9}\Z")
MOBILE_MESSAGE = "请输入11位手机号码"

validate_mobile = RegexValidator(MOBILE_RE, MOBILE_MESSAGE)


def normalise_mobile(value: str) -> str:
    """A phone number as people type it — full-width digits (１３９…), spaces and hyphens —
    written the one way it is stored and compared. Other scripts' digits (١٣) stay as they
    are, and `is_mobile` refuses them: only ASCII digits are a phone number."""
    folded = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-]", "", folded)


def is_mobile(value: str) -> bool:
    return MOBILE_RE.match(value) is not None


class MobileField(forms.CharField):
    """A form field for a mainland mobile number (normalised first: `normalise_mobile`)."""

    default_validators = [validate_mobile]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "手机号码")
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_mobile(super().to_python(value))


# --- 统一社会信用代码 (GB 32100-2015) ----------------------------------------------------------
# 18 characters from 31 (no I, O, S, V, Z): registration authority, kind, the 6-digit division
# code, the 9-character organisation code, then a check character over the first 17.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a credit code whose first 17 characters are `first17`."""
    total = sum(
        CREDIT_CODE_CHARS.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def credit_code_problem(value: str) -> str | None:
    """Why `value` is not a valid 统一社会信用代码 (naming the wrong character when it can),
    or None when it is one. Upper case expected: forms and imports upper-case first."""
    if len(value) != 18:
        return f"统一社会信用代码应为18位，现在{len(value)}位"
    for position, char in enumerate(value, start=1):
        if char not in CREDIT_CODE_CHARS:
            return f"第{position}位“{char}”不是统一社会信用代码可用的字符（不使用I、O、S、V、Z）"
    if not value[2:8].isdigit():
        return "第3至8位应为登记管理机关的行政区划代码（6位数字）"
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        return f"第18位校验码“{value[17]}”不正确（按前17位应为“{expected}”），请核对是否有字符录错"
    return None


def validate_credit_code(value: str) -> None:
    """Model-field validator: admin, forms, imports and the API share it."""
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem, code="credit_code")


def normalise_credit_code(value: str) -> str:
    """What people type (spaces, lower case, full-width letters) as the code is written."""
    return unicodedata.normalize("NFKC", value or "").replace(" ", "").strip().upper()
