"""Staff pages of 宣讲: the lectures (filters, search, sort, pages, totals per area), a
lecture's form and page; the lecture teams with their totals, a team's form and page."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.core.masking import mask_phone
from shishi.orgs.access import access_unit, require, visible_units
from shishi.orgs.views.common import paginate, run_action, run_form_action, staff_view
from shishi.outreach import access, actions, forms, queries
from shishi.outreach.access import Perm
from shishi.outreach.models import Lecture, LectureTeam


def _lecture_page(lecture) -> str:
    return reverse("outreach:lecture", args=[lecture.pk])


def _team_page(team) -> str:
    return reverse("outreach:team", args=[team.pk])


@staff_view
def lecture_list(request):
    """宣讲活动: the lectures the actor sees, by words, team, kind, form, status, area and
    dates, sorted as asked; totals and lectures per area (for the city: per county)."""
    actor, now = request.actor, timezone.now()
    form = forms.LectureFilterForm(request.GET)
    filters = form.values
    unit = access_unit(actor, filters["unit"]) if filters["unit"] else actor.unit
    rows = queries.filter_lectures(
        access.visible_lectures(actor),
        now=now,
        q=filters["q"],
        team=filters["team"],
        kind=filters["kind"],
        mode=filters["mode"],
        when=filters["when"],
        under=unit if filters["unit"] else None,
        start=filters["start"],
        end=filters["end"],
    )
    page = paginate(
        request, queries.lecture_list(rows, sort=filters["sort"]), per_page=20, query=form.query()
    )
    return render(
        request,
        "outreach/lecture_list.html",
        {
            "page": page,
            "unit": unit,
            "filters": filters,
            "filter_form": form,
            "totals": queries.lecture_totals(rows, now=now),
            "by_area": queries.lectures_by_area(queries.held(rows, now), unit),
            "area_query": form.query(without=("unit",)),
            "kinds": LectureTeam.Kind.choices,
            "modes": Lecture.Mode.choices,
            "sorts": [(k, v[0]) for k, v in queries.LECTURE_SORTS.items()],
            "now": now,
            "filtered": any(
                filters[k] for k in ("q", "team", "kind", "mode", "when", "start", "end")
            ),
            "can_edit": actor.can(Perm.EDIT),
        },
    )


def _lecture_form(request, actor, *, lecture=None):
    keep = lecture.team_id if lecture else None
    return forms.LectureForm(
        request.POST or None,
        request.FILES or None,
        teams=queries.active_teams(access.visible_teams(actor), keep),
        places=queries.places(actor.unit),
        top=queries.area_of(actor.unit),
        initial=_lecture_initial(request, lecture),
    )


def _lecture_initial(request, lecture) -> dict:
    if lecture is None:
        team = forms.UnitForm({"unit": request.GET.get("team", "")}).values["unit"]
        return {"team": team, "audience": 0, "public": True}
    return {
        "team": lecture.team,
        "topic": lecture.topic,
        "starts_at": timezone.localtime(lecture.starts_at),
        "mode": lecture.mode,
        "place": lecture.place,
        "venue": lecture.venue,
        "audience": lecture.audience,
        "summary": lecture.summary,
        "public": lecture.public,
    }


def _save_lecture(request, form, actor, lecture=None):
    data = form.cleaned_data
    return run_form_action(
        request,
        form,
        lambda: actions.save_lecture(
            data=actions.LectureData(
                team=data["team"],
                topic=data["topic"],
                starts_at=data["starts_at"],
                place=data["place"],
                mode=data["mode"],
                venue=data["venue"],
                audience=data["audience"],
                summary=data["summary"],
                public=data["public"],
                photos=data["photos"],
            ),
            actor=actor,
            now=timezone.now(),
            lecture=lecture,
        ),
        success=lambda done: f"已保存：{done.topic}",
        back=_lecture_page,
    )


@staff_view
def lecture_new(request):
    """登记宣讲活动 (or announce one still to come) for a team of the subtree."""
    actor = request.actor
    require(actor, Perm.EDIT)
    form = _lecture_form(request, actor)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_lecture(request, form, actor))
    ):
        return done
    return render(
        request,
        "outreach/lecture_form.html",
        {"form": form, "title": "登记宣讲活动", "no_teams": not form.fields["team"].queryset},
    )


@staff_view
def lecture_edit(request, pk: int):
    """Change a lecture (its audience and photos once it was held)."""
    actor = request.actor
    lecture = access.access_lecture(actor, pk, write=True)
    form = _lecture_form(request, actor, lecture=lecture)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_lecture(request, form, actor, lecture))
    ):
        return done
    return render(
        request,
        "outreach/lecture_form.html",
        {"form": form, "title": "修改宣讲活动", "lecture": lecture},
    )


@staff_view
def lecture_detail(request, pk: int):
    actor = request.actor
    lecture = access.access_lecture(actor, pk)
    return render(
        request,
        "outreach/lecture_detail.html",
        {
            "lecture": lecture,
            "photos": queries.lecture_photos(lecture),
            "upcoming": lecture.starts_at > timezone.now(),
            "can_edit": access.may_edit(actor, lecture.team.unit),
        },
    )


@staff_view
@require_POST
def lecture_remove(request, pk: int):
    actor = request.actor
    lecture = access.access_lecture(actor, pk, write=True)
    return run_action(
        request,
        lambda: actions.remove_lecture(lecture=lecture, actor=actor, now=timezone.now()),
        success=f"已删除宣讲活动：{lecture.topic}",
        back=reverse("outreach:lectures"),
    )


@staff_view
def lecture_photo(request, pk: int, file: int):
    """A lecture's photo, for staff who may see the lecture (never straight from MEDIA)."""
    lecture = access.access_lecture(request.actor, pk)
    photo = queries.lecture_photo(lecture, file)
    if photo is None:
        raise Http404("没有找到该照片")
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)


