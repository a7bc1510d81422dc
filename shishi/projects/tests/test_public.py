"""The public pages (/projects/): what the public sees, objections during disclosure and
ratings of finished projects, both only from a phone confirmed by a one-time code."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.test import Client
from django.utils import timezone

from shishi.core.errors import Refused
from shishi.core.models import PhoneChallenge
from shishi.projects import actions
from shishi.projects.models import Objection, Project, Rating, Status
from shishi.projects.tests.conftest import DISCLOSED_UNTIL
from shishi.projects.tests.helpers import at, fresh, sent_code, state_of

PHONE = "13912345678"
OTHER_PHONE = "13787654321"
OBJECTION = "路灯位置离居民楼太近，晚上影响休息，请重新选址。"
ANSWER = "已调整为背向居民楼的灯型，并加装遮光罩，感谢监督。"
COMMENT = "晚上回家终于不用摸黑了，谢谢！"


def _codes(response) -> set[str]:
    return {p.code for p in response.context["page"].object_list}


def _ask_code(client: Client, project: Project, purpose: str, phone: str = PHONE) -> str:
    """Request a one-time code on the page; the code as the SMS carries it."""
    response = client.post(f"/projects/{project.code}/code/{purpose}/", {f"{purpose}-phone": phone})
    assert "验证码已发送" in response.content.decode()
    return sent_code(phone)


def _object(client: Client, project: Project, *, otp: str, phone: str = PHONE):
    return client.post(
        f"/projects/{project.code}/object/",
        {"objection-phone": phone, "objection-otp": otp, "objection-content": OBJECTION},
        follow=True,
    )


def _rate(client: Client, project: Project, *, otp: str, stars: int = 5, phone: str = PHONE):
    return client.post(
        f"/projects/{project.code}/rate/",
        {
            "rating-phone": phone,
            "rating-otp": otp,
            "rating-stars": str(stars),
            "rating-comment": COMMENT,
        },
        follow=True,
    )


def _a_minute_later(phone: str) -> None:
    """Let the one-minute resend pause pass for `phone`'s codes."""
    PhoneChallenge.objects.filter(phone=phone).update(
        created_at=F("created_at") - timedelta(minutes=2)
    )


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# --- The list and a project's page ---------------------------------------------------------------


def test_the_public_list_shows_projects_from_disclosure_on(office):
    # given a project in every state (evaluated first: evaluation closes every accepted one)
    states = [Status.EVALUATED] + [s for s in Status if s != Status.EVALUATED]
    by_state = {state: office.new(to=state, title=f"项目{state.label}") for state in states}

    # when anyone opens the public list
    response = Client().get("/projects/")

    # then only disclosed projects and later are listed
    public = {
        Status.DISCLOSED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
        Status.ACCEPTED,
        Status.EVALUATED,
        Status.SUSPENDED,
    }
    assert _codes(response) == {by_state[s].code for s in public}
    assert "项目草稿" not in response.content.decode()


@pytest.fixture
def listed(office) -> dict[str, Project]:
    """Three public projects in different towns, areas, levels and states."""
    return {
        "lamps": office.new(to=Status.IN_PROGRESS, title="芝山街道背街小巷路灯补亮"),
        "sewage": office.new(
            to=Status.DISCLOSED,
            lead="lantian",
            title="蓝田街道农村生活污水治理",
            area="ecology",
            level="county",
            place="蓝田村",
        ),
        "water": office.new(
            to=Status.IN_PROGRESS,
            lead="xiqiao",
            title="西桥街道饮水安全提升",
            area="rural",
            level="village",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"area": "ecology"}, {"sewage"}),
        ({"level": "village"}, {"water"}),
        ({"status": "disclosed"}, {"sewage"}),
        ({"status": "in_progress"}, {"lamps", "water"}),
        ({"q": "路灯"}, {"lamps"}),
        ({"q": "蓝田村"}, {"sewage"}),
        ({"q": "路灯", "area": "ecology"}, set()),
        ({}, {"lamps", "sewage", "water"}),
    ],
)
def test_the_public_list_filters(listed, query, expected):
    response = Client().get("/projects/", query)

    assert _codes(response) == {listed[name].code for name in expected}


