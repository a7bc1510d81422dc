"""Staff pages of 部署任务: the directives, the form that deploys one, a directive's coverage
and its assignments, a unit's own assignments (我的任务) and the page where it reports and the
issuer approves or returns; study sessions (学习活动) and 三个一."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.campaign import access, actions, forms, queries
from shishi.campaign.access import Perm
from shishi.campaign.allowed import Step, allowed_actions, may_close
from shishi.campaign.models import Directive, StudySession
from shishi.core import kept, uploads
from shishi.core.forms import number_param
from shishi.orgs.access import access_unit, require, visible_units
from shishi.orgs.models import Unit
from shishi.orgs.queries import active_units, ancestors
from shishi.orgs.views.common import paginate, run_action, run_form_action, staff_view


def _directive_page(directive) -> str:
    return reverse("campaign:directive", args=[directive.pk])


def _assignment_page(assignment) -> str:
    return reverse("campaign:assignment", args=[assignment.pk])


def _report_key(assignment) -> str:
    """Where a failed report's text and files wait for the next try (core.kept)."""
    return f"campaign-report:{assignment.pk}"


@staff_view
def directive_list(request):
    """部署任务: the directives the actor sees, with how far their own subtree has got."""
    actor, today = request.actor, timezone.localdate()
    form = forms.DirectiveFilterForm(request.GET)
    filters = form.values
    listed = queries.directive_list(
        access.visible_directives(actor), status=filters["status"], q=filters["q"]
    )
    page = paginate(request, listed, per_page=20, query=form.query())
    page.object_list = list(page.object_list)
    coverage = queries.coverage_of(page.object_list, today=today, within=actor.scope_path)
    rows = [(directive, coverage[directive.pk]) for directive in page.object_list]
    return render(
        request,
        "campaign/list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "filter_form": form,
            "statuses": Directive.Status.choices,
            "can_issue": actor.can(Perm.ISSUE),
            "today": today,
        },
    )


@staff_view
def directive_new(request):
    """部署新任务: to the actor's unit's subtree, by kind of unit."""
    actor = request.actor
    require(actor, Perm.ISSUE)
    form = forms.DirectiveForm(
        request.POST or None,
        request.FILES or None,
        units=active_units(visible_units(actor)),
        top=actor.unit,
        initial={"target_root": actor.unit},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.issue_directive(
                data=actions.DirectiveData(
                    title=data["title"],
                    content=data["content"],
                    days=data["days"],
                    evidence=data["evidence"],
                    target_root=data["target_root"],
                    target_kinds=tuple(data["target_kinds"]),
                    files=data["files"],
                ),
                actor=actor,
                now=timezone.now(),
            ),
            success=lambda directive: (
                f"任务已部署，下达到 {queries.reached(directive)} 个单位，已短信通知各单位"
            ),
            back=_directive_page,
        )
        if done:
            return done
    return render(request, "campaign/new.html", {"form": form})


@staff_view
def target_count(request):
    """The form's live count: how many units the chosen range and kinds reach (htmx)."""
    actor = request.actor
    require(actor, Perm.ISSUE)
    root = number_param(request.GET.get("target_root"))
    count = None
    if root is not None:
        unit = access_unit(actor, root)
        kinds = [k for k in request.GET.getlist("target_kinds") if k in Unit.Kind.values]
        count = queries.targets(unit, kinds, issuer=actor.unit).count()
    return render(request, "campaign/_target_count.html", {"count": count})


@staff_view
def directive_detail(request, pk: int):
    """A directive: what it asks, coverage by level under the actor's unit (or a unit below
    it, `?unit=`), what is late, and the assignments the actor sees."""
    actor, today = request.actor, timezone.localdate()
    directive = access.access_directive(actor, pk)
    form = forms.DirectiveAssignmentFilterForm(request.GET)
    filters = form.values
    unit = access_unit(actor, filters["unit"]) if filters["unit"] else actor.unit
    rows = queries.filter_assignments(
        access.visible_assignments(actor, directive),
        status=filters["status"],
        under=unit if filters["unit"] else None,
        today=today,
    )
    page = paginate(request, queries.directive_assignments(rows), per_page=30, query=form.query())
    late = queries.late(directive, today=today, within=unit.path)
    return render(
        request,
        "campaign/directive.html",
        {
            "directive": directive,
            "attachments": queries.directive_files(directive),
            "unit": unit,
            "trail": ancestors(unit, within=actor.scope_path) if filters["unit"] else [],
            "levels": queries.by_level(directive, unit, today=today),
            "total": queries.total(directive, today=today, within=unit.path),
            "late": list(late[:50]),
            "page": page,
            "filters": filters,
            "filter_form": form,
            "statuses": forms.ASSIGNMENT_STATUSES,
            "can_close": may_close(actor, directive),
            "today": today,
            "query": form.query(without=("status",)),
        },
    )


