"""Staff pages for people: list, add, edit, roles, stop and password reset."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shishi.core.errors import Refused
from shishi.orgs import actions, queries
from shishi.orgs.access import (
    Perm,
    access_membership,
    access_person,
    access_unit,
    require,
    visible_people,
    visible_units,
)
from shishi.orgs.forms import GrantForm, NewPersonForm, PasswordForm, PersonForm
from shishi.orgs.models import Role
from shishi.orgs.views.common import paginate, staff_view


@staff_view
def person_list(request):
    actor = request.actor
    unit = (
        access_unit(actor, request.GET["unit"]) if request.GET.get("unit", "").isdigit() else None
    )
    filters = {
        "q": request.GET.get("q", "").strip(),
        "role": request.GET.get("role", ""),
        "status": request.GET.get("status", "active"),
        "sort": request.GET.get("sort", "name"),
    }
    people = queries.filter_people(
        visible_people(actor), scope_path=actor.scope_path, unit=unit, **filters
    )
    page = paginate(request, people, per_page=30)
    memberships = queries.memberships_in(actor.scope_path, list(page.object_list))
    rows = [(person, memberships[person.pk]) for person in page.object_list]
    return render(
        request,
        "staff/people/list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "unit": unit,
            "roles": Role.choices,
            "can_manage": actor.can(Perm.MANAGE_PEOPLE),
        },
    )


@staff_view
def person_detail(request, pk: int):
    actor = request.actor
    person = access_person(actor, pk)
    units = visible_units(actor).filter(active=True)
    return render(
        request,
        "staff/people/detail.html",
        {
            "person": person,
            "memberships": queries.memberships_in(actor.scope_path, [person])[person.pk],
            "hidden_memberships": queries.memberships_outside(actor.scope_path, person),
            "grant_form": GrantForm(units=units, roles=actor.grantable_roles()),
            "password_form": PasswordForm(),
            "can_manage": actor.can(Perm.MANAGE_PEOPLE),
            "grantable": actor.grantable_roles(),
        },
    )


@staff_view
def person_new(request):
    actor = request.actor
    require(actor, Perm.MANAGE_PEOPLE)
    units = visible_units(actor).filter(active=True)
    initial = {}
    if request.GET.get("unit", "").isdigit():
        initial["unit"] = access_unit(actor, request.GET["unit"])
    form = NewPersonForm(
        request.POST or None, units=units, roles=actor.grantable_roles(), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.create_person(actor=actor, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"已新增人员“{person.name}”")
            return redirect("staff:person", pk=person.pk)
    return render(request, "staff/people/form.html", {"form": form, "person": None})


@staff_view
def person_edit(request, pk: int):
    actor = request.actor
    person = access_person(actor, pk, write=True)
    initial = {
        "username": person.username,
        "name": person.name,
        "phone": person.phone,
        "title": person.title,
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_person(actor=actor, person=person, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "已保存")
            return redirect("staff:person", pk=person.pk)
    return render(request, "staff/people/form.html", {"form": form, "person": person})


@staff_view
@require_POST
def person_set_active(request, pk: int):
    actor = request.actor
    person = access_person(actor, pk, write=True)
    active = request.POST.get("active") == "1"
    try:
        actions.set_person_active(actor=actor, person=person, active=active)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"已{'启用' if active else '停用'}“{person.name}”的账号")
    return redirect("staff:person", pk=person.pk)


@staff_view
@require_POST
def person_password(request, pk: int):
    actor = request.actor
    person = access_person(actor, pk, write=True)
    form = PasswordForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请输入新密码")
        return redirect("staff:person", pk=person.pk)
    try:
        actions.reset_password(actor=actor, person=person, password=form.cleaned_data["password"])
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        if person.pk == request.user.pk:
            update_session_auth_hash(request, person)
        messages.success(request, f"已重置“{person.name}”的密码，其其他登录会话已失效")
    return redirect("staff:person", pk=person.pk)


@staff_view
@require_POST
def person_grant(request, pk: int):
    actor = request.actor
    person = access_person(actor, pk, write=True)
    form = GrantForm(
        request.POST, units=visible_units(actor).filter(active=True), roles=actor.grantable_roles()
    )
    if not form.is_valid():
        messages.error(request, "请选择单位和角色")
        return redirect("staff:person", pk=person.pk)
    try:
        actions.grant_role(actor=actor, person=person, **form.cleaned_data)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "已授予角色")
    return redirect("staff:person", pk=person.pk)


@staff_view
@require_POST
def membership_revoke(request, pk: int):
    actor = request.actor
    membership = access_membership(actor, pk)
    person = access_person(actor, membership.person_id, write=True)
    try:
        actions.revoke_role(actor=actor, membership=membership)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, f"已撤销“{membership.unit.name}”的{membership.get_role_display()}角色"
        )
    return redirect("staff:person", pk=person.pk)
