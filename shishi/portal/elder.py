"""适老化 (长者模式): large type, higher contrast, wider spacing and one column on the public
pages, for anyone who asks — no account. The choice is a cookie this browser keeps for a
year; the page reads it on the server and renders `<html class="elder">`, so it never flashes
the normal layout first and works without JavaScript (the CSS in static/shishi/shishi.css)."""

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

ELDER_COOKIE = "shishi_elder"
ELDER_COOKIE_AGE = 365 * 24 * 3600


def is_elder(request) -> bool:
    return request.COOKIES.get(ELDER_COOKIE) == "1"


def elder_mode(request):
    """/elder/?on=1|0&next=<page>: switches the mode and goes back to the page it came from
    (a page of this site only). A display preference, not a write: a plain link, no form."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(
            ELDER_COOKIE, "1", max_age=ELDER_COOKIE_AGE, samesite="Lax", httponly=True,
            secure=request.is_secure(),
        )  # fmt: skip
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response


def context(request) -> dict:
    """Templates get `ELDER_MODE`: portal/base.html puts the class on <html> and the
    switch in the header."""
    return {"ELDER_MODE": is_elder(request)}
