"""Forms of the enterprise desk: list filters (FilterForm) and entry forms (StyledForm)."""

from django import forms
from django.conf import settings

from shishi.appeals.models import TITLE_MAX, Kind
from shishi.core.forms import FilterForm, LongTextField, QuickSelect, StyledForm
from shishi.core.uploads import MultipleEvidenceField
from shishi.core.validators import MobileField, credit_code_problem, normalise_credit_code
from shishi.enterprises.models import Benefit, Industry, Problem, Size, Visit
from shishi.orgs.models import Unit

PAIRED = [("yes", "已挂钩"), ("no", "未挂钩")]
SORTS = [("county", "按县区"), ("name", "按名称"), ("industry", "按行业"), ("-created", "最近登记")]
STATES = [("open", "办理中"), ("done", "已办结")]


class CreditCodeField(forms.CharField):
    """统一社会信用代码, normalised (spaces, case, full-width) and checked (GB 32100-2015)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "统一社会信用代码")
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def clean(self, value):
        code = normalise_credit_code(super().clean(value) or "")
        if code and (problem := credit_code_problem(code)):
            raise forms.ValidationError(problem)
        return code


class EnterpriseFilterForm(FilterForm):
    q = forms.CharField(label="名称或代码", max_length=50)
    county = forms.IntegerField(label="县区", min_value=1)
    industry = forms.ChoiceField(label="行业门类", choices=Industry.choices)
    size = forms.ChoiceField(label="企业规模", choices=Size.choices)
    paired = forms.ChoiceField(label="挂钩", choices=PAIRED)
    sort = forms.ChoiceField(label="排序", choices=SORTS)


class EnterpriseForm(StyledForm):
    credit_code = CreditCodeField(
        error_messages={"required": "请填写统一社会信用代码"},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
        help_text="18位，营业执照上的代码",
    )
    name = forms.CharField(label="企业名称", max_length=100)
    county = forms.ModelChoiceField(label="所属县区", queryset=Unit.objects.none())
    industry = forms.ChoiceField(label="行业门类（GB/T 4754）", choices=Industry.choices)
    size = forms.ChoiceField(label="企业规模", choices=Size.choices)
    address = forms.CharField(label="地址", max_length=200, required=False)
    contact_name = forms.CharField(label="联系人", max_length=40)
    contact_phone = MobileField(
        label="联系人手机号", help_text="企业凭此号码接收诉求受理、答复短信，并在线反映问题"
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        self.fields["industry"].choices = [
            ("", "请选择"),
            *[(c, f"{c} {label}") for c, label in Industry.choices],
        ]


class PairForm(StyledForm):
    unit = forms.ModelChoiceField(
        label="干部所在单位",
        queryset=Unit.objects.none(),
        widget=QuickSelect(attrs={"data-searchable": "输入单位名称筛选"}),
    )
    cadre = forms.IntegerField(label="挂钩干部", widget=forms.Select)
    starts_on = forms.DateField(
        label="挂钩开始", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, units, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["cadre"].widget.choices = [
            ("", "请选择"),
            *[(m.person_id, f"{m.person.name}（{m.get_role_display()}）") for m in cadres],
        ]
        self.cadre_ids = {m.person_id: m.person for m in cadres}

    def clean_cadre(self):
        pk = self.cleaned_data["cadre"]
        if pk not in self.cadre_ids:
            raise forms.ValidationError("请在所选单位的人员中选择挂钩干部")
        return self.cadre_ids[pk]


class EndPairingForm(StyledForm):
    reason = forms.CharField(label="解除原因", max_length=200)


class VisitForm(StyledForm):
    visited_on = forms.DateField(
        label="走访日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    form = forms.ChoiceField(label="走访形式", choices=Visit.Form.choices, widget=forms.RadioSelect)
    discussed = forms.CharField(
        label="交流内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    problems = forms.CharField(
        label="发现的问题",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="需要协调解决的，登记后可在走访记录上“提出诉求”进入诉求办理",
    )


class ProblemForm(StyledForm):
    kind = forms.ChoiceField(label="诉求类型", choices=Kind.choices, initial=Kind.HELP)
    title = forms.CharField(label="标题", max_length=TITLE_MAX, required=False)
    content = LongTextField(label="问题描述", min_length=5, max_length=settings.APPEAL_TEXT_MAX)


class PublicCodeForm(StyledForm):
    credit_code = CreditCodeField(error_messages={"required": "请填写统一社会信用代码"})
    phone = MobileField(label="企业联系人手机号", help_text="须为企业登记的联系电话")


class PublicProblemForm(PublicCodeForm):
    code = forms.CharField(label="短信验证码", max_length=6, min_length=6)
    kind = forms.ChoiceField(label="诉求类型", choices=Kind.choices, initial=Kind.HELP)
    content = LongTextField(label="问题描述", min_length=5, max_length=settings.APPEAL_TEXT_MAX)


class VisitFilterForm(FilterForm):
    enterprise = forms.IntegerField(label="企业", min_value=1)
    form = forms.ChoiceField(label="走访形式", choices=Visit.Form.choices)
    start = forms.DateField(label="走访日期自")
    end = forms.DateField(label="走访日期至")


class FrequencyForm(FilterForm):
    start = forms.DateField(label="统计起始")
    end = forms.DateField(label="统计截止")


class ProblemFilterForm(FilterForm):
    enterprise = forms.IntegerField(label="企业", min_value=1)
    county = forms.IntegerField(label="县区", min_value=1)
    source = forms.ChoiceField(label="来源", choices=Problem.Source.choices)
    state = forms.ChoiceField(label="办理情况", choices=STATES)


class BenefitFilterForm(FilterForm):
    enterprise = forms.IntegerField(label="企业", min_value=1)
    county = forms.IntegerField(label="县区", min_value=1)
    industry = forms.ChoiceField(label="行业门类", choices=Industry.choices)
    kind = forms.ChoiceField(label="类型", choices=Benefit.Kind.choices)
    start = forms.DateField(label="兑现日期自")
    end = forms.DateField(label="兑现日期至")


class BenefitForm(StyledForm):
    kind = forms.ChoiceField(label="类型", choices=Benefit.Kind.choices)
    policy = forms.CharField(label="政策名称", max_length=120)
    amount = forms.DecimalField(
        label="金额（元）",
        min_value=0.01,
        max_digits=14,
        decimal_places=2,
        error_messages={
            "invalid": "金额应为数字（元）",
            "min_value": "金额应大于0",
            "max_decimal_places": "金额最多保留两位小数（到分）",
            "max_digits": "金额过大，请以元为单位填写",
        },
    )
    granted_on = forms.DateField(
        label="兑现日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label="说明", max_length=300, required=False)
    files = MultipleEvidenceField(label="兑现凭证", max_count=6, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].limit_to_attachments(what="拨付凭证、减免通知等，")


class UploadForm(StyledForm):
    file = forms.FileField(label="Excel 文件（.xlsx）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 文件（可先下载模板）")
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过50MB")
        return upload
