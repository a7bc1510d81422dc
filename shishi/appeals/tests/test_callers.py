"""The caller's phone: 查看号码 shows the full number for a few minutes to staff with the
callback right, with a reason that goes on the audit trail; 同号码历史诉求 finds the same
number's other appeals by a keyed hash, never by the number itself."""

from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from shishi.appeals import actions
from shishi.appeals.models import Appeal, AppealEvent
from shishi.appeals.tests.conftest import REPORTER_PHONE
from shishi.appeals.tests.helpers import at, state_of
from shishi.appeals.views import PHONE_SESSION_KEY
from shishi.core.masking import phone_hash

pytestmark = pytest.mark.django_db

MONDAY = at(2024, 3, 4, 9)
REASON = "回访核实办理结果"


def _reveal(client, appeal, reason: str = REASON):
    return client.post(
        reverse("appeals:reveal_phone", args=[appeal.code]), {"phone-reason": reason}
    )


def _page(client, appeal) -> str:
    return client.get(reverse("appeals:detail", args=[appeal.code])).content.decode()


def _messages(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request)]


def test_operator_sees_the_number_after_giving_a_reason_and_it_is_audited(
    desk, login, operator, auditor
):
    # given an answered appeal waiting for its callback, shown masked
    appeal = desk.replied(now=MONDAY)
    client = login(operator)
    before = _page(client, appeal)
    assert "139****5678" in before and REPORTER_PHONE not in before
    assert "查看号码" in before

    # when the operator asks to see the number, saying why
    response = _reveal(client, appeal)

    # then the page shows the full number with a tel: link (beside the callback form too)
    assert response["Location"] == reverse("appeals:detail", args=[appeal.code]) + "#reporter"
    after = _page(client, appeal)
    assert f'href="tel:{REPORTER_PHONE}"' in after
    assert 'data-testid="callback-tel"' in after
    # and the reveal is an internal event naming who and why, which the audit log lists
    event = AppealEvent.objects.get(appeal=appeal, verb=AppealEvent.Verb.PHONE_REVEALED)
    assert (event.actor, event.note, event.public) == (operator, REASON, False)
    audit = login(auditor).get(reverse("staff:audit"), {"source": "appeals", "q": appeal.code})
    assert "查看号码" in audit.content.decode() and REASON in audit.content.decode()


def test_the_number_hides_again_when_the_reveal_runs_out(desk, login, operator):
    # given a number revealed on this appeal
    appeal = desk.replied(now=MONDAY)
    client = login(operator)
    _reveal(client, appeal)

    # when its time is up
    session = client.session
    session[PHONE_SESSION_KEY] = {appeal.code: 1_000_000_000}  # 2001
    session.save()

    # then the page shows the masked number again
    page = _page(client, appeal)
    assert REPORTER_PHONE not in page and "139****5678" in page


def test_clerks_may_not_see_the_number_and_nothing_is_recorded(
    desk, login, town_clerk, outsider, supervisor
):
    # given an appeal 芝山街道 holds
    appeal = desk.in_town(now=MONDAY)
    before = state_of(appeal)

    # when its clerk, a sibling town's clerk and a supervisor ask for the number
    holder = _reveal(login(town_clerk), appeal)
    sibling = _reveal(login(outsider), appeal)
    office = _reveal(login(supervisor), appeal)

    # then the holder and the supervisor are refused, the sibling finds nothing, and the
    # page does not offer it
    assert (holder.status_code, sibling.status_code, office.status_code) == (403, 404, 403)
    assert state_of(appeal) == before
    assert "查看号码" not in _page(login(town_clerk), appeal)


def test_the_city_may_let_the_holding_units_clerk_see_the_number(
    desk, login, town_clerk, county_clerk, settings
):
    # given a city that lets the holding unit's clerks call citizens themselves
    settings.APPEAL_CLERK_MAY_REVEAL_PHONE = True
    appeal = desk.in_town(now=MONDAY)

    # when the clerk of 芝山街道 (the holder) and of 芗城区 (which passed it on) ask
    clerk = login(town_clerk)
    holder = _reveal(clerk, appeal)
    passed_on = _reveal(login(county_clerk), appeal)

    # then only the holder's clerk sees it
    assert holder.status_code == 302 and REPORTER_PHONE in _page(clerk, appeal)
    assert passed_on.status_code == 403
    assert AppealEvent.objects.filter(verb=AppealEvent.Verb.PHONE_REVEALED).count() == 1


def test_a_reveal_needs_a_reason_and_an_open_appeal(desk, login, operator):
    # given an open appeal and a closed one
    open_appeal = desk.in_town(now=MONDAY)
    closed = desk.submit(now=MONDAY, direct_reply="已当场解答，群众表示认可。")
    actions.record_verdict(appeal=closed, verdict="satisfied", actor=desk.operator, now=MONDAY)
    client = login(operator)

    # when the operator asks without a reason, and for the closed appeal
    blank = _reveal(client, open_appeal, reason="  ")
    late = _reveal(client, closed)

    # then neither is shown nor recorded
    assert _messages(blank)[-1] == "请填写查看号码的事由"
    assert "不能查看号码" in _messages(late)[-1]
    assert not AppealEvent.objects.filter(verb=AppealEvent.Verb.PHONE_REVEALED).exists()
    assert REPORTER_PHONE not in _page(client, open_appeal)


