"""Sign-in, sign-out, the unit switcher and the staff home (工作台)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shishi.core import ratelimit, workdays
from shishi.core.forms import number_param
from shishi.core.ratelimit import client_ip
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
        "invalid_login": "登录名或密码不正确。在同一地点连续输错5次，账号将在此处锁定30分钟。",
        "inactive": "该账号已停用，请联系管理员。",
    }


class LoginView(auth_views.LoginView):
    """The password step. Someone who must use a second factor is not signed in here: the
    code page (or setting up an authenticator) comes first (`twofactor`)."""

    template_name = "staff/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        """Before the password is checked: an address that failed on too many accounts waits
        (`LOGIN_FAILURES_PER_ADDRESS` an hour), and so does a username that failed too often
        from anywhere, one try per `LOGIN_SLOW_SECONDS` (slowed, never locked, so a stranger
        cannot lock its owner out)."""
        address = client_ip(request) or "unknown"
        failed, left = ratelimit.used(f"login-fail:ip:{address}", window=3600)
        if failed >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return locked_out(request, None, wait=left, by_address=True)
        username = request.POST.get("username", "").strip()[:150]
        misses, _ = ratelimit.used(f"login-fail:user:{username}", window=3600)
        if misses >= settings.LOGIN_SLOW_AFTER:
            try:
                ratelimit.hit(f"login-slow:{username}", limit=1, window=settings.LOGIN_SLOW_SECONDS)
            except ratelimit.Limited as limited:
                return ratelimit.too_many(request, limited.retry_after)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        address = client_ip(self.request) or "unknown"
        username = self.request.POST.get("username", "").strip()[:150]
        # only counted here; the limits are read in post(), before the next try
        ratelimit.count(f"login-fail:ip:{address}", window=3600)
        ratelimit.count(f"login-fail:user:{username}", window=3600)
        return super().form_invalid(form)

    def form_valid(self, form):
        person = form.get_user()
        ratelimit.forget(f"login-fail:user:{person.get_username()}")  # the owner is back
        if must_use_totp(person, memberships_of(person)):
            return redirect(twofactor.begin(self.request, person, next_url=self.get_success_url()))
        return super().form_valid(form)


def locked_out(request, credentials, *args, wait: int | None = None, by_address=False, **kwargs):
    """The lockout page (django-axes' AXES_LOCKOUT_CALLABLE, and the address limit): says when
    to try again and who can unlock the account sooner."""
    if wait is None:
        username = (credentials or {}).get("username") or request.POST.get("username", "")
        last = queries.last_login_failure(username, client_ip(request) or "")
        until = (last or timezone.now()) + settings.AXES_COOLOFF_TIME
        wait = max(60, int((until - timezone.now()).total_seconds()))
    context = {
        "wait": ratelimit.wait_words(wait),
        "until": timezone.localtime() + timedelta(seconds=wait),
        "by_address": by_address,
    }
    response = render(request, "staff/locked_out.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


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
