"""The demo city is one officials would believe: every login the README names exists, nothing
is dated in the future, clerks have distinct names, projects are led by units that do that
kind of work by leaders with real posts, and reported progress never runs ahead of the work."""

import io
import re
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from shishi.appeals.models import Appeal, AppealEvent
from shishi.campaign.models import StudySession
from shishi.orgs.models import Person
from shishi.projects.models import ProgressReport, Project, ProjectEvent, ProjectLevel, Status

README = Path(__file__).resolve().parents[3] / "README.md"
PLACEHOLDER = re.compile(r"[王林陈黄张郑吴]某某")


def test_the_demo_city_is_believable(db):
    # given the demo city loaded as `make run` loads it
    call_command("demo", stdout=io.StringIO())
    now = timezone.now()

    # then every login the README names exists
    readme = README.read_text()
    logins = _table_logins() | set(re.findall(r"`(clerk_[\w-]+)`", readme))
    found = Person.objects.filter(username__in=logins).values_list("username", flat=True)
    missing = logins - set(found)
    assert logins and missing == set()

    # and nothing happened after now
    assert not Appeal.objects.filter(received_at__gt=now).exists()
    assert not AppealEvent.objects.filter(at__gt=now).exists()
    assert not ProjectEvent.objects.filter(at__gt=now).exists()
    assert not StudySession.objects.filter(held_on__gt=timezone.localdate(now)).exists()
    assert StudySession.objects.filter(kind="central_group").count() == 15

    # and the demo clerks are different people by name
    clerks = list(
        Person.objects.filter(username__startswith="clerk_").values_list("name", flat=True)
    )
    assert len(clerks) == len(set(clerks)) > 50

    # and projects have real-looking leaders; city projects are led by city departments
    leaders = list(Project.objects.values_list("leader", flat=True))
    assert not [name for name in leaders if PLACEHOLDER.search(name)]
    city_leads = Project.objects.filter(level=ProjectLevel.CITY).values_list(
        "lead_unit__kind", flat=True
    )
    assert set(city_leads) <= {"department", "city"}
    assert not Project.objects.filter(lead_unit__kind="street", leader__startswith="镇长").exists()

    # and no report claims the works complete before the project is declared complete
    early = ProgressReport.objects.filter(percent=100).exclude(
        project__status__in=[Status.COMPLETED, Status.ACCEPTED, Status.EVALUATED]
    )
    assert not early.exists()


def _table_logins() -> set[str]:
    """The usernames in the README's demo-login table."""
    table = README.read_text().split("| login | who | role |", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"`([a-z_]+)`", table))
