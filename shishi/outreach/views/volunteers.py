"""Staff pages of 志愿服务: the volunteer teams with hours per team and per area, a team's
form and page (with the form that records an activity), and the activities list."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.core.masking import mask_phone
from shishi.orgs.access import access_unit, require, visible_units
from shishi.orgs.views.common import paginate, run_action, run_form_action, staff_view
from shishi.outreach import access, actions, forms, queries
from shishi.outreach.access import Perm
from shishi.outreach.models import VolunteerTeam


def _team_page(team) -> str:
    return reverse("outreach:volunteer_team", args=[team.pk])


@staff_view
def volunteer_list(request):
    """志愿服务队: teams of the subtree with their activities, hours and people served; hours
    per area (for the city: per county) over the dates asked."""
    actor = request.actor
    form = forms.VolunteerFilterForm(request.GET)
    filters = form.values
    unit = access_unit(actor, filters["unit"]) if filters["unit"] else actor.unit
    under = unit if filters["unit"] else None
    teams = queries.filter_teams(
        access.visible_volunteer_teams(actor), q=filters["q"], field=filters["field"], under=under
    )
    activities = queries.filter_activities(
        access.visible_activities(actor), under=under, start=filters["start"], end=filters["end"]
    )
    page = paginate(
        request,
        queries.volunteer_team_list(teams, sort=filters["sort"]),
        per_page=30,
        query=form.query(),
    )
    return render(
        request,
        "outreach/volunteer_list.html",
        {
            "page": page,
            "unit": unit,
            "filters": filters,
            "filter_form": form,
            "fields": VolunteerTeam.Field.choices,
            "totals": queries.activity_totals(activities),
            "by_area": queries.activities_by_area(activities, unit),
            "area_query": form.query(without=("unit",)),
            "filtered": any(filters[k] for k in ("q", "field", "unit")),
            "can_edit": actor.can(Perm.EDIT),
        },
    )


@staff_view
def activity_list(request):
    """志愿服务活动: the activities the actor sees by words, team, area and dates."""
    actor = request.actor
    form = forms.ActivityFilterForm(request.GET)
    filters = form.values
    unit = access_unit(actor, filters["unit"]) if filters["unit"] else actor.unit
    rows = queries.filter_activities(
        access.visible_activities(actor),
        q=filters["q"],
        team=filters["team"],
        under=unit if filters["unit"] else None,
        start=filters["start"],
        end=filters["end"],
    )
    page = paginate(
        request, queries.activity_list(rows, sort=filters["sort"]), per_page=30, query=form.query()
    )
    return render(
        request,
        "outreach/activity_list.html",
        {
            "page": page,
            "unit": unit,
            "filters": filters,
            "filter_form": form,
            "totals": queries.activity_totals(rows),
            "sorts": [(k, v[0]) for k, v in queries.ACTIVITY_SORTS.items()],
            "filtered": any(filters[k] for k in ("q", "team", "unit", "start", "end")),
        },
    )


def _team_form(request, unit, team=None):
    initial = {"active": True}
    if team is not None:
        initial = {
            "name": team.name,
            "field": team.field,
            "members": list(queries.team_members(team)),
            "outside_members": team.outside_members,
            "contact_phone": team.contact_phone,
            "active": team.active,
        }
    return forms.VolunteerTeamForm(
        request.POST or None, people=queries.people_of(unit), initial=initial
    )


def _save_team(request, form, actor, unit, team=None):
    data = form.cleaned_data
    return run_form_action(
        request,
        form,
        lambda: actions.save_volunteer_team(
            data=actions.VolunteerTeamData(
                name=data["name"],
                field=data["field"],
                unit=unit,
                members=tuple(data["members"]),
                outside_members=data["outside_members"],
                contact_phone=data["contact_phone"],
                active=data["active"],
            ),
            actor=actor,
            now=timezone.now(),
            team=team,
        ),
        success=lambda done: f"已保存志愿服务队：{done.name}",
        back=_team_page,
    )


@staff_view
def volunteer_team_new(request):
    actor = request.actor
    require(actor, Perm.EDIT)
    chosen = forms.UnitForm(request.GET).values["unit"]
    unit = access_unit(actor, chosen) if chosen else actor.unit
    form = _team_form(request, unit)
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
            "title": "建立志愿服务队",
            "back": reverse("outreach:volunteers"),
            "back_label": "志愿服务",
        },
    )


@staff_view
def volunteer_team_edit(request, pk: int):
    actor = request.actor
    team = access.access_volunteer_team(actor, pk, write=True)
    form = _team_form(request, team.unit, team)
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
            "title": f"修改志愿服务队：{team.name}",
            "back": _team_page(team),
            "back_label": team.name,
        },
    )


@staff_view
def volunteer_team_detail(request, pk: int):
    """A team: members, totals, its activities and (for its side) the activity form."""
    actor = request.actor
    team = access.access_volunteer_team(actor, pk)
    can_edit = access.may_edit(actor, team.unit)
    form = None
    if can_edit and team.active:
        form = forms.ActivityForm(
            request.POST or None,
            places=queries.places(actor.unit),
            top=queries.area_of(actor.unit),
            initial={"place": team.unit, "served": 0},
        )
    if request.method == "POST":
        access.require_edit(actor, team.unit)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            done = run_form_action(
                request,
                form,
                lambda: actions.record_activity(
                    data=actions.ActivityData(
                        team=team,
                        title=data["title"],
                        place=data["place"],
                        venue=data["venue"],
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        volunteers=data["volunteers"],
                        served=data["served"],
                        summary=data["summary"],
                    ),
                    actor=actor,
                    now=timezone.now(),
                ),
                success=lambda a: f"已登记：{a.title}，服务时长 {a.hours} 小时",
                back=lambda a: _team_page(team),
            )
            if done:
                return done
    page = paginate(request, queries.team_activities(team), per_page=20)
    return render(
        request,
        "outreach/volunteer_team_detail.html",
        {
            "team": team,
            "members": queries.team_members(team),
            "phone": mask_phone(team.contact_phone),
            "totals": queries.volunteer_team_totals(team),
            "page": page,
            "form": form,
            "can_edit": can_edit,
        },
    )


@staff_view
@require_POST
def activity_remove(request, pk: int):
    actor = request.actor
    activity = access.access_activity(actor, pk, write=True)
    return run_action(
        request,
        lambda: actions.remove_activity(activity=activity, actor=actor, now=timezone.now()),
        success=f"已删除志愿服务活动：{activity.title}",
        back=_team_page(activity.team),
    )
