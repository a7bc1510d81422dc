"""Every staff URL of the appeals, projects and campaign modules, walked as an anonymous visitor, an
outsider (a clerk of a sibling town) and an auditor: the first is sent to the login page,
the second finds nothing (404), the third is refused (403) — for every URL, so a new page
that forgets its access check fails here."""

from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse
from django.utils import timezone

from shishi.appeals import actions as appeal_actions
from shishi.appeals import urls as appeal_urls
from shishi.appeals.models import Category
from shishi.campaign import actions as campaign_actions
from shishi.campaign import urls as campaign_urls
from shishi.campaign.models import Assignment
from shishi.orgs.access import actor_for
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Person, Role
from shishi.projects import actions as project_actions
from shishi.projects import urls as project_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def sibling_objects(tree, outsider):
    """An appeal, a project and a directive's assignment of 西桥街道 (the outsider's town),
    with their sub-objects."""
    now = timezone.now()
    operator = PersonFactory(username="walk_operator", unit=tree["city"], role=Role.OPERATOR)
    supervisor = PersonFactory(username="walk_sup", unit=tree["city"], role=Role.SUPERVISOR)
    appeal_actions.import_categories(rows=[("城乡建设", "市政设施", "路灯")])
    category = Category.objects.get(name="路灯")
    appeal, _ = appeal_actions.submit_appeal(
        submission=appeal_actions.Submission(
            channel="operator",
            kind="help",
            category=category,
            content="西桥路口的路灯坏了很久，请尽快维修。",
            reporter_phone="13900000001",
        ),
        receiver=tree["city"],
        by=actor_for(operator, None),
        now=now,
    )
    xiqiao = actor_for(outsider, None)
    appeal_actions.dispatch_appeal(
        appeal=appeal, actor=actor_for(operator, None), to_unit=tree["xiqiao"], now=now
    )
    appeal_actions.sign_appeal(appeal=appeal, actor=xiqiao, now=now)
    review = appeal_actions.request_extension(
        appeal=appeal, actor=xiqiao, days=3, reason="需要更换线缆", now=now
    )
    start = timezone.localdate()
    project = project_actions.create_project(
        actor=xiqiao,
        now=now,
        data=project_actions.ProjectData(
            title="西桥街道路灯补亮",
            area="living",
            level="town",
            source="public",
            lead_unit=tree["xiqiao"],
            leader="主任 某某",
            planned_start=start,
            planned_end=start + timedelta(days=90),
            targets="补装路灯",
        ),
    )
    milestone = project_actions.add_milestone(
        actor=xiqiao,
        project=project,
        title="安装",
        weight=1,
        due=start + timedelta(days=30),
        now=now,
    )
    slot = project_actions.ensure_slot(project=project, today=start)
    assert isinstance(now, datetime) and isinstance(start, date)
    # a directive of the city that reaches 西桥街道 alone, reported with a file
    office = PersonFactory(username="walk_office", unit=tree["city"], role=Role.CITY_ADMIN)
    directive = campaign_actions.issue_directive(
        data=campaign_actions.DirectiveData(
            title="路灯夜查",
            content="组织夜间巡查辖区路灯。",
            days=5,
            evidence="巡查记录",
            target_root=tree["xiqiao"],
            files=[SimpleUploadedFile("通知.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")],
        ),
        actor=actor_for(office, None),
        now=now,
    )
    assignment = campaign_actions.submit_assignment(
        assignment=Assignment.objects.get(directive=directive),
        actor=xiqiao,
        report=campaign_actions.Report(
            text="已巡查。",
            files=[SimpleUploadedFile("记录.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")],
        ),
        now=now,
    )
    # a study session of 西桥街道 with a file
    session = campaign_actions.record_session(
        data=campaign_actions.SessionData(
            unit=tree["xiqiao"],
            kind="party_day",
            mode="group",
            held_on=start,
            topic="主题党日",
            files=[SimpleUploadedFile("签到表.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")],
        ),
        actor=xiqiao,
        now=now,
    )
    # a guidance group for 西桥街道 with a round, a visit and a 整改 item with a file
    guide = PersonFactory(username="walk_guide", unit=tree["city"], role=Role.GUIDANCE_MEMBER)
    group = campaign_actions.save_group(
        data=campaign_actions.GroupData(
            name="第一巡回指导组", leader=guide, members=(), units=(tree["xiqiao"],)
        ),
        actor=actor_for(office, None),
        now=now,
    )
    campaign_actions.add_round(
        starts=start - timedelta(days=10), ends=start + timedelta(days=10),
        actor=actor_for(office, None), now=now,
    )  # fmt: skip
    visit = campaign_actions.record_visit(
        data=campaign_actions.VisitData(
            group=group,
            unit=tree["xiqiao"],
            visited_on=start,
            methods=("briefing",),
            findings="台账不全",
        ),
        actor=actor_for(guide, None),
        now=now,
    )
    item = campaign_actions.raise_rectification(
        data=campaign_actions.RectificationData(
            unit=tree["xiqiao"], problem="台账不全", measures="补齐", days=5, visit=visit
        ),
        actor=actor_for(guide, None),
        now=now,
    )
    campaign_actions.report_rectification(
        item=item,
        actor=xiqiao,
        progress=campaign_actions.Progress(
            text="已补齐",
            files=[SimpleUploadedFile("台账.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")],
        ),
        now=now,
    )
    return {
        "group": group.pk,
        "directive_file": directive.files.get().pk,
        "visit": visit.pk,
        "item": item.pk,
        "item_file": item.files.get().pk,
        "code_appeal": appeal.code,
        "code_project": project.code,
        "review": review.pk,
        "milestone": milestone.pk,
        "slot": slot.pk,
        "supervisor": supervisor,
        "directive": directive.pk,
        "assignment": assignment.pk,
        "evidence": assignment.evidence.get().pk,
        "session": session.pk,
        "study_file": session.files.get().pk,
    }


