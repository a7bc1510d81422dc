"""The one pure function that turns a category and kind into working-day deadlines."""

from dataclasses import dataclass

from shishi.appeals.models import Category, Kind

# Handling days by the appeal's nature when no category on the path sets its own.
KIND_HANDLE_DAYS = {Kind.CONSULT: 3, Kind.HELP: 5, Kind.COMPLAINT: 13, Kind.SUGGESTION: 13}
DEFAULT_SIGN_DAYS = 1
DEFAULT_CALLBACK_DAYS = 3


@dataclass(frozen=True)
class Limits:
    sign_days: int
    handle_days: int
    callback_days: int


def limits_for(category: Category, kind: str) -> Limits:
    """Deadlines in working days: the nearest category on the path that sets one wins."""
    sign = handle = callback = None
    node: Category | None = category
    while node is not None and None in (sign, handle, callback):
        sign = sign if sign is not None else node.sign_days
        handle = handle if handle is not None else node.handle_days
        callback = callback if callback is not None else node.callback_days
        node = node.parent
    return Limits(
        sign_days=sign if sign is not None else DEFAULT_SIGN_DAYS,
        handle_days=handle if handle is not None else KIND_HANDLE_DAYS[Kind(kind)],
        callback_days=callback if callback is not None else DEFAULT_CALLBACK_DAYS,
    )
