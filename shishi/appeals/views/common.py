"""What the appeal views share: the appeal page's address and the holder's fetch."""

from django.urls import reverse

from shishi.appeals.access import (
    Perm,
    access_appeal,
)


def _page(appeal_or_code) -> str:
    code = getattr(appeal_or_code, "code", appeal_or_code)
    return reverse("appeals:detail", args=[code])


def _holding(request, code: str):
    """The appeal the actor's unit holds and may work on (404 elsewhere, 403 without HANDLE)."""
    return access_appeal(request.actor, code, perm=Perm.HANDLE, must_hold=True)
