"""The registry of SMS kinds (短信类型): every text the product sends, as a provider sees it.

Chinese SMS providers send only templates approved in advance, under a registered
signature: a message is a template ID plus the values of its variables, never free text.
So every notification is a registered `SmsKind` — a code, a label for the admin page and
its text with `{variable}` fields — declared once in the domain's `notifications.py`:

    RECEIVED = sms.kind("appeals.received", "诉求受理告知", "您反映的问题已受理，编号{code}。")
    tell_phone(appeal.reporter_phone, RECEIVED(code=appeal.code))

Calling a kind gives an `Sms`: its kind and the values. The console shows `Sms.text` (the
kind's text filled in, as staff and the demo read it); a provider backend sends the kind's
mapped template ID (`SmsTemplate`, edited on the staff page) and the values, each cut to
the provider's per-variable limit. The registry is filled by importing every app's
`notifications` module (`kinds()`), the way Django finds `admin` modules.
"""

import string
from dataclasses import dataclass, field
from typing import ClassVar

from django.utils.module_loading import autodiscover_modules

_REGISTRY: dict[str, "SmsKind"] = {}


@dataclass(frozen=True)
class SmsKind:
    """One registered text: `code` is what the template mapping and the costs key on."""

    code: str
    label: str
    text: str
    # Holds a one-time code: masked once sent, and sent before everything else.
    sensitive: bool = False
    # A kind is called with its values; a template reads its label and text instead.
    do_not_call_in_templates: ClassVar[bool] = True

    @property
    def variables(self) -> tuple[str, ...]:
        """The variable names of the text, in order of first appearance."""
        names: list[str] = []
        for _, name, _, _ in string.Formatter().parse(self.text):
            if name and name not in names:
                names.append(name)
        return tuple(names)

    def __call__(self, **values: object) -> "Sms":
        missing = set(self.variables) - values.keys()
        extra = values.keys() - set(self.variables)
        if missing or extra:
            raise TypeError(
                f"SMS kind {self.code}: missing {missing or '-'}, unknown {extra or '-'}"
            )
        return Sms(kind=self, params={name: str(value) for name, value in values.items()})


@dataclass(frozen=True)
class Sms:
    """One message to send: a kind and the values of its variables (strings)."""

    kind: SmsKind
    params: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.kind.text.format(**self.params)


def kind(code: str, label: str, text: str, *, sensitive: bool = False) -> SmsKind:
    """Register a kind (at import of a `notifications` module); codes are unique."""
    registered = SmsKind(code=code, label=label, text=text, sensitive=sensitive)
    if code in _REGISTRY and _REGISTRY[code] != registered:
        raise ValueError(f"SMS kind {code!r} registered twice")
    _REGISTRY[code] = registered
    return registered


def kinds() -> dict[str, SmsKind]:
    """Every registered kind by code, sorted; imports each app's `notifications` first."""
    autodiscover_modules("notifications")
    return dict(sorted(_REGISTRY.items()))


def get(code: str) -> SmsKind | None:
    return kinds().get(code)