@staff_view
@require_POST
def directive_close(request, pk: int):
    actor = request.actor
    directive = access.access_directive(actor, pk)
    require(actor, Perm.ISSUE)
    return run_action(
        request,
        lambda: actions.close_directive(directive=directive, actor=actor, now=timezone.now()),
        success="任务已结束，不再接受报送和审核",
        back=_directive_page(directive),
    )


@staff_view
def my_assignments(request):
    """我的任务: the actor's unit's assignments, by status, nearest due first."""
    actor, today = request.actor, timezone.localdate()
    require(actor, Perm.REPORT)
    form = forms.AssignmentFilterForm(request.GET)
    filters = form.values
    rows = queries.filter_assignments(
        queries.queue(actor.unit), status=filters["status"], today=today
    )
    page = paginate(request, rows, per_page=30, query=form.query())
    return render(
        request,
        "campaign/mine.html",
        {
            "page": page,
            "filters": filters,
            "filter_form": form,
            "tabs": [("", "全部"), *forms.ASSIGNMENT_STATUSES],
            "counts": queries.queue_counts(actor.unit, today=today),
            "today": today,
        },
    )


@staff_view
def assignment_detail(request, pk: int):
    """One unit's assignment: the report, its evidence, the timeline, and the steps the
    actor may take now (报送 for the unit, 审核通过/退回 for the issuer)."""
    actor = request.actor
    assignment = access.access_assignment(actor, pk)
    allowed = allowed_actions(actor, assignment)
    report_form = kept_files = None
    if Step.SUBMIT in allowed:
        key = _report_key(assignment)
        typed = kept.recall_form(request.session, form=key)
        report_form = forms.ReportForm(typed) if typed is not None else forms.ReportForm()
        kept_files = kept.kept_names(request.session, form=key)
    return render(
        request,
        "campaign/assignment.html",
        {
            "assignment": assignment,
            "directive": assignment.directive,
            "attachments": queries.directive_files(assignment.directive),
            "evidence": queries.evidence(assignment),
            "events": queries.timeline(assignment),
            "allowed": allowed,
            "report_form": report_form,
            "kept_files": kept_files,
            "return_form": forms.ReturnForm(),
            "today": timezone.localdate(),
        },
    )


@staff_view
@require_POST
def assignment_report(request, pk: int):
    """报送. If it fails, what was typed and the files chosen are kept (core.kept) and the
    page shows them again; the next submit adds the kept files."""
    actor = request.actor
    assignment = access.access_assignment(actor, pk)
    access.require_report(actor, assignment)
    form = forms.ReportForm(request.POST, request.FILES)
    key = _report_key(assignment)
    most = form.fields["files"].max_count
    submitted = []

    def do():
        data = form.cleaned_data
        files = [*kept.kept(request.session, form=key), *data["files"]][:most]
        submitted.append(
            actions.submit_assignment(
                assignment=assignment,
                actor=actor,
                report=actions.Report(text=data["text"], files=files),
                now=timezone.now(),
            )
        )

    response = run_action(
        request,
        do,
        form=form,
        invalid=_unshown_errors(form),
        success="已报送，等待部署单位审核",
        back=_assignment_page(assignment),
    )
    if submitted:
        kept.forget(request.session, form=key)
    else:
        kept.remember_form(request.session, form=key, data=request.POST)
        if "files" not in form.errors:
            chosen = form.cleaned_data.get("files") or []
            kept.keep(request.session, form=key, files=chosen, limit=most)
    return response


def _unshown_errors(form) -> str:
    """A failed report's message: what the form shown again cannot say itself (a browser
    does not put files back, so their errors go here), else where to look."""
    return "；".join(form.errors.get("files", [])) or "没有报送，请按提示修改后再报送"


@staff_view
@require_POST
def assignment_approve(request, pk: int):
    actor = request.actor
    assignment = access.access_assignment(actor, pk)
    access.require_review(actor, assignment)
    return run_action(
        request,
        lambda: actions.approve_assignment(assignment=assignment, actor=actor, now=timezone.now()),
        success=f"已审核通过：{assignment.unit.name}完成该任务",
        back=_assignment_page(assignment),
    )


@staff_view
@require_POST
def assignment_return(request, pk: int):
    actor = request.actor
    assignment = access.access_assignment(actor, pk)
    access.require_review(actor, assignment)
    form = forms.ReturnForm(request.POST)
    return run_action(
        request,
        lambda: actions.return_assignment(
            assignment=assignment,
            actor=actor,
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        ),
        form=form,
        success=lambda done: f"已退回{done.unit.name}，重新报送期限 {done.due:%Y-%m-%d}",
        back=_assignment_page(assignment),
    )


@staff_view
def directive_file(request, pk: int, file: int):
    """A directive's attachment, for staff who see the directive (never straight from MEDIA)."""
    directive = access.access_directive(request.actor, pk)
    return uploads.serve(queries.directive_file(directive, file))


