"""The staff pages of 部署任务: who may open what, the pinned queries of the lists, and the
report → approve / return flow through the views.

The tree (shishi/conftest.py): 漳州市 → 芗城区 (芝山街道 → 芝山社区, 西桥街道), 龙文区 (蓝田街道).
Directives are issued on Monday 2024-03-04 (due 03-11), so by any day these tests run the
unreported ones are past their deadline."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shishi.campaign import actions
from shishi.campaign.models import Assignment, Directive
from shishi.orgs.factories import PersonFactory, UnitFactory
from shishi.orgs.models import Role, Unit
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
STREETS = (Unit.Kind.STREET, Unit.Kind.TOWN)
REPORT = "3月6日召开专题组织生活会，全体党员参加，开展了批评与自我批评。"


def _issue(person, tree, *, root="city", kinds=STREETS):
    return actions.issue_directive(
        data=actions.DirectiveData(
            title="召开党史学习教育专题组织生活会",
            content="各党支部召开专题组织生活会，开展批评与自我批评。",
            days=5,
            evidence="会议记录、现场照片",
            target_root=tree[root],
            target_kinds=kinds,
        ),
        actor=actor_of(person),
        now=at(2024, 3, 4, 9),
    )


@pytest.fixture
def directive(tree, city_admin, town_clerk, outsider, lantian_clerk):
    return _issue(city_admin, tree)


def _of(directive, unit) -> Assignment:
    return Assignment.objects.get(directive=directive, unit=unit)


def _pdf(name="会议记录.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _url(name, *args):
    return reverse(f"campaign:{name}", args=args)


def _report_through_the_page(client, assignment, *, text=REPORT, files=None):
    files = [_pdf()] if files is None else files
    return client.post(_url("report", assignment.pk), {"text": text, "files": files}, follow=True)


# --- Who may open what -------------------------------------------------------------------------


def test_every_page_opens_for_the_roles_it_is_for(
    directive, tree, login, city_admin, town_clerk, county_leader
):
    mine = _of(directive, tree["zhishan"])
    _report_through_the_page(login(town_clerk), mine)
    file = mine.evidence.get()
    pages = {
        city_admin: [
            _url("directives"),
            _url("new"),
            _url("directive", directive.pk),
            _url("assignment", mine.pk),
            _url("evidence", mine.pk, file.pk),
            f"{_url('target_count')}?target_root={tree['city'].pk}",
        ],
        town_clerk: [
            _url("directives"),
            _url("mine"),
            _url("directive", directive.pk),
            _url("assignment", mine.pk),
            _url("evidence", mine.pk, file.pk),
        ],
        county_leader: [
            _url("directives"),
            _url("new"),
            _url("mine"),
            _url("directive", directive.pk),
            f"{_url('directive', directive.pk)}?unit={tree['zhishan'].pk}",
            _url("assignment", mine.pk),
        ],
    }
    for person, urls in pages.items():
        client = login(person)
        for url in urls:
            assert client.get(url).status_code == 200, (person.username, url)


def test_a_street_clerk_finds_nothing_of_a_sibling_streets_assignment(
    directive, tree, login, town_clerk, outsider
):
    # given 芝山街道's report with its evidence
    mine = _of(directive, tree["zhishan"])
    _report_through_the_page(login(town_clerk), mine)
    file = mine.evidence.get()
    # when the clerk of the sibling street 西桥街道 tries its pages and steps
    client = login(outsider)
    # then each is not found, as if it did not exist
    for url in (_url("assignment", mine.pk), _url("evidence", mine.pk, file.pk)):
        assert client.get(url).status_code == 404, url
    for name in ("report", "approve", "return"):
        assert client.post(_url(name, mine.pk), {"text": "x", "reason": "x"}).status_code == 404
    # and 西桥街道's own page does not serve 芝山街道's file either
    theirs = _of(directive, tree["xiqiao"])
    assert client.get(_url("evidence", theirs.pk, file.pk)).status_code == 404


def test_a_unit_of_another_county_is_not_found_on_the_directive_page(
    directive, tree, login, county_leader
):
    client = login(county_leader)  # 芗城区
    url = _url("directive", directive.pk)

    assert client.get(f"{url}?unit={tree['longwen'].pk}").status_code == 404
    assert client.get(f"{url}?unit={tree['xiqiao'].pk}").status_code == 200


def test_a_directive_of_another_county_is_not_found(tree, login, county_leader, outsider):
    # given a directive 龙文区 sends to its own streets
    longwen_leader = _leader_of(tree["longwen"])
    theirs = _issue(longwen_leader, tree, root="longwen")
    # then neither 芗城区 nor a street of it finds it
    for person in (county_leader, outsider):
        client = login(person)
        assert client.get(_url("directive", theirs.pk)).status_code == 404
        assert client.post(_url("close", theirs.pk)).status_code == 404
        assert theirs.title not in client.get(_url("directives")).content.decode()


def _leader_of(unit):
    return PersonFactory(username=f"leader_{unit.pk}", unit=unit, role=Role.UNIT_LEADER)


def test_roles_without_the_permission_are_refused(
    directive, tree, login, city_admin, town_clerk, supervisor, auditor, county_clerk
):
    mine = _of(directive, tree["zhishan"])
    refused = {
        auditor: [("get", _url("directives")), ("get", _url("directive", directive.pk))],
        supervisor: [("get", _url("new")), ("get", _url("mine")), ("get", _url("target_count"))],
        town_clerk: [("get", _url("new")), ("post", _url("approve", mine.pk))],
        county_clerk: [("post", _url("close", directive.pk)), ("get", _url("new"))],
        city_admin: [("get", _url("mine")), ("post", _url("report", mine.pk))],
    }
    for person, requests in refused.items():
        client = login(person)
        for method, url in requests:
            response = getattr(client, method)(url, {})
            assert response.status_code == 403, (person.username, url)
    # the supervisor may still read
    assert login(supervisor).get(_url("directive", directive.pk)).status_code == 200
    assert Assignment.objects.get(pk=mine.pk).status == "pending"


# --- Pinned queries ------------------------------------------------------------------------------

# 9 = 3 (session, person, memberships for the actor and the switcher) + 3 (the count, the page
# with issuers, the coverage of the page's directives in one query) + 3 (saving the session)
LIST_QUERIES = 9
# 14 = 3 (session, person, memberships) + 1 (the directive with its issuer) + 1 (its
# attachments) + 2 (coverage by level: the children, the assignments) + 1 (the total) + 1 (the
# late list) + 2 (the table: count, page with units) + 3 (saving the session)
DIRECTIVE_QUERIES = 14


def _more_streets(tree, number: int) -> None:
    for n in range(number):
        UnitFactory(name=f"新建街道{n}", kind=Unit.Kind.STREET, parent=tree["longwen"])


@pytest.mark.parametrize("extra", [0, 9])
def test_the_list_takes_the_same_queries_for_few_or_many_units(
    extra, tree, city_admin, town_clerk, login, django_assert_num_queries
):
    # given two directives reaching 3 (or 12) streets, one of them reported and approved
    _more_streets(tree, extra)
    directive = _issue(city_admin, tree)
    _issue(city_admin, tree)
    mine = _of(directive, tree["zhishan"])
    actions.submit_assignment(
        assignment=mine,
        actor=actor_of(town_clerk),
        report=actions.Report(text=REPORT, files=[_pdf()]),
        now=at(2024, 3, 6),
    )
    actions.approve_assignment(assignment=mine, actor=actor_of(city_admin), now=at(2024, 3, 7))
    client = login(city_admin)
    client.get(_url("directives"))  # the session is created once

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(_url("directives"))

    # then each row says how far the city has got
    page = response.content.decode()
    assert f"1/{3 + extra}" in page and f"0/{3 + extra}" in page
    assert f"超期 {2 + extra}" in page


@pytest.mark.parametrize("extra", [0, 9])
def test_the_directive_page_takes_the_same_queries_for_few_or_many_units(
    extra, tree, city_admin, town_clerk, login, django_assert_num_queries
):
    _more_streets(tree, extra)
    directive = _issue(city_admin, tree)
    actions.submit_assignment(
        assignment=_of(directive, tree["zhishan"]),
        actor=actor_of(town_clerk),
        report=actions.Report(text=REPORT, files=[_pdf()]),
        now=at(2024, 3, 6),
    )
    client = login(city_admin)
    client.get(_url("directive", directive.pk))

    with django_assert_num_queries(DIRECTIVE_QUERIES):
        response = client.get(_url("directive", directive.pk))

    levels = dict(response.context["levels"])
    assert (levels[tree["xiangcheng"]].assigned, levels[tree["longwen"]].assigned) == (2, 1 + extra)
    assert len(response.context["late"]) == 2 + extra
    assert response.context["page"].paginator.count == 3 + extra


# --- The flow through the pages ------------------------------------------------------------------


def test_the_form_deploys_a_directive_and_says_how_many_units_it_reached(
    tree, login, city_admin, town_clerk
):
    client = login(city_admin)
    # when the city office fills in the form for the streets of the city
    response = client.post(
        _url("new"),
        {
            "title": "开展防汛安全隐患排查",
            "content": "各街道组织排查辖区内防汛安全隐患，建立台账，逐项整改。",
            "days": "5",
            "evidence": "排查台账、现场照片",
            "target_root": tree["city"].pk,
            "target_kinds": ["street"],
        },
        follow=True,
    )
    # then it lands on the new directive's page, which says how many units it reached
    directive = Directive.objects.get()
    assert response.redirect_chain[-1][0] == _url("directive", directive.pk)
    assert "下达到 3 个单位" in response.content.decode()
    assert set(directive.assignments.values_list("unit__name", flat=True)) == {
        "芝山街道",
        "西桥街道",
        "蓝田街道",
    }


def test_a_directive_without_targets_comes_back_with_the_refusal_and_nothing_saved(
    tree, login, city_admin
):
    client = login(city_admin)
    data = {
        "title": "企业安全生产检查",
        "content": "各企业开展安全生产自查。",
        "days": "5",
        "evidence": "自查报告",
        "target_root": tree["city"].pk,
        "target_kinds": ["enterprise"],
    }
    response = client.post(_url("new"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "没有符合条件的单位，任务没有下达对象" in page
    assert "企业安全生产检查" in page  # what was typed stays in the form
    assert not Directive.objects.exists()
    # and days outside 1–60 are named on the form
    response = client.post(_url("new"), {**data, "days": "61", "target_kinds": []})
    assert "days" in response.context["form"].errors and not Directive.objects.exists()


def test_the_live_count_says_how_many_units_the_choice_reaches(tree, login, county_leader):
    client = login(county_leader)  # 芗城区: its streets and 芝山社区
    url = _url("target_count")

    everyone = client.get(f"{url}?target_root={tree['xiangcheng'].pk}").content.decode()
    streets = client.get(
        f"{url}?target_root={tree['xiangcheng'].pk}&target_kinds=street"
    ).content.decode()

    assert "<strong>3</strong>" in everyone and "<strong>2</strong>" in streets
    assert client.get(f"{url}?target_root={tree['longwen'].pk}").status_code == 404


def test_a_report_is_approved_through_the_pages(directive, tree, login, town_clerk, city_admin):
    mine = _of(directive, tree["zhishan"])
    clerk = login(town_clerk)
    # given the street clerk finds the task under 我的任务
    assert directive.title in clerk.get(_url("mine")).content.decode()
    # when they report with two files
    response = _report_through_the_page(clerk, mine, files=[_pdf(), _pdf("签到表.pdf")])
    # then it waits for the city office
    assert "已报送，等待部署单位审核" in response.content.decode()
    mine.refresh_from_db()
    assert (mine.status, mine.evidence.count()) == ("submitted", 2)
    assert 'data-testid="report-form"' not in response.content.decode()

    # when the city office approves it
    admin = login(city_admin)
    assert 'data-testid="approve"' in admin.get(_url("assignment", mine.pk)).content.decode()
    response = admin.post(_url("approve", mine.pk), follow=True)
    # then it is done (late: reported after 03-11), and the timeline says so
    mine.refresh_from_db()
    assert (mine.status, mine.on_time) == ("approved", False)
    page = response.content.decode()
    assert "已审核通过：芝山街道完成该任务" in page and "审核通过" in page
    levels = dict(admin.get(_url("directive", directive.pk)).context["levels"])
    assert (levels[tree["xiangcheng"]].late, levels[tree["xiangcheng"]].assigned) == (1, 2)


def test_a_returned_report_is_reported_again_through_the_pages(
    directive, tree, login, town_clerk, city_admin
):
    mine = _of(directive, tree["zhishan"])
    clerk, admin = login(town_clerk), login(city_admin)
    _report_through_the_page(clerk, mine)
    # a return without a reason is refused in words, and nothing changes
    response = admin.post(_url("return", mine.pk), {"reason": " "}, follow=True)
    assert "请写明退回原因" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "submitted"
    # the city office returns it with a reason
    admin.post(_url("return", mine.pk), {"reason": "缺少现场照片"})
    mine.refresh_from_db()
    assert (mine.status, mine.returns) == ("returned", 1)
    # the street sees the reason and reports again
    page = clerk.get(_url("assignment", mine.pk)).content.decode()
    assert "缺少现场照片" in page and 'data-testid="report-form"' in page
    _report_through_the_page(clerk, mine, text="补充了现场照片。" + REPORT)
    mine.refresh_from_db()
    assert mine.status == "submitted" and mine.report.startswith("补充了现场照片")
    verbs = list(mine.events.values_list("verb", flat=True))
    assert verbs == ["assigned", "submitted", "returned", "submitted"]
    timeline = admin.get(_url("assignment", mine.pk)).content.decode()
    assert "退回重报" in timeline and "报送完成情况" in timeline


def test_a_report_without_evidence_says_what_is_missing_and_keeps_the_text(
    directive, tree, login, town_clerk
):
    mine = _of(directive, tree["zhishan"])
    clerk = login(town_clerk)

    response = _report_through_the_page(clerk, mine, files=[])

    page = response.content.decode()
    assert "请上传佐证材料：会议记录、现场照片" in page
    assert REPORT in page  # back in the text box
    mine.refresh_from_db()
    assert mine.status == "pending" and not mine.evidence.exists()
    # the text is given back once; a file that is no evidence is named
    response = _report_through_the_page(
        clerk, mine, files=[SimpleUploadedFile("a.pdf", b"hello", content_type="application/pdf")]
    )
    assert "“a.pdf”不是图片或 PDF" in response.content.decode()


def test_a_file_chosen_for_a_failed_report_is_kept_for_the_next(directive, tree, login, town_clerk):
    mine = _of(directive, tree["zhishan"])
    clerk = login(town_clerk)
    # a report with a file but no text fails, the file is kept
    page = _report_through_the_page(clerk, mine, text="").content.decode()
    assert "请填写完成情况" in page and 'data-testid="kept-files"' in page
    # the next report (text only) takes the kept file
    _report_through_the_page(clerk, mine, files=[])
    mine.refresh_from_db()
    assert mine.status == "submitted" and mine.evidence.get().name == "会议记录.pdf"


def test_the_evidence_is_served_only_to_who_may_see_the_assignment(
    directive, tree, login, town_clerk, city_admin, county_leader, lantian_clerk, auditor
):
    mine = _of(directive, tree["zhishan"])
    _report_through_the_page(login(town_clerk), mine)
    url = _url("evidence", mine.pk, mine.evidence.get().pk)

    for person in (town_clerk, city_admin, county_leader):
        response = login(person).get(url)
        assert response.status_code == 200, person.username
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
    assert login(lantian_clerk).get(url).status_code == 404
    assert login(auditor).get(url).status_code == 403


def test_the_issuer_closes_a_directive_and_it_takes_no_more_reports(
    directive, tree, login, city_admin, town_clerk
):
    admin = login(city_admin)
    page = admin.get(_url("directive", directive.pk)).content.decode()
    assert 'data-testid="close-directive"' in page and "data-confirm=" in page

    response = admin.post(_url("close", directive.pk), follow=True)

    assert "任务已结束" in response.content.decode()
    directive.refresh_from_db()
    assert directive.status == "closed"
    mine = _of(directive, tree["zhishan"])
    page = login(town_clerk).get(_url("assignment", mine.pk)).content.decode()
    assert 'data-testid="report-form"' not in page
    # a report posted anyway is refused in words
    response = _report_through_the_page(login(town_clerk), mine)
    assert "该任务已经结束，不能报送" in response.content.decode()


def test_my_tasks_show_what_is_overdue_and_filter_by_status(directive, tree, login, town_clerk):
    client = login(town_clerk)

    response = client.get(_url("mine"))

    page = response.content.decode()
    assert directive.title in page and "已超期" in page and "table-danger" in page
    assert response.context["counts"]["overdue"] == 1
    assert directive.title not in client.get(f"{_url('mine')}?status=approved").content.decode()
    bad = client.get(f"{_url('mine')}?status=bogus").content.decode()
    assert 'data-testid="ignored-filters"' in bad and directive.title in bad


def test_the_list_filters_by_status_and_title(directive, tree, login, city_admin):
    client = login(city_admin)

    assert directive.title in client.get(f"{_url('directives')}?q=组织生活会").content.decode()
    assert directive.title not in client.get(f"{_url('directives')}?q=防汛").content.decode()
    closed = client.get(f"{_url('directives')}?status=closed").content.decode()
    assert directive.title not in closed and "没有符合条件的任务" in closed


def test_an_empty_list_says_what_to_do(tree, login, city_admin, town_clerk):
    assert "部署新任务" in login(city_admin).get(_url("directives")).content.decode()
    page = login(town_clerk).get(_url("directives")).content.decode()
    assert "还没有下达到本单位的任务" in page and 'data-testid="new-directive"' not in page


def test_my_tasks_put_what_is_still_to_report_before_what_is_done(
    tree, login, city_admin, town_clerk
):
    # given an older directive 芝山街道 has done and a newer one it has not reported yet
    done = _issue(city_admin, tree)
    mine = _of(done, tree["zhishan"])
    actions.submit_assignment(
        assignment=mine,
        actor=actor_of(town_clerk),
        report=actions.Report(text=REPORT, files=[_pdf()]),
        now=at(2024, 3, 5),
    )
    actions.approve_assignment(assignment=mine, actor=actor_of(city_admin), now=at(2024, 3, 6))
    todo = _issue(city_admin, tree)

    rows = login(town_clerk).get(_url("mine")).context["page"].object_list

    assert [a.directive_id for a in rows] == [todo.pk, done.pk]


def test_a_directives_attachment_is_served_to_its_units_and_no_one_else(
    tree, login, city_admin, town_clerk, lantian_clerk
):
    # given the city deploys to 芗城区's streets with a notice attached, through the form
    response = login(city_admin).post(
        _url("new"),
        {
            "title": "开展回头看",
            "content": "对已办结诉求逐件回访。",
            "days": 5,
            "evidence": "回访台账",
            "target_root": tree["xiangcheng"].pk,
            "target_kinds": [Unit.Kind.STREET],
            "files": [_pdf("关于开展回头看的通知.pdf")],
        },
    )
    directive = Directive.objects.get(title="开展回头看")
    assert response["Location"] == _url("directive", directive.pk)
    attachment = directive.files.get()
    # then 芝山街道 sees it on its assignment and downloads it
    street = login(town_clerk)
    page = street.get(_url("assignment", _of(directive, tree["zhishan"]).pk)).content.decode()
    assert "关于开展回头看的通知.pdf" in page
    assert street.get(_url("directive_file", directive.pk, attachment.pk)).status_code == 200
    # and 蓝田街道 (not a target) gets 404
    other = login(lantian_clerk)
    assert other.get(_url("directive_file", directive.pk, attachment.pk)).status_code == 404
