from django import forms
from django.conf import settings

from shishi.core.forms import FilterForm, StyledForm
from shishi.core.uploads import MultipleImageField, check_image
from shishi.outreach import queries
from shishi.outreach.models import Lecture, LectureTeam, PioneerPost, VolunteerTeam

DATE_INPUT = {"type": "date"}
DATETIME_INPUT = {"type": "datetime-local"}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
NAMES_HELP = "没有账号的队员填写姓名，用顿号“、”隔开"


def _unit_choice(field: forms.ModelChoiceField, units, top) -> None:
    """A unit picker over the actor's subtree, indented from the actor's unit."""
    field.queryset = units.order_by("path")
    field.label_from_instance = lambda u: f"{'　' * (u.depth - top.depth)}{u.name}"
    field.widget.attrs["data-searchable"] = "输入单位名称筛选"


def _people(field: forms.ModelMultipleChoiceField, people) -> None:
    field.queryset = people
    field.label_from_instance = lambda p: p.name


class UnitForm(FilterForm):
    """`?unit=` on a form page: whose people are offered as members."""

    unit = forms.IntegerField(label="单位", min_value=1)


class TeamForm(StyledForm):
    name = forms.CharField(
        label="队伍名称",
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "如：土楼红妹子宣讲队"}),
        error_messages={"required": "请填写队伍名称"},
    )
    kind = forms.ChoiceField(label="队伍类型", choices=LectureTeam.Kind.choices)
    topics = forms.CharField(
        label="宣讲主题",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：党史故事、惠民政策、移风易俗",
    )
    members = forms.ModelMultipleChoiceField(
        label="有账号的队员",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outside_members = forms.CharField(
        label="其他队员", max_length=500, required=False, help_text=NAMES_HELP
    )
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    active = forms.BooleanField(label="在用", required=False, initial=True)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["members"], people)


