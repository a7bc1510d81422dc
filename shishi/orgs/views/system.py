"""Staff pages of the system section: the working-day calendar and the audit log."""

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.core import actions as core_actions
from shishi.core import workdays
from shishi.core.downloads import csv_download
from shishi.core.forms import StyledForm, number_param
from shishi.core.models import HolidayOverride
from shishi.orgs import actions, queries
from shishi.orgs.access import Perm, require
from shishi.orgs.forms import AuditFilterForm
from shishi.orgs.navigation import audit_sources
from shishi.orgs.views.common import paginate, run_action, staff_view


class CalculatorForm(StyledForm):
    start = forms.DateField(
        label="起算日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    days = forms.IntegerField(label="工作日数", min_value=0, max_value=250)


class OverrideForm(StyledForm):
    day = forms.DateField(
        label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    is_workday = forms.TypedChoiceField(
        label="安排", coerce=lambda v: v == "1", choices=[("0", "放假"), ("1", "上班（调休补班）")]
    )
    note = forms.CharField(label="说明", max_length=60, required=False)


def _special_days(year: int) -> list[tuple[date, bool]]:
    """Dates of `year` that differ from plain weekdays: holidays and make-up workdays."""
    day, end, result = date(year, 1, 1), date(year, 12, 31), []
    while day <= end:
        workday = workdays.is_workday(day)
        if workday != (day.weekday() < 5):
            result.append((day, workday))
        day += timedelta(days=1)
    return result


@staff_view
def calendar(request):
    actor = request.actor
    require(actor, Perm.VIEW)
    today = timezone.localdate()
    year = number_param(request.GET.get("year"))
    year = year if year is not None and 1900 <= year <= 2999 else today.year
    year = min(max(year, 2004), today.year + 5)
    calculator = CalculatorForm(
        request.GET if "start" in request.GET else None, initial={"start": today, "days": 5}
    )
    result = None
    if calculator.is_bound and calculator.is_valid():
        start, days = calculator.cleaned_data["start"], calculator.cleaned_data["days"]
        result = {"deadline": workdays.deadline(start, days), "start": start, "days": days}
    return render(
        request,
        "staff/calendar.html",
        {
            "year": year,
            "years": range(today.year - 2, today.year + 3),
            "source": workdays.year_source(year),
            "special_days": _special_days(year),
            "overrides": HolidayOverride.objects.filter(date__year=year),
            "calculator": calculator,
            "result": result,
            "override_form": OverrideForm(),
            "can_manage": actor.can(Perm.MANAGE_CALENDAR),
            "confirmation": queries.calendar_confirmation(year),
        },
    )


@staff_view
@require_POST
def calendar_override(request):
    require(request.actor, Perm.MANAGE_CALENDAR)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写正确的日期和安排")
        return redirect("staff:calendar")
    data = form.cleaned_data
    core_actions.set_holiday_override(
        by=request.user, day=data["day"], is_workday=data["is_workday"], note=data["note"]
    )
    messages.success(
        request, f"已设置 {data['day']:%Y-%m-%d} 为{'上班' if data['is_workday'] else '放假'}"
    )
    return redirect(f"{reverse('staff:calendar')}?year={data['day'].year}")


@staff_view
@require_POST
def calendar_override_delete(request, pk: int):
    require(request.actor, Perm.MANAGE_CALENDAR)
    override = get_object_or_404(HolidayOverride, pk=pk)
    year = override.date.year
    core_actions.delete_holiday_override(by=request.user, override=override)
    messages.success(request, "已删除该调整")
    return redirect(f"{reverse('staff:calendar')}?year={year}")


def _audit(request):
    """The audit page's source, filters and filtered entries (the page and its export)."""
    actor = request.actor
    require(actor, Perm.VIEW_AUDIT)
    sources = audit_sources()
    form = AuditFilterForm(request.GET, sources=sources)
    filters = form.values
    source = next(s for s in sources if s.key == filters["source"])
    entries = source.entries(actor)
    filtered = queries.filter_audit(
        entries,
        q=filters["q"],
        verb=filters["verb"],
        since=filters["since"],
        until=filters["until"],
        search=source.search,
    )
    return form, source, entries, filtered


@staff_view
def audit_log(request):
    form, source, entries, filtered = _audit(request)
    return render(
        request,
        "staff/audit.html",
        {
            "page": paginate(request, filtered, per_page=50, query=form.query()),
            "filters": form.values,
            "filter_form": form,
            "verbs": queries.audit_verbs(entries),
            "sources": audit_sources(),
            "source": source,
            "export_query": form.query(),
        },
    )


@staff_view
def audit_export(request):
    """The audit log as filtered on the page, as CSV (streamed; itself an audit entry)."""
    form, source, _, filtered = _audit(request)
    actions.record_export(
        actor=request.actor, what=f"审计日志（{source.label}）", filters=form.query()
    )
    header = ["时间", "操作人", "动作", "对象", "说明"]
    tz = timezone.get_current_timezone()
    rows = (
        [
            e.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_label,
            e.get_verb_display(),
            getattr(e, "target_text", "") or "",
            e.note,
        ]
        for e in filtered.iterator(chunk_size=2000)
    )
    return csv_download(header, rows, filename=f"audit-{timezone.localdate():%Y%m%d}.csv")


@staff_view
@require_POST
def calendar_confirm(request, year: int):
    """The administrator says the year's holidays are all entered (or takes it back)."""
    require(request.actor, Perm.MANAGE_CALENDAR)
    confirmed = request.POST.get("confirmed") == "1"
    return run_action(
        request,
        lambda: core_actions.confirm_calendar_year(by=request.user, year=year, confirmed=confirmed),
        success=f"已{'确认' if confirmed else '撤销确认'}{year}年的放假安排",
        back=f"{reverse('staff:calendar')}?year={year}",
    )
