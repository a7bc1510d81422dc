"""What may be done now: in every state, for every role, the appeal page offers exactly the
steps `allowed_actions` lists, each offered step is accepted when posted, and each step not
offered is refused and changes nothing."""

import re
from collections.abc import Callable

import pytest
from django.test import override_settings

from shishi.appeals import actions
from shishi.appeals.allowed import Step, allowed_actions
from shishi.appeals.models import Appeal, AppealEvent, Verdict
from shishi.appeals.tests.conftest import LABOUR, REPLY_TEXT, Desk
from shishi.appeals.tests.helpers import actor_of, at
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Person, Role
from shishi.testing import posted_and_rolled_back

NOW = at(2024, 3, 4, 10)
LATER = at(2024, 3, 5, 10)


def _returned_to_county(desk: Desk) -> Appeal:
    appeal = desk.in_town(now=NOW)
    return actions.return_appeal(appeal=appeal, actor=desk.town, reason="不属于本街道职责", now=NOW)


def _returned_to_city(desk: Desk) -> Appeal:
    appeal = desk.submit(now=NOW)
    desk.dispatch(appeal, to="xiangcheng", now=NOW)
    return actions.return_appeal(appeal=appeal, actor=desk.county, reason="非本区事项", now=NOW)


def _with_pending_extension(desk: Desk) -> Appeal:
    appeal = desk.in_town(now=NOW)
    actions.request_extension(appeal=appeal, actor=desk.town, days=3, reason="需协调", now=NOW)
    return appeal


def _awaiting_approval(desk: Desk) -> Appeal:
    """芝山街道's clerk answered; the street's leader (town_leader) has not approved yet."""
    appeal = desk.in_town(now=NOW)
    with override_settings(APPEAL_REPLY_APPROVAL_KINDS=["street"]):
        desk.reply(appeal, now=NOW)
    return appeal


def _reply_returned(desk: Desk) -> Appeal:
    appeal = _awaiting_approval(desk)
    leader = actor_of(Person.objects.get(username="town_leader"))
    actions.approve_reply(appeal=appeal, actor=leader, approve=False, note="请补充", now=NOW)
    return appeal


def _with_co_handler(desk: Desk) -> Appeal:
    appeal = desk.submit(now=NOW)
    desk.dispatch(appeal, to="xiangcheng", now=NOW)
    return desk.dispatch(appeal, to="zhishan", co=["xiqiao"], now=NOW)


def _verdict(verdict: str) -> Callable[[Desk], Appeal]:
    def build(desk: Desk) -> Appeal:
        appeal = desk.replied(now=NOW)
        actions.record_verdict(appeal=appeal, verdict=verdict, actor=desk.operator, now=LATER)
        return appeal

    return build


def _merged(desk: Desk) -> Appeal:
    appeal, primary = desk.submit(now=NOW), desk.submit(now=NOW, phone="13900000001")
    return actions.merge_appeal(duplicate=appeal, primary=primary, actor=desk.operator, now=NOW)


def _invalid(desk: Desk) -> Appeal:
    appeal = desk.submit(now=NOW)
    review = actions.request_invalid(appeal=appeal, actor=desk.operator, reason="骚扰", now=NOW)
    actions.decide_review(review=review, actor=desk.supervisor, approve=True, note="", now=NOW)
    return appeal


def _withdrawn(desk: Desk) -> Appeal:
    return actions.withdraw_appeal(appeal=desk.submit(now=NOW), note="", now=NOW)


STATES: dict[str, Callable[[Desk], Appeal]] = {
    "received": lambda desk: desk.submit(now=NOW),
    "dispatched, with a co-handler": _with_co_handler,
    "accepted": lambda desk: desk.in_town(now=NOW),
    "accepted, extension pending": _with_pending_extension,
    "reply awaiting approval": _awaiting_approval,
    "reply returned by the leader": _reply_returned,
    "returned to the county": _returned_to_county,
    "returned to the city": _returned_to_city,
    "replied": lambda desk: desk.replied(now=NOW),
    "replied directly": lambda desk: desk.submit(now=NOW, direct_reply=REPLY_TEXT),
    "reopened": _verdict(Verdict.UNSATISFIED),
    "closed": _verdict(Verdict.SATISFIED),
    "merged": _merged,
    "invalid": _invalid,
    "withdrawn": _withdrawn,
}


