"""Every staff URL × every role: the whole permission matrix as one explicit table.

The walk enumerates `shishi.orgs.urls.urlpatterns`, so a new URL without a row in
EXPECTED fails `test_every_staff_url_has_an_expectation`, and a changed permission fails
the walk for the roles it touches.

The seven roles all act from the county 芗城区, so each has something outside its subtree
(龙文区's 蓝田街道). "ours" objects live in 芝山街道 (inside the county), "theirs" in
蓝田街道. The outsider is a clerk of 西桥街道 (sibling of 芝山), for whom "ours" is
outside too. `no_membership` is signed in but holds no usable membership.
"""

from datetime import date
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, reverse

from shishi.core.models import HolidayOverride, OutboxMessage
from shishi.orgs.factories import PersonFactory, member
from shishi.orgs.models import Membership, Role
from shishi.orgs.urls import app_name, urlpatterns

ROLES = [
    "city_admin",
    "unit_leader",
    "unit_clerk",
    "operator",
    "supervisor",
    "guidance_member",
    "auditor",
]
ACTORS = ["anonymous", *ROLES, "outsider", "no_membership"]

LOGIN = "login"  # 302 to /staff/login/?next=…

# (url name, method, object in <pk>) -> the answer for each actor, in ACTORS order:
#  anonymous, city_admin, unit_leader, unit_clerk, operator, supervisor, guidance_member,
#  auditor, outsider, no_membership
# fmt: off
EXPECTED: dict[tuple[str, str, str | None], tuple] = {
        #anon   admin  leader clerk  oper   super  guide  audit  outsdr no_mem
    ("home", "get", None):
        (LOGIN, 200,   200,   200,   200,   200,   200,   302,   200,   403),
    ("login", "get", None):
        (200,   302,   302,   302,   302,   302,   302,   302,   302,   302),
    ("login_verify", "get", None):
        (302,   302,   302,   302,   302,   302,   302,   302,   302,   302),
    ("login_enrol", "get", None):
        (302,   302,   302,   302,   302,   302,   302,   302,   302,   302),
    ("logout", "post", None):
        (302,   302,   302,   302,   302,   302,   302,   302,   302,   302),
    ("logout", "get", None):
        (405,   405,   405,   405,   405,   405,   405,   405,   405,   405),
    ("switch", "post", None):
        (LOGIN, 302,   302,   302,   302,   302,   302,   302,   302,   403),
    ("switch", "get", None):
        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405,   403),
    # units
    ("units", "get", None):
        (LOGIN, 200,   200,   200,   200,   200,   200,   403,   200,   403),
    ("unit_new", "get", None):
        (LOGIN, 200,   200,   403,   403,   403,   403,   403,   403,   403),
    ("unit_import", "get", None):
        (LOGIN, 200,   403,   403,   403,   403,   403,   403,   403,   403),
    ("unit_export", "get", None):
        (LOGIN, 200,   200,   200,   200,   200,   200,   403,   200,   403),
    ("unit", "get", "our_unit"):
        (LOGIN, 200,   200,   200,   200,   200,   200,   403,   404,   403),
    ("unit", "get", "their_unit"):
        (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   403),
    ("unit_edit", "get", "our_unit"):
        (LOGIN, 200,   200,   403,   403,   403,   403,   403,   404,   403),
    ("unit_edit", "get", "their_unit"):
        (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   403),
    ("unit_set_active", "post", "our_unit"):
        (LOGIN, 302,   302,   403,   403,   403,   403,   403,   404,   403),
    ("unit_set_active", "post", "their_unit"):
        (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   403),
    ("unit_set_active", "get", "our_unit"):
        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405,   403),
    # people
    ("people", "get", None):
        (LOGIN, 200,   200,   200,   200,   200,   200,   403,   200,   403),
    ("person_new", "get", None):
        (LOGIN, 200,   200,   403,   403,   403,   403,   403,   403,   403),
    ("person", "get", "our_person"):
        (LOGIN, 200,   200,   200,   200,   200,   200,   403,   404,   403),
    ("person", "get", "their_person"):
        (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   403),
    ("person_edit", "get", "our_person"):
        (LOGIN, 200,   200,   403,   403,   403,   403,   403,   404,   403),
    ("person_edit", "get", "their_person"):
        (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   403),
    ("person_set_active", "post", "our_person"):
        (LOGIN, 302,   302,   403,   403,   403,   403,   403,   404,   403),
    ("person_set_active", "post", "their_person"):
        (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   403),
    ("person_set_active", "get", "our_person"):
        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405,   403),
    ("person_unlock", "post", "our_person"):
        (LOGIN, 302,   302,   403,   403,   403,   403,   403,   404,   403),
    ("person_unlock", "post", "their_person"):
        (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   403),
    ("person_unlock", "get", "our_person"):
        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405,   403),
    ("person_password", "post", "our_person"):
        (LOGIN, 302,   302,   403,   403,   403,   403,   403,   404,   403),
    ("person_password", "post", "their_person"):
        (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   403),
    ("person_password", "get", "our_person"):
        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405,   403),
    ("person_totp_reset", "post", "our_person"):
        (LOGIN, 302,   403,   403,   403,   403,   403,   403,   404,   403),
    ("person_totp_reset", "post", "their_person"):
        (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   403),
    ("person_totp_reset", "get", "our_person"):
        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405,   403),
    ("person_grant", "post", "our_person"):
        (LOGIN, 302,   302,   403,   403,   403,   403,   403,   404,   403),
    ("person_grant", "post", "their_person"):
        (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   403),
    ("person_grant", "get", "our_person"):
        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405,   403),
    ("membership_revoke", "post", "our_membership"):
        (LOGIN, 302,   302,   403,   403,   403,   403,   403,   404,   403),
    ("membership_revoke", "post", "their_membership"):
        (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   403),
    ("membership_revoke", "get", "our_membership"):
        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405,   403),
    # system
    ("calendar", "get", None):
        (LOGIN, 200,   200,   200,   200,   200,   200,   403,   200,   403),
    ("calendar_override", "post", None):
        (LOGIN, 302,   403,   403,   403,   403,   403,   403,   403,   403),
    ("calendar_override", "get", None):
        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405,   403),
    ("calendar_override_delete", "post", "override"):
        (LOGIN, 302,   403,   403,   403,   403,   403,   403,   403,   403),
    ("calendar_override_delete", "get", "override"):
        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405,   403),
    ("calendar_confirm", "post", "year"):
        (LOGIN, 302,   403,   403,   403,   403,   403,   403,   403,   403),
    ("calendar_confirm", "get", "year"):
        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405,   403),
    ("audit", "get", None):
        (LOGIN, 200,   403,   403,   403,   403,   403,   200,   403,   403),
    ("audit_export", "get", None):
        (LOGIN, 200,   403,   403,   403,   403,   403,   200,   403,   403),
    # SMS provider: the city office only
    ("sms_templates", "get", None):
        (LOGIN, 200,   403,   403,   403,   403,   403,   403,   403,   403),
    ("sms_templates", "post", None):
        (LOGIN, 302,   403,   403,   403,   403,   403,   403,   403,   403),
    ("sms_failures", "get", None):
        (LOGIN, 200,   403,   403,   403,   403,   403,   403,   403,   403),
    ("sms_resend", "post", "sms_message"):
        (LOGIN, 302,   403,   403,   403,   403,   403,   403,   403,   403),
    ("sms_resend", "get", "sms_message"):
        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405,   403),
}
# fmt: on


