"""Review before the public sees it: where the holding unit's kind requires it, a clerk's reply
is a draft until the unit's leader approves it — nothing public, no SMS, the appeal stays in
hand with its deadline running. The leader approves (then the citizen is answered and texted,
on time if it is by the deadline that day) or returns it with a reason. Photos of the finished
work go with the reply and reach the citizen with it. Leaders also decide short extensions of
their subtree; longer ones, and every denial without a reason, are refused."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from shishi.appeals import actions
from shishi.appeals.models import Appeal, AppealEvent, Photo, Reply, Review, Status
from shishi.appeals.tests.conftest import REPLY_TEXT, REPORTER_PHONE
from shishi.appeals.tests.helpers import at, fresh, sms_to, state_of, verbs
from shishi.core.errors import Refused
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Role
from shishi.testing import actor_of

pytestmark = pytest.mark.django_db

# March 2024 has no holiday: dispatched and signed on Monday 03-04, a 求助 is due Monday 03-11.
MONDAY = at(2024, 3, 4, 9)
Verb = AppealEvent.Verb
Approval = Reply.Approval


def _png(name: str = "done.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 80, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _draft(desk, *, now=MONDAY, photos=()) -> tuple[Appeal, Reply]:
    appeal = desk.in_town(now=MONDAY)
    reply = actions.reply_appeal(
        appeal=appeal, actor=desk.town, kind="solved", text=REPLY_TEXT, now=now, photos=photos
    )
    return fresh(appeal), reply


def _tracking(appeal) -> Client:
    """The citizen, having proved the appeal is theirs on the tracking page."""
    citizen = Client()
    citizen.post("/track/", {"code": appeal.code, "last4": REPORTER_PHONE[-4:]})
    return citizen


# --- A draft -------------------------------------------------------------------------------------


def test_a_clerks_reply_in_a_street_waits_for_the_leader_and_nothing_is_public(
    desk, reply_approval, town_leader
):
    # when 芝山街道's clerk answers an appeal the street signed
    appeal, reply = _draft(desk, photos=[_png()])

    # then the answer is a draft: the appeal is still in hand, the citizen's timeline and
    # phone have nothing of it, and the leader is texted
    assert reply.approval == Approval.PENDING
    assert (appeal.status, appeal.replied_at, appeal.callback_due) == (Status.ACCEPTED, None, None)
    assert Verb.REPLY_DRAFTED in verbs(appeal)
    assert Verb.REPLY_DRAFTED not in verbs(appeal, public_only=True)
    assert not any("已答复" in text for text in sms_to(REPORTER_PHONE))
    assert any("答复待审核" in text for text in sms_to(town_leader.phone))
    assert list(Reply.objects.filter(appeal=appeal).given()) == []


def test_the_tracking_page_shows_nothing_of_a_draft(desk, reply_approval, town_leader):
    # given a draft answer with a photo of the finished work
    appeal, reply = _draft(desk, photos=[_png()])
    photo = Photo.objects.get(reply=reply)

    # when the citizen follows the appeal
    citizen = _tracking(appeal)
    page = citizen.get(f"/track/{appeal.code}/")

    # then neither the answer nor its photo is there, and the photo's address is not found
    assert page.status_code == 200
    assert REPLY_TEXT not in page.content.decode()
    assert page.context["reply"] is None and not page.context["result_photos"]
    assert citizen.get(f"/track/{appeal.code}/photos/{photo.pk}/").status_code == 404


def test_the_leaders_approval_answers_the_citizen(desk, reply_approval, town_leader, login):
    # given a draft answer with a photo, written on Monday
    appeal, reply = _draft(desk, photos=[_png()])

    # when the leader approves it on Wednesday through the appeal page
    response = login(town_leader).post(
        reverse("appeals:approve_reply", args=[appeal.code]), {"approve": "1", "note": ""}
    )

    # then the citizen has the answer now: 已答复, a public event, the SMS, the callback window
    assert response.status_code == 302
    appeal, reply = fresh(appeal), Reply.objects.get(pk=reply.pk)
    assert appeal.status == Status.REPLIED and appeal.callback_due is not None
    assert (reply.approval, reply.approved_by) == (Approval.APPROVED, town_leader)
    assert reply.at == appeal.replied_at  # the moment the citizen got it
    assert verbs(appeal, public_only=True)[-1] == Verb.REPLIED
    assert any("已答复" in text for text in sms_to(REPORTER_PHONE))

    # and the tracking page shows the answer with its photo, which is served
    citizen = _tracking(appeal)
    page = citizen.get(f"/track/{appeal.code}/")
    assert REPLY_TEXT in page.content.decode()
    photo = Photo.objects.get(reply=reply)
    assert [p.pk for p in page.context["result_photos"]] == [photo.pk]
    served = citizen.get(f"/track/{appeal.code}/photos/{photo.pk}/")
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")


def test_on_time_is_judged_when_the_citizen_gets_the_answer(desk, reply_approval, town_leader):
    # given a draft written on Friday 03-08, before the deadline of Monday 03-11
    appeal, reply = _draft(desk, now=at(2024, 3, 8, 16))
    assert reply.on_time

    # when the leader approves it on Tuesday 03-12
    actions.approve_reply(
        appeal=appeal, actor=actor_of(town_leader), approve=True, now=at(2024, 3, 12, 9)
    )

    # then the answer came late
    reply.refresh_from_db()
    assert (reply.on_time, reply.at) == (False, at(2024, 3, 12, 9))


def test_returning_a_draft_needs_a_reason_and_the_clerk_answers_again(
    desk, reply_approval, town_leader, town_clerk, login
):
    # given a draft answer
    appeal, reply = _draft(desk)
    leader = actor_of(town_leader)
    before = state_of(appeal)

    # when the leader returns it without a reason, it is refused and nothing changes
    with pytest.raises(Refused, match="退回答复时请写明理由"):
        actions.approve_reply(appeal=appeal, actor=leader, approve=False, note=" ", now=MONDAY)
    assert state_of(appeal) == before
    # (the page says so too)
    page = login(town_leader).post(
        reverse("appeals:approve_reply", args=[appeal.code]), {"approve": "0", "note": ""}
    )
    assert state_of(appeal) == before and page.status_code == 302

    # when the leader returns it with a reason
    actions.approve_reply(
        appeal=appeal, actor=leader, approve=False, note="请写明维修完成时间", now=MONDAY
    )

    # then it stays on record as returned, the clerk is texted, nothing is public, and the
    # clerk may answer again
    reply.refresh_from_db()
    assert (reply.approval, reply.approval_note) == (Approval.RETURNED, "请写明维修完成时间")
    assert any("答复退回" in text for text in sms_to(town_clerk.phone))
    assert fresh(appeal).status == Status.ACCEPTED
    assert Verb.REPLY_RETURNED not in verbs(appeal, public_only=True)
    second = actions.reply_appeal(
        appeal=appeal,
        actor=desk.town,
        kind="solved",
        text=REPLY_TEXT + "已于3月5日修复。",
        now=MONDAY,
    )
    assert second.approval == Approval.PENDING
    assert list(Reply.objects.filter(appeal=appeal).given()) == []


def test_a_draft_keeps_the_appeal_where_it_is(desk, reply_approval, town_leader):
    # given a draft answer
    appeal, _ = _draft(desk)
    before = state_of(appeal)

    # when the clerk tries to answer again, return it or pass it to the village
    for action in (
        lambda: actions.reply_appeal(
            appeal=appeal, actor=desk.town, kind="solved", text=REPLY_TEXT, now=MONDAY
        ),
        lambda: actions.return_appeal(
            appeal=appeal, actor=desk.town, reason="非本街道", now=MONDAY
        ),
        lambda: actions.dispatch_appeal(
            appeal=appeal, actor=desk.town, to_unit=desk.tree["village"], now=MONDAY
        ),
    ):
        # then each is refused and nothing changes
        with pytest.raises(Refused, match="等待单位负责人审核"):
            action()
    assert state_of(appeal) == before


def test_only_the_holding_units_leader_approves(desk, reply_approval, town_leader, county_leader):
    # given a draft answer of 芝山街道
    appeal, _ = _draft(desk)
    before = state_of(appeal)

    # when the clerk or the district's leader tries to approve it, then it is refused
    for actor in (desk.town, actor_of(county_leader)):
        with pytest.raises(Refused, match="只有承办单位负责人"):
            actions.approve_reply(appeal=appeal, actor=actor, approve=True, now=MONDAY)
    assert state_of(appeal) == before


def test_the_leaders_own_reply_goes_out_at_once(desk, reply_approval, town_leader):
    # when 芝山街道's leader answers in person
    appeal = desk.in_town(now=MONDAY)
    reply = actions.reply_appeal(
        appeal=appeal, actor=actor_of(town_leader), kind="solved", text=REPLY_TEXT, now=MONDAY
    )

    # then the citizen has it now, approved by the leader who wrote it
    assert (reply.approval, reply.approved_by) == (Approval.APPROVED, town_leader)
    assert fresh(appeal).status == Status.REPLIED


def test_units_not_listed_or_without_a_leader_answer_at_once(desk, reply_approval, settings):
    # given a street without a leader account, and the setting listing only departments
    appeal = desk.in_town(now=MONDAY)

    # when its clerk answers, then the citizen has it at once (nobody could approve it)
    reply = desk.reply(appeal, now=MONDAY)
    assert (reply.approval, fresh(appeal).status) == (Approval.NOT_REQUIRED, Status.REPLIED)

    # and with a leader but the street's kind not listed, the same
    PersonFactory(username="zs_leader2", unit=desk.tree["zhishan"], role=Role.UNIT_LEADER)
    settings.APPEAL_REPLY_APPROVAL_KINDS = ["department"]
    other = desk.in_town(now=MONDAY, phone="13900000009")
    assert desk.reply(other, now=MONDAY).approval == Approval.NOT_REQUIRED


# --- The pages -----------------------------------------------------------------------------------

# The shell's 6 (session, person, memberships; saving the session) and the appeal page's 8
# (test_staff_pages.APPEAL_PAGE_QUERIES): the draft, its photos and the approval form come
# with the replies and photos the page reads anyway; no unit list (a draft holds dispatch).
LEADER_PAGE_QUERIES = 6 + 8


def test_the_leader_sees_the_draft_and_the_approval_form_with_pinned_queries(
    desk, reply_approval, town_leader, town_clerk, login, django_assert_num_queries
):
    # given a draft answer with a photo
    appeal, _ = _draft(desk, photos=[_png()])
    client = login(town_leader)

    # when the leader opens the appeal
    with django_assert_num_queries(LEADER_PAGE_QUERIES):
        page = client.get(reverse("appeals:detail", args=[appeal.code]))

    # then the draft and the form to approve or return it are there
    html = page.content.decode()
    assert "approve_reply" in page.context["allowed"]
    assert 'data-testid="reply-pending"' in html and 'data-testid="approve-reply-form"' in html
    # and the clerk sees the draft waiting, with no form to answer again
    clerk_page = login(town_clerk).get(reverse("appeals:detail", args=[appeal.code]))
    assert "待负责人审核" in clerk_page.content.decode()
    assert not {"reply", "approve_reply"} & clerk_page.context["allowed"]


def test_the_clerk_sends_the_reply_with_photos_through_the_page(
    desk, reply_approval, town_leader, town_clerk, login
):
    # given an appeal 芝山街道 signed
    appeal = desk.in_town(now=MONDAY)

    # when the clerk answers with two photos of the finished work
    response = login(town_clerk).post(
        reverse("appeals:reply", args=[appeal.code]),
        {
            "kind": "solved",
            "text": REPLY_TEXT,
            "reason": "",
            "photos": [_png("a.png"), _png("b.png")],
        },
        follow=True,
    )

    # then the draft waits for the leader with both photos, and the clerk is told so
    reply = Reply.objects.get(appeal=appeal)
    assert reply.approval == Approval.PENDING
    assert Photo.objects.filter(reply=reply, kind=Photo.Kind.RESULT).count() == 2
    assert "单位负责人审核同意后发给群众" in response.content.decode()


def test_the_leader_finds_the_draft_on_the_home_page(desk, reply_approval, town_leader, login):
    # given a draft answer of 芝山街道
    appeal, _ = _draft(desk)

    # when the leader opens the home page
    home = login(town_leader).get(reverse("staff:home"))

    # then 待我审核 lists it, with its deadline, linking to the appeal
    panel = next(p for p in home.context["panels"] if p["template"] == "staff/_review_panel.html")
    [item] = panel["items"]
    assert (item.kind, item.url, item.due) == (
        "答复",
        f"/staff/appeals/{appeal.code}/",
        date(2024, 3, 11),
    )


# --- Extensions a leader decides -----------------------------------------------------------------


def _extension(desk, *, days: int) -> Review:
    appeal = desk.in_town(now=MONDAY)
    return actions.request_extension(
        appeal=appeal, actor=desk.town, days=days, reason="需协调供电部门", now=at(2024, 3, 6)
    )


def test_a_leader_approves_a_short_extension_of_their_subtree(desk, county_leader, login, settings):
    # given 芝山街道 asking for 3 more working days, within the leaders' limit of 5
    settings.APPEAL_LEADER_EXTENSION_DAYS = 5
    review = _extension(desk, days=3)

    # when 芗城区's leader finds it on the home page and agrees on the review page
    client = login(county_leader)
    panel = next(p for p in client.get("/staff/").context["panels"] if "items" in p)
    assert [i.kind for i in panel["items"]] == ["延期申请"]
    client.post(reverse("appeals:decide", args=[review.pk]), {"approve": "1", "note": "同意"})

    # then the deadline moves from 03-11 to 03-14
    review.refresh_from_db()
    assert (review.decision, review.decided_by) == (Review.Decision.APPROVED, county_leader)
    assert fresh(review.appeal).handle_due == date(2024, 3, 14)


def test_a_longer_extension_is_the_city_offices(desk, county_leader, login, settings):
    # given 芝山街道 asking for 8 more working days, beyond the leaders' limit of 5
    settings.APPEAL_LEADER_EXTENSION_DAYS = 5
    review = _extension(desk, days=8)
    before = state_of(review.appeal)

    # when the district leader opens the review page and posts a decision anyway
    client = login(county_leader)
    listed = client.get(reverse("appeals:reviews"))
    client.post(reverse("appeals:decide", args=[review.pk]), {"approve": "1", "note": "同意"})

    # then the page offers no form for it, says who decides, and the post changed nothing
    assert review.pk not in listed.context["decidable"]
    assert "由市12345办公室审核" in listed.content.decode()
    assert state_of(review.appeal) == before
    with pytest.raises(Refused, match="须由市12345办公室审核"):
        actions.decide_review(
            review=review, actor=actor_of(county_leader), approve=True, note="", now=MONDAY
        )


def test_a_leader_cannot_reach_another_subtrees_requests(desk, login, settings):
    # given 芝山街道 asking for 3 days, and the leader of the sibling 西桥街道
    review = _extension(desk, days=3)
    sibling_leader = PersonFactory(
        username="xq_leader", unit=desk.tree["xiqiao"], role=Role.UNIT_LEADER
    )

    # when they post a decision, then it is not found, and the action refuses it too
    response = login(sibling_leader).post(
        reverse("appeals:decide", args=[review.pk]), {"approve": "1", "note": ""}
    )
    assert response.status_code == 404
    with pytest.raises(Refused, match="只能审核本单位及下级单位"):
        actions.decide_review(
            review=review, actor=actor_of(sibling_leader), approve=True, note="", now=MONDAY
        )
    assert Review.objects.get(pk=review.pk).decision == Review.Decision.PENDING


def test_a_leader_does_not_decide_invalid_marks_and_a_clerk_nothing(
    desk, town_leader, town_clerk, login
):
    # given a request to mark an appeal 芝山街道 holds invalid
    appeal = desk.in_town(now=MONDAY)
    review = actions.request_invalid(appeal=appeal, actor=desk.town, reason="骚扰", now=MONDAY)

    # then the street's leader does not find it, and its clerk may not open the review page
    response = login(town_leader).post(
        reverse("appeals:decide", args=[review.pk]), {"approve": "1", "note": ""}
    )
    assert response.status_code == 404
    assert login(town_clerk).get(reverse("appeals:reviews")).status_code == 403


def test_a_denial_needs_a_reason(desk):
    # given an extension request
    review = _extension(desk, days=3)
    before = state_of(review.appeal)

    # when the supervisor denies it without saying why, then it is refused
    with pytest.raises(Refused, match="不同意时请填写审核意见"):
        actions.decide_review(
            review=review, actor=desk.supervisor, approve=False, note="  ", now=MONDAY
        )
    assert state_of(review.appeal) == before
