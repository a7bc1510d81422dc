"""Staff pages of the project ledger."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.appeals.access import access_appeal
from shishi.core import kept
from shishi.core import queries as core_queries
from shishi.core.errors import Refused
from shishi.orgs.access import access_unit, require, visible_units
from shishi.orgs.actions import record_export
from shishi.orgs.notify import ref
from shishi.orgs.queries import active_units, ranking_groups
from shishi.orgs.views.common import paginate, run_action, run_form_action, staff_view
from shishi.projects import actions, forms, ledger, metrics, queries
from shishi.projects.access import (
    Perm,
    access_milestone,
    access_project,
    access_rating,
    leads,
    visible_projects,
    visible_ratings,
)
from shishi.projects.allowed import allowed_actions, status_targets
from shishi.projects.models import PROGRESS_BANDS, Area, ProjectLevel, Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _data(form) -> actions.ProjectData:
    cleaned = dict(form.cleaned_data)
    cleaned["co_units"] = list(cleaned["co_units"])
    return actions.ProjectData(**cleaned)


@staff_view
def project_list(request):
    actor = request.actor
    today = timezone.localdate()
    form = forms.StaffProjectFilterForm(request.GET)
    filters = form.values
    projects = visible_projects(actor)
    unit = access_unit(actor, filters["unit"]) if filters["unit"] else None
    listed = queries.apply_filters(projects, filters, today=today, unit=unit)
    page = paginate(request, listed, per_page=30, query=form.query())
    return render(
        request,
        "projects/list.html",
        {
            "page": page,
            "filters": filters,
            "filter_form": form,
            "areas": Area.choices,
            "levels": ProjectLevel.choices,
            "statuses": Status.choices,
            "progress_bands": [(code, band[0]) for code, band in PROGRESS_BANDS.items()],
            "unit_filter": unit,
            "counts": queries.status_counts(projects),
            "can_run": actor.can(Perm.RUN),
            "can_import": actor.can(Perm.IMPORT),
            "today": today,
            "can_export": actor.can(Perm.EXPORT),
            "query": page.query,
        },
    )


def _filtered(actor, projects, filters, *, today):
    """The staff list's rows, the same for the page and its export."""
    unit = access_unit(actor, filters["unit"]) if filters["unit"] else None
    return queries.apply_filters(projects, filters, today=today, unit=unit)


@staff_view
def project_new(request):
    actor = request.actor
    require(actor, Perm.RUN)
    appeals = [
        access_appeal(actor, code)
        for code in request.GET.getlist("appeal") + request.POST.getlist("appeal")
    ]
    units = active_units(visible_units(actor))
    initial = {"lead_unit": actor.unit}
    if appeals:
        initial |= {
            "source": "hotspot",
            "title": appeals[0].title,
            "targets": "解决群众反映的问题：" + "；".join(a.title for a in appeals),
        }
    form = forms.ProjectForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_form_action(
            request,
            form,
            lambda: actions.create_project(
                actor=actor,
                data=_data(form),
                now=timezone.now(),
                appeals=list({a.pk: a for a in appeals}.values()),
            ),
            success=lambda project: f"已登记项目 {project.code}，请设置实施节点后提交审核",
            back=_page,
        )
        if done:
            return done
    return render(
        request, "projects/form.html", {"form": form, "project": None, "appeals": appeals}
    )


@staff_view
def project_edit(request, code: str):
    actor = request.actor
    project = access_project(actor, code, perm=Perm.RUN, lead=True)
    units = active_units(visible_units(actor))
    initial = {name: getattr(project, name) for name in actions.SCALAR_FIELDS}
    initial["co_units"] = list(queries.co_units(project))
    form = forms.ProjectForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_form_action(
            request,
            form,
            lambda: actions.update_project(
                actor=actor, project=project, data=_data(form), now=timezone.now()
            ),
            success="已保存",
            back=_page(project),
        )
        if done:
            return done
    return render(request, "projects/form.html", {"form": form, "project": project})


