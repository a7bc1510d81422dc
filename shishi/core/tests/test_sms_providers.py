"""Real SMS providers behind the outbox, each run against a fake provider on 127.0.0.1 (the
SDK's endpoint pointed at it): templates, errors, limits, receipts and an outage."""

import json
import socket
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shishi.core import notifications as core_sms
from shishi.core import outbox, receipts, sms
from shishi.core.models import OutboxMessage, SmsTemplate
from shishi.core.smsproviders import http_signature
from shishi.core.tests.fake_sms import FakeProvider
from shishi.testing import RecordingSmsBackend

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


def _kind(code: str) -> sms.SmsKind:
    """A domain's kind, found in the registry (core sits below the domains)."""
    return sms.kinds()[code]


BACKENDS = {
    "aliyun": "shishi.core.smsproviders.AliyunBackend",
    "tencent": "shishi.core.smsproviders.TencentBackend",
    "http": "shishi.core.smsproviders.HttpBackend",
}
TOKEN = "receipt-token-漳州".encode().hex()


@pytest.fixture(params=list(BACKENDS))
def provider(request, settings):
    """Each backend in turn, wired to its own fake provider, with the templates mapped."""
    fake = FakeProvider(request.param)
    settings.OUTBOX_BACKENDS = {**settings.OUTBOX_BACKENDS, "sms": BACKENDS[request.param]}
    settings.SMS_TIMEOUT_SECONDS = 1
    settings.SMS_RECEIPT_TOKEN = TOKEN
    settings.SMS_ALIYUN = {
        "access_key_id": "LTAI-test",
        "access_key_secret": "secret",
        "endpoint": fake.endpoint,
        "protocol": "http",
    }
    settings.SMS_TENCENT = {
        **settings.SMS_TENCENT,
        "secret_id": "AKID-test",
        "secret_key": "secret",
        "sdk_app_id": "1400000001",
        "endpoint": fake.endpoint,
        "scheme": "http",
    }
    settings.SMS_HTTP = {**settings.SMS_HTTP, "url": fake.url, "secret": "shared-secret"}
    SmsTemplate.objects.create(kind="appeals.merged", template_id="SMS_MERGED")
    SmsTemplate.objects.create(kind="core.code", template_id="SMS_CODE")
    yield fake
    fake.close()


def _merged(phone: str = "13800000001", code: str = "ZZ2026000001") -> OutboxMessage:
    return outbox.enqueue(channel="sms", recipient=phone, sms=_kind("appeals.merged")(code=code))


def _code(phone: str = "13900000001") -> OutboxMessage:
    message = core_sms.CODE(purpose="查询诉求进度", code="123456")
    return outbox.enqueue(channel="sms", recipient=phone, sms=message)


def _row(message: OutboxMessage) -> OutboxMessage:
    message.refresh_from_db()
    return message


# --- The registry ---------------------------------------------------------------------------


def test_every_notification_the_product_sends_is_a_registered_kind_with_its_variables():
    # given every app's notifications module imported
    kinds = sms.kinds()

    # then the domains' kinds are there, and each text fills in from its variables alone
    assert {"appeals", "projects", "campaign", "sites", "enterprises", "contest", "core"} <= {
        code.split(".")[0] for code in kinds
    }
    for kind in kinds.values():
        assert kind(**{name: "x" for name in kind.variables}).text
    assert _kind("appeals.merged").variables == ("code",)
    with pytest.raises(TypeError):
        _kind("appeals.merged")(code="A", title="unknown variable")


def test_the_console_still_gets_the_whole_text_while_the_row_keeps_kind_and_values():
    message = _merged(code="ZZ2026000009")

    assert message.body.startswith("您反映的问题（编号ZZ2026000009）与其他群众反映的相同诉求")
    assert message.kind == "appeals.merged"
    assert message.params == {"code": "ZZ2026000009"}
    assert message.priority == OutboxMessage.Priority.NORMAL
    assert _code().priority == OutboxMessage.Priority.CODE


# --- Sending --------------------------------------------------------------------------------


def test_a_message_goes_out_as_template_and_values_under_the_signature(provider, settings):
    # given a queued SMS of a mapped kind
    message = _merged(code="ZZ2026000002")

    # when the worker delivers it
    counts = outbox.deliver_due()

    # then the provider got the template ID, the values and the signature, once
    assert counts["sent"] == 1
    assert len(provider.sent) == 1
    sent = provider.sent[0]
    assert sent["template"] == "SMS_MERGED"
    assert sent["sign"] == settings.SMS_SIGN_NAME == "漳州12345"
    assert sent["params"] in ({"code": "ZZ2026000002"}, ["ZZ2026000002"])
    assert sent["phone"].endswith("13800000001")
    # and the row is sent, carrying the provider's id for the receipt
    row = _row(message)
    assert row.status == Status.SENT
    assert row.provider_id == sent["id"]