class LectureForm(StyledForm):
    team = forms.ModelChoiceField(label="宣讲队伍", queryset=None)
    topic = forms.CharField(
        label="宣讲主题",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如：学党史 悟思想 办实事"}),
        error_messages={"required": "请填写宣讲主题"},
    )
    starts_at = forms.DateTimeField(
        label="宣讲时间",
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format="%Y-%m-%dT%H:%M"),
        help_text="尚未举行的宣讲可先登记预告，公众可在“宣讲预告”页看到",
    )
    mode = forms.ChoiceField(label="形式", choices=Lecture.Mode.choices)
    place = forms.ModelChoiceField(label="宣讲地点（县区/乡镇/村社区）", queryset=None)
    venue = forms.CharField(
        label="具体地点或平台",
        max_length=100,
        required=False,
        help_text="如：芝山街道新时代文明实践站；线上宣讲填写平台名称",
    )
    audience = forms.IntegerField(
        label="受众人数",
        initial=0,
        max_value=1_000_000,
        help_text="宣讲结束后填写；尚未举行的填0",
        error_messages={"required": "请填写受众人数（尚未举行的填0）"},
    )
    summary = forms.CharField(
        label="宣讲情况",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    public = forms.BooleanField(label="在公众页面预告", required=False, initial=True)
    photos = MultipleImageField(label="现场照片", max_count=6)

    def __init__(self, *args, teams, places, top, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams.select_related("unit").order_by("unit__path", "name")
        self.fields["team"].label_from_instance = lambda t: f"{t.name}（{t.unit.name}）"
        _unit_choice(self.fields["place"], places, top)
        limit = settings.APPEAL_PHOTO_MAX_BYTES  # read when used, not at import
        self.fields["photos"].max_bytes = limit
        self.fields[
            "photos"
        ].help_text = f"最多6张，JPG 或 PNG，每张不超过{limit // (1024 * 1024)}MB"


class LectureFilterForm(FilterForm):
    q = forms.CharField(label="关键词")
    team = forms.IntegerField(label="宣讲队伍", min_value=1)
    kind = forms.ChoiceField(label="队伍类型", choices=LectureTeam.Kind.choices)
    mode = forms.ChoiceField(label="形式", choices=Lecture.Mode.choices)
    when = forms.ChoiceField(
        label="状态", choices=[(queries.UPCOMING, "待举行"), (queries.HELD, "已举行")]
    )
    unit = forms.IntegerField(label="地区", min_value=1)
    start = forms.DateField(label="日期自")
    end = forms.DateField(label="日期至")
    sort = forms.ChoiceField(
        label="排序", choices=[(k, v[0]) for k, v in queries.LECTURE_SORTS.items()]
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()[:50]


class TeamFilterForm(FilterForm):
    q = forms.CharField(label="关键词")
    kind = forms.ChoiceField(label="队伍类型", choices=LectureTeam.Kind.choices)
    unit = forms.IntegerField(label="单位", min_value=1)
    sort = forms.ChoiceField(
        label="排序", choices=[(k, v[0]) for k, v in queries.TEAM_SORTS.items()]
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()[:50]


class VolunteerTeamForm(StyledForm):
    name = forms.CharField(
        label="队伍名称", max_length=60, error_messages={"required": "请填写队伍名称"}
    )
    field = forms.ChoiceField(label="服务领域", choices=VolunteerTeam.Field.choices)
    members = forms.ModelMultipleChoiceField(
        label="有账号的队员", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    outside_members = forms.CharField(
        label="其他队员", max_length=500, required=False, help_text=NAMES_HELP
    )
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    active = forms.BooleanField(label="在用", required=False, initial=True)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["members"], people)


class ActivityForm(StyledForm):
    title = forms.CharField(
        label="活动名称",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如：关爱孤寡老人上门服务"}),
        error_messages={"required": "请填写活动名称"},
    )
    place = forms.ModelChoiceField(label="活动地点（县区/乡镇/村社区）", queryset=None)
    venue = forms.CharField(label="具体地点", max_length=100, required=False)
    starts_at = forms.DateTimeField(
        label="开始时间",
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label="结束时间",
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format="%Y-%m-%dT%H:%M"),
        help_text="活动结束后登记；服务时长 = 活动时长 × 参加志愿者人数",
    )
    volunteers = forms.IntegerField(label="参加志愿者人数", max_value=100_000)
    served = forms.IntegerField(label="服务群众人数", initial=0, max_value=1_000_000)
    summary = forms.CharField(
        label="活动情况", max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, places, top, **kwargs):
        super().__init__(*args, **kwargs)
        _unit_choice(self.fields["place"], places, top)


class VolunteerFilterForm(FilterForm):
    q = forms.CharField(label="关键词")
    field = forms.ChoiceField(label="服务领域", choices=VolunteerTeam.Field.choices)
    unit = forms.IntegerField(label="地区", min_value=1)
    start = forms.DateField(label="日期自")
    end = forms.DateField(label="日期至")
    sort = forms.ChoiceField(
        label="排序",
        choices=[("unit", "按单位"), ("-hours", "服务时长从多到少"), ("-activities", "活动次数")],
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()[:50]


class ActivityFilterForm(FilterForm):
    q = forms.CharField(label="关键词")
    team = forms.IntegerField(label="志愿服务队", min_value=1)
    unit = forms.IntegerField(label="地区", min_value=1)
    start = forms.DateField(label="日期自")
    end = forms.DateField(label="日期至")
    sort = forms.ChoiceField(
        label="排序", choices=[(k, v[0]) for k, v in queries.ACTIVITY_SORTS.items()]
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()[:50]


class PostForm(StyledForm):
    kind = forms.ChoiceField(label="类型", choices=PioneerPost.Kind.choices)
    name = forms.CharField(
        label="名称",
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "如：便民服务窗口党员先锋岗"}),
        error_messages={"required": "请填写名称"},
    )
    duties = forms.CharField(
        label="岗位职责",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写岗位职责"},
    )
    place = forms.CharField(label="服务区域或地点", max_length=100, required=False)
    holders = forms.ModelMultipleChoiceField(
        label="有账号的岗位人员",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outside_holders = forms.CharField(
        label="其他岗位人员", max_length=300, required=False, help_text=NAMES_HELP
    )
    active = forms.BooleanField(label="在用", required=False, initial=True)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["holders"], people)


class ServiceForm(StyledForm):
    served_on = forms.DateField(
        label="服务日期", widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")
    )
    content = forms.CharField(
        label="服务内容",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写服务内容"},
    )
    served = forms.IntegerField(label="服务群众人数", initial=0, max_value=100_000)
    appeal_code = forms.CharField(
        label="关联诉求受理编号",
        max_length=24,
        required=False,
        help_text="解决的是本单位承办的群众诉求时填写，如 ZZ20260315-00012",
    )


class PostFilterForm(FilterForm):
    q = forms.CharField(label="关键词")
    kind = forms.ChoiceField(label="类型", choices=PioneerPost.Kind.choices)
    unit = forms.IntegerField(label="单位", min_value=1)

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()[:50]


class EntryForm(StyledForm):
    month_day = forms.CharField(
        label="日期（月-日）",
        max_length=6,
        widget=forms.TextInput(attrs={"placeholder": "07-01"}),
        help_text="写成 MM-DD，如 07-01",
    )
    year = forms.IntegerField(label="年份", min_value=1840, max_value=2100)
    title = forms.CharField(label="标题", max_length=60)
    text = forms.CharField(label="内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.CharField(
        label="资料来源", max_length=200, help_text="如：《中国共产党简史》；新华社报道"
    )
    image = forms.FileField(
        label="图片",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text="可选，JPG 或 PNG",
    )

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image:
            check_image(image, max_bytes=settings.APPEAL_PHOTO_MAX_BYTES)
        return image


class EntryFilterForm(FilterForm):
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)
    q = forms.CharField(label="关键词")

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()[:50]


class ImportForm(StyledForm):
    file = forms.FileField(
        label="Excel 文件",
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
        help_text="第一行为表头：日期 年份 标题 内容 资料来源；日期写成 MM-DD",
    )
