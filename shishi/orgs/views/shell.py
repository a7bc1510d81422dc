"""Sign-in, sign-out, the unit switcher and the staff home (工作台)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shishi.core import workdays
from shishi.core.forms import number_param
from shishi.orgs import queries
from shishi.orgs.access import (
    Perm,
    memberships_of,
    must_use_totp,
    visible_people,
    visible_units,
)
from shishi.orgs.middleware import SESSION_KEY
from shishi.orgs.navigation import panels_for
from shishi.orgs.views import twofactor
from shishi.orgs.views.common import staff_view


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "登录名或密码不正确。连续输错5次，账号将被锁定30分钟。",
        "inactive": "该账号已停用，请联系管理员。",
    }


class LoginView(auth_views.LoginView):
    """The password step. Someone who must use a second factor is not signed in here: the
    code page (or setting up an authenticator) comes first (`twofactor`)."""

    template_name = "staff/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        person = form.get_user()
        if must_use_totp(person, memberships_of(person)):
            return redirect(twofactor.begin(self.request, person, next_url=self.get_success_url()))
        return super().form_valid(form)


def admin_login(request):
    """Django admin's own login would skip the second step: it signs in here instead. (Signed
    in without admin rights: refused, not sent round between the two login pages.)"""
    if request.user.is_authenticated:
        raise PermissionDenied("您的账号无权进入系统管理")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('staff:login')}{'?' + query if query else ''}")


@require_POST
def logout(request):
    auth_views.auth_logout(request)
    return redirect("staff:login")


@staff_view
@require_POST
def switch_membership(request):
    """Act through another of one's memberships (another unit or role)."""
    chosen = number_param(request.POST.get("membership"))
    if chosen is None:
        raise Http404("没有找到该任职")
    membership = get_object_or_404(memberships_of(request.user), pk=chosen)
    request.session[SESSION_KEY] = membership.pk
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("staff:home")
    return redirect(target)


@staff_view
def home(request):
    actor = request.actor
    if not actor.can(Perm.VIEW):
        return redirect("staff:audit")
    kind_counts = queries.kind_counts(visible_units(actor))  # of active units: their total too
    today = timezone.localdate()
    # Only those who can enter the holidays are asked to; others see 估算 on deadlines.
    calendar_gaps = workdays.calendar_gaps(today) if actor.can(Perm.MANAGE_CALENDAR) else []
    return render(
        request,
        "staff/home.html",
        {
            "unit_total": sum(n for _, n in kind_counts),
            "kind_counts": kind_counts,
            "people_total": queries.active_people(visible_people(actor)).count(),
            "children": queries.children_of(actor.unit, active_only=True)[:12],
            "calendar_gaps": calendar_gaps,
            "panels": panels_for(actor),
            "today": today,
            "next_deadlines": [(days, workdays.deadline(today, days)) for days in (1, 3, 5, 13)],
        },
    )