def _staff_patterns() -> list[URLPattern]:
    return [p for p in urlpatterns if isinstance(p, URLPattern)]


def _takes_pk(pattern: URLPattern) -> bool:
    """Whether the URL names an object (by primary key, or a calendar year)."""
    return bool({"pk", "year"} & set(pattern.pattern.converters))


@pytest.fixture
def world(tree) -> dict:
    """The actors and the objects the walk aims at."""
    county = tree["xiangcheng"]
    actors = {role: PersonFactory(username=role, unit=county, role=role) for role in ROLES}
    actors["outsider"] = PersonFactory(
        username="outsider", unit=tree["xiqiao"], role=Role.UNIT_CLERK
    )
    lost = PersonFactory(username="no_membership", unit=county, role=Role.UNIT_CLERK)
    Membership.objects.filter(person=lost).delete()
    actors["no_membership"] = lost

    ours = PersonFactory(username="ours", unit=tree["zhishan"], role=Role.UNIT_CLERK)
    our_second = member(ours, tree["village"], Role.UNIT_CLERK)
    theirs = PersonFactory(username="theirs", unit=tree["lantian"], role=Role.UNIT_CLERK)
    their_second = member(theirs, tree["longwen"], Role.UNIT_CLERK)
    override = HolidayOverride.objects.create(date=date(2030, 10, 8), is_workday=True)
    dead_sms = OutboxMessage.objects.create(
        channel="sms", recipient="13800000000", body="通知", status=OutboxMessage.Status.DEAD
    )
    targets = {
        "our_unit": tree["zhishan"].pk,
        "their_unit": tree["lantian"].pk,
        "our_person": ours.pk,
        "their_person": theirs.pk,
        "our_membership": our_second.pk,
        "their_membership": their_second.pk,
        "override": override.pk,
        "sms_message": dead_sms.pk,
        "year": 2030,
    }
    return {"actors": actors, "targets": targets, "tree": tree}


