from django import forms

from shishi.campaign import queries
from shishi.campaign.actions.directives import MAX_DAYS
from shishi.campaign.actions.rectification import MAX_DAYS as RECTIFICATION_DAYS
from shishi.campaign.models import Assignment, Directive, Rectification, StudySession, Visit
from shishi.core.forms import FilterForm, QuickSelect, QuickSelectMultiple, StyledForm
from shishi.core.uploads import MultipleEvidenceField
from shishi.orgs.models import Person, Unit

# The status filter of assignment lists (我的任务, a directive's table).
ASSIGNMENT_STATUSES = [
    (queries.TO_REPORT, "待报送"),
    (Assignment.Status.SUBMITTED, "待审核"),
    (Assignment.Status.RETURNED, "已退回"),
    (Assignment.Status.APPROVED, "已完成"),
    (queries.OVERDUE, "已超期"),
]


class DirectiveForm(StyledForm):
    title = forms.CharField(label="任务名称", max_length=100)
    content = forms.CharField(
        label="任务内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    days = forms.IntegerField(
        label="完成时限（工作日）",
        min_value=1,
        max_value=MAX_DAYS,
        initial=10,
        help_text=f"1至{MAX_DAYS}个工作日，从今天起算，节假日不计",
    )
    evidence = forms.CharField(
        label="佐证材料要求",
        max_length=300,
        help_text="如：会议记录、现场照片（承担单位报送时须上传）",
    )
    target_root = forms.ModelChoiceField(
        label="下达范围",
        queryset=Unit.objects.none(),
        help_text="任务下达到所选单位及其下级中符合类型的单位（部署单位自身除外）",
        widget=QuickSelect(attrs={"data-searchable": "输入单位名称筛选"}),
    )
    target_kinds = forms.MultipleChoiceField(
        label="下达到的单位类型",
        choices=Unit.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选则下达到范围内所有类型的单位",
    )

    files = MultipleEvidenceField(label="附件", max_count=6, required=False)

    def __init__(self, *args, units, top: Unit, **kwargs):
        """`units`: the active units of the actor's subtree; `top`: the actor's unit (the
        indentation of the picker counts from it)."""
        super().__init__(*args, **kwargs)
        field = self.fields["target_root"]
        field.queryset = units.order_by("path")
        field.label_from_instance = lambda u: f"{'　' * (u.depth - top.depth)}{u.name}"
        self.fields["files"].limit_to_attachments(
            what="通知、方案、表格等，", after="；各承担单位可下载"
        )


class ReportForm(StyledForm):
    text = forms.CharField(
        label="完成情况",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写完成情况"},
    )
    files = MultipleEvidenceField(label="佐证材料", max_count=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].limit_to_attachments()


class ReturnForm(StyledForm):
    reason = forms.CharField(
        label="退回原因",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请写明退回原因"},
    )


class DirectiveFilterForm(FilterForm):
    q = forms.CharField(label="任务名称或编号")
    status = forms.ChoiceField(label="状态", choices=Directive.Status.choices)

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()[:100]


class AssignmentFilterForm(FilterForm):
    status = forms.ChoiceField(label="状态", choices=ASSIGNMENT_STATUSES)


class DirectiveAssignmentFilterForm(AssignmentFilterForm):
    unit = forms.IntegerField(label="单位", min_value=1)


# --- 学习活动 ---------------------------------------------------------------------------------

DATE_INPUT = {"type": "date"}


class StudySessionForm(StyledForm):
    """登记学习活动 for one unit (chosen on the page before: `?unit=`); its members are the
    attendees to tick."""

    kind = forms.ChoiceField(label="活动类型", choices=StudySession.Kind.choices)
    mode = forms.ChoiceField(
        label="学习方式",
        choices=StudySession.Mode.choices,
        help_text="五学：自学、集体研学、领导带学、典型导学、巡听评学",
    )
    held_on = forms.DateField(
        label="活动日期",
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        help_text="活动结束后登记，不能晚于今天",
    )
    topic = forms.CharField(
        label="学习主题",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如：学习贯彻党的二十大精神"}),
        error_messages={"required": "请填写学习主题"},
    )
    place = forms.CharField(label="地点", max_length=100, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label="参加人员",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="本单位有账号的人员",
    )
    extra_attendees = forms.IntegerField(
        label="其他参加人数",
        min_value=0,
        max_value=10000,
        initial=0,
        help_text="没有账号的党员、群众等，只计人数",
    )
    minutes = forms.CharField(
        label="活动记录",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="学习内容、发言摘要、形成的共识",
    )
    files = MultipleEvidenceField(label="佐证材料", max_count=6, required=False)

    def __init__(self, *args, members, **kwargs):
        """`members`: the people of the unit the session is recorded for."""
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members
        self.fields["attendees"].label_from_instance = lambda p: p.name
        self.fields["files"].limit_to_attachments(what="签到表、现场照片等，")


class StudyUnitForm(FilterForm):
    unit = forms.IntegerField(label="单位", min_value=1)


