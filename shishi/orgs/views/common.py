"""What every staff view shares: the sign-in and membership gate, paging, CSV responses."""

import functools
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import render


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


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def paginate(request, items, *, per_page: int = 30):
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.query = urlencode([(k, v) for k, values in params.lists() for v in values])
    return page
