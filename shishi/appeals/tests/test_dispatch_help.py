"""Dispatch that helps the operator: a picker of units that can sign with the likely ones
first, 修改分类 that moves the deadlines, 不清楚 on the public form, the 待派单 list oldest
first with a dispatch deadline that climbs the ladder, and 转派 without signing as the city
decides."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from shishi.appeals import actions
from shishi.appeals.actions import sweep_dispatch, sweep_supervision
from shishi.appeals.allowed import Step, allowed_actions
from shishi.appeals.forms import LONGEST_KIND
from shishi.appeals.models import Appeal, AppealEvent, Category, Kind, Status
from shishi.appeals.tests.conftest import CONTENT, HOUSING, LABOUR, SAFETY
from shishi.appeals.tests.helpers import actor_of, at, fresh, sms_to, state_of, verbs
from shishi.appeals.tests.test_staff_pages import APPEAL_PAGE_QUERIES, SHELL_QUERIES
from shishi.core import workdays
from shishi.core.errors import Refused
from shishi.core.supervision import Level

pytestmark = pytest.mark.django_db

MONDAY = at(2024, 3, 4, 9)
V = AppealEvent.Verb


def _picker(client, appeal) -> list:
    """The 主办单位 choices of the appeal page: [(group, [(pk, label)])] or [(pk, label)]."""
    page = client.get(reverse("appeals:detail", args=[appeal.code]))
    assert page.status_code == 200
    return page.context["dispatch_form"].fields["to_unit"].widget.choices[1:]


def _labels(choices) -> dict[str, list[str]]:
    return {group: [label.strip("\u3000") for _, label in items] for group, items in choices}


# --- The unit picker -----------------------------------------------------------------------------


def test_picker_lists_only_units_that_can_sign(desk, login, operator):
    # given an appeal at the city; 龙文区 and 芝山社区 have nobody who could sign, and 西桥街道's
    # only clerk has left
    appeal = desk.submit(now=MONDAY)
    desk.sibling.person.is_active = False
    desk.sibling.person.save()

    # when the operator opens it
    choices = _picker(login(operator), appeal)

    # then the picker offers the staffed units only, in tree order
    assert [label.strip("\u3000") for _, label in choices] == ["芗城区", "芝山街道", "蓝田街道"]
    # and a post naming an unstaffed unit is refused as not on offer
    response = login(operator).post(
        reverse("appeals:dispatch", args=[appeal.code]), {"to_unit": desk.tree["longwen"].pk}
    )
    assert response.status_code == 302
    assert fresh(appeal).status == Status.RECEIVED


def test_picker_puts_the_chosen_place_and_earlier_handlers_first(
    desk, login, operator, lantian_clerk
):
    # given an earlier housing appeal from 芝山街道 that 西桥街道 took on, one 蓝田街道 returned,
    # and a labour appeal from there that 蓝田街道 handled
    place = {"county": desk.tree["xiangcheng"], "town": desk.tree["zhishan"]}
    earlier = desk.submit(now=MONDAY, **place)
    desk.dispatch(earlier, to="xiangcheng", now=MONDAY)
    desk.dispatch(earlier, to="xiqiao", now=MONDAY)
    bounced = desk.submit(now=MONDAY, **place)
    desk.dispatch(bounced, to="lantian", now=MONDAY)
    actions.return_appeal(
        appeal=bounced, actor=actor_of(lantian_clerk), reason="非本街道", now=MONDAY
    )
    other = desk.submit(now=MONDAY, category=LABOUR, **place)
    desk.dispatch(other, to="lantian", now=MONDAY)

    # when a new housing appeal from 芝山街道 reaches the operator
    appeal = desk.submit(now=MONDAY + timedelta(hours=1), **place)
    choices = _picker(login(operator), appeal)

    # then the town and county the citizen chose come first, then 西桥街道, which handled the
    # same kind of problem there; 蓝田街道 (returned it, or handled another category) does not
    assert _labels(choices) == {
        "推荐": [
            "芝山街道（所在乡镇（街道））",
            "芗城区（所在县（区））",
            "西桥街道（曾办理当地同类诉求）",
        ],
        "其他单位": ["蓝田街道"],
    }
    # and the co-handler list is ordered the same way
    page = login(operator).get(reverse("appeals:detail", args=[appeal.code]))
    assert page.context["dispatch_form"].fields["co_units"].widget.choices == choices
    assert 'data-searchable="输入单位名称筛选"' in page.content.decode()


def test_suggestions_cost_no_extra_query(desk, login, operator, django_assert_num_queries):
    # given an appeal with a place, and an earlier one of the same kind that went to 西桥街道
    place = {"county": desk.tree["xiangcheng"], "town": desk.tree["zhishan"]}
    earlier = desk.submit(now=MONDAY, **place)
    desk.dispatch(earlier, to="xiqiao", now=MONDAY)
    appeal = desk.submit(now=MONDAY, **place)
    client = login(operator)

    # when the operator opens it, then the page costs what it did: suggestions ride on the
    # one units query
    with django_assert_num_queries(SHELL_QUERIES + APPEAL_PAGE_QUERIES + 1):
        response = client.get(reverse("appeals:detail", args=[appeal.code]))
    assert "推荐" in dict(response.context["dispatch_form"].fields["to_unit"].widget.choices[1:])


# --- 修改分类 -------------------------------------------------------------------------------------


def test_operator_reclassifies_and_the_handling_deadline_follows(desk, town_clerk):
    # given a 求助 about housing (5 working days) that 芝山街道 signed on Monday: due 03-11
    appeal = desk.in_town(now=MONDAY)
    assert appeal.handle_due.isoformat() == "2024-03-11"

    # when the operator makes it a labour 投诉 (13 working days)
    actions.reclassify_appeal(
        appeal=appeal,
        actor=desk.operator,
        category=desk.categories[LABOUR],
        kind=Kind.COMPLAINT,
        note="实为欠薪",
        now=at(2024, 3, 5),
    )

    # then category, kind and deadline change, counted from the same start
    changed = fresh(appeal)
    assert (changed.category.full_name, changed.kind) == (LABOUR, Kind.COMPLAINT)
    assert changed.handle_due.isoformat() == "2024-03-21"
    # and the timeline says from what to what, and why; the town is told its new deadline
    event = AppealEvent.objects.get(appeal=appeal, verb=V.RECLASSIFIED)
    assert event.note == (
        "分类 城乡建设/住房保障 → 劳动和社会保障/劳动关系；类型 求助 → 投诉；"
        "办理期限 2024-03-11 → 2024-03-21。实为欠薪"
    )
    assert not event.public
    assert any("【分类调整】" in body and "03月21日" in body for body in sms_to(town_clerk.phone))


def test_operator_reclassifies_through_the_page(desk, login, operator):
    # given a 求助 about housing that 芝山街道 signed today
    appeal = desk.in_town(now=timezone.now())
    limits_start = workdays.sub_workdays(appeal.handle_due, 5)

    # when the operator posts 修改分类 on its page
    response = login(operator).post(
        reverse("appeals:reclassify", args=[appeal.code]),
        {"category": desk.categories[LABOUR].pk, "kind": Kind.COMPLAINT, "note": ""},
        follow=True,
    )

    # then it is changed, and the page says the new deadline
    changed = fresh(appeal)
    assert (changed.category.full_name, changed.kind) == (LABOUR, Kind.COMPLAINT)
    assert changed.handle_due == workdays.add_workdays(limits_start, 13)
    assert f"已修改分类，办理期限 {changed.handle_due:%Y-%m-%d}" in response.content.decode()


def test_a_shorter_clock_keeps_an_extension_and_never_lies_in_the_past(desk):
    # given a housing 求助 signed on Monday (due 03-11), extended by 2 working days (03-13)
    appeal = desk.in_town(now=MONDAY)
    review = actions.request_extension(
        appeal=appeal, actor=desk.town, days=2, reason="需协调", now=MONDAY
    )
    actions.decide_review(review=review, actor=desk.supervisor, approve=True, note="", now=MONDAY)
    assert fresh(appeal).handle_due.isoformat() == "2024-03-13"

    # when on Tuesday it becomes a safety hazard (2 working days)
    actions.reclassify_appeal(
        appeal=appeal,
        actor=desk.operator,
        category=desk.categories[SAFETY],
        kind=Kind.HELP,
        now=at(2024, 3, 5),
    )

    # then the deadline is 2 days from the start plus the 2 granted: 03-08
    assert fresh(appeal).handle_due.isoformat() == "2024-03-08"

    # and when on Wednesday 03-13 it becomes an accident (1 day: due 03-07, already past),
    # the deadline is today rather than a day the unit can no longer meet
    actions.reclassify_appeal(
        appeal=appeal,
        actor=desk.operator,
        category=desk.categories["城乡建设/安全生产/事故处理"],
        kind=Kind.HELP,
        now=at(2024, 3, 13),
    )
    assert fresh(appeal).handle_due.isoformat() == "2024-03-13"


def test_before_dispatch_reclassifying_changes_what_the_dispatch_will_set(desk):
    # given a 求助 at the city, reclassified as a 咨询 before anyone dispatched it
    appeal = desk.submit(now=MONDAY)
    actions.reclassify_appeal(
        appeal=appeal,
        actor=desk.operator,
        category=desk.categories[HOUSING],
        kind=Kind.CONSULT,
        now=MONDAY,
    )
    assert fresh(appeal).handle_due is None

    # when it is dispatched, then the 咨询's 3 days apply
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    assert fresh(appeal).handle_due.isoformat() == "2024-03-07"


@pytest.mark.parametrize(
    ("who", "change", "refusal"),
    [
        ("county", {"kind": Kind.COMPLAINT}, "只有首接单位可以修改分类"),
        ("operator", {}, "分类和类型都没有改变"),
        ("operator", {"unsorted": True}, "请选择一个在用的具体分类"),
    ],
)
def test_reclassifying_is_refused_and_changes_nothing(desk, who, change, refusal):
    # given an appeal 芗城区 holds
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    before = state_of(appeal)
    category = actions.unsorted_category() if change.get("unsorted") else desk.categories[HOUSING]

    # when someone tries a change that is not theirs to make, or no change, or 待分类
    with pytest.raises(Refused, match=refusal):
        actions.reclassify_appeal(
            appeal=appeal,
            actor=getattr(desk, who),
            category=category,
            kind=change.get("kind", Kind.HELP),
            now=MONDAY,
        )

    # then nothing changed
    assert state_of(appeal) == before


def test_reclassify_form_loads_when_opened(desk, login, operator, town_clerk):
    # given an appeal the operator received, now with 芝山街道
    appeal = desk.in_town(now=MONDAY)
    url = reverse("appeals:reclassify", args=[appeal.code])

    # when the operator opens the 修改分类 form, then its fields arrive with the appeal's
    # current classification chosen
    fields = login(operator).get(url)
    assert fields.status_code == 200
    assert fields.context["form"].initial == {
        "category": desk.categories[HOUSING].pk,
        "kind": Kind.HELP,
    }
    # and the town, which did not receive it, is not offered the step
    assert Step.RECLASSIFY not in allowed_actions(desk.town, fresh(appeal))
    refused = login(town_clerk).post(
        url, {"category": desk.categories[LABOUR].pk, "kind": Kind.HELP}, follow=True
    )
    assert "只有首接单位可以修改分类" in refused.content.decode()
    assert fresh(appeal).category == desk.categories[HOUSING]


# --- The public form: 不清楚 --------------------------------------------------------------------


def _ask_code(client, phone: str) -> str:
    client.post(reverse("portal:send_otp"), {"reporter_phone": phone})
    (body,) = [b for b in sms_to(phone) if "验证码" in b]
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_citizen_who_does_not_know_the_category_files_it_unsorted(categories, tree, client, desk):
    # given the public form: 不清楚 is offered and the kind starts at the longest clock
    form = client.get(reverse("portal:report"))
    html = form.content.decode()
    assert '<option value="unsure">不清楚（由工作人员分类）</option>' in html
    assert LONGEST_KIND == Kind.COMPLAINT
    assert form.context["form"]["kind"].value() == Kind.COMPLAINT

    # when a citizen leaves the kind and answers 不清楚
    phone = "13700001234"
    code = _ask_code(client, phone)
    response = client.post(
        reverse("portal:report"),
        {
            "kind": Kind.COMPLAINT,
            "category": "unsure",
            "content": CONTENT,
            "reporter_phone": phone,
            "otp": code,
        },
    )

    # then the appeal waits under 待分类 (created for it) for the office to classify
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.category.is_unsorted
    assert Category.objects.filter(name=Category.UNSORTED).count() == 1
    # and the operator may reclassify it
    assert Step.RECLASSIFY in allowed_actions(desk.operator, appeal)


# --- 待派单: oldest first, a deadline, the ladder -------------------------------------------


def test_intake_and_return_set_the_dispatch_deadline(desk):
    # when an appeal is received on Monday, then it is to be dispatched by Tuesday
    appeal = desk.submit(now=MONDAY)
    assert fresh(appeal).dispatch_due.isoformat() == "2024-03-05"

    # when it is reminded, dispatched, and 芗城区 returns it on Friday
    sweep_dispatch(now=at(2024, 3, 4, 12))
    assert fresh(appeal).dispatch_level == Level.REMIND
    desk.dispatch(appeal, to="xiangcheng", now=at(2024, 3, 8, 9))
    actions.return_appeal(appeal=appeal, actor=desk.county, reason="非本区", now=at(2024, 3, 8))

    # then it is to be dispatched again by Monday, starting from the bottom of the ladder
    returned = fresh(appeal)
    assert returned.dispatch_due.isoformat() == "2024-03-11"
    assert (returned.dispatch_level, returned.dispatch_level_at) == (Level.NONE, None)


def test_waiting_appeal_climbs_the_dispatch_ladder_and_the_operators_are_told(
    desk, operator, town_clerk
):
    # given an appeal received on Monday 03-04 (dispatch by Tuesday)
    appeal = desk.submit(now=MONDAY)
    seen = {}

    # when the dispatch sweep runs each morning and nobody dispatches it
    for day in (4, 5, 6, 11):
        sweep_dispatch(now=at(2024, 3, day, 8))
        seen[day] = fresh(appeal).dispatch_level

    # then it climbs like any duty: reminded, urged on the day, supervised, reported
    assert seen == {4: Level.REMIND, 5: Level.URGE, 6: Level.SUPERVISE, 11: Level.NOTIFY}
    ladder = [e for e in AppealEvent.objects.filter(appeal=appeal) if e.data.get("duty")]
    assert [e.verb for e in ladder][-1] == V.NOTIFY
    assert {e.data["duty"] for e in ladder} == {"dispatch"}
    # and the operators of the city, who dispatch, get the texts
    texts = sms_to(operator.phone)
    assert [
        sum(f"【派单{rung}】" in t for t in texts) for rung in ("提醒", "催办", "督办", "通报")
    ] == [
        1,
        1,
        1,
        1,
    ]
    # and the handling ladder leaves it alone
    assert fresh(appeal).supervision == Level.NONE
    sweep_supervision(now=at(2024, 3, 11, 8))
    assert fresh(appeal).supervision == Level.NONE

    # when it is finally dispatched, the dispatch sweep lets it go
    desk.dispatch(appeal, to="xiangcheng", now=at(2024, 3, 11, 9))
    before = AppealEvent.objects.filter(appeal=appeal).count()
    sweep_dispatch(now=at(2024, 3, 12, 8))
    assert AppealEvent.objects.filter(appeal=appeal).count() == before
    assert not sms_to(town_clerk.phone)


def test_waiting_appeal_first_seen_late_records_every_rung_but_texts_once(desk, operator):
    # given an appeal received on Monday 03-04 that no sweep saw until Monday 03-11
    appeal = desk.submit(now=MONDAY)

    # when the dispatch sweep finally runs
    sweep_dispatch(now=at(2024, 3, 11, 8))

    # then it lands on 通报 with every rung below it on the timeline, and one text
    assert fresh(appeal).dispatch_level == Level.NOTIFY
    ladder = [
        e for e in AppealEvent.objects.filter(appeal=appeal).order_by("pk") if e.data.get("duty")
    ]
    assert [e.verb for e in ladder] == [V.REMIND, V.URGE, V.SUPERVISE, V.NOTIFY]
    assert [e.data.get("passed", False) for e in ladder] == [True, True, True, False]
    assert len([t for t in sms_to(operator.phone) if "【派单" in t]) == 1


def test_dispatch_sweep_reads_through_its_partial_index(desk):
    # given the query the dispatch sweep reads its candidates with
    desk.submit(now=MONDAY)
    if connection.vendor != "sqlite":
        pytest.skip("the plan is SQLite's")
    from shishi.appeals.actions.worker import WAITING_STATUSES
    from shishi.core.indexes import literal_in

    # (no ORDER BY, as core.supervision reads its batches)
    rows = (
        Appeal.objects.filter(literal_in(Appeal, "status", WAITING_STATUSES))
        .filter(dispatch_due__lte=MONDAY.date(), dispatch_level__lt=Level.URGE)
        .order_by()
    )
    sql, params = rows.query.sql_with_params()

    # when SQLite plans it, then it uses appeal_dispatch_due_idx
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "appeal_dispatch_due_idx" in plan


def test_waiting_list_runs_oldest_first_with_the_wait_in_working_days(desk, login, operator):
    # given three appeals received over the last weeks, the oldest sent down and returned
    now = timezone.now()
    received = [now - timedelta(days=days) for days in (2, 20, 9)]
    appeals = [desk.submit(now=moment) for moment in received]
    desk.dispatch(appeals[1], to="xiangcheng", now=now)
    actions.return_appeal(appeal=appeals[1], actor=desk.county, reason="非本区", now=now)

    # when the operator opens 待派单 (their first tab)
    response = login(operator).get(reverse("appeals:queue"))

    # then the longest wait comes first, each with its working days waited
    assert response.context["current"] == "to_dispatch"
    rows = response.context["page"].rows
    assert [a.code for a in rows] == [appeals[i].code for i in (1, 2, 0)]
    html = response.content.decode()
    for appeal in rows:
        days = workdays.workdays_between(
            timezone.localdate(appeal.received_at), timezone.localdate()
        )
        assert f"已等{days}个工作日" in html
    assert "等待 / 派单期限" in html


# --- 转派 without signing -------------------------------------------------------------------------


def test_forwarding_without_signing_follows_the_city_setting(desk, login, county_clerk, settings):
    # given an appeal sent to 芗城区, not yet signed
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    client = login(county_clerk)
    page = client.get(reverse("appeals:detail", args=[appeal.code])).content.decode()

    # then by default the page offers 转派 beside 签收, saying no signing is needed
    assert "转派下级单位" in page and "无需先签收" in page

    # when the city requires signing first
    settings.APPEAL_FORWARD_WITHOUT_SIGNING = False
    before = state_of(appeal)

    # then the step is gone from the page, and a post is refused with the reason
    assert Step.DISPATCH not in allowed_actions(desk.county, fresh(appeal))
    response = client.post(
        reverse("appeals:dispatch", args=[appeal.code]),
        {"to_unit": desk.tree["zhishan"].pk},
        follow=True,
    )
    assert "请先签收，再转派下级单位" in response.content.decode()
    assert state_of(appeal) == before

    # and once signed, it may be passed on
    desk.sign(appeal, now=MONDAY)
    assert Step.DISPATCH in allowed_actions(desk.county, fresh(appeal))
    desk.dispatch(appeal, to="zhishan", now=MONDAY)
    assert fresh(appeal).holder == desk.tree["zhishan"]
    assert verbs(appeal)[-1] == V.DISPATCHED


def test_operators_are_told_about_dispatch_rungs_but_not_other_duties(desk, operator):
    # a unit's intake staff include its operators; its duty staff do not
    from shishi.orgs.notify import INTAKE_ROLES, staff_phones

    city = desk.tree["city"]
    assert staff_phones([city.pk]) == {}
    assert staff_phones([city.pk], roles=INTAKE_ROLES) == {city.pk: [operator.phone]}
