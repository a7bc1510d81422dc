import socket
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from shishi.core import outbox
from shishi.core.models import OutboxMessage

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
