import re
import socket
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from shishi.core import otp, outbox, tasks
from shishi.core.models import OutboxMessage
from shishi.core.sms import SmsKind
from shishi.testing import RecordingSmsBackend

pytestmark = pytest.mark.django_db

SMTP = {
    "email": "shishi.core.outbox.SmtpBackend",
    "sms": "shishi.core.outbox.ConsoleBackend",
    "console": "shishi.core.outbox.ConsoleBackend",
}


def closed_port() -> int:
    """A local port nothing listens on: the SMTP connection is refused for real."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_message_is_sent_after_commit(django_capture_on_commit_callbacks):
    # given a message queued inside a transaction
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = outbox.enqueue(channel="sms", recipient="13800000000", body="验证码 123456")
        # then nothing is sent before commit
        assert OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.PENDING
    # and it is sent once the transaction commits
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.sent_at is not None


def test_rolled_back_write_leaves_no_message():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(channel="sms", recipient="13800000000", body="不会发送")
        raise RuntimeError("the write fails")
    assert not OutboxMessage.objects.exists()


def test_failing_email_backend_leaves_the_message_queued_for_retry(
    django_capture_on_commit_callbacks,
):
    # given SMTP pointing at a port where nothing listens
    with override_settings(OUTBOX_BACKENDS=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed_port()):
        before = timezone.now()
        # when a message is queued and the worker is nudged (no exception reaches the caller)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            message = outbox.enqueue(channel="email", recipient="a@example.com", body="通知")
    # then it is still pending, with the error recorded and a later retry time
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "ConnectionRefused" in message.last_error
    assert message.next_attempt_at >= before + outbox.BACKOFF_FIRST


def test_retry_is_not_attempted_before_the_backoff_expires():
    with override_settings(OUTBOX_BACKENDS=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed_port()):
        message = outbox.enqueue(channel="email", recipient="a@example.com", body="通知")
        now = timezone.now()
        outbox.deliver_due(now=now)
        assert outbox.deliver_due(now=now + timedelta(seconds=5)) == {
            "sent": 0,
            "retrying": 0,
            "dead": 0,
            "throttled": 0,
            "unmapped": 0,
        }
        assert outbox.deliver_due(now=now + timedelta(minutes=1))["retrying"] == 1
    message.refresh_from_db()
    assert message.attempts == 2


def test_message_goes_dead_after_the_last_attempt_and_can_be_retried():
    with override_settings(
        OUTBOX_BACKENDS=SMTP,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed_port(),
        OUTBOX_MAX_ATTEMPTS=2,
    ):
        message = outbox.enqueue(channel="email", recipient="a@example.com", body="通知")
        now = timezone.now()
        outbox.deliver_due(now=now)
        assert outbox.deliver_due(now=now + timedelta(hours=2))["dead"] == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DEAD
    # when an operator retries it with a working backend, it is delivered
    outbox.retry_dead(message=message, now=timezone.now())
    assert outbox.deliver_due(now=timezone.now() + timedelta(seconds=1))["sent"] == 1


def test_a_row_is_claimed_by_one_worker_only():
    message = outbox.enqueue(channel="sms", recipient="13800000000", body="x")
    now = timezone.now() + timedelta(seconds=1)
    assert outbox.claim(message.pk, now=now) is True
    assert outbox.claim(message.pk, now=now) is False


def test_backoff_doubles_and_is_capped():
    assert outbox.backoff(1) == timedelta(seconds=30)
    assert outbox.backoff(2) == timedelta(minutes=1)
    assert outbox.backoff(3) == timedelta(minutes=2)
    assert outbox.backoff(20) == outbox.BACKOFF_MAX


def texted_code(phone: str) -> OutboxMessage:
    with transaction.atomic():
        otp.send_code(phone=phone, purpose="evaluate", purpose_label="评价诉求")
    return OutboxMessage.objects.get(recipient=phone)


def test_a_delivered_code_is_starred_out_of_the_row():
    # given a code texted to a citizen (the SMS gateway is shishi.testing's recorder)
    message = texted_code("13900000001")
    code = re.search(r"验证码 (\d{6})", message.body).group(1)
    # when the worker delivers it
    assert outbox.deliver_due(now=timezone.now() + timedelta(seconds=1))["sent"] == 1
    # then the citizen got the code, and the row keeps the text without it
    assert code in RecordingSmsBackend.sent[message.pk]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert code not in message.body
    assert "验证码 ******，10分钟内有效" in message.body


def test_other_messages_keep_their_text_once_sent():
    message = outbox.enqueue(channel="sms", recipient="13800000000", body="诉求编号 20261128")
    outbox.deliver_due(now=timezone.now() + timedelta(seconds=1))
    message.refresh_from_db()
    assert (message.status, message.body) == (OutboxMessage.Status.SENT, "诉求编号 20261128")


class GatewayDown:
    def send(self, message: OutboxMessage) -> None:
        raise ConnectionError("gateway down")


@override_settings(
    OUTBOX_BACKENDS={**SMTP, "sms": "shishi.core.tests.test_outbox.GatewayDown"},
    OUTBOX_MAX_ATTEMPTS=1,
)
def test_a_code_message_that_goes_dead_is_starred_out_too():
    message = texted_code("13900000002")
    outbox.deliver_due(now=timezone.now() + timedelta(seconds=1))
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DEAD
    assert not re.search(r"\d{6}", message.body)


def test_the_admin_shows_no_code_even_before_delivery(admin_client):
    # given a code still waiting for the worker
    message = texted_code("13900000003")
    code = re.search(r"验证码 (\d{6})", message.body).group(1)
    # when an administrator looks at the outbox
    listing = admin_client.get("/admin/core/outboxmessage/")
    detail = admin_client.get(f"/admin/core/outboxmessage/{message.pk}/change/")
    # then the message is there, its code is not
    assert listing.status_code == detail.status_code == 200
    assert "13900000003" in listing.content.decode()
    assert "验证码 ******" in detail.content.decode()
    assert code not in listing.content.decode() + detail.content.decode()


def make_row(status: str, age_days: int) -> OutboxMessage:
    message = outbox.enqueue(channel="sms", recipient="13800000000", body=f"{status} {age_days}")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status, created_at=timezone.now() - timedelta(days=age_days)
    )
    return message


@override_settings(OUTBOX_RETENTION_DAYS=180)
def test_pruning_deletes_old_sent_and_dead_rows():
    make_row(OutboxMessage.Status.SENT, 181)
    make_row(OutboxMessage.Status.DEAD, 400)

    tasks.prune_outbox()

    assert not OutboxMessage.objects.exists()


@override_settings(OUTBOX_RETENTION_DAYS=180)
def test_pruning_keeps_recent_rows_and_every_pending_one():
    recent_sent = make_row(OutboxMessage.Status.SENT, 179)
    recent_dead = make_row(OutboxMessage.Status.DEAD, 10)
    old_pending = make_row(OutboxMessage.Status.PENDING, 365)

    tasks.prune_outbox()

    kept = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert kept == {recent_sent.pk, recent_dead.pk, old_pending.pk}


def test_queued_messages_nudge_the_worker_through_the_hook_set_at_start_up():
    # outbox.py imports nothing from tasks.py; the app sets the hook when it is ready
    assert outbox.deliver_soon is tasks.deliver_outbox


def test_a_sweeps_worth_of_sms_is_delivered_batch_after_batch_up_to_a_limit():
    # given 250 SMS queued at once in bulk (as a supervision sweep queues them)
    urge = SmsKind(code="test.urge", label="督办", text="【督办】请办理{what}")
    outbox.enqueue_sms_many([(f"138{n:08d}", urge(what="诉求"), None, "") for n in range(250)])

    # when the worker delivers in batches of 100 with room for 200 this run
    first = outbox.deliver_due(batch=100, limit=200)

    # then two full batches went out and the rest waits for the next run, which takes it
    assert first["sent"] == 200
    assert sum(first.values()) == 200
    assert outbox.deliver_due(batch=100, limit=200)["sent"] == 50
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()
