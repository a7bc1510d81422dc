"""What the public and other units must never see of a citizen's appeal."""

import pytest

from shishi.testing import at

pytestmark = pytest.mark.django_db
SECRET = "我是王秀英电话13912345678家住芝山小区5栋请求帮助"


def test_public_similar_hints_show_no_text_of_other_appeals(desk, client, tree, categories):
    # given an open appeal in 芝山街道 whose title (taken from the content) names the reporter
    from shishi.appeals.tests.conftest import HOUSING

    desk.submit(now=at(2026, 3, 2), content=SECRET, town=tree["zhishan"], county=tree["xiangcheng"])
    same = {"town": tree["zhishan"].pk, "category": categories[HOUSING].pk}
    # when anyone types a similar problem on the report form, in that town and category
    body = client.post(
        "/report/similar/", {"content": "芝山小区请求帮助王秀英", **same}
    ).content.decode()
    # then they learn that similar problems exist, but nothing of what was written
    assert "件相似问题" in body
    assert "王秀英" not in body and "13912345678" not in body


def test_the_public_hint_is_no_oracle_on_free_words(desk, client, tree, categories):
    from shishi.appeals.tests.conftest import HOUSING

    desk.submit(now=at(2026, 3, 2), content=SECRET, town=tree["zhishan"], county=tree["xiangcheng"])
    words = {"content": "芝山小区请求帮助王秀英"}
    # without a town and a category nothing is looked up
    bare = client.post("/report/similar/", words).content.decode()
    assert "件相似问题" not in bare and "选择问题分类和所在乡镇" in bare
    # and in another town, the appeal is not found
    elsewhere = {"town": tree["xiqiao"].pk, "category": categories[HOUSING].pk}
    other = client.post("/report/similar/", {**words, **elsewhere}).content.decode()
    assert "件相似问题" not in other


def test_staff_similar_hints_stay_within_the_units_subtree(desk, login, outsider):
    # given an appeal of 芝山街道, and the clerk of the sibling town 西桥
    appeal = desk.in_town(now=at(2026, 3, 2), content=SECRET)
    # when the 西桥 clerk looks for similar appeals
    body = (
        login(outsider)
        .post("/staff/appeals/similar/", {"content": "芝山小区请求帮助王秀英"})
        .content.decode()
    )
    # then the 芝山 appeal is not offered
    assert appeal.code not in body


def test_similar_hints_take_the_text_in_a_post_body_only(client):
    # a long description typed into the form never goes into a URL (no 414): GET is refused
    long_text = "楼道灯坏了" * 2000
    assert client.get("/report/similar/", {"content": long_text[:50]}).status_code == 405
    assert client.post("/report/similar/", {"content": long_text}).status_code == 200


def test_the_tracking_page_shows_the_answer_once(desk, client):
    # given an answered appeal whose reporter proved it is theirs
    appeal = desk.replied(now=at(2026, 3, 2))
    client.post("/track/", {"code": appeal.code, "last4": appeal.reporter_phone[-4:]})

    # when they open it to evaluate
    page = client.get(f"/track/{appeal.code}/").content.decode()

    # then the answer is in the timeline once, and the evaluation card points to it
    reply = appeal.replies.get()
    assert page.count(reply.text) == 1
    assert 'data-testid="evaluate-reply"' in page and "已解决" in page