def test_the_public_list_filters_by_county(listed, tree):
    longwen = Client().get("/projects/", {"county": tree["longwen"].pk})
    xiangcheng = Client().get("/projects/", {"county": tree["xiangcheng"].pk})

    assert _codes(longwen) == {listed["sewage"].code}
    assert _codes(xiangcheng) == {listed["lamps"].code, listed["water"].code}


def test_a_county_that_is_not_a_division_is_ignored(listed, tree):
    response = Client().get("/projects/", {"county": tree["zhishan"].pk})

    assert len(_codes(response)) == 3
    assert response.context["filter_form"].ignored == [f"县（区）：{tree['zhishan'].pk}"]


@pytest.mark.parametrize("state", [Status.DRAFT, Status.SUBMITTED, Status.APPROVED])
def test_a_project_before_disclosure_has_no_public_page(office, state):
    project = office.new(to=state)

    response = Client().get(f"/projects/{project.code}/")

    assert response.status_code == 404


def test_a_cancelled_project_has_no_public_page(office):
    project = office.new(to=Status.CANCELLED)

    assert Client().get(f"/projects/{project.code}/").status_code == 404


def test_a_disclosed_project_has_a_public_page_with_its_public_timeline(office):
    project = office.new(to=Status.DISCLOSED)

    response = Client().get(f"/projects/{project.code}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert project.title in page
    assert "公示期至2026年03月09日" in page
    assert "登记项目" not in page  # the staff's own steps stay internal


def test_the_public_page_takes_six_queries_however_many_ratings(office, django_assert_num_queries):
    # given a completed project with its evidence photo
    project = office.new(to=Status.COMPLETED)
    url = f"/projects/{project.code}/"
    # 6 = the project with its lead unit, its photos, milestones, public timeline, answered
    # objections and shown ratings (no session for a visitor who only reads)
    with django_assert_num_queries(6):
        before = Client().get(url)

    # when three people rate it and the ratings are shown
    for n in range(3):
        rating = actions.rate_project(
            project=project, phone=f"1390000000{n}", stars=5, comment=COMMENT, now=timezone.now()
        )
        actions.moderate_rating(actor=office.admin, rating=rating, show=True, now=timezone.now())

    # then the page costs the same and shows them
    with django_assert_num_queries(6):
        after = Client().get(url)
    assert (len(before.context["ratings"]), len(after.context["ratings"])) == (0, 3)


def test_a_one_time_code_cannot_be_requested_for_a_draft(office):
    project = office.new()

    response = Client().post(f"/projects/{project.code}/code/rating/", {"rating-phone": PHONE})

    assert response.status_code == 404
    assert not PhoneChallenge.objects.exists()


# --- Objections ----------------------------------------------------------------------------------


@pytest.fixture
def disclosed(office) -> Project:
    """A project disclosed today, so its period runs on the real clock."""
    return office.new(to=Status.DISCLOSED, now=timezone.now())


def test_an_objection_with_a_confirmed_phone_is_saved(disclosed, town_clerk):
    # given a member of the public who received a one-time code
    client = Client()
    code = _ask_code(client, disclosed, "objection")

    # when they object with it
    response = _object(client, disclosed, otp=code)

    # then the objection is saved and the lead unit is told
    assert "提交成功" in response.content.decode()
    objection = Objection.objects.get(project=disclosed)
    assert (objection.phone, objection.content) == (PHONE, OBJECTION)
    assert fresh(disclosed).objections.count() == 1


def test_an_objection_with_a_wrong_code_is_refused(disclosed):
    # given a phone that received a code
    client = Client()
    code = _ask_code(client, disclosed, "objection")
    before = state_of(disclosed)

    # when the objection comes with another code
    response = _object(client, disclosed, otp=_wrong(code))

    # then it is refused and nothing of the project changed
    assert "验证码不正确" in response.content.decode()
    assert not Objection.objects.exists()
    assert state_of(disclosed) == before


def test_an_objection_without_requesting_a_code_is_refused(disclosed):
    response = _object(Client(), disclosed, otp="123456")

    assert "验证码已失效" in response.content.decode()
    assert not Objection.objects.exists()


def test_an_objection_is_public_only_once_answered(disclosed, town_clerk, login):
    # given an objection filed on the page
    client = Client()
    _object(client, disclosed, otp=_ask_code(client, disclosed, "objection"))
    objection = Objection.objects.get()

    # when the public page is read before and after the lead unit answers
    before = Client().get(f"/projects/{disclosed.code}/").content.decode()
    login(town_clerk).post(
        f"/staff/projects/{disclosed.code}/objections/{objection.pk}/answer/", {"answer": ANSWER}
    )
    after = Client().get(f"/projects/{disclosed.code}/").content.decode()

    # then the objection and its answer appear only afterwards
    assert OBJECTION not in before
    assert OBJECTION in after and ANSWER in after
    assert Objection.objects.get().answered_at is not None


def test_an_objection_after_the_disclosure_period_is_refused(office):
    project = office.new(to=Status.DISCLOSED)
    before = state_of(project)

    with pytest.raises(Refused, match="不在公示期内"):
        actions.file_objection(
            project=project,
            phone=PHONE,
            content=OBJECTION,
            now=at(2026, 3, 10),
        )

    assert state_of(project) == before


def test_an_objection_on_the_last_day_of_disclosure_is_accepted(office):
    project = office.new(to=Status.DISCLOSED)

    actions.file_objection(project=project, phone=PHONE, content=OBJECTION, now=at(2026, 3, 9, 22))

    assert fresh(project).disclosure_until == DISCLOSED_UNTIL
    assert Objection.objects.filter(project=project).count() == 1


def test_an_objection_to_a_project_in_progress_is_refused(office):
    project = office.new(to=Status.IN_PROGRESS)
    client = Client()
    code = _ask_code(client, project, "objection")

    response = _object(client, project, otp=code)

    assert "不在公示期内" in response.content.decode()
    assert not Objection.objects.exists()


# --- Ratings ---------------------------------------------------------------------------------


@pytest.fixture
def completed(office) -> Project:
    return office.new(to=Status.COMPLETED)


def test_a_rating_with_a_confirmed_phone_counts_at_once(completed):
    # given a member of the public with a one-time code
    client = Client()
    code = _ask_code(client, completed, "rating")

    # when they give five stars with a comment
    response = _rate(client, completed, otp=code, stars=5)

    # then the rating counts at once and its comment waits for moderation
    assert "提交成功" in response.content.decode()
    project = fresh(completed)
    assert (project.rating_count, project.rating_total) == (1, 5)
    rating = Rating.objects.get(project=completed)
    assert (rating.phone, rating.stars, rating.moderation) == (PHONE, 5, "pending")


def test_a_second_rating_from_the_same_phone_is_refused(completed):
    # given a phone that rated the project
    client = Client()
    _rate(client, completed, otp=_ask_code(client, completed, "rating"), stars=5)
    _a_minute_later(PHONE)
    before = state_of(completed)

    # when it confirms itself again and rates once more
    response = _rate(client, completed, otp=_ask_code(client, completed, "rating"), stars=1)

    # then the second rating is refused and the counts stand
    assert "该手机号已评价过这个项目" in response.content.decode()
    after = state_of(completed)
    assert after["ratings"] == before["ratings"]
    assert after["project"] == before["project"]


def test_the_database_itself_refuses_a_second_rating_per_phone(completed):
    Rating.objects.create(project=completed, phone=PHONE, stars=4, created_at=timezone.now())

    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(project=completed, phone=PHONE, stars=2, created_at=timezone.now())

    assert Rating.objects.filter(project=completed).count() == 1


def test_a_rating_with_a_wrong_code_is_refused(completed):
    client = Client()
    code = _ask_code(client, completed, "rating")
    before = state_of(completed)

    response = _rate(client, completed, otp=_wrong(code))

    assert "验证码不正确" in response.content.decode()
    assert state_of(completed)["ratings"] == before["ratings"] == []
    assert fresh(completed).rating_count == 0


def test_a_rating_without_a_code_is_refused(completed):
    response = _rate(Client(), completed, otp="")

    assert "提交成功" not in response.content.decode()
    assert not Rating.objects.exists()
    assert fresh(completed).rating_count == 0


def test_a_code_for_an_objection_does_not_confirm_a_rating(completed):
    client = Client()
    code = _ask_code(client, completed, "objection")

    response = _rate(client, completed, otp=code)

    assert "验证码已失效" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_project_still_in_progress_cannot_be_rated(office):
    project = office.new(to=Status.IN_PROGRESS)
    client = Client()

    response = _rate(client, project, otp=_ask_code(client, project, "rating"))

    assert "项目完成后才能评价" in response.content.decode()
    assert not Rating.objects.exists()


def test_ratings_add_up(completed):
    client = Client()
    _rate(client, completed, otp=_ask_code(client, completed, "rating"), stars=5)
    _rate(
        client,
        completed,
        otp=_ask_code(client, completed, "rating", phone=OTHER_PHONE),
        stars=3,
        phone=OTHER_PHONE,
    )

    project = fresh(completed)
    assert (project.rating_count, project.rating_total, project.rating) == (2, 8, 4.0)
    assert "4.0 分 · 2 人评价" in Client().get(f"/projects/{project.code}/").content.decode()


def test_a_comment_is_public_only_after_moderation(completed, supervisor, login):
    # given a rating with a comment
    client = Client()
    _rate(client, completed, otp=_ask_code(client, completed, "rating"))
    rating = Rating.objects.get()
    before = Client().get(f"/projects/{completed.code}/").content.decode()

    # when a supervisor finds it in the moderation queue and shows it
    staff = login(supervisor)
    queue = staff.get("/staff/projects/ratings/").content.decode()
    staff.post(f"/staff/projects/ratings/{rating.pk}/", {"show": "1"})
    after = Client().get(f"/projects/{completed.code}/").content.decode()

    # then the comment appears on the public page only afterwards
    assert COMMENT in queue
    assert COMMENT not in before
    assert COMMENT in after
    assert Rating.objects.get().moderation == "shown"


def test_a_hidden_comment_stays_off_the_public_page(completed, city_admin, login):
    client = Client()
    _rate(client, completed, otp=_ask_code(client, completed, "rating"))
    rating = Rating.objects.get()

    login(city_admin).post(f"/staff/projects/ratings/{rating.pk}/", {"show": "0"})

    assert COMMENT not in Client().get(f"/projects/{completed.code}/").content.decode()
    assert Rating.objects.get().moderation == "hidden"
    assert fresh(completed).rating_count == 1  # the stars still count


@pytest.mark.parametrize("person", ["town_clerk", "county_leader"])
def test_units_do_not_moderate_ratings(completed, login, request, person):
    rating = Rating.objects.create(
        project=completed, phone=PHONE, stars=4, comment=COMMENT, created_at=timezone.now()
    )
    client = login(request.getfixturevalue(person))

    assert client.get("/staff/projects/ratings/").status_code == 403
    assert client.post(f"/staff/projects/ratings/{rating.pk}/", {"show": "1"}).status_code == 403
    assert Rating.objects.get().moderation == "pending"
