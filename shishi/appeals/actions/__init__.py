"""Every write to appeals. Each action is one transaction, refuses invalid transitions with a
Chinese message (changing nothing), records an event (`appeals.events`) and queues its
notifications (`appeals.notifications`). Modules by sub-domain; all re-exported here."""

from shishi.appeals.actions.callers import rehash_phones, reveal_phone
from shishi.appeals.actions.categories import import_categories, unsorted_category
from shishi.appeals.actions.classify import reclassify_appeal
from shishi.appeals.actions.closing import merge_appeal, withdraw_appeal
from shishi.appeals.actions.dispatch import (
    dispatch_appeal,
    return_appeal,
    sign_appeal,
    sign_as_co_handler,
)
from shishi.appeals.actions.intake import Submission, submit_appeal
from shishi.appeals.actions.replies import approve_reply, record_verdict, reply_appeal
from shishi.appeals.actions.reviews import decide_review, request_extension, request_invalid
from shishi.appeals.actions.supervise import instruct_appeal, record_interview, urge_appeal
from shishi.appeals.actions.tracking import (
    extend_for_refused_codes,
    record_tracking_failure,
    tracking_locked,
)
from shishi.appeals.actions.worker import close_unevaluated, sweep_dispatch, sweep_supervision

__all__ = [
    "Submission",
    "approve_reply",
    "close_unevaluated",
    "decide_review",
    "dispatch_appeal",
    "extend_for_refused_codes",
    "import_categories",
    "instruct_appeal",
    "merge_appeal",
    "reclassify_appeal",
    "record_interview",
    "record_tracking_failure",
    "record_verdict",
    "rehash_phones",
    "reply_appeal",
    "request_extension",
    "request_invalid",
    "return_appeal",
    "reveal_phone",
    "sign_appeal",
    "sign_as_co_handler",
    "submit_appeal",
    "sweep_dispatch",
    "sweep_supervision",
    "tracking_locked",
    "unsorted_category",
    "urge_appeal",
    "withdraw_appeal",
]