def test_the_http_platform_request_is_signed_with_the_shared_secret(provider):
    if provider.flavour != "http":
        pytest.skip("the HTTP platform only")
    _merged()
    outbox.deliver_due()
    assert len(provider.sent[0]["signature"]) == 64


def test_a_variable_longer_than_the_providers_limit_is_cut_with_an_ellipsis(provider, settings):
    settings.SMS_VARIABLE_LIMIT = 8
    message = _merged(code="ZZ20260000001234")

    outbox.deliver_due()

    sent = provider.sent[0]["params"]
    value = sent["code"] if isinstance(sent, dict) else sent[0]
    assert value == "ZZ20260…"
    # the console text and the row keep the whole value
    assert _row(message).params == {"code": "ZZ20260000001234"}


def test_a_provider_timeout_is_retried_later(provider):
    provider.mode = "slow"
    message = _merged()

    counts = outbox.deliver_due()

    row = _row(message)
    assert counts["retrying"] == 1
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.next_attempt_at > timezone.now()


def test_a_provider_5xx_is_retried_later(provider):
    provider.mode = "down"
    message = _merged()

    assert outbox.deliver_due()["retrying"] == 1
    assert (_row(message).status, _row(message).attempts) == (Status.PENDING, 1)


FLOW_CONTROL = {
    "aliyun": "isv.BUSINESS_LIMIT_CONTROL",
    "tencent": "LimitExceeded.PhoneNumberDailyLimit",
    "http": "429",
}
BAD_NUMBER = {
    "aliyun": "isv.MOBILE_NUMBER_ILLEGAL",
    "tencent": "InvalidParameterValue.IncorrectPhoneNumber",
    "http": "INVALID_PHONE",
}


def test_flow_control_is_tried_again_later_without_counting_an_attempt(provider):
    # given the provider's flow control (限流) answering
    provider.mode = FLOW_CONTROL[provider.flavour]
    message = _merged()

    # when the worker tries
    counts = outbox.deliver_due()

    # then the message waits, is not failed, and has used none of its attempts
    row = _row(message)
    assert counts["throttled"] == 1
    assert (row.status, row.attempts) == (Status.PENDING, 0)
    assert "限流" in row.last_error
    # and once the provider lets it through, it goes
    provider.mode = "ok"
    outbox.deliver_due(now=timezone.now() + timedelta(hours=2))
    assert _row(message).status == Status.SENT


def test_an_invalid_number_is_flagged_dead_at_once(provider):
    provider.mode = BAD_NUMBER[provider.flavour]
    message = _merged()

    counts = outbox.deliver_due()

    row = _row(message)
    assert counts["dead"] == 1
    assert (row.status, row.attempts) == (Status.DEAD, 1)
    assert BAD_NUMBER[provider.flavour] in row.last_error


def test_a_kind_without_a_template_is_flagged_not_lost_and_goes_once_mapped(
    provider, city_admin, login
):
    # given a kind the city has not mapped yet
    message = outbox.enqueue(
        channel="sms", recipient="13800000003", sms=_kind("appeals.withdrawn")(code="ZZ2026000003")
    )

    # when the worker meets it
    counts = outbox.deliver_due()

    # then nothing went to the provider, and the row says why
    row = _row(message)
    assert counts["unmapped"] == 1
    assert provider.requests == 0
    assert row.status == Status.UNMAPPED
    assert "未配置模板" in row.last_error and "诉求撤回" in row.last_error
    # and staff find it on the failures page
    client = login(city_admin)
    page = client.get("/staff/sms/failures/").content.decode()
    assert f'data-testid="sms-failure-{message.pk}"' in page
    assert "未配置模板" in page
    # when the kind is mapped and the message resent
    client.post("/staff/sms/templates/", {"kind": "appeals.withdrawn", "template_id": "SMS_W"})
    client.post(f"/staff/sms/failures/{message.pk}/resend/")
    outbox.deliver_due()

    # then it went, with the new template
    assert _row(message).status == Status.SENT
    assert provider.sent[0]["template"] == "SMS_W"


# --- Receipts -------------------------------------------------------------------------------


