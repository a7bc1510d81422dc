from datetime import date
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from shishi.core import text

# Plain messages instead of Django's stock "确保该变量至少包含 10 字符".
LENGTH_MESSAGES = {
    "min_length": "请至少填写%(limit_value)d个字（现在%(show_value)d个字）",
    "max_length": "最多%(limit_value)d个字（现在%(show_value)d个字），请精简",
}
# A number keypad on phones for the fields that take digits.
# (DecimalField is an IntegerField: it comes first.)
KEYPADS = {forms.DecimalField: "decimal", forms.IntegerField: "numeric"}


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap classes, so templates render `{{ field }}`.

    Text fields say their length limit in plain words (and the browser stops at it);
    number fields ask phones for a number keypad."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.error_messages.update(LENGTH_MESSAGES)
                stated = str(field.max_length) in str(field.help_text)
                if field.max_length and isinstance(field.widget, forms.Textarea) and not stated:
                    limit = f"不超过{field.max_length}字"
                    field.help_text = f"{field.help_text}（{limit}）" if field.help_text else limit
            for kind, keypad in KEYPADS.items():
                if isinstance(field, kind):
                    field.widget.attrs.setdefault("inputmode", keypad)
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


# The largest number a query parameter may name: every integer column holds it (PostgreSQL's
# integer is 32-bit), so a longer one is refused by the form instead of failing in the query.
NUMBER_MAX = 2**31 - 1


def number_param(value) -> int | None:
    """A non-negative whole number from a query parameter, or None for anything else:
    ASCII digits only (`isdigit()` also passes "²" and "٣", which `int()` then chokes on),
    within `NUMBER_MAX`."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > len(str(NUMBER_MAX)):
        return None
    number = int(text)
    return number if number <= NUMBER_MAX else None


class LongTextField(forms.CharField):
    """What people write at length (a complaint, a reply): cleaned by `core.text.clean`
    before it is measured, so "\\r\\n" counts once and control characters never count, and
    stated with a live counter (`data-maxchars`, shishi.js) instead of the browser's maxlength,
    which counts emoji twice and cuts a paste short without a word."""

    def __init__(self, *, rows: int = 5, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(text.clean(value) if isinstance(value, str) else value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        if self.max_length:
            attrs["data-maxchars"] = str(self.max_length)
        return attrs


# Dates a list filter takes: far enough either way for any record, near enough that a day
# added to the last one is still a date (9999-12-31 + 1 day fails in Python).
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2999, 12, 31)


def _refusing_the_unreadable(field: forms.Field):
    """`field.clean` turning values the database cannot even look up (a number too large for
    a column, a row id that is not a number) into a validation error, so the filter names the
    value as ignored instead of the page failing."""
    clean = field.clean
    by_id = isinstance(field, forms.ModelChoiceField) and not field.to_field_name

    def run(value):
        if by_id and value not in field.empty_values and number_param(value) is None:
            raise ValidationError("无法识别的值", code="invalid")
        try:
            return clean(value)
        except (OverflowError, ValueError, TypeError) as error:
            raise ValidationError("无法识别的值", code="invalid") from error

    return run


class FilterForm(forms.Form):
    """The query parameters of a list page. A valid value filters; an invalid one is left out
    and named in `ignored`, so the page says what it did not apply instead of dropping it
    silently. An absent parameter takes the field's `initial`. Every field is optional."""

    def __init__(self, params):
        super().__init__(params)
        for field in self.fields.values():
            field.required = False
            field.clean = _refusing_the_unreadable(field)
            if isinstance(field, forms.IntegerField) and field.max_value is None:
                field.max_value = NUMBER_MAX
                field.validators.append(MaxValueValidator(NUMBER_MAX))
            if isinstance(field, forms.DateField):
                field.validators += [MinValueValidator(DATE_MIN), MaxValueValidator(DATE_MAX)]

    @property
    def values(self) -> dict:
        """Every field's value: cleaned when valid, else the initial or empty value."""
        self.is_valid()
        values = {}
        for name, field in self.fields.items():
            if name in self.cleaned_data and name not in self.errors and name in self.data:
                values[name] = self.cleaned_data[name]
            else:
                values[name] = field.clean(field.initial if field.initial is not None else "")
        return values

    @property
    def ignored(self) -> list[str]:
        """The parameters not applied, as 「label：value」 for a message."""
        self.is_valid()
        return [
            f"{self.fields[name].label}：{self.data.get(name, '')}"
            for name in self.errors
            if name in self.fields
        ]

    def query(self, *, without: tuple[str, ...] = ()) -> str:
        """The applied parameters as a query string, for links to further pages or exports."""
        self.is_valid()
        kept = [
            (name, self.data[name])
            for name in self.fields
            if name not in without and name not in self.errors and self.data.get(name, "") != ""
        ]
        return urlencode(kept)


class _RenderedInPython:
    """A <select> whose options are written here instead of by Django's widget templates,
    which include one template per option: a list of the city's 650 categories or 200 units
    took most of an appeal page's time (docs/performance.md). Same markup, same context."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _ in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered)
                if group_name
                else rendered
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(groups)),
        )


class QuickSelect(_RenderedInPython, forms.Select):
    pass


class QuickSelectMultiple(_RenderedInPython, forms.SelectMultiple):
    pass
