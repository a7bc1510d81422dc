"""Every real citizen's message of ../shared/data/appeals_labelled_train.csv (1,842 of them,
up to 3,048 characters) goes in through the public form — with its SMS code — and through
the API; each is accepted, found by a word from its middle, exported whole and shown whole,
and none answers 5xx. (The file is read where it lies, never copied: it has no licence for
redistribution.)"""

import csv
import io
import re

import jieba
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook
from rest_framework.test import APIClient

from shishi.appeals import queries
from shishi.appeals.exports import HEADER
from shishi.appeals.forms import AppealFilterForm
from shishi.appeals.models import Appeal, Channel
from shishi.appeals.tests.conftest import HOUSING
from shishi.core.models import OutboxMessage
from shishi.testing import actor_of, integration_key, latest_code, shared_data

CONTENT = HEADER.index("诉求内容")
_HAN = re.compile(r"[\u4e00-\u9fff]{2,}")
# The API allows each token 600 requests a minute; the replay spreads over a few accounts.
API_ACCOUNTS = 4


@pytest.fixture(scope="module")
def messages() -> list[str]:
    with shared_data("appeals_labelled_train.csv").open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def _phone(n: int) -> str:
    return f"139{n:08d}"


def _address(n: int) -> str:
    """Citizens write from many addresses (the public limits are per address and phone)."""
    return f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}"


def _middle_word(message: str) -> str:
    """A word (two or more Chinese characters, as jieba cuts it) from the message's middle."""
    words = [w for w in jieba.cut(message) if _HAN.fullmatch(w)]
    return words[len(words) // 2]


def _assert_found_exported_and_kept(appeals: dict[str, str], login, operator) -> None:
    """Each appeal (code → the message sent) is stored whole, found by the staff search, and
    whole in the CSV and XLSX exports."""
    stored = dict(Appeal.objects.filter(code__in=appeals).values_list("code", "content"))
    assert stored == appeals
    actor, today = actor_of(operator), timezone.localdate()
    for code, message in appeals.items():
        word = _middle_word(message)
        filters = AppealFilterForm({"queue": "all", "q": word}).values
        found = queries.staff_appeal_list(actor, filters, today=today).appeals
        assert found.filter(code=code).exists(), f"{code} not found by 「{word}」"
    staff = login(operator)
    export = staff.get(reverse("appeals:export", args=["csv"]) + "?queue=all")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert {row[0]: row[CONTENT] for row in rows[1:]} == appeals
    # no text message carries a complaint: they name the code (and at most the short title)
    assert max(len(body) for body in OutboxMessage.objects.values_list("body", flat=True)) < 200
    xlsx = staff.get(reverse("appeals:export", args=["xlsx"]) + "?queue=all")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True).active
    cells = {row[0]: row[CONTENT] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells == appeals


def test_every_real_message_goes_in_through_the_public_form(
    messages, categories, tree, login, operator
):
    filed: dict[str, str] = {}
    for n, message in enumerate(messages):
        # given a citizen with their own phone, on their own connection
        citizen = Client(REMOTE_ADDR=_address(n))
        phone = _phone(n)
        sent = citizen.post(reverse("portal:send_otp"), {"reporter_phone": phone})
        assert sent.status_code == 200, sent.content.decode()[:300]

        # when they report the message with the texted code
        done = citizen.post(
            reverse("portal:report"),
            {
                "kind": "help",
                "category": categories[HOUSING].pk,
                "content": message,
                "reporter_phone": phone,
                "otp": latest_code(phone),
            },
        )

        # then it is filed, and their tracking page shows the whole message
        assert done.status_code == 302, f"#{n}: {done.status_code} {done.content[:300]!r}"
        code = citizen.session["shishi_just_reported"]
        page = citizen.get(reverse("portal:track_appeal", args=[code]))
        assert page.status_code == 200 and escape(message) in page.content.decode()
        filed[code] = message

    assert len(filed) == len(messages)
    _assert_found_exported_and_kept(filed, login, operator)


def test_every_real_message_goes_in_through_the_api(messages, categories, tree, login, operator):
    clients = []
    for _ in range(API_ACCOUNTS):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {integration_key(tree['city'])}")
        clients.append(client)
    filed: dict[str, str] = {}
    for n, message in enumerate(messages):
        response = clients[n % API_ACCOUNTS].post(
            "/api/v1/appeals/",
            {
                "kind": "help",
                "category": categories[HOUSING].pk,
                "content": message,
                "reporter_phone": _phone(n),
            },
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"replay-{n}",
        )
        assert response.status_code == 201, f"#{n}: {response.status_code} {response.data}"
        filed[response.data["code"]] = message

    assert Appeal.objects.filter(channel=Channel.API).count() == len(messages)
    # the staff page of one of the longest shows it whole too
    code, longest = max(filed.items(), key=lambda item: len(item[1]))
    page = login(operator).get(reverse("appeals:detail", args=[code]))
    assert page.status_code == 200 and escape(longest) in page.content.decode()
    _assert_found_exported_and_kept(filed, login, operator)
