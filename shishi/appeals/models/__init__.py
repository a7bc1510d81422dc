"""诉求 — citizens' and enterprises' problems, the units that hold them, and their timelines.

Modules: `appeal` (the appeal, categories, vocabularies), `handling` (dispatches, replies,
reviews, photos, interviews), `events` (the timeline). Everything is importable from here.
"""

from shishi.appeals.models.appeal import (
    FINAL_STATUSES,
    IN_HAND_STATUSES,
    OPEN_STATUSES,
    TITLE_MAX,
    WAITING_STATUSES,
    Appeal,
    AppealQuerySet,
    Category,
    Channel,
    Kind,
    ReplyKind,
    Status,
    Verdict,
)
from shishi.appeals.models.events import (
    AppealEvent,
)
from shishi.appeals.models.handling import (
    Dispatch,
    Interview,
    Photo,
    Reply,
    ReplyQuerySet,
    Review,
    photo_path,
)

__all__ = [
    "FINAL_STATUSES",
    "IN_HAND_STATUSES",
    "OPEN_STATUSES",
    "TITLE_MAX",
    "WAITING_STATUSES",
    "Appeal",
    "AppealEvent",
    "AppealQuerySet",
    "Category",
    "Channel",
    "Dispatch",
    "Interview",
    "Kind",
    "Photo",
    "Reply",
    "ReplyKind",
    "ReplyQuerySet",
    "Review",
    "Status",
    "Verdict",
    "photo_path",
]
