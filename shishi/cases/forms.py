import re

from django import forms

from shishi.cases.models import MAX_VOTES_PER_DAY, Nomination
from shishi.core.forms import FilterForm, QuickSelect, StyledForm
from shishi.core.uploads import MultipleImageField
from shishi.core.validators import MobileField

DATE_INPUT = {"type": "date"}
DEFAULT_RUBRIC = "为民服务成效 40\n群众满意程度 30\n创新示范作用 20\n可复制可推广 10"


def _date(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"), **kwargs
    )


class SelectionForm(StyledForm):
    title = forms.CharField(label="评选名称", max_length=100)
    description = forms.CharField(
        label="评选说明", max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    nominate_from = _date("推荐开始")
    nominate_until = _date("推荐截止")
    review_until = _date("评审截止", help_text="评审截止的次日开始群众投票")
    vote_until = _date("投票截止")
    winners = forms.IntegerField(label="评选名额", min_value=1, max_value=100, initial=10)
    judge_weight = forms.IntegerField(
        label="评委评分权重（%）",
        min_value=0,
        max_value=100,
        initial=70,
        help_text="群众投票权重 = 100 − 评委评分权重",
    )
    votes_per_day = forms.IntegerField(
        label="每个手机号每天可投票数",
        min_value=1,
        max_value=MAX_VOTES_PER_DAY,
        initial=3,
        help_text="每个案例每天最多1票",
    )
    show_live_counts = forms.BooleanField(label="投票期间向群众公开实时票数", required=False)
    rubric = forms.CharField(
        label="评分细则",
        max_length=2000,
        initial=DEFAULT_RUBRIC,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一项：名称 分值；各项合计100分",
    )

    def clean_rubric(self) -> tuple[tuple[str, int], ...]:
        lines = []
        for n, line in enumerate(self.cleaned_data["rubric"].splitlines(), start=1):
            if not line.strip():
                continue
            found = re.fullmatch(r"\s*(.+?)[\s,，:：]+(\d{1,3})\s*分?\s*", line)
            if found is None:
                raise forms.ValidationError(f"第{n}行应为“名称 分值”，如“为民服务成效 40”")
            lines.append((found.group(1).strip(), int(found.group(2))))
        return tuple(lines)


class NominationForm(StyledForm):
    project = forms.ModelChoiceField(
        label="实事项目",
        queryset=None,
        required=False,
        empty_label="（不从项目推荐，自行填写）",
        widget=QuickSelect(attrs={"data-searchable": "输入项目名称筛选"}),
        help_text="已完成的项目：投资、受益人数和群众评价随推荐一并带入",
    )
    title = forms.CharField(
        label="案例名称", max_length=100, required=False, help_text="不填则用项目名称"
    )
    summary = forms.CharField(
        label="案例简介",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写案例简介"},
    )
    photos = MultipleImageField(label="照片", max_count=6)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda p: f"{p.lead_unit.name}：{p.title}"


class DecideForm(StyledForm):
    reason = forms.CharField(label="审核意见", max_length=300, required=False)


class JudgeForm(StyledForm):
    person = forms.ModelChoiceField(
        label="评委",
        queryset=None,
        widget=QuickSelect(attrs={"data-searchable": "输入姓名筛选"}),
        error_messages={"required": "请选择评委"},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.title or '—'}）"


class VoidForm(StyledForm):
    votes = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="作废原因", max_length=200, error_messages={"required": "请写明作废原因"}
    )

    def clean_votes(self) -> list[int]:
        try:
            return [int(part) for part in self.cleaned_data["votes"].split(",") if part]
        except ValueError:
            raise forms.ValidationError("所选投票有误，请刷新后重试") from None


class NominationFilterForm(FilterForm):
    status = forms.ChoiceField(label="状态", choices=Nomination.Status.choices)


# --- The public vote ---------------------------------------------------------------------------


class PhoneForm(forms.Form):
    phone = MobileField(label="手机号")
    # A field people never see (hidden by CSS): only robots fill it in.
    website = forms.CharField(required=False)


class CodeForm(forms.Form):
    phone = MobileField(label="手机号")
    code = forms.RegexField(
        label="验证码", regex=r"^\d{6}$", error_messages={"invalid": "请输入6位数字验证码"}
    )


class VoteForm(forms.Form):
    website = forms.CharField(required=False)
