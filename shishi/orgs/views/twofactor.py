"""The sign-in's second step (TOTP, django-otp) for people who must use it
(`access.must_use_totp`): the code page, setting up an authenticator, and the admin's reset.

The password step (`shell.LoginView`) does not sign such a person in: it keeps who they are
in the session (`PENDING_KEY`, good for `TOTP_PENDING_MINUTES`) and sends them here; only a
right code (or a confirmed new authenticator) signs them in, marked verified for django-otp.
Until then the session is anonymous to every page."""

from base64 import b32encode
from datetime import datetime, timedelta

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import login, user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from shishi.core.errors import Refused
from shishi.orgs import actions, queries
from shishi.orgs.access import Perm, access_person, require
from shishi.orgs.forms import SecondFactorForm
from shishi.orgs.models import Person
from shishi.orgs.views.common import run_action, staff_view

PENDING_KEY = "shishi_totp_pending"


def begin(request, person: Person, *, next_url: str) -> str:
    """After a right password: remember the person for the second step (a new session key,
    nobody signed in) and answer where to go — the code page, or setting up a device."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "person": person.pk,
        "backend": person.backend,
        "next": next_url,
        "at": timezone.now().isoformat(),
    }
    has_device = queries.totp_device(person) is not None
    return reverse("staff:login_verify" if has_device else "staff:login_enrol")


def _pending(request) -> tuple[Person, dict] | None:
    """The person whose password was right a moment ago, if the step is still good."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    started = datetime.fromisoformat(pending["at"])
    if timezone.now() - started > timedelta(minutes=settings.TOTP_PENDING_MINUTES):
        del request.session[PENDING_KEY]
        return None
    person = queries.person_by_pk(pending["person"])
    return (person, pending) if person is not None else None


def _finish(request, person: Person, pending: dict, device) -> str:
    """Sign the person in, verified by `device`; where to go next."""
    del request.session[PENDING_KEY]
    login(request, person, backend=pending["backend"])
    django_otp.login(request, device)
    target = pending.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse(settings.LOGIN_REDIRECT_URL)
    return target


def _start_again(request):
    """No password step pending (or it expired, or someone is signed in already)."""
    if request.user.is_authenticated:
        return redirect("staff:home")
    return redirect("staff:login")


def login_verify(request):
    """第二步：输入动态验证码 (or a recovery code)."""
    found = _pending(request)
    if found is None or request.user.is_authenticated:
        return _start_again(request)
    person, pending = found
    if queries.totp_device(person) is None:
        return redirect("staff:login_enrol")
    credentials = {"username": person.get_username()}
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if AxesProxyHandler.is_locked(request, credentials):
            del request.session[PENDING_KEY]
            return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
        try:
            device = actions.verify_second_factor(person=person, token=form.cleaned_data["code"])
        except Refused as refusal:
            # A wrong code counts like a wrong password: five lock the account (django-axes;
            # its middleware answers with the lockout page once this one locks it).
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error("code", refusal.message)
        else:
            return redirect(_finish(request, person, pending, device))
    return render(
        request,
        "staff/totp_verify.html",
        {"form": form, "person": person, "issuer": settings.OTP_TOTP_ISSUER},
    )


def _qr_svg(text: str) -> str:
    code = segno.make(text, error="m")
    # The standard quiet zone (4 modules): some phone cameras miss a code without it.
    return mark_safe(code.svg_inline(scale=4, dark="#000", light="#fff", border=4))


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def login_enrol(request):
    """设置动态验证码: scan the QR code (or type the key), confirm with a code it shows; then
    the recovery codes, shown this once."""
    found = _pending(request)
    if found is None or request.user.is_authenticated:
        return _start_again(request)
    person, pending = found
    if queries.totp_device(person) is not None:
        return redirect("staff:login_verify")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = actions.enrol_totp(person=person, token=form.cleaned_data["code"])
        except Refused as refusal:
            form.add_error("code", refusal.message)
        else:
            target = _finish(request, person, pending, device)
            return render(request, "staff/totp_codes.html", {"codes": codes, "next": target})
    device = actions.start_totp_enrolment(person=person)
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "staff/totp_enrol.html",
        {
            "form": form,
            "person": person,
            "qr": _qr_svg(device.config_url),
            "secret": _grouped(secret),
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )


@staff_view
@require_POST
def person_totp_reset(request, pk: int):
    """An administrator removes someone's authenticator (a lost phone); audited."""
    actor = request.actor
    person = access_person(actor, pk, write=True)
    require(actor, Perm.RESET_TOTP)
    return run_action(
        request,
        lambda: actions.reset_totp(actor=actor, person=person),
        success=f"已重置“{person.name}”的动态验证码，其下次登录时需重新绑定",
        back=reverse("staff:person", args=[person.pk]),
    )