@staff_view
def project_sms(request, code: str):
    """htmx: whether the SMS about the project arrived (短信已送达 / 发送失败), under its
    timeline — loaded after the page, which keeps within its query budget."""
    project = access_project(request.actor, code)
    deliveries = core_queries.sms_deliveries(ref(project))
    return render(request, "includes/sms_deliveries.html", {"sms_deliveries": deliveries})


@staff_view
def project_detail(request, code: str):
    actor = request.actor
    project = access_project(actor, code)
    is_lead = leads(actor, project) and actor.can(Perm.RUN)
    milestones, objections = list(queries.milestones(project)), list(queries.objections(project))
    running = is_lead and project.status == Status.IN_PROGRESS
    slots = list(queries.slots_to_file(project)) if running else []
    allowed = allowed_actions(
        actor, project, milestones=milestones, objections=objections, slots=slots
    )
    photos, documents = queries.evidence(project)
    reports = list(queries.reports(project))
    for report in reports:  # what the leader approves, photos included
        report.report_photos = [p for p in photos if p.report_id == report.pk]
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "milestones": milestones,
            "reports": reports,
            "slots": slots,
            "events": queries.timeline(project),
            "objections": objections,
            "photos": photos,
            "documents": documents,
            "linked_appeals": queries.linked_appeals(project),
            "co_units": queries.co_units(project),
            "today": timezone.localdate(),
            "is_lead": is_lead,
            "is_leader": is_lead and actor.can(Perm.REVIEW_REPORT),
            "allowed": allowed,
            "milestone_form": forms.MilestoneForm(),
            "slot_forms": [_report_form(request, project, slot) for slot in slots],
            "completion_form": forms.CompletionForm(),
            "decision_form": forms.DecisionForm(),
            "status_form": forms.StatusRequestForm(targets=status_targets(project)),
            "answer_form": forms.AnswerForm(),
        },
    )


def _page(project) -> str:
    return reverse("projects:detail", args=[project.code])


def _running(request, code: str, *, perm: str = Perm.RUN):
    """A project the actor's unit leads, for its own work (404 for others, 403 without perm)."""
    return access_project(request.actor, code, perm=perm, lead=True)


def _supervising(request, code: str):
    """A project the actor's unit supervises, for approvals (403 for the lead unit itself)."""
    return access_project(request.actor, code, perm=Perm.APPROVE, supervise=True)


@staff_view
@require_POST
def transition(request, code: str, step: str):
    """The simple steps: submit, disclose, start."""
    actor, now = request.actor, timezone.now()
    steps = {
        "submit": (actions.submit_project, "已提交审核"),
        "disclose": (actions.disclose_project, "已开始公示"),
        "start": (actions.start_project, "项目已开工"),
    }
    if step not in steps:
        raise Http404("没有该操作")
    project = _running(request, code)
    do, done = steps[step]
    return run_action(
        request,
        lambda: do(actor=actor, project=project, now=now),
        success=done,
        back=_page(project),
    )


@staff_view
@require_POST
def decide(request, code: str, step: str):
    """A supervising unit's decisions: review (审核), acceptance (验收), status requests."""
    actor, now = request.actor, timezone.now()
    steps = {
        "review": actions.review_project,
        "accept": actions.accept_project,
        "status": actions.decide_status,
    }
    form = forms.DecisionForm(request.POST)
    if form.is_valid() and step not in steps:
        raise Http404("没有该操作")
    project = _supervising(request, code)
    return run_action(
        request,
        lambda: steps[step](
            actor=actor,
            project=project,
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
            now=now,
        ),
        form=form,
        success="已处理",
        back=_page(project),
    )


@staff_view
@require_POST
def milestone_add(request, code: str):
    project = _running(request, code)
    form = forms.MilestoneForm(request.POST)
    return run_action(
        request,
        lambda: actions.add_milestone(
            actor=request.actor, project=project, now=timezone.now(), **form.cleaned_data
        ),
        form=form,
        success="已增加节点",
        back=_page(project),
    )


