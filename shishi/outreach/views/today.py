"""Staff pages of 党史上的今天 (the city office): the entries by month, an entry's form,
removal and the XLSX import."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.orgs.views.common import paginate, run_action, run_form_action, staff_view
from shishi.outreach import access, actions, forms, queries
from shishi.outreach.actions.today import template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@staff_view
def entry_list(request):
    actor = request.actor
    rows = access.editable_entries(actor)
    form = forms.EntryFilterForm(request.GET)
    filters = form.values
    page = paginate(
        request,
        queries.entry_list(rows, month=filters["month"], q=filters["q"]),
        per_page=50,
        query=form.query(),
    )
    today = timezone.localdate()
    return render(
        request,
        "outreach/today_list.html",
        {
            "page": page,
            "filters": filters,
            "filter_form": form,
            "months": range(1, 13),
            "dates_covered": queries.dates_covered(),
            "today": today,
            "todays": queries.entries_of_day(today.month, today.day),
            "import_form": forms.ImportForm(),
        },
    )


def _entry_form(request, entry=None):
    initial = {}
    if entry is not None:
        initial = {
            "month_day": f"{entry.month:02d}-{entry.day:02d}",
            "year": entry.year,
            "title": entry.title,
            "text": entry.text,
            "source": entry.source,
        }
    return forms.EntryForm(request.POST or None, request.FILES or None, initial=initial)


def _save(request, form, actor, entry=None):
    data = form.cleaned_data

    def save():
        month, day = actions.parse_month_day(data["month_day"])
        return actions.save_entry(
            data=actions.EntryData(
                month=month,
                day=day,
                year=data["year"],
                title=data["title"],
                text=data["text"],
                source=data["source"],
                image=data["image"] or None,
            ),
            actor=actor,
            now=timezone.now(),
            entry=entry,
        )

    return run_form_action(
        request,
        form,
        save,
        success=lambda done: f"已保存：{done}",
        back=lambda done: f"{reverse('outreach:today')}?month={done.month}",
    )


@staff_view
def entry_new(request):
    actor = request.actor
    access.editable_entries(actor)
    form = _entry_form(request)
    if request.method == "POST" and form.is_valid() and (done := _save(request, form, actor)):
        return done
    return render(request, "outreach/today_form.html", {"form": form, "title": "新增条目"})


@staff_view
def entry_edit(request, pk: int):
    actor = request.actor
    entry = access.access_entry(actor, pk)
    form = _entry_form(request, entry)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save(request, form, actor, entry))
    ):
        return done
    return render(
        request, "outreach/today_form.html", {"form": form, "title": "修改条目", "entry": entry}
    )


@staff_view
@require_POST
def entry_remove(request, pk: int):
    actor = request.actor
    entry = access.access_entry(actor, pk)
    return run_action(
        request,
        lambda: actions.remove_entry(entry=entry, actor=actor, now=timezone.now()),
        success=f"已删除：{entry}",
        back=reverse("outreach:today"),
    )


@staff_view
@require_POST
def entry_import(request):
    """XLSX: all rows or none; the refusal names every bad row."""
    actor = request.actor
    access.editable_entries(actor)
    form = forms.ImportForm(request.POST, request.FILES)
    return run_action(
        request,
        lambda: actions.import_entries(
            upload=form.cleaned_data["file"], actor=actor, now=timezone.now()
        ),
        form=form,
        invalid="请选择要导入的 Excel 文件",
        success=lambda done: f"导入完成：新增{done[0]}条，更新{done[1]}条",
        back=reverse("outreach:today"),
    )


@staff_view
def entry_template(request):
    """The import template (header and an example row)."""
    access.editable_entries(request.actor)
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''today-template.xlsx"
    return response
