import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from shishi.core import codes, events
from shishi.core.masking import mask_id_number, mask_name, mask_phone
from shishi.core.models import AppendOnlyError, AuditEntry, WorkerHeartbeat
from shishi.core.tasks import beat


def test_phone_masking():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("138-1234-1234") == "138****1234"
    assert mask_phone("0596-2345678") == "059****5678"
    assert mask_phone("") == ""
    assert mask_phone("12345") == "*****"


def test_id_and_name_masking():
    assert mask_id_number("350602199001011234") == "350602********1234"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧阳**"


@pytest.mark.django_db
def test_codes_count_per_day_and_prefix():
    day = date(2026, 11, 28)
    assert codes.next_code(prefix="ZZ", day=day) == "ZZ20261128-00001"
    assert codes.next_code(prefix="ZZ", day=day) == "ZZ20261128-00002"
    assert codes.next_code(prefix="ZZ", day=day + timedelta(days=1)) == "ZZ20261129-00001"
    assert codes.next_code(prefix="XM", day=day) == "XM20261128-00001"


@pytest.mark.django_db(transaction=True)
def test_codes_are_unique_under_concurrent_callers():
    day = date(2026, 11, 28)
    results: list[str] = []
    errors: list[Exception] = []

    def take() -> None:
        try:
            for _ in range(5):
                results.append(codes.next_code(prefix="ZZ", day=day))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [f"ZZ20261128-{n:05d}" for n in range(1, 21)]


@pytest.mark.django_db
def test_audit_entries_are_append_only(city_admin):
    entry = events.audit(actor=city_admin, verb="测试", note="原文")
    entry.note = "篡改"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == "原文"


@pytest.mark.django_db
def test_healthz_reports_a_stale_worker_then_a_live_one(client):
    # given no heartbeat yet
    body = client.get("/healthz").json()
    assert body == {"status": "stale"}  # the public sees only ok / stale
    # when the worker beats
    beat()
    assert client.get("/healthz").json() == {"status": "ok"}
    # and an old beat is stale again
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=10))
    assert client.get("/healthz").json()["status"] == "stale"


@pytest.mark.django_db
def test_healthz_details_are_for_signed_in_staff_only(client, town_clerk):
    beat()
    assert set(client.get("/healthz").json()) == {"status"}
    client.force_login(town_clerk)
    body = client.get("/healthz").json()
    assert body["status"] == body["worker"] == "ok"
    assert body["database"] == "ok" and "outbox_pending" in body


@pytest.mark.django_db
def test_old_rate_counters_and_codes_are_purged():
    from shishi.core import ratelimit
    from shishi.core.models import PhoneChallenge, RateBucket
    from shishi.core.tasks import purge_counters

    # given a counter and a code from two days ago, and a fresh counter
    old = timezone.now() - timedelta(days=2)
    ratelimit.hit("report:ip:1.2.3.4", limit=5, window=60, now=old)
    ratelimit.hit("report:ip:1.2.3.4", limit=5, window=60)
    PhoneChallenge.objects.create(
        phone="13800000000", purpose="appeal", code_hash="x", created_at=old, expires_at=old
    )
    # when the hourly purge runs (immediately, in tests)
    purge_counters.call_local()
    # then only the fresh counter is left
    assert RateBucket.objects.count() == 1
    assert not PhoneChallenge.objects.exists()


@pytest.mark.django_db
def test_rate_limit_refuses_past_the_limit_and_says_when_to_retry():
    from shishi.core import ratelimit

    now = timezone.now()
    for _ in range(3):
        ratelimit.hit("otp:phone:1", limit=3, window=3600, now=now)
    with pytest.raises(ratelimit.Limited) as limited:
        ratelimit.hit("otp:phone:1", limit=3, window=3600, now=now)
    assert 0 < limited.value.retry_after <= 3600


@pytest.mark.django_db
def test_pages_with_personal_data_are_never_cached_and_features_are_limited(
    client, town_clerk, tree
):
    public = client.get("/")
    assert "camera=(self)" in public["Permissions-Policy"]
    assert "microphone=()" in public["Permissions-Policy"]
    client.force_login(town_clerk)
    staff = client.get("/staff/")
    assert staff.status_code == 200
    assert "no-store" in staff["Cache-Control"]