def _post_data(name: str, *, person, tree) -> dict:
    """A valid body for each POST-only URL, so the answer is about access, not input."""
    own = Membership.objects.filter(person=person).first() if person else None
    return {
        "switch": {"membership": own.pk if own else 0},
        "unit_set_active": {"active": "0"},
        "person_set_active": {"active": "0"},
        "person_password": {"password": "Another-strong-pass-42"},
        "person_grant": {"unit": tree["zhishan"].pk, "role": Role.GUIDANCE_MEMBER},
        "calendar_override": {"day": "2030-10-09", "is_workday": "1", "note": "调休"},
        "calendar_confirm": {"confirmed": "1"},
        "sms_templates": {"kind": "appeals.received", "template_id": "SMS_100"},
    }.get(name, {})


def _observe(response) -> int | str:
    """The status, with "login" for the sign-in redirect of a protected page."""
    if response.status_code == 302:
        location = urlsplit(response["Location"])
        if location.path == reverse("staff:login") and "next=" in location.query:
            return LOGIN
    return response.status_code


def _answer(person, name: str, method: str, target: str | None, world: dict) -> int | str:
    """One request in a savepoint that is rolled back, so requests cannot affect each other."""
    key = "year" if target == "year" else "pk"
    kwargs = {key: world["targets"][target]} if target else {}
    url = reverse(f"{app_name}:{name}", kwargs=kwargs)
    with transaction.atomic():
        client = Client()
        if person is not None:
            client.force_login(person)
        if method == "post":
            response = client.post(url, _post_data(name, person=person, tree=world["tree"]))
        else:
            response = client.get(url)
        transaction.set_rollback(True)
    return _observe(response)


def test_every_staff_url_has_an_expectation():
    # given the staff URLconf and the expectation table
    patterns = {p.name: _takes_pk(p) for p in _staff_patterns()}
    covered = {name for name, _, _ in EXPECTED}

    # when comparing the two
    missing = sorted(set(patterns) - covered)
    stale = sorted(covered - set(patterns))
    wrong_target = sorted(
        (name, target)
        for name, _, target in EXPECTED
        if name in patterns and patterns[name] != (target is not None)
    )

    # then every URL has rows, every row a URL, and <pk> URLs name their object
    assert missing == []
    assert stale == []
    assert wrong_target == []
    assert all(len(row) == len(ACTORS) for row in EXPECTED.values())


@pytest.mark.parametrize("actor_name", ACTORS)
def test_each_actor_gets_the_expected_answer_on_every_staff_url(actor_name, world):
    # given one actor (or nobody signed in)
    person = world["actors"].get(actor_name)
    column = ACTORS.index(actor_name)

    # when they request every staff URL with every method and object in the table
    expected, actual = {}, {}
    for pattern in _staff_patterns():
        rows = [key for key in EXPECTED if key[0] == pattern.name]
        for key in rows or [(pattern.name, "get", None)]:
            name, method, target = key
            expected[key] = EXPECTED[key][column] if key in EXPECTED else "no expectation"
            actual[key] = _answer(person, name, method, target, world)

    # then each answer is the one in the table
    assert actual == expected
