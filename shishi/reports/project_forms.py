"""The query parameters of the project report (周报/月报): which kind, which day."""

from datetime import date

from django import forms

from shishi.core.figures import EARLIEST
from shishi.core.forms import FilterForm
from shishi.reports.project_report import KINDS, WEEK


class ProjectReportForm(FilterForm):
    """`kind` (week or month) and `day` (any day of the period, not after today). A bad value
    is named on the page and the default (this week, today) is shown instead."""

    kind = forms.ChoiceField(
        label="报告类型",
        choices=list(KINDS.items()),
        initial=WEEK,
        error_messages={"invalid_choice": "只能是周报（week）或月报（month）"},
    )
    day = forms.DateField(
        label="日期",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "请按“2026-11-25”的格式填写一个有效日期"},
    )

    def __init__(self, params, *, today: date):
        super().__init__(params)
        self.today = today

    def clean_day(self) -> date | None:
        day = self.cleaned_data["day"]
        if day is not None and day > self.today:
            raise forms.ValidationError("不能晚于今天")
        if day is not None and day < EARLIEST:
            raise forms.ValidationError(f"不能早于{EARLIEST.year}年")
        return day

    @property
    def problems(self) -> list[str]:
        """Each value not applied, with why, for the page: 日期“2026-13-01”无效：…"""
        self.is_valid()
        return [
            f"{self.fields[name].label}“{self.data.get(name, '')}”无效：{'；'.join(errors)}"
            for name, errors in self.errors.items()
            if name in self.fields
        ]