@staff_view
def evidence_file(request, pk: int, file: int):
    """A file of evidence, for staff who may see the assignment (never straight from MEDIA)."""
    assignment = access.access_assignment(request.actor, pk)
    return uploads.serve(queries.evidence_of(assignment, file))


# --- 学习活动 ---------------------------------------------------------------------------------


def _session_page(session) -> str:
    return reverse("campaign:study_detail", args=[session.pk])


@staff_view
def study_list(request):
    """学习活动: the sessions of the actor's subtree by kind, mode (五学), unit and dates, with
    how many by kind, by mode and per subtree below."""
    actor = request.actor
    form = forms.StudyFilterForm(request.GET)
    filters = form.values
    unit = access_unit(actor, filters["unit"]) if filters["unit"] else actor.unit
    rows = queries.filter_sessions(
        access.visible_sessions(actor),
        kind=filters["kind"],
        mode=filters["mode"],
        under=unit if filters["unit"] else None,
        start=filters["start"],
        end=filters["end"],
    )
    page = paginate(request, queries.session_list(rows), per_page=30, query=form.query())
    return render(
        request,
        "campaign/study_list.html",
        {
            "page": page,
            "unit": unit,
            "filters": filters,
            "filter_form": form,
            "kinds": StudySession.Kind.choices,
            "modes": StudySession.Mode.choices,
            "counts": queries.session_counts(rows),
            "by_unit": queries.sessions_by_unit(rows, unit),
            "unit_query": form.query(without=("unit",)),
            "kind_query": form.query(without=("kind",)),
            "can_record": actor.can(Perm.STUDY),
        },
    )


@staff_view
def study_new(request):
    """登记学习活动 for a unit of the actor's subtree (`?unit=`, the actor's own by default):
    its members are the attendees to tick."""
    actor = request.actor
    require(actor, Perm.STUDY)
    chosen = forms.StudyUnitForm(request.GET).values["unit"]
    unit = access_unit(actor, chosen) if chosen else actor.unit
    form = forms.StudySessionForm(
        request.POST or None,
        request.FILES or None,
        members=queries.unit_members(unit),
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.record_session(
                data=actions.SessionData(
                    unit=unit,
                    kind=data["kind"],
                    mode=data["mode"],
                    held_on=data["held_on"],
                    topic=data["topic"],
                    place=data["place"],
                    attendees=tuple(data["attendees"]),
                    extra_attendees=data["extra_attendees"] or 0,
                    minutes=data["minutes"],
                    files=data["files"],
                ),
                actor=actor,
                now=timezone.now(),
            ),
            success=lambda session: f"已登记：{session.topic}",
            back=_session_page,
        )
        if done:
            return done
    return render(
        request,
        "campaign/study_new.html",
        {
            "form": form,
            "unit": unit,
            "units": active_units(visible_units(actor)).order_by("path"),
        },
    )


@staff_view
def study_detail(request, pk: int):
    """A session: what was studied, who attended, the minutes and the files."""
    actor = request.actor
    session = access.access_session(actor, pk)
    return render(
        request,
        "campaign/study_detail.html",
        {
            "session": session,
            "attendees": queries.attendees(session),
            "files": queries.session_files(session),
            "can_remove": access.may_remove_session(actor, session),
            "can_raise": session.kind == StudySession.Kind.LIFE_MEETING
            and access.may_raise(actor, session.unit),
            "items": queries.rectification_list(
                access.visible_rectifications(actor).filter(session=session)
            )
            if session.kind == StudySession.Kind.LIFE_MEETING
            else [],
        },
    )


@staff_view
@require_POST
def study_remove(request, pk: int):
    actor = request.actor
    session = access.access_session(actor, pk)
    access.require_remove_session(actor, session)
    return run_action(
        request,
        lambda: actions.remove_session(session=session, actor=actor, now=timezone.now()),
        success=f"已删除学习活动：{session.topic}",
        back=reverse("campaign:study"),
    )


@staff_view
def study_file(request, pk: int, file: int):
    """A session's file, for staff who may see the session (never straight from MEDIA)."""
    session = access.access_session(request.actor, pk)
    return uploads.serve(queries.session_file(session, file))


@staff_view
def three_ones(request):
    """三个一: which party branches under the actor's unit (or `?unit=` below it) held a
    主题党日, a 专题党课 and a 重温入党誓词 in the year, and which have not yet."""
    actor = request.actor
    require(actor, Perm.VIEW)
    form = forms.ThreeOnesFilterForm(request.GET)
    filters = form.values
    unit = access_unit(actor, filters["unit"]) if filters["unit"] else actor.unit
    today = timezone.localdate()
    year = filters["year"] or today.year
    three = queries.three_ones(unit, year)
    return render(
        request,
        "campaign/three.html",
        {
            "three": three,
            "unit": unit,
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "filter_form": form,
            "branches": [(branch, three.of(branch)) for branch in three.branches],
            "labels": [StudySession.Kind(kind).label for kind in queries.THREE_ONES],
        },
    )