@staff_view
@require_POST
def milestone_done(request, code: str, pk: int):
    project = _running(request, code)
    milestone = access_milestone(project, pk)
    return run_action(
        request,
        lambda: actions.complete_milestone(
            actor=request.actor, milestone=milestone, now=timezone.now()
        ),
        success="节点已完成",
        back=_page(project),
    )


@staff_view
@require_POST
def milestone_remove(request, code: str, pk: int):
    project = _running(request, code)
    milestone = access_milestone(project, pk)
    return run_action(
        request,
        lambda: actions.remove_milestone(
            actor=request.actor, milestone=milestone, now=timezone.now()
        ),
        success="已删除节点",
        back=_page(project),
    )


@staff_view
@require_POST
def report_file(request, code: str, slot: int):
    """File a period's progress report. If it fails, what was typed and the photos chosen
    are kept (core.kept) and the project page shows them again."""
    project = _running(request, code)
    form = forms.ReportForm(request.POST, request.FILES)
    key = _report_form_key(project, slot)
    most = form.fields["files"].max_count
    filed = []

    def do():
        period = queries.slot_of(project, slot)
        if period is None:
            raise Refused("没有该报送期")
        data = form.cleaned_data
        photos = [*kept.kept(request.session, form=key), *data["files"]][:most]
        filed.append(
            actions.file_report(
                actor=request.actor,
                project=project,
                slot=period,
                text=data["text"],
                percent=data["percent"],
                problems=data["problems"],
                next_steps=data["next_steps"],
                files=photos,
                now=timezone.now(),
            )
        )

    response = run_action(
        request, do, form=form, success="进度已报送，等待负责人审核", back=_page(project)
    )
    if filed:
        kept.forget(request.session, form=key)
    else:
        kept.remember_form(request.session, form=key, data=request.POST)
        if "files" not in form.errors:
            files = form.cleaned_data.get("files") or []
            kept.keep(request.session, form=key, files=files, limit=most)
    return response


def _report_form(request, project, slot) -> tuple:
    """(slot, its report form, names of photos kept) — the form filled with what was typed
    into it before it failed, with its errors, so nothing typed is lost."""
    key = _report_form_key(project, slot.pk)
    typed = kept.recall_form(request.session, form=key)
    form = forms.ReportForm(typed) if typed is not None else forms.ReportForm()
    return slot, form, kept.kept_names(request.session, form=key)


def _report_form_key(project, slot: int) -> str:
    return f"progress-report:{project.pk}:{slot}"


@staff_view
@require_POST
def report_review(request, code: str, pk: int):
    project = _running(request, code, perm=Perm.REVIEW_REPORT)
    form = forms.DecisionForm(request.POST)

    def do():
        report = queries.report_of(project, pk)
        if report is None:
            raise Refused("没有该报告")
        actions.review_report(
            actor=request.actor,
            report=report,
            now=timezone.now(),
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
        )

    return run_action(request, do, form=form, success="已审核报告", back=_page(project))


@staff_view
@require_POST
def complete(request, code: str):
    project = _running(request, code)
    form = forms.CompletionForm(request.POST, request.FILES)
    return run_action(
        request,
        lambda: actions.complete_project(
            actor=request.actor,
            project=project,
            note=form.cleaned_data["note"],
            evidence=form.evidence(),
            now=timezone.now(),
        ),
        form=form,
        success="已申报完成，等待验收",
        back=_page(project),
    )


@staff_view
@require_POST
def status_request(request, code: str):
    project = _running(request, code)
    form = forms.StatusRequestForm(request.POST)
    return run_action(
        request,
        lambda: actions.request_status(
            actor=request.actor, project=project, now=timezone.now(), **form.cleaned_data
        ),
        form=form,
        success="已提交申请，等待上级审批",
        back=_page(project),
    )


