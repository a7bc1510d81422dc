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
    assert "登录名或密码不正确。在同一地点连续输错5次" in response.content.decode()
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


def test_an_address_failing_on_many_accounts_is_stopped_for_all(town_clerk, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    # given one address that failed once each on eight different logins
    for n in range(8):
        _sign_in(Client(), f"guess{n}", "wrong-password")

    # when the clerk signs in correctly from that address
    client = Client()
    response = _sign_in(client, "town_clerk", TEST_PASSWORD)

    # then the address is stopped (password spraying), and the page says until when
    assert response.status_code == 429
    assert "此处登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # while from another address the clerk signs in
    assert _sign_in(Client(REMOTE_ADDR="10.1.1.1"), "town_clerk", TEST_PASSWORD).status_code == 302


def test_a_strangers_failures_elsewhere_never_lock_the_clerk_out(town_clerk):
    # given five failures for the clerk's (guessable) username from five addresses
    for n in range(5):
        _sign_in(Client(REMOTE_ADDR=f"10.2.2.{n}"), "town_clerk", "wrong-password")

    # when the clerk signs in from their office
    response = _sign_in(Client(REMOTE_ADDR="10.3.3.3"), "town_clerk", TEST_PASSWORD)

    # then they are in
    assert response.status_code == 302


def test_many_failures_of_one_username_slow_further_tries_down(town_clerk):
    # given five failures for the clerk from five addresses
    for n in range(5):
        _sign_in(Client(REMOTE_ADDR=f"10.4.4.{n}"), "town_clerk", "wrong-password")

    # when two more tries come at once from elsewhere
    first = _sign_in(Client(REMOTE_ADDR="10.5.5.1"), "town_clerk", "wrong-password")
    second = _sign_in(Client(REMOTE_ADDR="10.5.5.2"), "town_clerk", "wrong-password")

    # then the first is checked, the second must wait
    assert first.status_code == 200
    assert second.status_code == 429 and int(second["Retry-After"]) > 0


def test_the_lockout_page_says_when_to_try_again(town_clerk):
    client = Client()
    for attempt in range(5):
        _sign_in(client, "town_clerk", f"wrong-password-{attempt}")
    response = _sign_in(client, "town_clerk", TEST_PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert "账号已临时锁定" in page and "分钟</strong>后" in page and "以后）再试" in page
    assert 60 <= int(response["Retry-After"]) <= 1800


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


def test_the_units_admin_unlocks_a_locked_clerk_and_it_is_audited(town_clerk, city_admin, login):
    from shishi.core.models import AuditEntry

    # given the clerk locked out after five failures from the office
    office = Client(REMOTE_ADDR="10.8.8.8")
    for attempt in range(5):
        _sign_in(office, "town_clerk", f"wrong-password-{attempt}")
    assert _sign_in(office, "town_clerk", TEST_PASSWORD).status_code == 429

    # when the administrator opens the clerk's page and lifts the lock
    admin = login(city_admin)
    page = admin.get(reverse("staff:person", args=[town_clerk.pk])).content.decode()
    assert 'data-testid="login-locked"' in page
    admin.post(reverse("staff:person_unlock", args=[town_clerk.pk]))

    # then the clerk signs in from the office again, and the unlock is on record
    assert _sign_in(office, "town_clerk", TEST_PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(verb="login_unlocked", target_id=str(town_clerk.pk)).exists()
