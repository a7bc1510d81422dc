"""Staff pages for people: list, add, edit, roles, stop and password reset."""

from django.contrib.auth import update_session_auth_hash
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shishi.core.forms import number_param
from shishi.orgs import actions, queries
from shishi.orgs.access import (
    Perm,
    access_membership,
    access_person,
    access_unit,
    memberships_of,
    must_use_totp,
    require,
    visible_people,
    visible_units,
)
from shishi.orgs.forms import GrantForm, NewPersonForm, PasswordForm, PersonFilterForm, PersonForm
from shishi.orgs.models import Role
from shishi.orgs.views.common import paginate, run_action, run_form_action, staff_view


def _page(person) -> str:
    return reverse("staff:person", args=[person.pk])


@staff_view
def person_list(request):
    actor = request.actor
    form = PersonFilterForm(request.GET)
    filters = form.values
    unit_pk = filters.pop("unit")
    unit = access_unit(actor, unit_pk) if unit_pk else None
    people = queries.filter_people(
        visible_people(actor), scope_path=actor.scope_path, unit=unit, **filters
    )
    page = paginate(request, people, per_page=30, query=form.query())
    memberships = queries.memberships_in(actor.scope_path, list(page.object_list))
    rows = [(person, memberships[person.pk]) for person in page.object_list]
    return render(
        request,
        "staff/people/list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "filter_form": form,
            "unit": unit,
            "roles": Role.choices,
            "can_manage": actor.can(Perm.MANAGE_PEOPLE),
        },
    )


@staff_view
def person_detail(request, pk: int):
    actor = request.actor
    person = access_person(actor, pk)
    units = queries.active_units(visible_units(actor))
    totp_on, recovery_left = queries.totp_status(person)
    can_manage = actor.can(Perm.MANAGE_PEOPLE)
    return render(
        request,
        "staff/people/detail.html",
        {
            "person": person,
            "memberships": queries.memberships_in(actor.scope_path, [person])[person.pk],
            "hidden_memberships": queries.memberships_outside(actor.scope_path, person),
            "grant_form": GrantForm(units=units, roles=actor.grantable_roles()),
            "password_form": PasswordForm(),
            "can_manage": can_manage,
            "grantable": actor.grantable_roles(),
            "can_reset_totp": actor.can(Perm.RESET_TOTP),
            "locked": can_manage and queries.login_locked(person),
            "totp_on": totp_on,
            # Only said for someone without one: a query more, when the setting is on.
            "totp_required": not totp_on and must_use_totp(person, memberships_of(person)),
            "recovery_left": recovery_left,
        },
    )


@staff_view
def person_new(request):
    actor = request.actor
    require(actor, Perm.MANAGE_PEOPLE)
    units = queries.active_units(visible_units(actor))
    initial = {}
    unit = number_param(request.GET.get("unit"))
    if unit is not None:
        initial["unit"] = access_unit(actor, unit)
    form = NewPersonForm(
        request.POST or None, units=units, roles=actor.grantable_roles(), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        done = run_form_action(
            request,
            form,
            lambda: actions.create_person(actor=actor, **form.cleaned_data),
            success=lambda person: f"已新增人员“{person.name}”",
            back=_page,
        )
        if done:
            return done
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
        done = run_form_action(
            request,
            form,
            lambda: actions.update_person(actor=actor, person=person, **form.cleaned_data),
            success="已保存",
            back=_page(person),
        )
        if done:
            return done
    return render(request, "staff/people/form.html", {"form": form, "person": person})


@staff_view
@require_POST
def person_set_active(request, pk: int):
    actor = request.actor
    person = access_person(actor, pk, write=True)
    active = request.POST.get("active") == "1"
    return run_action(
        request,
        lambda: actions.set_person_active(actor=actor, person=person, active=active),
        success=f"已{'启用' if active else '停用'}“{person.name}”的账号",
        back=_page(person),
    )


@staff_view
@require_POST
def person_password(request, pk: int):
    actor = request.actor
    person = access_person(actor, pk, write=True)
    form = PasswordForm(request.POST)

    def reset() -> None:
        actions.reset_password(actor=actor, person=person, password=form.cleaned_data["password"])
        if person.pk == request.user.pk:  # stay signed in here; other sessions end
            update_session_auth_hash(request, person)

    return run_action(
        request,
        reset,
        form=form,
        invalid="请输入新密码",
        success=f"已重置“{person.name}”的密码，其其他登录会话已失效",
        back=_page(person),
    )


@staff_view
@require_POST
def person_unlock(request, pk: int):
    """解除登录锁定: the unit's administrator lets a locked-out colleague in again."""
    actor = request.actor
    person = access_person(actor, pk, write=True)
    return run_action(
        request,
        lambda: actions.unlock_login(actor=actor, person=person),
        success=f"已解除“{person.name}”的登录锁定",
        back=_page(person),
    )


@staff_view
@require_POST
def person_grant(request, pk: int):
    actor = request.actor
    person = access_person(actor, pk, write=True)
    form = GrantForm(
        request.POST,
        units=queries.active_units(visible_units(actor)),
        roles=actor.grantable_roles(),
    )
    return run_action(
        request,
        lambda: actions.grant_role(actor=actor, person=person, **form.cleaned_data),
        form=form,
        invalid="请选择单位和角色",
        success="已授予角色",
        back=_page(person),
    )


@staff_view
@require_POST
def membership_revoke(request, pk: int):
    actor = request.actor
    membership = access_membership(actor, pk)
    person = access_person(actor, membership.person_id, write=True)
    return run_action(
        request,
        lambda: actions.revoke_role(actor=actor, membership=membership),
        success=f"已撤销“{membership.unit.name}”的{membership.get_role_display()}角色",
        back=_page(person),
    )
