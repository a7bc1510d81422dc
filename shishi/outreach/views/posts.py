"""Staff pages of 党员先锋岗/责任区: the list, a post's form and its page with the service
records (and the appeals they solved)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.orgs.access import access_unit, require, visible_units
from shishi.orgs.views.common import paginate, run_action, run_form_action, staff_view
from shishi.outreach import access, actions, forms, queries
from shishi.outreach.access import Perm
from shishi.outreach.models import PioneerPost


def _post_page(post) -> str:
    return reverse("outreach:post", args=[post.pk])


@staff_view
def post_list(request):
    actor = request.actor
    form = forms.PostFilterForm(request.GET)
    filters = form.values
    unit = access_unit(actor, filters["unit"]) if filters["unit"] else actor.unit
    rows = queries.filter_posts(
        access.visible_posts(actor),
        q=filters["q"],
        kind=filters["kind"],
        under=unit if filters["unit"] else None,
    )
    page = paginate(request, queries.post_list(rows), per_page=30, query=form.query())
    return render(
        request,
        "outreach/post_list.html",
        {
            "page": page,
            "unit": unit,
            "filters": filters,
            "filter_form": form,
            "kinds": PioneerPost.Kind.choices,
            "kind_counts": queries.post_kind_counts(rows),
            "filtered": any(filters[k] for k in ("q", "kind", "unit")),
            "can_edit": actor.can(Perm.EDIT),
        },
    )


def _post_form(request, unit, post=None):
    initial = {"active": True}
    if post is not None:
        initial = {
            "kind": post.kind,
            "name": post.name,
            "duties": post.duties,
            "place": post.place,
            "holders": list(queries.post_holders(post)),
            "outside_holders": post.outside_holders,
            "active": post.active,
        }
    return forms.PostForm(request.POST or None, people=queries.people_of(unit), initial=initial)


def _save_post(request, form, actor, unit, post=None):
    data = form.cleaned_data
    return run_form_action(
        request,
        form,
        lambda: actions.save_post(
            data=actions.PostData(
                kind=data["kind"],
                name=data["name"],
                unit=unit,
                duties=data["duties"],
                place=data["place"],
                holders=tuple(data["holders"]),
                outside_holders=data["outside_holders"],
                active=data["active"],
            ),
            actor=actor,
            now=timezone.now(),
            post=post,
        ),
        success=lambda done: f"已保存：{done.name}",
        back=_post_page,
    )


@staff_view
def post_new(request):
    actor = request.actor
    require(actor, Perm.EDIT)
    chosen = forms.UnitForm(request.GET).values["unit"]
    unit = access_unit(actor, chosen) if chosen else actor.unit
    form = _post_form(request, unit)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_post(request, form, actor, unit))
    ):
        return done
    return render(
        request,
        "outreach/owner_form.html",
        {
            "form": form,
            "unit": unit,
            "units": visible_units(actor).filter(active=True).order_by("path"),
            "title": "设立先锋岗/责任区",
            "back": reverse("outreach:posts"),
            "back_label": "先锋岗·责任区",
        },
    )


@staff_view
def post_edit(request, pk: int):
    actor = request.actor
    post = access.access_post(actor, pk, write=True)
    form = _post_form(request, post.unit, post)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_post(request, form, actor, post.unit, post))
    ):
        return done
    return render(
        request,
        "outreach/owner_form.html",
        {
            "form": form,
            "unit": post.unit,
            "title": f"修改：{post.name}",
            "back": _post_page(post),
            "back_label": post.name,
        },
    )


@staff_view
def post_detail(request, pk: int):
    """A post: its holders and duties, the service records, and (for its side) the form that
    records one — optionally with the appeal it solved."""
    actor = request.actor
    post = access.access_post(actor, pk)
    can_edit = access.may_edit(actor, post.unit)
    form = None
    if can_edit:
        form = forms.ServiceForm(
            request.POST or None, initial={"served_on": timezone.localdate(), "served": 0}
        )
    if request.method == "POST":
        access.require_edit(actor, post.unit)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            done = run_form_action(
                request,
                form,
                lambda: actions.record_service(
                    post=post,
                    data=actions.ServiceData(
                        served_on=data["served_on"],
                        content=data["content"],
                        served=data["served"],
                        appeal_code=data["appeal_code"],
                    ),
                    actor=actor,
                    now=timezone.now(),
                ),
                success="已登记服务记录",
                back=lambda record: _post_page(post),
            )
            if done:
                return done
    page = paginate(request, queries.post_records(post), per_page=20)
    return render(
        request,
        "outreach/post_detail.html",
        {
            "post": post,
            "holders": queries.post_holders(post),
            "page": page,
            "form": form,
            "can_edit": can_edit,
        },
    )


@staff_view
@require_POST
def service_remove(request, pk: int):
    actor = request.actor
    record = access.access_record(actor, pk, write=True)
    return run_action(
        request,
        lambda: actions.remove_service(record=record, actor=actor, now=timezone.now()),
        success="已删除服务记录",
        back=_post_page(record.post),
    )