def _urls(module, prefix: str, objects: dict) -> list[tuple[str, str, bool]]:
    """(name, path, takes an object of the sibling town) for every pattern of a module."""
    filled = []
    for pattern in module.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        values = {
            "code": objects["code_appeal" if prefix == "appeals" else "code_project"],
            "pk": objects["review"] if "reviews" in route else objects["milestone"],
            "slot": objects["slot"],
            "step": "submit",
            "fmt": "csv",
            "token": "nothing",
        }
        path = route
        for key, value in values.items():
            path = path.replace(f"<str:{key}>", str(value)).replace(f"<int:{key}>", str(value))
        assert "<" not in path, f"no value for {route}"
        filled.append((pattern.name, f"/staff/{prefix}/{path}", "<str:code>" in route))
    return filled


def _campaign_urls(objects: dict) -> list[tuple[str, str, bool]]:
    """The campaign module's patterns: `pk` is the directive's, under assignments/ the
    assignment's (`file` its evidence), under study/ the study session's (`file` its file),
    under guidance/ the group's or the visit's, under rectifications/ the 整改 item's."""
    prefixes = {  # route prefix -> (object in <pk>, object in <file>)
        "assignments/": ("assignment", "evidence"),
        "study/": ("session", "study_file"),
        "guidance/groups/": ("group", None),
        "guidance/visits/": ("visit", None),
        "rectifications/": ("item", "item_file"),
    }
    filled = []
    for pattern in campaign_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        pk_of, file_of = next(
            (found for prefix, found in prefixes.items() if route.startswith(prefix)),
            ("directive", "directive_file"),
        )
        pk, file = objects[pk_of], objects[file_of] if file_of else ""
        path = route.replace("<int:pk>", str(pk)).replace("<int:file>", str(file))
        assert "<" not in path, f"no value for {route}"
        filled.append((pattern.name, f"/staff/campaign/{path}", "<int:pk>" in route))
    return filled


def _all(objects):
    return (
        _urls(appeal_urls, "appeals", objects)
        + _urls(project_urls, "projects", objects)
        + _campaign_urls(objects)
    )


def _request(client, path: str):
    response = client.get(path)
    if response.status_code == 405:  # POST-only: walk it the way it is used
        response = client.post(path, {})
    return response


def test_anonymous_visitors_are_sent_to_login_everywhere(client, sibling_objects):
    for name, path, _ in _all(sibling_objects):
        response = client.get(path)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/staff/login/"), name


def test_outsiders_find_nothing_of_a_sibling_town(login, town_clerk, sibling_objects):
    client = login(town_clerk)
    for name, path, takes_object in _all(sibling_objects):
        if takes_object:
            assert _request(client, path).status_code == 404, name


def test_auditors_are_refused_every_page(login, auditor, sibling_objects):
    client = login(auditor)
    for name, path, _ in _all(sibling_objects):
        assert _request(client, path).status_code == 403, name


def test_no_page_fails_for_the_city_office(login, city_admin, sibling_objects):
    client = login(city_admin)
    for name, path, _ in _all(sibling_objects):
        assert _request(client, path).status_code < 500, name


# The caller's phone and the supervisor's steps, by role: (url name, method) -> the answer
# for the supervisor, the operator, and the clerk of the unit holding the appeal (西桥街道).
PHONE_AND_SUPERVISION = {
    ("reveal_phone", "post"): (403, 302, 403),
    ("caller_history", "get"): (200, 200, 200),
    ("caller_lookup", "post"): (403, 200, 403),
    ("urge", "post"): (302, 403, 403),
    ("instruct", "post"): (302, 403, 403),
    ("interview", "post"): (302, 403, 403),
}


def test_phone_and_supervision_steps_answer_each_role(login, outsider, sibling_objects):
    people = (sibling_objects["supervisor"], Person.objects.get(username="walk_operator"), outsider)
    for (name, method), answers in PHONE_AND_SUPERVISION.items():
        args = [] if name == "caller_lookup" else [sibling_objects["code_appeal"]]
        url = reverse(f"appeals:{name}", args=args)
        for person, expected in zip(people, answers, strict=True):
            response = getattr(login(person), method)(url, {})
            assert response.status_code == expected, (name, person.username)
