"""Input rules shared by forms, the API, the portal and actions, so each is written once."""

import re

from django import forms
from django.core.validators import RegexValidator

# A mainland mobile number: 11 ASCII digits, 13x–19x. `\d` would also take full-width and
# other Unicode digits, and `$` a trailing newline; neither may reach an SMS gateway.
MOBILE_RE = re.compile(r"\A1[3-9][0-9]{9}\Z")
MOBILE_MESSAGE = "请输入11位手机号码"

validate_mobile = RegexValidator(MOBILE_RE, MOBILE_MESSAGE)


def is_mobile(value: str) -> bool:
    return MOBILE_RE.match(value) is not None


class MobileField(forms.CharField):
    """A form field for a mainland mobile number (surrounding spaces dropped)."""

    default_validators = [validate_mobile]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "手机号码")
        super().__init__(**kwargs)
