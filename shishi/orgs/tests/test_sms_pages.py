"""The city office's SMS pages: which template each kind goes with, and what failed."""

import pytest

from shishi.core import notifications as core_sms
from shishi.core import outbox, sms
from shishi.core.models import AuditEntry, OutboxMessage, SmsTemplate

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


def _merged(code: str) -> sms.Sms:
    """An appeal's 诉求合并告知, found by its code (orgs sits below appeals)."""
    return sms.kinds()["appeals.merged"](code=code)


def test_the_template_page_lists_every_kind_and_flags_those_without_a_template(city_admin, login):
    # given one kind mapped
    SmsTemplate.objects.create(kind="appeals.received", template_id="SMS_RECEIVED")

    # when the city office opens the page
    response = login(city_admin).get("/staff/sms/templates/")

    # then every kind is listed with its variables, the unmapped counted and highlighted
    page = response.content.decode()
    kinds = sms.kinds()
    assert response.status_code == 200
    assert all(f'data-testid="sms-kind-{code}"' in page for code in kinds)
    assert "SMS_RECEIVED" in page
    assert f"有 {len(kinds) - 1} 种短信尚未配置模板编号" in page
    assert "code, link, platform" in page


def test_mapping_a_kind_is_saved_and_audited(city_admin, login):
    client = login(city_admin)

    client.post("/staff/sms/templates/", {"kind": "appeals.merged", "template_id": " SMS_9 "})

    assert SmsTemplate.objects.get(kind="appeals.merged").template_id == "SMS_9"
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.SMS_TEMPLATE_SET)
    assert entry.data == {"kind": "appeals.merged", "template_id": "SMS_9"}
    # an empty ID takes the mapping away; an unknown kind is refused
    client.post("/staff/sms/templates/", {"kind": "appeals.merged", "template_id": ""})
    client.post("/staff/sms/templates/", {"kind": "no.such", "template_id": "SMS_1"})
    assert not SmsTemplate.objects.exists()


def test_the_failures_page_lists_what_did_not_arrive_and_resends_it(city_admin, login):
    # given an SMS the provider refused for good, and one delivered
    dead = outbox.enqueue(channel="sms", recipient="13800000011", sms=_merged(code="ZZ2026000011"))
    OutboxMessage.objects.filter(pk=dead.pk).update(
        status=Status.DEAD, last_error="Rejected: isv.MOBILE_NUMBER_ILLEGAL"
    )
    fine = outbox.enqueue(channel="sms", recipient="13800000012", sms=_merged(code="ZZ2026000012"))
    OutboxMessage.objects.filter(pk=fine.pk).update(status=Status.DELIVERED)
    client = login(city_admin)

    # when the office reads the failures
    page = client.get("/staff/sms/failures/").content.decode()

    # then only the failed one is there, its number masked, its reason shown
    assert f'data-testid="sms-failure-{dead.pk}"' in page
    assert f'data-testid="sms-failure-{fine.pk}"' not in page
    assert "13800000011" not in page
    assert "isv.MOBILE_NUMBER_ILLEGAL" in page and "诉求合并告知" in page
    # when it is resent
    client.post(f"/staff/sms/failures/{dead.pk}/resend/")
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (Status.PENDING, 0)
    assert AuditEntry.objects.filter(verb=AuditEntry.Verb.SMS_RESENT).count() == 1
    # and a message that is not failed has nothing to resend
    assert client.post(f"/staff/sms/failures/{fine.pk}/resend/").status_code == 404


def test_an_expired_code_is_not_resent(city_admin, login):
    code = outbox.enqueue(
        channel="sms", recipient="13800000013", sms=core_sms.CODE(purpose="登录", code="654321")
    )
    OutboxMessage.objects.filter(pk=code.pk).update(status=Status.DEAD)
    client = login(city_admin)

    page = client.get("/staff/sms/failures/").content.decode()
    client.post(f"/staff/sms/failures/{code.pk}/resend/")

    assert "654321" not in page
    assert f'data-testid="sms-resend-{code.pk}"' not in page
    code.refresh_from_db()
    assert code.status == Status.DEAD


def test_the_sms_pages_are_the_city_offices_only(county_leader, login):
    client = login(county_leader)
    assert client.get("/staff/sms/templates/").status_code == 403
    assert client.get("/staff/sms/failures/").status_code == 403
