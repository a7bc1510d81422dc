from django import forms
from django.conf import settings

from shishi.core.forms import FilterForm, StyledForm
from shishi.core.uploads import MultipleImageField, check_pdf
from shishi.core.validators import MobileField
from shishi.projects.models import (
    PROGRESS_BANDS,
    Area,
    Attachment,
    Cadence,
    ProjectLevel,
    Source,
    Status,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(StyledForm):
    title = forms.CharField(label="项目名称", max_length=100)
    area = forms.ChoiceField(label="重点领域", choices=Area.choices)
    level = forms.ChoiceField(label="层级", choices=ProjectLevel.choices)
    source = forms.ChoiceField(label="项目来源", choices=Source.choices)
    lead_unit = forms.ModelChoiceField(label="牵头单位", queryset=None)
    co_units = forms.ModelMultipleChoiceField(
        label="配合单位",
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    leader = forms.CharField(label="责任领导", max_length=60, help_text="如：副区长 林某某")
    planned_start = forms.DateField(label="计划开始", widget=DATE)
    planned_end = forms.DateField(label="计划完成", widget=DATE)
    targets = forms.CharField(
        label="目标任务", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    budget = forms.DecimalField(
        label="投资（万元）", min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    beneficiaries = forms.IntegerField(label="受益人数", min_value=0, initial=0)
    place = forms.CharField(label="实施地点", max_length=200, required=False)
    cadence = forms.ChoiceField(label="进度报送", choices=Cadence.choices, initial=Cadence.MONTHLY)
    description = forms.CharField(
        label="项目简介", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead_unit", "co_units"):
            self.fields[name].queryset = units
            self.fields[name].label_from_instance = lambda u: f"{'　' * u.depth}{u.name}"

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "计划完成不能早于计划开始")
        return data


class MilestoneForm(StyledForm):
    title = forms.CharField(label="节点", max_length=100)
    weight = forms.IntegerField(label="权重", min_value=1, max_value=100, initial=1)
    due = forms.DateField(label="计划完成", widget=DATE)


class ReportForm(StyledForm):
    text = forms.CharField(
        label="本期进展", min_length=10, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    percent = forms.IntegerField(label="形象进度（%）", min_value=0, max_value=100)
    problems = forms.CharField(
        label="存在问题", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_steps = forms.CharField(
        label="下步计划", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    files = MultipleImageField(
        label="现场照片",
        max_count=6,
        help_text="最多6张，JPG或PNG",
    )


class CompletionForm(StyledForm):
    before = MultipleImageField(label="实施前照片", max_count=6)
    after = MultipleImageField(label="完成后照片", max_count=6)
    document = forms.FileField(label="佐证材料（PDF）", required=False)
    note = forms.CharField(
        label="完成情况", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload is None:
            return None
        check_pdf(upload, max_bytes=settings.PROJECT_ATTACHMENT_MAX_BYTES)
        return upload

    def evidence(self) -> list[tuple[str, object]]:
        data = self.cleaned_data
        files = [(Attachment.Kind.BEFORE, f) for f in data["before"]]
        files += [(Attachment.Kind.AFTER, f) for f in data["after"]]
        if data.get("document"):
            files.append((Attachment.Kind.DOCUMENT, data["document"]))
        return files


class DecisionForm(StyledForm):
    approve = forms.TypedChoiceField(
        label="结果", coerce=lambda v: v == "1", choices=[("1", "通过"), ("0", "不通过")]
    )
    note = forms.CharField(label="意见", max_length=300, required=False)


class StatusRequestForm(StyledForm):
    CHOICES = [("suspended", "暂停实施"), ("in_progress", "恢复实施"), ("cancelled", "取消项目")]

    to = forms.ChoiceField(label="申请", choices=CHOICES)
    reason = forms.CharField(label="理由", max_length=300)

    def __init__(self, *args, targets: list[str] | None = None, **kwargs):
        """`targets` (`projects.allowed.status_targets`) limits the offer to what the
        project's state allows."""
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["to"].choices = [c for c in self.CHOICES if c[0] in targets]


class AnswerForm(StyledForm):
    answer = forms.CharField(
        label="答复", min_length=10, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class LedgerUploadForm(StyledForm):
    file = forms.FileField(label="项目清单（.xlsx）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 文件（可先下载模板）")
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过50MB")
        return upload


class PublicPhoneForm(StyledForm):
    phone = MobileField()
    otp = forms.CharField(label="短信验证码", min_length=6, max_length=6)


class ObjectionForm(PublicPhoneForm):
    content = forms.CharField(
        label="异议内容", min_length=10, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingForm(PublicPhoneForm):
    stars = forms.TypedChoiceField(
        label="评分",
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
    )
    comment = forms.CharField(
        label="评价", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


SORT_CHOICES = [
    ("new", "最近登记"),
    ("end", "计划完成"),
    ("progress", "进度"),
    ("budget", "投资额"),
    ("code", "项目编号"),
]


class ProjectFilterForm(FilterForm):
    """The ledger's filters (staff list, its export, and the public list)."""

    q = forms.CharField(label="名称、编号或地点")
    area = forms.ChoiceField(label="重点领域", choices=Area.choices)
    level = forms.ChoiceField(label="层级", choices=ProjectLevel.choices)
    status = forms.ChoiceField(label="状态", choices=Status.choices)
    late = forms.BooleanField(label="有超期")
    done = forms.BooleanField(label="已完成（含验收、评价）")
    # What the dashboards count: projects submitted, drafts and cancelled ones aside.
    counted = forms.BooleanField(label="不含草稿和已取消")
    progress = forms.ChoiceField(
        label="进度", choices=[(code, band[0]) for code, band in PROGRESS_BANDS.items()]
    )
    sort = forms.ChoiceField(label="排序", choices=SORT_CHOICES)

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:100]


class StaffProjectFilterForm(ProjectFilterForm):
    unit = forms.IntegerField(label="单位", min_value=1)


class PublicProjectFilterForm(ProjectFilterForm):
    county = forms.TypedChoiceField(label="县（区）", coerce=int, empty_value=None)

    def __init__(self, params, *, divisions):
        super().__init__(params)
        self.fields["county"].choices = [(d.pk, d.name) for d in divisions]