def _posts(desk: Desk, primary: Appeal) -> dict[Step, dict]:
    """A valid form for every step (where the unit to send it to is one below the holder)."""
    return {
        Step.DISPATCH: {"to_unit": "", "note": ""},  # filled per holder below
        Step.SIGN: {},
        Step.CO_SIGN: {},
        Step.RETURN: {"reason": "不属于本单位职责范围"},
        Step.EXTENSION: {"days": "3", "reason": "需要协调多个部门"},
        Step.INVALID: {"invalid-reason": "反复来电，无实际诉求"},
        Step.REPLY: {"kind": "solved", "text": REPLY_TEXT, "reason": ""},
        Step.CALLBACK: {"verdict": Verdict.SATISFIED, "solved": "1", "note": ""},
        Step.MERGE: {"primary": primary.code},
        Step.APPROVE_REPLY: {"approve": "1", "note": ""},
        Step.RECLASSIFY: {"category": desk.categories[LABOUR].pk, "kind": "complaint", "note": ""},
        Step.REVEAL_PHONE: {"phone-reason": "回访核实办理结果"},
        Step.URGE: {"urge-rung": "3", "urge-note": "请今日内办结并报告"},
        Step.INSTRUCT: {"instruct-leader": "市委副书记 陈明", "instruct-text": "请抓紧办理"},
        Step.INTERVIEW: {
            "interview-held_on": "2024-03-06",
            "interview-interviewees": "芝山街道办事处主任",
            "interview-points": "超期未办，限期整改",
        },
    }


BELOW = {"city": "xiangcheng", "xiangcheng": "zhishan", "zhishan": "village"}
FORM_ACTION = re.compile(r'action="/staff/appeals/[^/"]+/([a-z-]+)/"')


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(STATES))
def test_the_page_offers_exactly_the_steps_that_are_accepted(
    state, desk, login, operator, county_clerk, town_clerk, town_leader, outsider, supervisor
):
    # given an appeal in this state, a clerk in the village below 芝山 and another open appeal
    PersonFactory(username="village_clerk", unit=desk.tree["village"], role=Role.UNIT_CLERK)
    appeal = STATES[state](desk)
    primary = desk.in_town(now=NOW, phone="13900000002")
    people = [operator, county_clerk, town_clerk, town_leader, outsider, supervisor]
    offered_anything = set()

    for person in people:
        actor = actor_of(person)
        appeal.refresh_from_db()
        allowed = allowed_actions(actor, appeal)
        offered_anything |= allowed
        client = login(person)

        # when the person opens the appeal, then its page offers exactly the allowed steps
        page = client.get(f"/staff/appeals/{appeal.code}/")
        if page.status_code == 200:
            shown = {Step(s.replace("-", "_")) for s in FORM_ACTION.findall(page.content.decode())}
            assert shown == allowed, (state, person.username)
        else:
            assert page.status_code == 404 and allowed <= {Step.CO_SIGN}, person.username

        # and every step they post is accepted exactly when it is allowed
        posts = _posts(desk, primary)
        below = next((k for k, v in desk.tree.items() if v.pk == appeal.holder_id), None)
        if below in BELOW:
            posts[Step.DISPATCH]["to_unit"] = str(desk.tree[BELOW[below]].pk)
        for step, data in posts.items():
            url = f"/staff/appeals/{appeal.code}/{step.value.replace('_', '-')}/"
            events = AppealEvent.objects.filter(appeal=appeal)
            accepted = posted_and_rolled_back(client, url, data, events=events)
            assert accepted == (step in allowed), (state, person.username, step)

    assert offered_anything or appeal.status in ("closed", "merged", "invalid", "withdrawn")
