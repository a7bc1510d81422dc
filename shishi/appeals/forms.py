from django import forms
from django.conf import settings
from django.urls import reverse

from shishi.appeals import queries
from shishi.appeals.deadlines import KIND_HANDLE_DAYS
from shishi.appeals.models import TITLE_MAX, Channel, Kind, ReplyKind, Status, Verdict
from shishi.core.forms import (
    FilterForm,
    LongTextField,
    QuickSelect,
    QuickSelectMultiple,
    StyledForm,
    number_param,
)
from shishi.core.supervision import Level
from shishi.core.uploads import MultipleImageField
from shishi.core.validators import MobileField
from shishi.orgs.queries import public_divisions, public_towns

PHOTO_MAX_COUNT = 3
# The public form's default kind: the longest handling clock (投诉 13 working days), so a
# citizen who leaves it is never given less time than the office would.
LONGEST_KIND = max(KIND_HANDLE_DAYS, key=KIND_HANDLE_DAYS.__getitem__)
# The form fields that make up an actions.Submission.
SUBMISSION_FIELDS = (
    "kind",
    "category",
    "title",
    "content",
    "county",
    "town",
    "place",
    "lat",
    "lng",
    "reporter_name",
    "reporter_phone",
    "enterprise_name",
)


class SubmissionForm(StyledForm):
    """What anyone reporting a problem fills in (portal and hotline entry)."""

    kind = forms.ChoiceField(label="诉求类型", choices=Kind.choices)
    category = forms.ModelChoiceField(
        label="问题分类", queryset=None, empty_label="请选择问题分类", widget=QuickSelect
    )
    title = forms.CharField(
        label="标题",
        max_length=TITLE_MAX,
        required=False,
        help_text="可不填，默认取问题描述的第一句",
    )
    content = LongTextField(
        label="问题描述",
        min_length=10,
        max_length=settings.APPEAL_TEXT_MAX,
        help_text=f"请写清楚时间、地点、经过和您的诉求（10–{settings.APPEAL_TEXT_MAX}字）",
    )
    county = forms.ModelChoiceField(
        label="所在县（区）", queryset=None, required=False, empty_label="请选择"
    )
    town = forms.ModelChoiceField(
        label="所在乡镇（街道）", queryset=None, required=False, empty_label="请选择"
    )
    place = forms.CharField(label="具体地点", max_length=200, required=False)
    lat = forms.DecimalField(
        label="纬度",
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
    )
    lng = forms.DecimalField(
        label="经度",
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )
    reporter_name = forms.CharField(label="称呼", max_length=40, required=False, help_text="可匿名")
    reporter_phone = MobileField()
    enterprise_name = forms.CharField(
        label="企业名称", max_length=100, required=False, help_text="企业反映问题时填写"
    )
    photos = MultipleImageField(
        label="现场照片",
        max_count=PHOTO_MAX_COUNT,
        help_text="最多3张，JPG或PNG，每张不超过5MB",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = queries.categories_for_select()
        # 600+ categories read better grouped under their top-level class.
        self.fields["category"].widget.choices = queries.grouped_categories()
        self.fields["category"].label_from_instance = lambda c: c.full_name
        self.fields["category"].widget.attrs["data-searchable"] = "输入关键词查找分类"
        self.fields["county"].queryset = public_divisions()
        # Choosing a county reloads the town list (htmx, portal:towns).
        self.fields["county"].widget.attrs.update(
            {
                "hx-get": reverse("portal:towns"),
                "hx-target": "#id_town",
                "hx-trigger": "change",
            }
        )
        county = self.data.get(self.add_prefix("county"), "") if self.is_bound else ""
        # Towns follow the chosen county (htmx reloads the list); none before a county.
        chosen = number_param(county)
        towns = public_towns(chosen) if chosen is not None else public_towns().none()
        self.fields["town"].queryset = towns if not self.is_bound or county else public_towns()
        self.fields["town"].empty_label = "请选择" if county else "请先选择县（区）"

    def clean(self):
        data = super().clean()
        county, town = data.get("county"), data.get("town")
        if town is not None and county is not None and town.parent_id != county.pk:
            self.add_error("town", "所选乡镇（街道）不属于所选县（区）")
        if town is not None and county is None:
            data["county"] = town.parent
        return data


UNSURE = "unsure"  # the public form's 不清楚 category


class CategoryOrUnsureField(forms.ModelChoiceField):
    """A category, or 不清楚 (`UNSURE`, cleaned to None: the office classifies it)."""

    def to_python(self, value):
        return UNSURE if value == UNSURE else super().to_python(value)

    def clean(self, value):
        cleaned = super().clean(value)
        return None if cleaned == UNSURE else cleaned


class PublicSubmissionForm(SubmissionForm):
    """Citizens need not know the taxonomy or the kinds: 不清楚 is a category, and the kind
    starts at the one with the longest clock; the office corrects both (修改分类)."""

    category = CategoryOrUnsureField(label="问题分类", queryset=None, empty_label="请选择问题分类")
    otp = forms.CharField(label="短信验证码", max_length=6, min_length=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = self.fields["category"].widget.choices
        self.fields["category"].widget.choices = [
            choices[0],
            (UNSURE, "不清楚（由工作人员分类）"),
            *choices[1:],
        ]
        self.fields["category"].help_text = "不确定属于哪一类的，选“不清楚”即可"
        self.fields["kind"].initial = LONGEST_KIND
        self.fields["kind"].help_text = "不确定的保持默认即可，工作人员会核定"


class OperatorSubmissionForm(SubmissionForm):
    direct_reply = forms.CharField(
        label="直接办结（直办）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="电话中已当场解答或解决的，填写办理情况即直接答复，无需派单",
    )


class DispatchForm(StyledForm):
    """Units that can sign only (`queries.units_for_dispatch`); shown, the ones suggested for
    this appeal come first in their own group, and both lists filter as one types
    (`data-searchable`, static/shishi/shishi.js)."""

    to_unit = forms.ModelChoiceField(
        label="主办单位",
        queryset=None,
        empty_label="请选择主办单位",
        widget=QuickSelect(attrs={"data-searchable": "输入单位名称筛选"}),
    )
    co_units = forms.ModelMultipleChoiceField(
        label="协办单位",
        queryset=None,
        required=False,
        widget=QuickSelectMultiple(attrs={"size": 5, "data-searchable": "输入单位名称筛选"}),
        help_text="可多选（电脑上按住 Ctrl 点选）",
    )
    note = forms.CharField(label="派单意见", max_length=300, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("to_unit", "co_units"):
            self.fields[name].queryset = units
            self.fields[name].label_from_instance = _indented
        if units is not None and not self.is_bound:  # shown: one query for both lists
            choices = _grouped(list(units))
            self.fields["to_unit"].widget.choices = [
                ("", self.fields["to_unit"].empty_label),
                *choices,
            ]
            self.fields["co_units"].widget.choices = choices


def _indented(unit) -> str:
    return f"{'　' * unit.depth}{unit.name}"


def _grouped(units: list) -> list:
    """Suggested units first, each with its reason, then every other unit in tree order."""
    other = queries.SUGGEST_OTHER
    suggested = sorted(
        (u for u in units if getattr(u, "suggest", other) != other), key=lambda u: u.suggest
    )
    rest = [(u.pk, _indented(u)) for u in units if getattr(u, "suggest", other) == other]
    if not suggested:
        return rest
    first = ("推荐", [(u.pk, f"{u.name}（{queries.SUGGEST[u.suggest]}）") for u in suggested])
    return [first, ("其他单位", rest)] if rest else [first]


class ReclassifyForm(StyledForm):
    """修改分类. Its 600-odd categories are read only when the form is opened (htmx,
    appeals:reclassify), so the appeal page itself does not pay for them."""

    category = forms.ModelChoiceField(
        label="问题分类",
        queryset=None,
        empty_label="请选择问题分类",
        widget=QuickSelect(attrs={"data-searchable": "输入分类名称筛选"}),
    )
    kind = forms.ChoiceField(label="诉求类型", choices=Kind.choices)
    note = forms.CharField(label="修改理由", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = queries.categories_for_select()
        if not self.is_bound:
            self.fields["category"].widget.choices = queries.grouped_categories()


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(ReasonForm):
    days = forms.IntegerField(label="延期工作日", min_value=1, max_value=30)


class ReplyForm(StyledForm):
    kind = forms.ChoiceField(label="办理结果", choices=ReplyKind.choices)
    text = LongTextField(
        label="答复内容", min_length=10, max_length=settings.APPEAL_TEXT_MAX, rows=4
    )
    reason = forms.CharField(label="无法解决原因", max_length=300, required=False)
    photos = MultipleImageField(
        label="办理结果照片",
        max_count=PHOTO_MAX_COUNT,
        help_text="整改、维修完成后的现场照片，最多3张，JPG或PNG；答复发出后群众可以看到",
    )


def solved_field(label: str, **kwargs) -> forms.TypedChoiceField:
    """问题是否解决: the citizen's own answer, which 解决率 counts (appeals.metrics)."""
    return forms.TypedChoiceField(
        label=label, coerce=lambda v: v == "1", empty_value=None, required=False, **kwargs
    )


class VerdictFormBase(StyledForm):
    """不满意 reopens the appeal: the handler needs to know why. Whoever gives a verdict also
    says whether the problem was solved (not asked when the citizen was not reached)."""

    def clean(self):
        data = super().clean()
        if data.get("verdict") == Verdict.UNSATISFIED and not data.get("note", "").strip():
            self.add_error("note", "请说明不满意的原因，以便重新办理")
        if data.get("verdict") not in (None, Verdict.UNREACHED) and data.get("solved") is None:
            self.add_error("solved", "请选择问题是否解决")
        return data


class VerdictForm(VerdictFormBase):
    verdict = forms.ChoiceField(
        label="回访结果",
        choices=[
            (v, Verdict(v).label)
            for v in (Verdict.SATISFIED, Verdict.BASIC, Verdict.UNSATISFIED, Verdict.UNREACHED)
        ],
    )
    solved = solved_field(
        "问题是否解决",
        choices=[
            ("", "请选择（未联系上时不填）"),
            ("1", "是，群众表示已解决"),
            ("0", "否，群众表示未解决"),
        ],
        help_text="按群众的回答记录，解决率以此计，不看答复时所报的办理结果",
    )
    note = forms.CharField(label="群众意见（不满意时必填）", max_length=300, required=False)


class CitizenVerdictForm(VerdictFormBase):
    verdict = forms.ChoiceField(
        label="您对办理结果是否满意",
        widget=forms.RadioSelect,
        choices=[
            (v, Verdict(v).label) for v in (Verdict.SATISFIED, Verdict.BASIC, Verdict.UNSATISFIED)
        ],
    )
    solved = solved_field(
        "您反映的问题是否已解决", widget=forms.RadioSelect, choices=[("1", "是"), ("0", "否")]
    )
    note = forms.CharField(
        label="意见建议（不满意时必填）",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如不满意，请写明原因"}),
    )
    # Staff see the last four digits of the phone (masked display), so they prove nothing:
    # a verdict is confirmed by a code sent to the reporter's phone.
    otp = forms.CharField(label="短信验证码", min_length=6, max_length=6)


class MergeForm(StyledForm):
    primary = forms.CharField(label="合并到（受理编号）", max_length=24)


class DecisionForm(StyledForm):
    approve = forms.TypedChoiceField(
        label="审核结果", coerce=lambda v: v == "1", choices=[("1", "同意"), ("0", "不同意")]
    )
    note = forms.CharField(label="审核意见", max_length=300, required=False)

    refusal_needs = "不同意时请填写审核意见"

    def clean(self):
        data = super().clean()
        if data.get("approve") is False and not data.get("note", "").strip():
            self.add_error("note", self.refusal_needs)
        return data


class ReplyApprovalForm(DecisionForm):
    """The leader's decision on a draft reply: send it to the citizen, or return it."""

    approve = forms.TypedChoiceField(
        label="审核结果", coerce=lambda v: v == "1", choices=[("1", "同意发出"), ("0", "退回修改")]
    )
    note = forms.CharField(
        label="审核意见（退回时必填）",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    refusal_needs = "退回答复时请写明理由，以便经办人修改"


class AppealFilterForm(FilterForm):
    """The staff queue's tab and filters (also what its CSV/XLSX export takes)."""

    queue = forms.ChoiceField(
        label="页签",
        choices=[(q.key, q.label) for q in [*queries.QUEUES, *queries.SUPERVISION_QUEUES]],
    )
    q = forms.CharField(label="关键词或受理编号")
    status = forms.ChoiceField(label="状态", choices=Status.choices)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices)
    channel = forms.ChoiceField(label="渠道", choices=Channel.choices)
    category = forms.ModelChoiceField(
        label="分类", queryset=queries.categories(), widget=QuickSelect
    )
    unit = forms.IntegerField(label="单位", min_value=1)
    since = forms.DateField(label="受理日期自")
    until = forms.DateField(label="受理日期至")
    # The handling deadline's range: what a dashboard's 超期未答复 count drills down to.
    due_since = forms.DateField(label="办理期限自")
    due_until = forms.DateField(label="办理期限至")
    overdue = forms.BooleanField(label="只看超期")
    supervision = forms.TypedChoiceField(
        label="督办", choices=Level.choices, coerce=int, empty_value=None
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:100]


class PhoneRevealForm(StyledForm):
    """查看号码: the reason is required and kept on the audit trail."""

    reason = forms.CharField(
        label="查看事由",
        max_length=100,
        error_messages={"required": "请填写查看号码的事由"},
        widget=forms.TextInput(attrs={"placeholder": "如：回访核实办理结果"}),
    )


class UrgeForm(StyledForm):
    rung = forms.TypedChoiceField(
        label="方式",
        choices=[(Level.URGE.value, "催办"), (Level.SUPERVISE.value, "督办")],
        coerce=int,
        initial=Level.URGE.value,
    )
    note = forms.CharField(
        label="督查意见", max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class InstructForm(StyledForm):
    leader = forms.CharField(
        label="批示领导",
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "如：市委副书记 陈明"}),
    )
    text = forms.CharField(
        label="批示内容", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class InterviewForm(StyledForm):
    held_on = forms.DateField(
        label="约谈日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    interviewees = forms.CharField(
        label="被约谈人",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如：芝山街道办事处主任 王立新"}),
    )
    points = forms.CharField(
        label="约谈要点", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