# --- 宣讲队伍 ------------------------------------------------------------------------------------


@staff_view
def team_list(request):
    """宣讲队伍: the teams of the subtree by words, kind and unit, with each team's lectures
    and audience; how many of each kind."""
    actor = request.actor
    form = forms.TeamFilterForm(request.GET)
    filters = form.values
    unit = access_unit(actor, filters["unit"]) if filters["unit"] else actor.unit
    rows = queries.filter_teams(
        access.visible_teams(actor),
        q=filters["q"],
        kind=filters["kind"],
        under=unit if filters["unit"] else None,
    )
    page = paginate(
        request,
        queries.team_list(rows, now=timezone.now(), sort=filters["sort"]),
        per_page=30,
        query=form.query(),
    )
    return render(
        request,
        "outreach/team_list.html",
        {
            "page": page,
            "unit": unit,
            "filters": filters,
            "filter_form": form,
            "kinds": LectureTeam.Kind.choices,
            "kind_counts": queries.team_kind_counts(rows),
            "sorts": [(k, v[0]) for k, v in queries.TEAM_SORTS.items()],
            "filtered": any(filters[k] for k in ("q", "kind", "unit")),
            "can_edit": actor.can(Perm.EDIT),
        },
    )


def _team_form(request, actor, unit, team=None):
    initial = {"active": True}
    if team is not None:
        initial = {
            "name": team.name,
            "kind": team.kind,
            "topics": team.topics,
            "members": list(queries.team_members(team)),
            "outside_members": team.outside_members,
            "contact_phone": team.contact_phone,
            "active": team.active,
        }
    return forms.TeamForm(request.POST or None, people=queries.people_of(unit), initial=initial)


def _save_team(request, form, actor, unit, team=None):
    data = form.cleaned_data
    return run_form_action(
        request,
        form,
        lambda: actions.save_team(
            data=actions.TeamData(
                name=data["name"],
                kind=data["kind"],
                unit=unit,
                topics=data["topics"],
                members=tuple(data["members"]),
                outside_members=data["outside_members"],
                contact_phone=data["contact_phone"],
                active=data["active"],
            ),
            actor=actor,
            now=timezone.now(),
            team=team,
        ),
        success=lambda done: f"已保存宣讲队伍：{done.name}",
        back=_team_page,
    )


@staff_view
def team_new(request):
    """建立宣讲队伍 for a unit of the subtree (`?unit=`; its people are the members to tick)."""
    actor = request.actor
    require(actor, Perm.EDIT)
    chosen = forms.UnitForm(request.GET).values["unit"]
    unit = access_unit(actor, chosen) if chosen else actor.unit
    form = _team_form(request, actor, unit)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_team(request, form, actor, unit))
    ):
        return done
    return render(
        request,
        "outreach/owner_form.html",
        {
            "form": form,
            "unit": unit,
            "units": visible_units(actor).filter(active=True).order_by("path"),
            "title": "建立宣讲队伍",
            "back": reverse("outreach:teams"),
            "back_label": "宣讲队伍",
        },
    )


@staff_view
def team_edit(request, pk: int):
    actor = request.actor
    team = access.access_team(actor, pk, write=True)
    form = _team_form(request, actor, team.unit, team)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_team(request, form, actor, team.unit, team))
    ):
        return done
    return render(
        request,
        "outreach/owner_form.html",
        {
            "form": form,
            "unit": team.unit,
            "title": f"修改宣讲队伍：{team.name}",
            "back": _team_page(team),
            "back_label": team.name,
        },
    )


@staff_view
def team_detail(request, pk: int):
    """A team: its members, topics, totals and lectures."""
    actor = request.actor
    team = access.access_team(actor, pk)
    page = paginate(request, queries.team_lectures(team), per_page=20)
    return render(
        request,
        "outreach/team_detail.html",
        {
            "team": team,
            "members": queries.team_members(team),
            "phone": mask_phone(team.contact_phone),
            "totals": queries.team_totals(team, now=timezone.now()),
            "page": page,
            "now": timezone.now(),
            "can_edit": access.may_edit(actor, team.unit),
        },
    )
