"""The dashboard's period and unit, as query parameters."""

import re
from datetime import date

from django import forms

from shishi.core.figures import EARLIEST, Period
from shishi.core.forms import FilterForm

SPANS = [("month", "月度"), ("quarter", "季度"), ("year", "年度"), ("custom", "自定义")]
MONTH = re.compile(r"(\d{4})-(\d{1,2})")


class MonthField(forms.CharField):
    """YYYY-MM (what <input type="month"> sends) → the month's first day."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH.fullmatch(value.strip())
        if not match or not 1 <= int(match[2]) <= 12 or not EARLIEST.year <= int(match[1]) <= 2100:
            raise forms.ValidationError("月份格式应为“年-月”，如 2026-11")
        return date(int(match[1]), int(match[2]), 1)


class DashboardForm(FilterForm):
    unit = forms.IntegerField(label="单位", min_value=1)
    span = forms.ChoiceField(label="统计周期", choices=SPANS, initial="year")
    month = MonthField(label="月份")
    start = MonthField(label="起始月份")
    end = MonthField(label="截止月份")

    def period(self, today: date) -> Period:
        """The period asked for; a part not given (or not valid) falls back to today's."""
        values = self.values
        span = values["span"] or "year"
        month = values["month"] or today.replace(day=1)
        if span == "custom":
            start = values["start"] or date(today.year, 1, 1)
            end = values["end"] or today.replace(day=1)
            if end < start:
                self.add_error("end", "截止月份不能早于起始月份")
                start, end = end, start
            return Period.months_from(start, end)
        return {"month": Period.month, "quarter": Period.quarter, "year": Period.year}[span](month)


class BulletinForm(forms.Form):
    month = MonthField(label="通报月份")
    again = forms.BooleanField(label="该月已有通报时重新生成（使用新的文号）", required=False)

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month is None:
            raise forms.ValidationError("请选择通报月份")
        return month


class OverviewForm(forms.Form):
    as_of = forms.DateField(
        label="截至日期",
        error_messages={"required": "请选择截至日期", "invalid": "日期格式应为“年-月-日”"},
    )
