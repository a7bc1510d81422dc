"""Study sessions (学习活动): recorded by a unit's clerk or leader for its subtree, with
attendees who are members of the unit, never dated in the future; counts by kind and mode
(五学); 三个一 per party branch with the lists of branches that have not yet; outsiders 404.

The tree (shishi/conftest.py): 漳州市 → 芗城区 (芝山街道 → 芝山社区, 西桥街道), 龙文区 (蓝田街道);
party branches are added below 芝山街道 and 西桥街道."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from shishi.campaign import access, actions, queries
from shishi.campaign.models import StudyEvent, StudyFile, StudySession
from shishi.core.errors import Refused
from shishi.orgs.factories import PersonFactory, UnitFactory
from shishi.orgs.models import Role, Unit
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
Kind, Mode = StudySession.Kind, StudySession.Mode


def _record(person, unit, *, held_on=date(2024, 3, 4), now=None, **fields):
    data = {
        "kind": Kind.CENTRAL_GROUP,
        "mode": Mode.GROUP,
        "topic": "学习贯彻党的二十大精神",
        "place": "三楼会议室",
        **fields,
    }
    return actions.record_session(
        data=actions.SessionData(unit=unit, held_on=held_on, **data),
        actor=actor_of(person),
        now=now or at(2024, 3, 5),
    )


@pytest.fixture
def branches(tree):
    def branch(name, parent):
        return UnitFactory(name=name, kind=Unit.Kind.PARTY_BRANCH, parent=tree[parent])

    return {
        "zs1": branch("芝山社区第一党支部", "zhishan"),
        "zs2": branch("芝山社区第二党支部", "zhishan"),
        "xq1": branch("西桥街道机关党支部", "xiqiao"),
    }


def test_a_clerk_records_a_session_with_members_files_and_an_audit_row(
    tree, town_clerk, town_leader
):
    # given the street's clerk and leader, both members of 芝山街道
    files = [SimpleUploadedFile("签到表.pdf", PDF, content_type="application/pdf")]
    # when the clerk records a session both attended, with five residents
    session = _record(
        town_clerk, tree["zhishan"], attendees=(town_clerk, town_leader), extra_attendees=5,
        files=files,
    )  # fmt: skip
    # then it is saved with its attendees, its file and a 登记 row in the audit trail
    assert set(session.attendees.values_list("name", flat=True)) == {"黄街道", "王主任"}
    assert (session.extra_attendees, session.recorded_by) == (5, town_clerk)
    assert StudyFile.objects.get(session=session).name == "签到表.pdf"
    event = StudyEvent.objects.get()
    assert (event.verb, event.unit, event.session) == ("recorded", tree["zhishan"], session)


def test_a_session_dated_in_the_future_is_refused_and_nothing_saved(tree, town_clerk):
    with pytest.raises(Refused, match="不能晚于今天"):
        _record(town_clerk, tree["zhishan"], held_on=date(2024, 3, 6), now=at(2024, 3, 5, 23))
    assert not StudySession.objects.exists() and not StudyEvent.objects.exists()


def test_a_session_held_today_is_accepted(tree, town_clerk):
    session = _record(town_clerk, tree["zhishan"], held_on=date(2024, 3, 5), now=at(2024, 3, 5, 8))
    assert session.held_on == date(2024, 3, 5)


def test_a_session_without_a_topic_is_refused(tree, town_clerk):
    with pytest.raises(Refused, match="学习主题"):
        _record(town_clerk, tree["zhishan"], topic="  ")
    assert not StudySession.objects.exists()


def test_an_attendee_who_is_not_a_member_of_the_unit_is_refused_by_name(tree, town_clerk, outsider):
    # 李西桥 works at 西桥街道, not at 芝山街道
    with pytest.raises(Refused, match="李西桥不是芝山街道的人员"):
        _record(town_clerk, tree["zhishan"], attendees=(town_clerk, outsider))
    assert not StudySession.objects.exists() and not StudyFile.objects.exists()


def test_a_member_of_a_unit_below_is_not_a_member_of_the_unit(tree, county_clerk, town_clerk):
    with pytest.raises(Refused, match="黄街道不是芗城区的人员"):
        _record(county_clerk, tree["xiangcheng"], attendees=(town_clerk,))


def test_a_unit_outside_the_actors_subtree_is_refused(tree, town_clerk, county_clerk):
    with pytest.raises(Refused, match="本单位及下级单位"):
        _record(town_clerk, tree["xiqiao"])
    assert not StudySession.objects.exists()
    # the county records for a street of its own
    assert _record(county_clerk, tree["xiqiao"]).unit == tree["xiqiao"]


def test_roles_without_the_study_permission_cannot_record(tree, supervisor):
    with pytest.raises(PermissionDenied):
        _record(supervisor, tree["city"])


def test_only_the_sessions_unit_removes_it_and_the_audit_row_stays(tree, town_clerk, county_clerk):
    session = _record(town_clerk, tree["zhishan"])
    # the county sees it but did not hold it
    with pytest.raises(PermissionDenied):
        actions.remove_session(session=session, actor=actor_of(county_clerk), now=at(2024, 3, 6))
    actions.remove_session(session=session, actor=actor_of(town_clerk), now=at(2024, 3, 6))
    assert not StudySession.objects.exists()
    assert list(StudyEvent.objects.values_list("verb", "unit__name", "session")) == [
        ("recorded", "芝山街道", None),
        ("removed", "芝山街道", None),
    ]


def test_a_unit_sees_its_subtrees_sessions_and_a_sibling_gets_404(
    tree, town_clerk, outsider, county_clerk
):
    session = _record(town_clerk, tree["zhishan"])
    assert access.access_session(actor_of(county_clerk), session.pk) == session
    assert list(access.visible_sessions(actor_of(outsider))) == []
    with pytest.raises(Http404):
        access.access_session(actor_of(outsider), session.pk)


def test_counts_by_kind_mode_and_unit_for_a_period(tree, city_admin):
    # given sessions in March and one in April
    for unit, kind, mode, day in (
        ("city", Kind.CENTRAL_GROUP, Mode.LEADER, 4),
        ("city", Kind.CENTRAL_GROUP, Mode.REVIEW, 11),
        ("zhishan", Kind.PARTY_DAY, Mode.GROUP, 5),
        ("xiqiao", Kind.READING_CLASS, Mode.SELF, 6),
        ("lantian", Kind.PARTY_DAY, Mode.GROUP, 7),
    ):
        _record(city_admin, tree[unit], kind=kind, mode=mode, held_on=date(2024, 3, day),
                now=at(2024, 5, 1))  # fmt: skip
    _record(city_admin, tree["zhishan"], held_on=date(2024, 4, 2), now=at(2024, 5, 1))
    # when March is counted
    march = queries.filter_sessions(
        StudySession.objects.all(), start=date(2024, 3, 1), end=date(2024, 3, 31)
    )
    counts = queries.session_counts(march)
    # then by kind, by mode and per subtree
    assert counts.sessions == 5
    kinds = {code: n for code, _, n in counts.by_kind}
    assert (kinds["central_group"], kinds["party_day"], kinds["reading_class"]) == (2, 2, 1)
    modes = {code: n for code, _, n in counts.by_mode}
    assert modes == {"self": 1, "group": 2, "leader": 1, "model": 0, "review": 1}
    by_unit = [(u.name, n) for u, n in queries.sessions_by_unit(march, tree["city"])]
    assert by_unit == [("漳州市", 2), ("芗城区", 2), ("龙文区", 1)]


def test_three_ones_lists_the_branches_that_have_not_yet(tree, branches, county_clerk):
    # given: 芝山一支部 held all three in 2024, 芝山二支部 a 主题党日 only, 西桥 a 主题党日 in 2023
    for branch, kind, held_on in (
        ("zs1", Kind.PARTY_DAY, date(2024, 3, 1)),
        ("zs1", Kind.PARTY_DAY, date(2024, 4, 1)),
        ("zs1", Kind.PARTY_LECTURE, date(2024, 3, 2)),
        ("zs1", Kind.OATH, date(2024, 3, 3)),
        ("zs2", Kind.PARTY_DAY, date(2024, 3, 4)),
        ("xq1", Kind.PARTY_DAY, date(2023, 12, 30)),
    ):
        _record(county_clerk, branches[branch], kind=kind, held_on=held_on, now=at(2024, 5, 1))
    # when 芗城区 reads 2024
    three = queries.three_ones(tree["xiangcheng"], 2024)
    # then each of 三个一 counts the branches that did it and names those that have not
    rows = {kind: (done, [b.name for b in missing]) for kind, _, done, missing in three.rows}
    assert rows["party_day"] == (2, ["西桥街道机关党支部"])
    assert rows["party_lecture"] == (1, ["芝山社区第二党支部", "西桥街道机关党支部"])
    assert rows["oath"] == (1, ["芝山社区第二党支部", "西桥街道机关党支部"])
    assert three.of(branches["zs2"]) == [True, False, False]
    # and 芝山街道 reads its own branches only
    assert [b.name for b in queries.three_ones(tree["zhishan"], 2024).branches] == [
        "芝山社区第一党支部",
        "芝山社区第二党支部",
    ]


def test_three_ones_take_a_fixed_number_of_queries(
    tree, branches, county_clerk, django_assert_num_queries
):
    for branch in branches.values():
        _record(county_clerk, branch, kind=Kind.OATH, held_on=date(2024, 3, 1))
    for _ in range(3):
        UnitFactory(kind=Unit.Kind.PARTY_BRANCH, parent=tree["xiqiao"])
    with django_assert_num_queries(2):
        rows = queries.three_ones(tree["city"], 2024).rows
    assert rows[2][2] == 3 and len(rows[0][3]) == 6


def test_a_branch_clerk_records_for_the_branch_only_with_its_members(tree, branches):
    # given a branch secretary's account (a membership in the branch)
    secretary = PersonFactory(name="支部书记", unit=branches["zs1"], role=Role.UNIT_LEADER)
    session = _record(secretary, branches["zs1"], kind=Kind.OATH, attendees=(secretary,))
    assert list(session.attendees.all()) == [secretary]
    with pytest.raises(Refused):
        _record(secretary, branches["zs2"])


# --- Pages -----------------------------------------------------------------------------------

# 11 = 3 (session, person, memberships) + 2 (the count, the page with units and attendee
# numbers) + 1 (counts by kind and mode) + 2 (per unit: the sessions' paths, the children)
# + 3 (saving the session)
STUDY_LIST_QUERIES = 11


def _url(name, *args):
    return reverse(f"campaign:{name}", args=args)


def test_every_study_page_opens_for_the_unit_and_the_units_above(
    tree, branches, login, town_clerk, county_clerk, city_admin
):
    session = _record(
        town_clerk,
        tree["zhishan"],
        files=[SimpleUploadedFile("签到表.pdf", PDF, content_type="application/pdf")],
    )
    file = session.files.get()
    for person in (town_clerk, county_clerk, city_admin):
        client = login(person)
        for url in (
            _url("study"),
            _url("study_new"),
            _url("three"),
            _url("study_detail", session.pk),
            _url("study_file", session.pk, file.pk),
        ):
            assert client.get(url).status_code == 200, (person.username, url)


def test_a_sibling_town_finds_nothing_of_a_session(tree, login, town_clerk, outsider):
    session = _record(town_clerk, tree["zhishan"])
    client = login(outsider)
    assert client.get(_url("study_detail", session.pk)).status_code == 404
    assert client.post(_url("study_remove", session.pk)).status_code == 404
    assert client.get(f"{_url('study')}?unit={tree['zhishan'].pk}").status_code == 404
    assert session.topic not in client.get(_url("study")).content.decode()


@pytest.mark.parametrize("extra", [0, 12])
def test_the_study_list_takes_the_same_queries_for_few_or_many_sessions(
    extra, tree, login, city_admin, town_clerk, django_assert_num_queries
):
    # given sessions of several units, each with attendees
    for n in range(3 + extra):
        unit = tree[("city", "zhishan", "lantian")[n % 3]]
        _record(city_admin, unit, held_on=date(2024, 3, 1 + n % 28), now=at(2024, 4, 1))
    client = login(city_admin)
    client.get(_url("study"))
    # when the list is opened
    with django_assert_num_queries(STUDY_LIST_QUERIES):
        response = client.get(_url("study"))
    # then every session is counted, by kind and per county
    assert response.context["counts"].sessions == 3 + extra
    assert response.context["page"].paginator.count == 3 + extra


def test_the_list_filters_by_kind_mode_unit_and_dates(tree, login, city_admin, town_clerk):
    _record(town_clerk, tree["zhishan"], topic="甲", kind=Kind.PARTY_DAY, held_on=date(2024, 3, 1))
    _record(town_clerk, tree["zhishan"], topic="乙", mode=Mode.SELF, held_on=date(2024, 3, 2))
    _record(city_admin, tree["lantian"], topic="丙", held_on=date(2024, 2, 1))
    client = login(city_admin)

    def topics(query):
        page = client.get(f"{_url('study')}?{query}").context["page"]
        return {s.topic for s in page.object_list}

    assert topics("kind=party_day") == {"甲"}
    assert topics("mode=self") == {"乙"}
    assert topics(f"unit={tree['xiangcheng'].pk}") == {"甲", "乙"}
    assert topics("start=2024-03-02&end=2024-03-31") == {"乙"}
    # an invalid value is named, not dropped silently
    page = client.get(f"{_url('study')}?kind=nope").content.decode()
    assert "以下查询条件无效" in page


def test_a_clerk_records_a_session_through_the_page(tree, login, town_clerk, town_leader):
    client = login(town_clerk)
    response = client.post(
        _url("study_new"),
        {
            "kind": "party_lecture",
            "mode": "leader",
            "held_on": "2024-03-01",
            "topic": "专题党课：牢记初心使命",
            "attendees": [town_clerk.pk, town_leader.pk],
            "extra_attendees": "12",
            "files": [SimpleUploadedFile("现场.pdf", PDF, content_type="application/pdf")],
        },
        follow=True,
    )
    session = StudySession.objects.get()
    assert response.redirect_chain[-1][0] == _url("study_detail", session.pk)
    assert (session.unit, session.kind, session.files.count()) == (
        tree["zhishan"],
        "party_lecture",
        1,
    )
    assert "共 14 人" in response.content.decode()


def test_a_future_date_on_the_page_is_refused_with_the_form_shown_again(tree, login, town_clerk):
    response = login(town_clerk).post(
        _url("study_new"),
        {"kind": "party_day", "mode": "group", "held_on": "2999-01-01", "topic": "主题党日",
         "extra_attendees": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "活动日期不能晚于今天" in response.content.decode()
    assert not StudySession.objects.exists()


def test_the_form_lists_the_chosen_units_members_and_refuses_a_unit_outside(
    tree, login, county_clerk, town_clerk, outsider
):
    client = login(county_clerk)
    form = client.get(f"{_url('study_new')}?unit={tree['zhishan'].pk}").context["form"]
    assert [p.name for p in form.fields["attendees"].queryset] == ["黄街道"]
    assert client.get(f"{_url('study_new')}?unit={tree['lantian'].pk}").status_code == 404


def test_the_session_is_removed_by_its_unit_after_confirmation(
    tree, login, town_clerk, county_clerk
):
    session = _record(town_clerk, tree["zhishan"])
    page = login(county_clerk).get(_url("study_detail", session.pk)).content.decode()
    assert "remove-session" not in page
    assert login(county_clerk).post(_url("study_remove", session.pk)).status_code == 403
    client = login(town_clerk)
    page = client.get(_url("study_detail", session.pk)).content.decode()
    assert 'data-confirm="确定删除' in page
    client.post(_url("study_remove", session.pk))
    assert not StudySession.objects.exists()


def test_the_three_ones_page_names_the_branches_not_yet_done(tree, branches, login, county_clerk):
    today = timezone.localdate()
    _record(county_clerk, branches["zs1"], kind=Kind.OATH, held_on=today, now=timezone.now())
    page = login(county_clerk).get(_url("three")).content.decode()
    assert "重温入党誓词" in page and "1/3" in page
    assert "西桥街道机关党支部" in page and "尚未开展（3个）" in page