@staff_view
@require_POST
def objection_answer(request, code: str, pk: int):
    project = _running(request, code)
    form = forms.AnswerForm(request.POST)

    def do():
        objection = queries.objection_of(project, pk)
        if objection is None:
            raise Refused("没有该异议")
        actions.answer_objection(
            actor=request.actor,
            objection=objection,
            answer=form.cleaned_data["answer"],
            now=timezone.now(),
        )

    return run_action(request, do, form=form, success="已答复异议", back=_page(project))


@staff_view
def ratings(request):
    actor = request.actor
    pending = request.GET.get("show", "pending") == "pending"
    rows = queries.ratings_to_moderate(visible_ratings(actor), pending=pending)
    return render(request, "projects/ratings.html", {"ratings": rows[:200], "pending": pending})


@staff_view
@require_POST
def rating_moderate(request, pk: int):
    actor = request.actor
    rating = access_rating(actor, pk)
    return run_action(
        request,
        lambda: actions.moderate_rating(
            actor=actor, rating=rating, show=request.POST.get("show") == "1", now=timezone.now()
        ),
        success="已处理",
        back="projects:ratings",
    )


@staff_view
def ledger_template(request):
    require(request.actor, Perm.VIEW)
    return FileResponse(
        ledger.template(), as_attachment=True, filename="实事项目清单模板.xlsx", content_type=XLSX
    )


@staff_view
def ledger_export(request):
    actor = request.actor
    require(actor, Perm.EXPORT)
    form = forms.StaffProjectFilterForm(request.GET)
    listed = _filtered(actor, visible_projects(actor), form.values, today=timezone.localdate())
    record_export(actor=actor, what="实事项目清单（XLSX）", filters=form.query())
    return FileResponse(
        ledger.export(listed),
        as_attachment=True,
        content_type=XLSX,
        filename=f"实事项目清单-{timezone.localdate():%Y%m%d}.xlsx",
    )


@staff_view
def ledger_import(request):
    actor = request.actor
    require(actor, Perm.IMPORT)
    form = forms.LedgerUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            result = ledger.import_ledger(actor=actor, data=data, now=timezone.now())
        except ledger.LedgerRejected as rejected:
            token = ledger.keep_annotated(rejected.workbook) if rejected.workbook else ""
            request.session["ledger_errors"] = token
            context |= {
                "errors": rejected.errors[:500],
                "error_total": len(rejected.errors),
                "summary": rejected.message,
                "token": token,
            }
        except Refused as refusal:
            form.add_error("file", refusal.message)
        else:
            messages.success(
                request,
                f"导入完成：新增 {result.created} 个，更新 {result.updated} 个，"
                f"未变 {result.unchanged} 个",
            )
            return redirect("projects:list")
    return render(request, "projects/import.html", context)


@staff_view
def ledger_errors(request, token: str):
    """The rejected workbook, annotated — only for the session that uploaded it."""
    require(request.actor, Perm.IMPORT)
    if not token or request.session.get("ledger_errors") != token:
        raise Http404("标注文件已失效，请重新导入")
    path = ledger.annotated_path(token)
    if not path.exists():
        raise Http404("标注文件已失效，请重新导入")
    return FileResponse(
        path.open("rb"), as_attachment=True, content_type=XLSX, filename="项目清单-错误标注.xlsx"
    )


@staff_view
def attachment(request, code: str, pk: int):
    """A project's photo or document, for staff who may see the project."""
    project = access_project(request.actor, code)
    return _file(queries.attachment_of(project, pk))


def _file(item):
    if item is None:
        raise Http404("没有找到该文件")
    return FileResponse(item.file.open("rb"), content_type=item.content_type)


@staff_view
def ranking(request):
    """Peer units side by side: completion, reporting, milestones, the public's rating."""
    actor = request.actor
    require(actor, Perm.VIEW)
    groups = ranking_groups(visible_units(actor), root=actor.unit)
    group = (
        request.GET.get("group") if request.GET.get("group") in groups else next(iter(groups), "")
    )
    rows = metrics.by_nodes(
        list(groups.get(group, {}).get("units", [])), today=timezone.localdate()
    )
    return render(
        request, "projects/ranking.html", {"rows": rows, "groups": groups, "group": group}
    )
