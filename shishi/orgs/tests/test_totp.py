"""The second sign-in step (TOTP, django-otp) for administrators and the city-office roles:
the code page, recovery codes, setting up an authenticator, who is asked, the admin's reset."""

from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shishi.core.models import AuditEntry
from shishi.orgs.factories import TEST_PASSWORD, PersonFactory
from shishi.orgs.models import Person

pytestmark = pytest.mark.usefixtures("totp_enforced")

V = AuditEntry.Verb
LOGIN = reverse("staff:login")
HOME = reverse("staff:home")


def _password(client: Client, username: str, next_url: str = ""):
    data = {"username": username, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def _authenticator(person) -> TOTPDevice:
    """A confirmed authenticator for `person`, as if they had set one up."""
    return TOTPDevice.objects.create(user=person, name="身份验证器", confirmed=True)


def _now_code(key: bytes) -> str:
    return f"{totp(key):06d}"


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _verified_client(person, device) -> Client:
    """A client signed in as `person` who passed the second step on `device`."""
    client = Client()
    client.force_login(person)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_admin_signs_in_with_the_authenticators_code_and_reaches_the_staff_home(city_admin):
    # given the city administrator with an authenticator
    device = _authenticator(city_admin)
    client = Client()

    # when the password is right
    first = _password(client, "city_admin")

    # then they are asked for the code, and not signed in yet
    assert first.status_code == 302
    assert first["Location"] == reverse("staff:login_verify")
    assert not _signed_in(client)
    page = client.get(first["Location"])
    assert "登录第二步：动态验证码" in page.content.decode()

    # when they type the code their authenticator shows now
    second = client.post(first["Location"], {"code": _now_code(device.bin_key)})

    # then they are signed in, verified, and the staff home opens
    assert second.status_code == 302
    assert second["Location"] == HOME
    assert client.session["_auth_user_id"] == str(city_admin.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(HOME).status_code == 200


def test_the_second_step_keeps_where_the_person_was_going(operator):
    # given an operator with an authenticator, sent to the login from the people page
    device = _authenticator(operator)
    client = Client()

    # when they sign in with password and code
    _password(client, "operator", next_url=reverse("staff:people"))
    done = client.post(reverse("staff:login_verify"), {"code": _now_code(device.bin_key)})

    # then they arrive where they were going
    assert done["Location"] == reverse("staff:people")


def test_a_wrong_code_is_refused_in_chinese_and_counted_like_a_wrong_password(city_admin):
    # given the administrator past the password step
    device = _authenticator(city_admin)
    client = Client()
    _password(client, "city_admin")
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"

    # when they type a wrong code
    response = client.post(reverse("staff:login_verify"), {"code": wrong})

    # then it is refused in Chinese, nobody is signed in, and the failure is on record
    assert response.status_code == 200
    assert "动态验证码不正确" in response.content.decode()
    assert not _signed_in(client)
    assert client.get(HOME)["Location"].startswith(LOGIN)
    assert AccessAttempt.objects.get(username="city_admin").failures_since_start == 1
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_five_wrong_codes_lock_the_account(city_admin):
    # given the administrator past the password step
    device = _authenticator(city_admin)
    client = Client()
    _password(client, "city_admin")

    # when five wrong codes are typed (the device's back-off refuses some straight away)
    answers = [
        client.post(reverse("staff:login_verify"), {"code": "000000"}).status_code for _ in range(5)
    ]

    # then the fifth locks the account: even the right password and code do not sign in
    assert answers[-1] == 429
    fresh = Client()
    assert _password(fresh, "city_admin").status_code == 429
    assert client.post(
        reverse("staff:login_verify"), {"code": _now_code(device.bin_key)}
    ).status_code in (302, 429)
    assert not _signed_in(client)
    assert not _signed_in(fresh)


def test_a_recovery_code_signs_in_once(supervisor):
    # given a supervisor with an authenticator and two recovery codes
    _authenticator(supervisor)
    codes = StaticDevice.objects.create(user=supervisor, name="恢复码", confirmed=True)
    StaticToken.objects.create(device=codes, token="abcd2345")
    StaticToken.objects.create(device=codes, token="efgh6723")
    client = Client()

    # when they sign in with one recovery code (typed as printed, with its dash)
    _password(client, "supervisor")
    first = client.post(reverse("staff:login_verify"), {"code": "ABCD-2345"})

    # then they are in, the code is used up and the use is audited
    assert first.status_code == 302
    assert _signed_in(client)
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["efgh6723"]
    entry = AuditEntry.objects.get(verb=V.TOTP_RECOVERY_USED)
    assert entry.target_id == str(supervisor.pk)
    assert entry.data == {"left": 1}

    # when the same code is used again from another browser
    other = Client()
    _password(other, "supervisor")
    again = other.post(reverse("staff:login_verify"), {"code": "abcd2345"})

    # then it is refused
    assert again.status_code == 200
    assert "动态验证码不正确" in again.content.decode()
    assert not _signed_in(other)


def test_a_required_role_without_an_authenticator_must_set_one_up_first(operator, tree, settings):
    # given an operator (a required role) who has no authenticator yet (and no back-off
    # between tries: that is the subject of the lockout test)
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = Client()

    # when the password is right
    first = _password(client, "operator")

    # then they are sent to set one up, and no staff page opens meanwhile
    assert first["Location"] == reverse("staff:login_enrol")
    for url in (
        HOME,
        reverse("staff:people"),
        reverse("staff:unit", args=[tree["city"].pk]),
        reverse("staff:login_verify"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN) or url.endswith("verify/")
    assert not _signed_in(client)

    # when they open the page: a QR code (inline SVG) and the key in text
    page = client.get(reverse("staff:login_enrol"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html
    assert "<script>" not in html
    secret = page.context["secret"]
    assert page.context["qr"] == client.get(reverse("staff:login_enrol")).context["qr"]

    # when they type a wrong code, then the code their app shows
    wrong = client.post(reverse("staff:login_enrol"), {"code": "12345"})
    key = b32decode(secret.replace(" ", ""))
    done = client.post(reverse("staff:login_enrol"), {"code": _now_code(key)})

    # then the wrong one is refused; the right one shows ten recovery codes once and signs in
    assert "动态验证码不正确" in wrong.content.decode()
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert "只显示这一次" in done.content.decode()
    assert _signed_in(client)
    assert client.get(HOME).status_code == 200
    assert TOTPDevice.objects.get(user=operator).confirmed
    assert StaticToken.objects.filter(device__user=operator).count() == 10
    assert AuditEntry.objects.filter(verb=V.TOTP_ENROLLED, target_id=str(operator.pk)).exists()


def test_a_role_that_is_not_required_is_not_asked(town_clerk, county_leader):
    # given a town clerk and a county leader (roles not in TOTP_REQUIRED_ROLES)
    for username in ("town_clerk", "county_leader"):
        client = Client()

        # when they sign in with their password
        response = _password(client, username)

        # then they are in at once
        assert response["Location"] == HOME
        assert _signed_in(client)
        assert client.get(HOME).status_code == 200


def test_a_superuser_is_asked_even_without_a_required_role(tree):
    # given a superuser whose only membership is a clerk's
    root = PersonFactory(username="root", unit=tree["zhishan"])
    Person.objects.filter(pk=root.pk).update(is_superuser=True, is_staff=True)
    client = Client()

    # when the password is right, then setting up an authenticator comes first
    assert _password(client, "root")["Location"] == reverse("staff:login_enrol")
    assert not _signed_in(client)


def test_a_session_that_did_not_pass_the_second_step_is_signed_out(operator):
    # given an operator signed in some other way (before the role needed it, say)
    client = Client()
    client.force_login(operator)

    # when they open a staff page
    response = client.get(HOME)

    # then the session ends and they are sent to sign in
    assert response["Location"].startswith(LOGIN)
    assert not _signed_in(client)


def test_admin_resets_a_persons_authenticator_and_it_is_audited(city_admin, operator):
    # given the administrator (verified) and an operator signed in with an authenticator
    admin = _verified_client(city_admin, _authenticator(city_admin))
    device = _authenticator(operator)
    theirs = _verified_client(operator, device)
    assert theirs.get(HOME).status_code == 200
    page = admin.get(reverse("staff:person", args=[operator.pk])).content.decode()
    assert 'data-confirm="确定重置“郑受理”的动态验证码吗？' in page

    # when the administrator resets it
    response = admin.post(reverse("staff:person_totp_reset", args=[operator.pk]), follow=True)

    # then it is gone and audited; the operator's session ends; next time they set one up
    assert "已重置“郑受理”的动态验证码" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=operator).exists()
    entry = AuditEntry.objects.get(verb=V.TOTP_RESET)
    assert (entry.actor, entry.target_id) == (city_admin, str(operator.pk))
    assert theirs.get(HOME)["Location"].startswith(LOGIN)
    assert _password(Client(), "operator")["Location"] == reverse("staff:login_enrol")


def test_only_the_city_administrator_may_reset_an_authenticator(county_leader, town_clerk):
    # given a county leader (who manages people, not second factors) and a clerk's device
    _authenticator(town_clerk)
    client = Client()
    client.force_login(county_leader)

    # when the leader tries to reset it
    response = client.post(reverse("staff:person_totp_reset", args=[town_clerk.pk]))

    # then it is refused and the device stays
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=town_clerk).exists()


def test_the_command_line_resets_an_authenticator(city_admin):
    # given the only administrator, who lost their phone
    _authenticator(city_admin)

    # when the command is run
    call_command("reset_totp", "city_admin")

    # then the device is gone, and the entry says the system did it
    assert not TOTPDevice.objects.filter(user=city_admin).exists()
    assert AuditEntry.objects.get(verb=V.TOTP_RESET).actor_label == "系统"


def test_django_admin_login_goes_through_the_staff_login():
    # when the Django admin's own login page is asked for
    response = Client().get("/admin/login/?next=/admin/")

    # then it is the staff login (with its second step) that answers
    assert response["Location"] == f"{LOGIN}?next=/admin/"


def test_nobody_is_asked_when_enforcement_is_off(settings, city_admin):
    # given the demo's setting
    settings.TOTP_ENFORCE = False
    client = Client()

    # when the administrator signs in with the password
    response = _password(client, "city_admin")

    # then that is enough
    assert response["Location"] == HOME
    assert _signed_in(client)


def test_a_misspelt_required_role_fails_the_checks(settings):
    from shishi.orgs.checks import totp_roles_exist

    # given a typo in the setting
    settings.TOTP_REQUIRED_ROLES = ["city_admn"]

    # when the checks run, then the typo is an error
    assert [e.id for e in totp_roles_exist(None)] == ["orgs.E001"]