def _receipt(provider: FakeProvider, provider_id: str, *, delivered: bool, reason: str = ""):
    """The body the provider posts, and its headers (the HTTP platform signs it)."""
    if provider.flavour == "aliyun":
        reports = [
            {
                "phone_number": "13800000001",
                "send_time": "2026-12-02 10:00:00",
                "report_time": "2026-12-02 10:00:05",
                "success": delivered,
                "err_code": "DELIVERED" if delivered else reason,
                "err_msg": "用户接收成功" if delivered else reason,
                "sms_size": "1",
                "biz_id": provider_id,
                "out_id": "1",
            }
        ]
    elif provider.flavour == "tencent":
        reports = [
            {
                "user_receive_time": "2026-12-02 10:00:05",
                "nationcode": "86",
                "mobile": "13800000001",
                "report_status": "SUCCESS" if delivered else "FAIL",
                "errmsg": "DELIVRD" if delivered else "MK:0001",
                "description": "用户短信送达成功" if delivered else reason,
                "sid": provider_id,
            }
        ]
    else:
        reports = [
            {
                "msgid": provider_id,
                "status": "DELIVERED" if delivered else "FAILED",
                "reason": reason,
            }
        ]
    body = json.dumps(reports, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {
        "HTTP_X_TIMESTAMP": timestamp,
        "HTTP_X_SIGNATURE": http_signature(secret="shared-secret", timestamp=timestamp, body=body),
    }
    return body, headers


def _post_receipt(body: bytes, headers: dict, token: str = TOKEN):
    return Client().post(
        f"/sms/receipts/{token}/", body, content_type="application/json", **headers
    )


def test_a_real_receipt_marks_the_message_delivered(provider):
    message = _merged()
    outbox.deliver_due()
    body, headers = _receipt(provider, _row(message).provider_id, delivered=True)

    response = _post_receipt(body, headers)

    assert response.status_code == 200
    row = _row(message)
    assert row.status == Status.DELIVERED
    assert row.delivered_at is not None
    # a repeated receipt changes nothing
    assert _post_receipt(body, headers).status_code == 200
    assert _row(message).status == Status.DELIVERED


def test_a_forged_receipt_is_refused_and_changes_nothing(provider):
    message = _merged()
    outbox.deliver_due()
    body, headers = _receipt(provider, _row(message).provider_id, delivered=False, reason="空号")

    # a wrong token is a page that does not exist
    assert _post_receipt(body, headers, token="guessed").status_code == 404
    # the HTTP platform's receipts must carry the shared secret's signature as well
    if provider.flavour == "http":
        headers["HTTP_X_SIGNATURE"] = "0" * 64
        assert _post_receipt(body, headers).status_code == 403
    assert _row(message).status == Status.SENT


def test_a_receipt_for_an_empty_number_fails_the_message_for_good(provider):
    message = _merged()
    outbox.deliver_due()
    body, headers = _receipt(provider, _row(message).provider_id, delivered=False, reason="空号")

    _post_receipt(body, headers)

    row = _row(message)
    assert row.status == Status.FAILED
    assert "空号" in row.last_error


def test_a_receipt_for_a_phone_switched_off_sends_the_message_again(provider):
    message = _merged()
    outbox.deliver_due()
    first_id = _row(message).provider_id
    body, headers = _receipt(provider, first_id, delivered=False, reason="用户关机")

    _post_receipt(body, headers)

    row = _row(message)
    assert (row.status, row.provider_id) == (Status.PENDING, "")
    outbox.deliver_due(now=timezone.now() + timedelta(minutes=5))
    row = _row(message)
    assert row.status == Status.SENT
    assert row.provider_id not in ("", first_id)
    assert len(provider.sent) == 2


def test_receipts_are_refused_when_no_token_is_configured(provider, settings):
    settings.SMS_RECEIPT_TOKEN = ""
    message = _merged()
    outbox.deliver_due()
    body, headers = _receipt(provider, _row(message).provider_id, delivered=True)

    assert _post_receipt(body, headers, token="").status_code == 404
    assert _row(message).status == Status.SENT


def test_where_the_provider_offers_a_query_sms_without_a_receipt_are_asked_about(provider):
    if provider.flavour != "aliyun":
        pytest.skip("Alibaba's QuerySendDetails")
    # given two SMS sent a while ago whose receipts were never pushed
    delivered, empty = _merged(phone="13800000051"), _merged(phone="13800000052")
    outbox.deliver_due()
    provider.details = {
        _row(delivered).provider_id: (3, "DELIVERED"),
        _row(empty).provider_id: (2, "MOBILE_NOT_EXIST"),
    }

    # when the worker polls
    counts = receipts.poll(now=timezone.now() + timedelta(minutes=15))

    # then each is recorded as the provider knows it
    assert counts["delivered"] == counts["failed"] == 1
    assert _row(delivered).status == Status.DELIVERED
    assert _row(empty).status == Status.FAILED


def test_a_failed_receipt_for_a_code_is_not_sent_again():
    message = _code()
    outbox.deliver_due()
    OutboxMessage.objects.filter(pk=message.pk).update(provider_id="p-1")

    receipts.apply(
        [receipts.Receipt("p-1", delivered=False, reason="用户关机")], now=timezone.now()
    )

    assert _row(message).status == Status.FAILED


# --- Limits and an outage -------------------------------------------------------------------


def test_a_provider_outage_of_many_minutes_loses_nothing_and_sends_codes_first(provider):
    # given five notices and then three codes queued while the provider is down
    start = timezone.now()
    notices = [_merged(phone=f"1380000001{n}", code=f"ZZ202600001{n}") for n in range(5)]
    codes = [_code(phone=f"1390000001{n}") for n in range(3)]
    provider.mode = "down"

    # when the worker runs every minute through a 45-minute outage, then after it
    minute = 0
    while minute < 45:
        outbox.deliver_due(now=start + timedelta(minutes=minute))
        minute += 1
    failed_tries = provider.requests
    provider.mode = "ok"
    while OutboxMessage.objects.filter(status=Status.PENDING).exists() and minute < 240:
        outbox.deliver_due(now=start + timedelta(minutes=minute))
        minute += 1

    # then every message was delivered exactly once, the codes first
    assert failed_tries >= 8 * 5
    assert len(provider.sent) == 8
    phones = [sent["phone"][-11:] for sent in provider.sent]
    assert sorted(phones) == sorted(m.recipient for m in notices + codes)
    assert set(phones[:3]) == {m.recipient for m in codes}
    assert all(_row(m).status == Status.SENT for m in notices + codes)


def test_a_refused_connection_is_an_outage_too(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.OUTBOX_BACKENDS = {**settings.OUTBOX_BACKENDS, "sms": BACKENDS["tencent"]}
    settings.SMS_TENCENT = {
        **settings.SMS_TENCENT,
        "secret_id": "AKID-test",
        "secret_key": "secret",
        "endpoint": f"127.0.0.1:{port}",
        "scheme": "http",
    }
    SmsTemplate.objects.create(kind="appeals.merged", template_id="1")
    message = _merged()

    assert outbox.deliver_due()["retrying"] == 1
    assert "NetworkError" in _row(message).last_error


def test_codes_go_before_older_notices():
    _merged(phone="13800000021")
    _merged(phone="13800000022")
    _code(phone="13900000021")
    outbox.deliver_due()

    sent = list(RecordingSmsBackend.sent)
    first = OutboxMessage.objects.get(pk=sent[0])
    assert first.kind == "core.code"


def test_the_daily_cap_per_number_holds_later_messages_until_the_next_day(settings):
    settings.SMS_PER_NUMBER_PER_DAY = 2
    messages = [_merged(phone="13800000031", code=f"ZZ20260000{n}") for n in range(3)]
    now = timezone.now()

    counts = outbox.deliver_due(now=now)

    assert (counts["sent"], counts["throttled"]) == (2, 1)
    held = next(m for m in map(_row, messages) if m.status == Status.PENDING)
    assert held.attempts == 0
    assert held.next_attempt_at > now
    # a code is not held back by the cap
    _code(phone="13800000031")
    assert outbox.deliver_due(now=timezone.now())["sent"] == 1


def test_the_worker_paces_sms_to_the_providers_rate(settings, monkeypatch):
    settings.SMS_RATE_PER_SECOND = 5
    waits = []
    monkeypatch.setattr(outbox.time, "sleep", waits.append)
    for n in range(4):
        _merged(phone=f"1380000004{n}")

    outbox.deliver_due()

    # the first goes at once, each later one waits for its fifth of a second
    assert len(waits) == 3
    assert all(0 < wait <= 0.2 for wait in waits)


def test_a_provider_chosen_without_its_credentials_is_reported_at_start(settings):
    from shishi.core.checks import sms_provider_configured

    settings.OUTBOX_BACKENDS = {**settings.OUTBOX_BACKENDS, "sms": BACKENDS["aliyun"]}
    settings.SMS_ALIYUN = {**settings.SMS_ALIYUN, "access_key_id": "", "access_key_secret": ""}
    settings.SMS_RECEIPT_TOKEN = ""

    problems = {problem.id: problem.msg for problem in sms_provider_configured()}

    assert "access_key_id" in problems["shishi.E101"]
    assert "shishi.W102" in problems
    # the console (the demo) needs nothing
    settings.OUTBOX_BACKENDS = {
        **settings.OUTBOX_BACKENDS,
        "sms": "shishi.core.outbox.ConsoleBackend",
    }
    assert sms_provider_configured() == []