def test_reveals_are_limited_per_person_and_the_refusal_says_so_in_words(
    desk, login, operator, settings
):
    # given a limit of two reveals an hour
    settings.APPEAL_PHONE_REVEALS_PER_HOUR = 2
    appeal = desk.in_town(now=MONDAY)
    client = login(operator)

    # when the operator asks three times
    responses = [_reveal(client, appeal) for _ in range(3)]

    # then the third is refused in words, and only two were recorded
    message = _messages(responses[-1])[-1]
    assert message.startswith("查看号码次数过多，请") and message.endswith("分钟后再试")
    assert AppealEvent.objects.filter(verb=AppealEvent.Verb.PHONE_REVEALED).count() == 2


def test_the_phone_is_stored_with_a_keyed_hash_that_finds_the_same_number():
    # equal numbers (with or without +86) hash alike; others differ; the hash is not the number
    assert phone_hash("13912345678") == phone_hash("+86 139 1234 5678")
    assert phone_hash("13912345678") != phone_hash("13912345679")
    assert len(phone_hash("13912345678")) == 64 and "13912345678" not in phone_hash("13912345678")


def test_a_different_key_gives_different_hashes(settings):
    settings.PHONE_HASH_KEY = "one"
    first = phone_hash("13912345678")
    settings.PHONE_HASH_KEY = "two"
    assert phone_hash("13912345678") != first


def test_appeal_page_lists_the_same_numbers_other_appeals(desk, login, operator, town_clerk):
    # given three appeals from one number (the last in 芝山街道) and one from another number
    first = desk.submit(now=at(2024, 3, 1))
    second = desk.submit(now=at(2024, 3, 2))
    desk.dispatch(second, to="xiangcheng", now=at(2024, 3, 2))
    current = desk.in_town(now=MONDAY)
    other = desk.submit(now=MONDAY, phone="13800000000")
    assert current.phone_hash == phone_hash(REPORTER_PHONE)

    # when the operator's appeal page loads the caller's history
    url = reverse("appeals:caller_history", args=[current.code])
    history = login(operator).get(url).context["history"]

    # then it lists the other two, newest first, each linked
    assert [(item.appeal.code, item.visible) for item in history] == [
        (second.code, True),
        (first.code, True),
    ]
    assert other.code not in login(operator).get(url).content.decode()
    # and the town clerk, who may see neither, is shown none of them
    assert login(town_clerk).get(url).context["history"] == []


def test_hotline_entry_finds_the_callers_history_once_the_number_is_typed(desk, login, operator):
    # given an earlier appeal from this number
    earlier = desk.submit(now=at(2024, 3, 1))
    client = login(operator)
    url = reverse("appeals:caller_lookup")

    # when the operator has typed part of the number, then all of it (a POST)
    partial = client.post(url, {"reporter_phone": "1391234"})
    full = client.post(url, {"reporter_phone": REPORTER_PHONE})

    # then the history appears only for the whole number; a GET is not accepted
    assert partial.context["history"] is None
    assert [item.appeal.code for item in full.context["history"]] == [earlier.code]
    assert client.get(url, {"reporter_phone": REPORTER_PHONE}).status_code == 405


def test_clerks_cannot_look_up_a_number(desk, login, town_clerk):
    response = login(town_clerk).post(
        reverse("appeals:caller_lookup"), {"reporter_phone": REPORTER_PHONE}
    )
    assert response.status_code == 403


def test_the_migration_hashes_the_numbers_of_existing_appeals(desk):
    # given an appeal stored before the hash existed
    appeal = desk.submit(now=MONDAY)
    Appeal.objects.filter(pk=appeal.pk).update(phone_hash="")

    # when the data migration runs
    migration = import_module("shishi.appeals.migrations.0007_appeal_phone_hash")
    migration.hash_phones(apps, None)

    # then it carries the number's hash
    assert Appeal.objects.get(pk=appeal.pk).phone_hash == phone_hash(REPORTER_PHONE)


def test_rehash_phones_follows_a_new_key(desk, settings):
    # given appeals hashed with one key, and the key changed
    appeal = desk.submit(now=MONDAY)
    settings.PHONE_HASH_KEY = "a-new-key"

    # when the command runs (twice)
    out = StringIO()
    call_command("rehash_phones", stdout=out)
    call_command("rehash_phones", stdout=out)

    # then the hash follows the new key, and the second run had nothing to do
    assert Appeal.objects.get(pk=appeal.pk).phone_hash == phone_hash(REPORTER_PHONE)
    assert out.getvalue().splitlines() == [
        "已重新计算 1 件诉求的号码摘要",
        "已重新计算 0 件诉求的号码摘要",
    ]