class StudyFilterForm(FilterForm):
    kind = forms.ChoiceField(label="活动类型", choices=StudySession.Kind.choices)
    mode = forms.ChoiceField(label="学习方式", choices=StudySession.Mode.choices)
    unit = forms.IntegerField(label="单位", min_value=1)
    start = forms.DateField(label="活动日期自")
    end = forms.DateField(label="活动日期至")


class ThreeOnesFilterForm(FilterForm):
    unit = forms.IntegerField(label="单位", min_value=1)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


# --- 巡回指导 and 整改 --------------------------------------------------------------------------


class GroupForm(StyledForm):
    name = forms.CharField(
        label="名称",
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "如：第一巡回指导组"}),
        error_messages={"required": "请填写指导组名称"},
    )
    leader = forms.ModelChoiceField(
        label="组长", queryset=Person.objects.none(), error_messages={"required": "请选择组长"}
    )
    members = forms.ModelMultipleChoiceField(
        label="成员",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="持有“指导组成员”角色的人员；没有的请先在人员管理中授予",
    )
    units = forms.ModelMultipleChoiceField(
        label="负责指导的单位",
        queryset=Unit.objects.none(),
        widget=QuickSelectMultiple(attrs={"data-searchable": "输入单位名称筛选", "size": 12}),
        help_text="按住 Ctrl（Mac：⌘）可多选；一个单位只由一个指导组负责，其下级单位一并指导",
        error_messages={"required": "请选择该组负责指导的单位"},
    )

    def __init__(self, *args, people, units, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("leader", "members"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda p: f"{p.name}（{p.title or '—'}）"
        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = lambda u: f"{'　' * (u.depth - 1)}{u.name}"


class RoundForm(StyledForm):
    starts = forms.DateField(
        label="开始日期", widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")
    )
    ends = forms.DateField(
        label="结束日期", widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")
    )


class VisitForm(StyledForm):
    unit = forms.ModelChoiceField(
        label="指导单位",
        queryset=Unit.objects.none(),
        widget=QuickSelect(attrs={"data-searchable": "输入单位名称筛选"}),
        error_messages={"required": "请选择指导单位"},
    )
    visited_on = forms.DateField(
        label="指导日期",
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        help_text="须在某一轮巡回指导的日期内，不能晚于今天",
    )
    methods = forms.MultipleChoiceField(
        label="指导方式",
        choices=Visit.Method.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择至少一种指导方式"},
    )
    findings = forms.CharField(
        label="发现的问题和意见建议",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="没有发现问题也请写明；需要整改的问题登记后可逐条提出整改",
        error_messages={"required": "请填写发现的问题和意见建议"},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: f"{'　' * (u.depth - 1)}{u.name}"


class RectificationForm(StyledForm):
    unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=Unit.objects.none(),
        widget=QuickSelect(attrs={"data-searchable": "输入单位名称筛选"}),
        error_messages={"required": "请选择责任单位"},
    )
    problem = forms.CharField(
        label="存在问题",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明存在的问题"},
    )
    measures = forms.CharField(
        label="整改要求",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明整改要求"},
    )
    days = forms.IntegerField(
        label="整改时限（工作日）",
        min_value=1,
        max_value=RECTIFICATION_DAYS,
        initial=20,
        help_text=f"1至{RECTIFICATION_DAYS}个工作日，从今天起算，节假日不计",
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: f"{'　' * (u.depth - 1)}{u.name}"


class ProgressForm(StyledForm):
    text = forms.CharField(
        label="整改进展",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写整改进展"},
    )
    files = MultipleEvidenceField(label="佐证材料", max_count=6, required=False)
    done = forms.BooleanField(
        label="已整改到位，申请销号",
        required=False,
        help_text="申请销号须有佐证材料（本次上传或此前已上传）",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].limit_to_attachments(what="整改前后照片、台账、制度文件等，")


class GuidanceFilterForm(FilterForm):
    group = forms.IntegerField(label="指导组", min_value=1)


class VisitFilterForm(FilterForm):
    group = forms.IntegerField(label="指导组", min_value=1)
    round = forms.IntegerField(label="轮次", min_value=1)
    unit = forms.IntegerField(label="单位", min_value=1)
    q = forms.CharField(label="发现的问题")

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()[:100]


RECTIFICATION_STATUSES = [*Rectification.Status.choices, (queries.OVERDUE, "已超期")]


class RectificationFilterForm(FilterForm):
    status = forms.ChoiceField(label="状态", choices=RECTIFICATION_STATUSES)
    source = forms.ChoiceField(label="问题来源", choices=Rectification.Source.choices)
    group = forms.IntegerField(label="指导组", min_value=1)
    unit = forms.IntegerField(label="单位", min_value=1)
    q = forms.CharField(label="问题或编号")

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()[:100]


class RaiseFromForm(FilterForm):
    """Where a new item comes from: `?visit=` or `?session=` (a 专题组织生活会)."""

    visit = forms.IntegerField(label="巡回指导", min_value=1)
    session = forms.IntegerField(label="组织生活会", min_value=1)


class VisitGroupForm(FilterForm):
    group = forms.IntegerField(label="指导组", min_value=1)
