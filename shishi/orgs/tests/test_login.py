"""Signing in: lockout after five failures (django-axes) and the 30-minute idle timeout."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shishi.orgs.factories import TEST_PASSWORD


def _sign_in(client: Client, username: str, password: str):
    return client.post(reverse("staff:login"), {"username": username, "password": password})


def test_right_password_signs_in_and_lands_on_the_staff_home(town_clerk):
    # given the clerk of 芝山街道 at the login page
    client = Client()

    # when they sign in with their password
    response = _sign_in(client, "town_clerk", TEST_PASSWORD)

    # then they are signed in and sent to the staff home
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:home")
    assert client.session["_auth_user_id"] == str(town_clerk.pk)


def test_wrong_password_is_refused_with_the_lockout_warning(town_clerk):
    # given the clerk of 芝山街道
    client = Client()

    # when they sign in with a wrong password
    response = _sign_in(client, "town_clerk", "wrong-password-1")

    # then the page says so and warns about the lockout
    assert response.status_code == 200
    assert "登录名或密码不正确。连续输错5次，账号将被锁定30分钟。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_for_the_right_password(town_clerk):
    # given five failed sign-ins for the clerk
    client = Client()
    for attempt in range(5):
        _sign_in(client, "town_clerk", f"wrong-password-{attempt}")

    # when the right password is used
    response = _sign_in(client, "town_clerk", TEST_PASSWORD)

    # then the account is locked: no session, the lockout page, and the failures on record
    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="town_clerk").failures_since_start >= 5


def test_lockout_also_holds_from_a_fresh_browser(town_clerk):
    # given five failed sign-ins for the clerk in one browser
    for attempt in range(5):
        _sign_in(Client(), "town_clerk", f"wrong-password-{attempt}")

    # when the right password is tried from a new client
    fresh = Client()
    response = _sign_in(fresh, "town_clerk", TEST_PASSWORD)

    # then it is still refused (the lock lives in the database, not the session)
    assert response.status_code == 429
    assert "_auth_user_id" not in fresh.session


def test_an_address_failing_on_five_accounts_is_locked_for_all(town_clerk):
    # given one address that failed once each on five different logins
    for n in range(5):
        _sign_in(Client(), f"guess{n}", "wrong-password")

    # when the clerk signs in correctly from that address
    client = Client()
    response = _sign_in(client, "town_clerk", TEST_PASSWORD)

    # then the address is locked out (password spraying)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_and_a_success_clears_them(town_clerk):
    # given four failed sign-ins
    client = Client()
    for attempt in range(4):
        _sign_in(client, "town_clerk", f"wrong-password-{attempt}")

    # when the right password is used, then four more wrong ones, then the right one
    first = _sign_in(client, "town_clerk", TEST_PASSWORD)
    client.post(reverse("staff:logout"))
    for attempt in range(4):
        _sign_in(client, "town_clerk", f"wrong-password-{attempt}")
    second = _sign_in(client, "town_clerk", TEST_PASSWORD)

    # then both successes sign in, since a success resets the count
    assert first.status_code == 302
    assert second.status_code == 302
    assert client.session["_auth_user_id"] == str(town_clerk.pk)


def test_stopped_account_cannot_sign_in(town_clerk):
    # given the clerk's account stopped
    town_clerk.is_active = False
    town_clerk.save(update_fields=["is_active"])
    client = Client()

    # when they sign in with the right password
    response = _sign_in(client, "town_clerk", TEST_PASSWORD)

    # then they are not signed in
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_sessions_expire_after_thirty_idle_minutes():
    # given the settings
    # when reading the session lifetime
    # then a session lives 30 minutes and every request renews it
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_each_request_pushes_the_session_expiry_thirty_minutes_ahead(town_clerk, login):
    # given a signed-in clerk whose session would expire in one minute
    client = login(town_clerk)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=1))

    # when they open a page
    response = client.get(reverse("staff:home"))

    # then the session is good for another thirty minutes
    assert response.status_code == 200
    expires = Session.objects.get(pk=key).expire_date
    assert timedelta(minutes=29) < expires - timezone.now() <= timedelta(minutes=30)


def test_an_expired_session_sends_the_clerk_back_to_the_login(town_clerk, login):
    # given a signed-in clerk idle for longer than thirty minutes
    client = login(town_clerk)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))

    # when they open a page
    response = client.get(reverse("staff:home"))

    # then they must sign in again
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))
