from django import forms

from shishi.core.forms import FilterForm, StyledForm
from shishi.core.validators import MobileField
from shishi.orgs.models import Role, Unit


class UnitForm(StyledForm):
    code = forms.CharField(
        label="单位编码",
        max_length=32,
        help_text="行政区划单位用12位统计用区划代码；部门、党组织可自定编码",
    )
    name = forms.CharField(label="单位名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=Unit.Kind.choices)
    parent = forms.ModelChoiceField(label="上级单位", queryset=Unit.objects.none())
    former_code = forms.CharField(label="原区划代码", max_length=32, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    sort = forms.IntegerField(label="排序", min_value=0, initial=0, required=False)

    def __init__(self, *args, parents=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents if parents is not None else Unit.objects.none()
        self.fields["parent"].label_from_instance = lambda u: f"{'　' * u.depth}{u.name}"
        if editing:
            self.fields["code"].disabled = True

    def clean_sort(self) -> int:
        return self.cleaned_data.get("sort") or 0


class UnitImportForm(StyledForm):
    file = forms.FileField(label="CSV 文件", help_text="列：code,name,kind,parent_code,former_code")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过 5MB")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("请上传 .csv 文件")
        return upload


class PersonForm(StyledForm):
    username = forms.RegexField(
        label="登录名",
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": "登录名只能包含字母、数字和 _ . @ + -"},
    )
    name = forms.CharField(label="姓名", max_length=40)
    phone = MobileField(label="手机号", required=False)
    title = forms.CharField(label="职务", max_length=60, required=False)


class NewPersonForm(PersonForm):
    unit = forms.ModelChoiceField(label="所在单位", queryset=Unit.objects.none())
    role = forms.ChoiceField(label="角色", choices=())
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput, help_text="至少12位，不能是常见密码或纯数字"
    )

    def __init__(self, *args, units=None, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["unit"].label_from_instance = lambda u: f"{'　' * u.depth}{u.name}"
        # Any role validates, so a forbidden one reaches the permission check (403); the
        # list only offers what the actor may grant.
        self.fields["role"].choices = Role.choices
        self.fields["role"].widget.choices = [(r, Role(r).label) for r in roles]


class GrantForm(StyledForm):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    role = forms.ChoiceField(label="角色", choices=())

    def __init__(self, *args, units=None, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["unit"].label_from_instance = lambda u: f"{'　' * u.depth}{u.name}"
        # Any role validates, so a forbidden one reaches the permission check (403); the
        # list only offers what the actor may grant.
        self.fields["role"].choices = Role.choices
        self.fields["role"].widget.choices = [(r, Role(r).label) for r in roles]


class PasswordForm(StyledForm):
    password = forms.CharField(
        label="新密码", widget=forms.PasswordInput, help_text="至少12位，不能是常见密码或纯数字"
    )


ACTIVE_CHOICES = [("active", "正常"), ("inactive", "已停用"), ("all", "全部")]


class UnitFilterForm(FilterForm):
    q = forms.CharField(label="名称或编码")
    kind = forms.ChoiceField(label="类型", choices=Unit.Kind.choices)
    status = forms.ChoiceField(label="状态", choices=ACTIVE_CHOICES, initial="active")
    sort = forms.ChoiceField(
        label="排序",
        choices=[
            ("tree", "按层级"),
            ("name", "按名称"),
            ("-name", "按名称倒序"),
            ("code", "按编码"),
            ("-code", "按编码倒序"),
            ("kind", "按类型"),
        ],
        initial="tree",
    )
    under = forms.IntegerField(label="上级单位", min_value=1)


class PersonFilterForm(FilterForm):
    q = forms.CharField(label="姓名、登录名、手机号或职务")
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    status = forms.ChoiceField(label="状态", choices=ACTIVE_CHOICES, initial="active")
    sort = forms.ChoiceField(
        label="排序",
        choices=[
            ("name", "按姓名"),
            ("-name", "按姓名倒序"),
            ("username", "按登录名"),
            ("-joined", "最近新增"),
        ],
        initial="name",
    )
    unit = forms.IntegerField(label="单位", min_value=1)


class AuditFilterForm(FilterForm):
    source = forms.ChoiceField(label="类别")
    q = forms.CharField(label="操作人、对象或说明")
    verb = forms.CharField(label="操作", max_length=60)
    since = forms.DateField(label="起始日期")
    until = forms.DateField(label="截止日期")

    def __init__(self, params, *, sources):
        super().__init__(params)
        self.fields["source"].choices = [(s.key, s.label) for s in sources]
        self.fields["source"].initial = sources[0].key


class SecondFactorForm(forms.Form):
    """The code of the sign-in's second step (6 digits, or a recovery code)."""

    code = forms.CharField(
        label="动态验证码", max_length=24, error_messages={"required": "请输入动态验证码"}
    )
