"""Every write of the outreach module (re-exported: `actions.save_lecture`)."""

from shishi.outreach.actions.lectures import (
    LectureData,
    TeamData,
    remove_lecture,
    save_lecture,
    save_team,
)
from shishi.outreach.actions.posts import (
    PostData,
    ServiceData,
    record_service,
    remove_service,
    save_post,
)
from shishi.outreach.actions.today import (
    EntryData,
    import_entries,
    parse_month_day,
    remove_entry,
    save_entry,
)
from shishi.outreach.actions.volunteers import (
    ActivityData,
    VolunteerTeamData,
    record_activity,
    remove_activity,
    save_volunteer_team,
    service_hours,
)

__all__ = [
    "ActivityData",
    "EntryData",
    "LectureData",
    "PostData",
    "ServiceData",
    "TeamData",
    "VolunteerTeamData",
    "import_entries",
    "parse_month_day",
    "record_activity",
    "record_service",
    "remove_activity",
    "remove_entry",
    "remove_lecture",
    "remove_service",
    "save_entry",
    "save_lecture",
    "save_post",
    "save_team",
    "save_volunteer_team",
    "service_hours",
]
