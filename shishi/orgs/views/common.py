"""What every staff view shares: the sign-in and membership gate, running an action from a
POSTed form (refusals become messages here and nowhere else), paging."""

import functools
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from shishi.core.errors import Refused
from shishi.core.ratelimit import Limited, too_many

T = TypeVar("T")


def staff_view(view):
    """Signed-in staff with at least one membership; `request.actor` is then set."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.actor is None:
            return render(request, "staff/no_membership.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def form_errors(form: forms.Form) -> str:
    """A form's errors as one line for a message."""
    return "；".join(error for errors in form.errors.values() for error in errors)


def _say(text: str | Callable[[T], str], result: T) -> str:
    return text(result) if callable(text) else text


def run_action(
    request,
    do: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    back: str,
    form: forms.Form | None = None,
    invalid: str = "",
) -> HttpResponse:
    """Run one action from a POSTed form and go `back` (a URL or a URL name). A `form` that
    does not validate (said as `invalid`, else its errors) or the action's refusal becomes an
    error message and nothing changed; otherwise `success` (text, or text from the result).
    Call access first, so outsiders get 404 and roles without the permission 403 either way."""
    if form is not None and not form.is_valid():
        messages.error(request, invalid or form_errors(form))
        return redirect(back)
    try:
        result = do()
    except Limited as limited:
        return too_many(request, limited.retry_after)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _say(success, result))
    return redirect(back)


def run_form_action(
    request,
    form: forms.Form,
    do: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    back: str | Callable[[T], str],
) -> HttpResponse | None:
    """A form page's valid POST: run the action and redirect to `back` with `success`. A
    refusal becomes the form's error and None is returned: the view shows the form again."""
    try:
        result = do()
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return None
    if message := _say(success, result):
        messages.success(request, message)
    return redirect(_say(back, result))


def paginate(request, items, *, per_page: int = 30, query: str | None = None) -> Page:
    """A numbered page of `items` from `?page=`. `page.query` goes in the links to other
    pages: `query` (a filter form's applied parameters), else the rest of the query string."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    if query is None:
        params = request.GET.copy()
        params.pop("page", None)
        query = urlencode([(k, v) for k, values in params.lists() for v in values])
    page.query = query
    return page
