"""What the API takes and gives. Inputs reuse the screens' forms: a `FormInput` runs the
form itself, so every length, range, choice and cross-field rule has one definition; its
serializer fields are derived from the form's for the OpenAPI schema."""

from django import forms
from rest_framework import serializers

from shishi.appeals import queries as appeal_queries
from shishi.appeals.forms import DispatchForm, ReasonForm, ReplyForm, SubmissionForm, VerdictForm
from shishi.core import text
from shishi.core.validators import normalise_mobile, validate_mobile
from shishi.orgs.queries import unit_by_code
from shishi.projects.forms import ReportForm

# --- Inputs that are the screens' forms ----------------------------------------------------------


def schema_field(field: forms.Field) -> serializers.Field | None:
    """The serializer field describing a form field in the schema (files are not taken)."""
    common = {"required": field.required, "help_text": str(field.help_text or field.label or "")}
    if isinstance(field, forms.FileField | forms.ModelChoiceField):
        return None
    if isinstance(field, forms.ChoiceField):
        choices = [value for value, _ in field.choices if value != ""]
        return serializers.ChoiceField(choices=choices, **common)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(
            min_value=field.min_value, max_value=field.max_value, **common
        )
    if isinstance(field, forms.CharField):
        return serializers.CharField(
            min_length=field.min_length,
            max_length=field.max_length,
            allow_blank=not field.required,
            **common,
        )
    raise TypeError(f"no schema for {type(field).__name__}")


class FormInput(serializers.Serializer):
    """An input checked by `form_class` (its fields, its clean()); errors are the form's."""

    form_class: type[forms.Form]

    def get_fields(self):
        fields = {}
        for name, field in self.form_class.base_fields.items():
            described = schema_field(field)
            if described is not None:
                fields[name] = described
        return fields

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["请求体应为 JSON 对象"]})
        # JSON true/false as the forms' "1"/"0" (是否解决)
        values = {k: ("1" if v else "0") if isinstance(v, bool) else v for k, v in data.items()}
        form = self.form_class(data=values)
        if not form.is_valid():
            raise serializers.ValidationError(
                {name: list(errors) for name, errors in form.errors.items()}
            )
        return {k: v for k, v in form.cleaned_data.items() if k in self.fields}


class ReasonIn(FormInput):
    form_class = ReasonForm


class ReplyIn(FormInput):
    form_class = ReplyForm


class VerdictIn(FormInput):
    form_class = VerdictForm


class ReportIn(FormInput):
    form_class = ReportForm


class DispatchIn(serializers.Serializer):
    to_unit = serializers.CharField(help_text="主办单位代码（见 /api/v1/units/）")
    co_units = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="协办单位代码"
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=DispatchForm.base_fields["note"].max_length,
    )


# --- Submitting an appeal -----------------------------------------------------------------------

FORM_FIELDS = SubmissionForm.base_fields


class TextField(serializers.CharField):
    """A text as the forms take it: cleaned (`core.text.clean`: "\\r\\n" counts once, control
    characters such as NUL are dropped, nothing else) before its length is checked."""

    def to_internal_value(self, data):
        return super().to_internal_value(text.clean(data) if isinstance(data, str) else data)


class PhoneIn(serializers.CharField):
    """A mobile number as the forms take it (`core.validators.normalise_mobile`, then the one
    ASCII-only rule)."""

    def __init__(self, **kwargs):
        super().__init__(validators=[validate_mobile], **kwargs)

    def to_internal_value(self, data):
        return normalise_mobile(super().to_internal_value(data))


def _text(name: str) -> serializers.CharField:
    field = FORM_FIELDS[name]
    optional = {} if field.required else {"required": False, "allow_blank": True, "default": ""}
    return TextField(min_length=field.min_length, max_length=field.max_length, **optional)


def _coordinate(name: str) -> serializers.DecimalField:
    field = FORM_FIELDS[name]
    return serializers.DecimalField(
        max_digits=field.max_digits,
        decimal_places=field.decimal_places,
        min_value=field.min_value,
        max_value=field.max_value,
        required=False,
        allow_null=True,
        default=None,
    )


class AppealIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FORM_FIELDS["kind"].choices)
    category = serializers.PrimaryKeyRelatedField(
        queryset=appeal_queries.categories_for_select(),
        help_text="分类编号（见 /api/v1/categories/）",
    )
    content = _text("content")
    title = _text("title")
    place = _text("place")
    lat = _coordinate("lat")
    lng = _coordinate("lng")
    county = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="县（区）12位区划代码"
    )
    town = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="乡镇（街道）12位区划代码"
    )
    reporter_name = _text("reporter_name")
    reporter_phone = PhoneIn()
    enterprise_name = _text("enterprise_name")

    def validate(self, data):
        for field in ("county", "town"):
            if data[field]:
                unit = unit_by_code(data[field])
                if unit is None:
                    raise serializers.ValidationError({field: "区划代码不存在"})
                data[field] = unit
            else:
                data[field] = None
        return data


# --- Outputs -------------------------------------------------------------------------------------


class AppealOut(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    kind = serializers.CharField()
    channel = serializers.CharField()
    category = serializers.CharField(source="category.full_name")
    title = serializers.CharField()
    received_at = serializers.DateTimeField()
    holder = serializers.CharField(source="holder.name")
    holder_code = serializers.CharField(source="holder.code")
    handle_due = serializers.DateField(allow_null=True)
    due_estimated = serializers.BooleanField()
    replied_at = serializers.DateTimeField(allow_null=True)
    reply_kind = serializers.CharField()
    verdict = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)


class EventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    verb = serializers.CharField(source="get_verb_display")  # the label people read
    code = serializers.CharField(source="verb")  # stable for integrations
    note = serializers.CharField()


class AppealDetailOut(AppealOut):
    content = serializers.CharField()
    place = serializers.CharField()
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    timeline = EventOut(many=True, source="public_events")


class ProjectOut(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    area = serializers.CharField(source="get_area_display")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    lead_unit = serializers.CharField(source="lead_unit.name")
    lead_unit_code = serializers.CharField(source="lead_unit.code")
    progress = serializers.IntegerField()
    cadence = serializers.CharField()
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()


class SlotOut(serializers.Serializer):
    id = serializers.IntegerField()
    period_start = serializers.DateField()
    due = serializers.DateField()


class ReportOut(serializers.Serializer):
    period_start = serializers.DateField(source="slot.period_start")
    filed_at = serializers.DateTimeField()
    late = serializers.BooleanField()
    text = serializers.CharField()
    percent = serializers.IntegerField()
    review = serializers.CharField()


class ProjectDetailOut(ProjectOut):
    slots_to_file = SlotOut(many=True, source="open_slots")
    reports = ReportOut(many=True, source="filed_reports")


class UnitOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    parent_code = serializers.CharField(source="parent.code", allow_null=True, default=None)


class CategoryOut(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    level = serializers.IntegerField()


class ErrorOut(serializers.Serializer):
    code = serializers.CharField(help_text="稳定的错误代码")
    message = serializers.CharField(help_text="中文说明")
    fields = serializers.DictField(required=False, help_text="逐字段的错误（code 为 invalid 时）")
