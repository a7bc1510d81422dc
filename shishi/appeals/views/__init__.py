"""Staff pages for appeals: queues, the appeal page with every step, hotline entry, reviews,
ranking and exports; the caller's phone; supervisors' steps. Thin: parse, access, act or
query, render. Modules by page; all views re-exported here for `appeals/urls.py`."""

from shishi.appeals.views.detail import detail, photo, similar_to, sms_deliveries
from shishi.appeals.views.lists import (
    decide,
    export,
    new,
    queue,
    ranking,
    reviews,
    similar,
)
from shishi.appeals.views.phone import (
    PHONE_SESSION_KEY,
    caller_history,
    caller_lookup,
    reveal_phone,
)
from shishi.appeals.views.steps import (
    approve_reply,
    callback,
    co_sign,
    dispatch,
    extension,
    give_back,
    invalid,
    merge,
    reclassify,
    reply,
    sign,
)
from shishi.appeals.views.supervise import instruct, interview, urge

__all__ = [
    "PHONE_SESSION_KEY",
    "approve_reply",
    "callback",
    "caller_history",
    "caller_lookup",
    "co_sign",
    "decide",
    "detail",
    "dispatch",
    "export",
    "extension",
    "give_back",
    "instruct",
    "interview",
    "invalid",
    "merge",
    "new",
    "photo",
    "queue",
    "ranking",
    "reclassify",
    "reply",
    "reveal_phone",
    "reviews",
    "sign",
    "similar",
    "similar_to",
    "sms_deliveries",
    "urge",
]
