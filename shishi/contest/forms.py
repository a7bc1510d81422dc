"""The contest's forms (staff pages) and the dispatch board's filter."""

from django import forms

from shishi.contest.models import Indicator, Submission
from shishi.core.forms import FilterForm, StyledForm
from shishi.core.uploads import MultipleEvidenceField


class ContestForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="竞赛名称", max_length=100, initial="“六比一看”单位竞赛")
    due_workday = forms.IntegerField(
        label="每月报送截止",
        min_value=1,
        max_value=20,
        initial=5,
        help_text="当月数据于次月第几个工作日前报送（按工作日历，节假日顺延）",
    )
    bottom_n = forms.IntegerField(
        label="年终约谈名次",
        min_value=0,
        max_value=20,
        initial=2,
        help_text="年度排名倒数几名列入约谈名单",
    )

    def __init__(self, *args, year: int | None = None, **kwargs):
        """`year`: editing that year's contest (the year itself stays)."""
        if year is not None:
            kwargs["initial"] = {**kwargs.get("initial", {}), "year": year}
        super().__init__(*args, **kwargs)
        if year is not None:
            self.fields["year"].disabled = True


class DimensionForm(StyledForm):
    name = forms.CharField(label="维度名称", max_length=30)
    order = forms.IntegerField(label="排序", min_value=0, max_value=99, initial=10)


class IndicatorForm(StyledForm):
    dimension = forms.TypedChoiceField(label="所属维度", coerce=int)
    name = forms.CharField(label="指标名称", max_length=50)
    unit = forms.CharField(label="计量单位", max_length=20, required=False)
    direction = forms.ChoiceField(label="方向", choices=Indicator.Direction.choices)
    data_type = forms.ChoiceField(label="数据类型", choices=Indicator.DataType.choices)
    signed = forms.BooleanField(label="可为负数（如增速）", required=False)
    order = forms.IntegerField(label="排序", min_value=0, max_value=99, initial=10)

    def __init__(self, *args, dimensions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [(d.pk, d.name) for d in dimensions]


class WeightsForm(StyledForm):
    """Every weight at once: `dim_<pk>` and `ind_<pk>` (the action checks the sums)."""

    def __init__(self, *args, dimensions, **kwargs):
        super().__init__(*args, **kwargs)
        for d in dimensions:
            self.fields[f"dim_{d.pk}"] = forms.DecimalField(
                label=d.name, min_value=0, max_value=100, decimal_places=2, initial=d.weight
            )
            for i in d.indicators.all():
                self.fields[f"ind_{i.pk}"] = forms.DecimalField(
                    label=i.name, min_value=0, max_value=100, decimal_places=2, initial=i.weight
                )
        # Added after StyledForm styled the widgets: style these here.
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")
            field.widget.attrs.setdefault("inputmode", "decimal")

    def weights(self) -> tuple[dict[int, object], dict[int, object]]:
        data = self.cleaned_data
        dims = {int(k[4:]): v for k, v in data.items() if k.startswith("dim_")}
        inds = {int(k[4:]): v for k, v in data.items() if k.startswith("ind_")}
        return dims, inds


class ParticipantsForm(StyledForm):
    units = forms.ModelMultipleChoiceField(
        label="参赛单位", queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].widget.attrs["class"] = "form-check-input"


class RoundForm(StyledForm):
    month = forms.TypedChoiceField(
        label="调度月份", coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)]
    )


class ValuesForm(StyledForm):
    """One text box per indicator (`v_<pk>`): the action checks type and sign, so the
    message names the indicator."""

    note = forms.CharField(
        label="情况说明", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleEvidenceField(label="佐证材料", max_count=6, required=False)

    def __init__(self, *args, indicators, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        fields = {}
        for i in indicators:
            label = f"{i.dimension.name}·{i.name}" + (f"（{i.unit}）" if i.unit else "")
            fields[f"v_{i.pk}"] = forms.CharField(
                label=label,
                max_length=20,
                required=False,
                initial=current.get(i.pk, ""),
                help_text=f"{i.get_data_type_display()}，{i.get_direction_display()}",
                widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
            )
        self.fields = {**fields, **self.fields}
        self.fields["files"].limit_to_attachments()

    def entered(self) -> dict[int, str]:
        return {int(k[2:]): self.cleaned_data.get(k, "") for k in self.fields if k.startswith("v_")}


class ReturnForm(StyledForm):
    reason = forms.CharField(
        label="退回原因",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请写明退回原因"},
    )


class ExtensionForm(StyledForm):
    until = forms.DateField(
        label="申请延至", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label="申请理由",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请写明延期理由"},
    )


class DecisionForm(StyledForm):
    approve = forms.TypedChoiceField(
        label="审批",
        coerce=lambda v: v == "yes",
        choices=[("yes", "批准"), ("no", "不批准")],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label="审批意见", max_length=300, required=False)


class NoteForm(StyledForm):
    participant = forms.TypedChoiceField(label="参赛单位", coerce=int)
    quarter = forms.TypedChoiceField(
        label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in range(1, 5)]
    )
    text = forms.CharField(
        label="点评意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].choices = [(p.pk, p.unit.name) for p in participants]


class InterviewForm(StyledForm):
    participant = forms.TypedChoiceField(label="约谈单位", coerce=int)
    held_on = forms.DateField(
        label="约谈日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    interviewers = forms.CharField(label="约谈人", max_length=200)
    interviewees = forms.CharField(label="被约谈人", max_length=200)
    points = forms.CharField(
        label="约谈要点",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一条；每条要点之后可转为整改事项",
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].choices = [(p.pk, p.unit.name) for p in participants]


class RectifyForm(StyledForm):
    measures = forms.CharField(
        label="整改要求", max_length=1000, initial="制定整改方案，按期整改到位"
    )
    days = forms.IntegerField(label="整改时限（工作日）", min_value=1, max_value=120, initial=30)


BOARD_STATUSES = [*Submission.Status.choices, ("late", "逾期报送"), ("overdue", "超期未报")]


class BoardFilterForm(FilterForm):
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *BOARD_STATUSES])


class NoteFilterForm(FilterForm):
    quarter = forms.TypedChoiceField(
        label="季度", coerce=int, choices=[("", "全部"), *[(q, f"第{q}季度") for q in range(1, 5)]]
    )
    participant = forms.TypedChoiceField(label="参赛单位", coerce=int)

    def __init__(self, params, *, participants):
        super().__init__(params)
        self.fields["participant"].choices = [("", "全部")] + [
            (p.pk, p.unit.name) for p in participants
        ]


class MonthForm(FilterForm):
    month = forms.TypedChoiceField(
        label="月份", coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)]
    )
