"""People and their memberships: adding, editing, roles, stopping, passwords, masking."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from shishi.core.errors import Refused
from shishi.core.models import AuditEntry
from shishi.orgs import actions
from shishi.orgs.factories import TEST_PASSWORD, PersonFactory, UnitFactory, member
from shishi.orgs.models import Membership, Person, Role, Unit
from shishi.orgs.tests.helpers import actor_of, signs_in


def _counts() -> tuple[int, int, int]:
    return Person.objects.count(), Membership.objects.count(), AuditEntry.objects.count()


def _new_person(**overrides) -> dict:
    return {
        "username": "xinren",
        "name": "新人",
        "phone": "13900000000",
        "title": "科员",
        "password": "Zhishan-clerk-2026",
        "role": Role.UNIT_CLERK,
    } | overrides


# --- create_person ------------------------------------------------------------------------


def test_leader_adds_a_person_with_a_first_membership_and_an_audit_entry(tree, county_leader):
    # given the leader of 芗城区
    actor = actor_of(county_leader)

    # when they add a clerk to 芝山街道
    person = actions.create_person(actor=actor, unit=tree["zhishan"], **_new_person())

    # then the person, their membership and the audit entry exist
    assert person.check_password("Zhishan-clerk-2026")
    assert [(m.unit, m.role) for m in person.memberships.all()] == [
        (tree["zhishan"], Role.UNIT_CLERK)
    ]
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.PERSON_CREATED, target_id=str(person.pk))
    assert entry.actor == county_leader
    assert entry.scope_path == tree["zhishan"].path
    assert entry.data == {"unit": tree["zhishan"].code, "role": Role.UNIT_CLERK}


WEAK_PASSWORDS = {
    "shorter-than-12": "Zx9!kq2#",
    "common": "qwerty123456789",
    "numeric": "202605281937",
}


@pytest.mark.parametrize("password", WEAK_PASSWORDS.values(), ids=WEAK_PASSWORDS.keys())
def test_create_person_refuses_a_weak_password_and_writes_nothing(tree, county_leader, password):
    # given the leader of 芗城区
    before = _counts()

    # when they add a person with a weak password
    with pytest.raises(Refused, match=r"^密码不符合要求："):
        actions.create_person(
            actor=actor_of(county_leader), unit=tree["zhishan"], **_new_person(password=password)
        )

    # then no person, membership or audit entry was written
    assert _counts() == before


@pytest.mark.parametrize(
    "password",
    [
        pytest.param(
            WEAK_PASSWORDS["shorter-than-12"],
            id="shorter-than-12",
        ),
        pytest.param(WEAK_PASSWORDS["common"], id="common"),
        pytest.param(WEAK_PASSWORDS["numeric"], id="numeric"),
    ],
)
def test_weak_password_refusal_is_worded_in_chinese_only(tree, county_leader, password):
    # given the leader of 芗城区
    actor = actor_of(county_leader)

    # when they add a person with a weak password
    with pytest.raises(Refused) as refusal:
        actions.create_person(actor=actor, unit=tree["zhishan"], **_new_person(password=password))

    # then the whole message is Chinese (no English validator text leaks through)
    assert not re.search(r"[A-Za-z]", refusal.value.message), refusal.value.message


def test_weak_password_on_the_new_person_page_shows_the_reason_and_writes_nothing(
    tree, county_leader, login
):
    # given the leader of 芗城区 on the new person page
    client = login(county_leader)
    before = _counts()

    # when they submit an all-digit password
    data = _new_person(password="202605281937", unit=tree["zhishan"].pk)
    response = client.post(reverse("staff:person_new"), data)

    # then the form is shown again with the reason, and nothing is written
    assert response.status_code == 200
    assert "密码只包含数字" in response.content.decode()
    assert _counts() == before


def test_create_person_refuses_a_taken_username_and_a_bad_phone(tree, county_leader):
    # given the leader of 芗城区 and the existing login "county_leader"
    actor = actor_of(county_leader)
    before = _counts()

    # when adding a person with that login, then one with a short phone number
    with pytest.raises(Refused, match="登录名 county_leader 已被使用"):
        actions.create_person(
            actor=actor, unit=tree["zhishan"], **_new_person(username="county_leader")
        )
    with pytest.raises(Refused, match="手机号格式不正确"):
        actions.create_person(actor=actor, unit=tree["zhishan"], **_new_person(phone="1390000"))

    # then nothing is written
    assert _counts() == before


# --- granting roles -------------------------------------------------------------------------


def test_unit_leader_granting_city_admin_gets_403(tree, county_leader, town_clerk, login):
    # given the leader of 芗城区 and the clerk of 芝山街道
    client = login(county_leader)

    # when the leader grants the clerk the city admin role
    response = client.post(
        reverse("staff:person_grant", args=[town_clerk.pk]),
        {"unit": tree["zhishan"].pk, "role": Role.CITY_ADMIN},
    )

    # then it is forbidden
    assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.CITY_ADMIN, Role.AUDITOR, Role.SUPERVISOR])
def test_unit_leader_cannot_grant_a_role_above_their_own(
    tree, county_leader, town_clerk, login, role
):
    # given the leader of 芗城区 and the clerk of 芝山街道
    client = login(county_leader)
    before = _counts()

    # when the leader grants the clerk a role they do not hold, by page and by action
    client.post(
        reverse("staff:person_grant", args=[town_clerk.pk]),
        {"unit": tree["zhishan"].pk, "role": role},
    )
    with pytest.raises(PermissionDenied):
        actions.grant_role(
            actor=actor_of(county_leader), person=town_clerk, unit=tree["zhishan"], role=role
        )

    # then no membership was added
    assert not Membership.objects.filter(person=town_clerk, role=role).exists()
    assert _counts() == before


def test_unit_leader_cannot_add_a_city_admin_on_the_new_person_page(tree, county_leader, login):
    # given the leader of 芗城区
    client = login(county_leader)
    before = _counts()

    # when they post a new person with the city admin role
    response = client.post(
        reverse("staff:person_new"),
        _new_person(unit=tree["zhishan"].pk, role=Role.CITY_ADMIN),
    )

    # then the role is refused (today as a form error; a 403 would do as well) and no one
    # is added
    assert response.status_code in (200, 403)
    assert _counts() == before


def test_city_admin_grants_a_role_and_it_is_audited(tree, city_admin, town_clerk, login):
    # given the city admin and the clerk of 芝山街道
    client = login(city_admin)

    # when the admin makes the clerk a supervisor in 芝山街道
    response = client.post(
        reverse("staff:person_grant", args=[town_clerk.pk]),
        {"unit": tree["zhishan"].pk, "role": Role.SUPERVISOR},
    )

    # then the membership exists and the grant is logged
    assert response.status_code == 302
    assert Membership.objects.filter(
        person=town_clerk, unit=tree["zhishan"], role=Role.SUPERVISOR
    ).exists()
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.ROLE_GRANTED, target_id=str(town_clerk.pk))
    assert entry.actor == city_admin
    assert entry.data == {"unit": tree["zhishan"].code, "role": Role.SUPERVISOR}


def test_granting_a_role_twice_is_refused(tree, county_leader, town_clerk):
    # given the clerk of 芝山街道
    actor = actor_of(county_leader)
    before = _counts()

    # when the leader grants the same role in the same unit again
    with pytest.raises(Refused, match="该人员在此单位已有该角色"):
        actions.grant_role(
            actor=actor, person=town_clerk, unit=tree["zhishan"], role=Role.UNIT_CLERK
        )

    # then nothing changed
    assert _counts() == before


def test_leader_cannot_grant_a_role_in_a_unit_outside_their_county(tree, county_leader, town_clerk):
    # given the leader of 芗城区
    # when they give the clerk a role in 龙文区's 蓝田街道
    with pytest.raises(Http404):
        actions.grant_role(
            actor=actor_of(county_leader),
            person=town_clerk,
            unit=tree["lantian"],
            role=Role.OPERATOR,
        )

    # then the unit does not exist for them and nothing is granted
    assert not Membership.objects.filter(person=town_clerk, unit=tree["lantian"]).exists()


# --- revoking roles -------------------------------------------------------------------------


def test_revoking_the_last_membership_of_an_active_person_is_refused(
    tree, county_leader, town_clerk
):
    # given the clerk of 芝山街道 with one membership
    membership = Membership.objects.get(person=town_clerk)
    before = _counts()

    # when the leader revokes it
    with pytest.raises(Refused, match="这是该人员唯一的任职"):
        actions.revoke_role(actor=actor_of(county_leader), membership=membership)

    # then the membership stays and nothing is logged
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert _counts() == before


def test_last_membership_can_go_once_the_account_is_stopped(tree, county_leader, town_clerk):
    # given the clerk of 芝山街道, whose account the leader stops
    actor = actor_of(county_leader)
    actions.set_person_active(actor=actor, person=town_clerk, active=False)
    membership = Membership.objects.get(person=town_clerk)

    # when the leader revokes the last membership
    actions.revoke_role(actor=actor, membership=membership)

    # then it is gone and the revocation is logged
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.ROLE_REVOKED, target_id=str(town_clerk.pk))
    assert entry.data == {"unit": tree["zhishan"].code, "role": Role.UNIT_CLERK}


def test_revoking_one_of_two_memberships_on_the_person_page(tree, county_leader, login):
    # given 双岗, clerk in 芝山街道 and guidance member in 芝山社区
    person = PersonFactory(name="双岗", unit=tree["zhishan"], role=Role.UNIT_CLERK)
    second = member(person, tree["village"], Role.GUIDANCE_MEMBER)
    client = login(county_leader)

    # when the leader revokes the 芝山社区 role
    response = client.post(reverse("staff:membership_revoke", args=[second.pk]), follow=True)

    # then it is gone, the page says so and the log has it
    assert list(Membership.objects.filter(person=person).values_list("unit__name", flat=True)) == [
        "芝山街道"
    ]
    assert "已撤销“芝山社区”的指导组成员角色" in response.content.decode()
    assert (
        AuditEntry.objects.filter(
            verb=AuditEntry.Verb.ROLE_REVOKED, target_id=str(person.pk)
        ).count()
        == 1
    )


def test_nobody_can_revoke_the_membership_they_are_acting_through(tree, login):
    # given a leader of 芝山街道 who also clerks in 芝山社区
    leader = PersonFactory(unit=tree["zhishan"], role=Role.UNIT_LEADER)
    member(leader, tree["village"], Role.UNIT_CLERK)
    acting = Membership.objects.get(person=leader, unit=tree["zhishan"])

    # when they revoke their own current membership
    with pytest.raises(Refused, match="不能撤销您当前使用的任职"):
        actions.revoke_role(actor=actor_of(leader, tree["zhishan"]), membership=acting)

    # then it stays
    assert Membership.objects.filter(pk=acting.pk).exists()


def test_leader_cannot_revoke_a_role_they_could_not_grant(tree, county_leader, login):
    # given a person who is clerk in 芝山街道 and auditor there as well
    person = PersonFactory(unit=tree["zhishan"], role=Role.UNIT_CLERK)
    auditor_role = member(person, tree["zhishan"], Role.AUDITOR)

    # when the county leader revokes the auditor role
    response = login(county_leader).post(reverse("staff:membership_revoke", args=[auditor_role.pk]))

    # then it is forbidden and the role stays
    assert response.status_code == 403
    assert Membership.objects.filter(pk=auditor_role.pk).exists()


# --- editing, stopping, passwords --------------------------------------------------------------


def test_update_person_logs_changes_without_the_phone_number(tree, county_leader, town_clerk):
    # given the clerk of 芝山街道
    old_phone = town_clerk.phone

    # when the leader changes the clerk's title and phone
    actions.update_person(
        actor=actor_of(county_leader),
        person=town_clerk,
        username=town_clerk.username,
        name=town_clerk.name,
        phone="13977778888",
        title="党政办主任",
    )

    # then the entry records the title change and hides both numbers
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.PERSON_EDITED, target_id=str(town_clerk.pk))
    assert entry.data["changes"]["title"] == ["", "党政办主任"]
    assert entry.data["changes"]["phone"] == ["（已修改）", "（已修改）"]
    assert "13977778888" not in str(entry.data)
    assert old_phone not in str(entry.data)


def test_edit_page_saves_a_person(tree, county_leader, town_clerk, login):
    # given the leader of 芗城区
    client = login(county_leader)

    # when they rename the clerk on the edit page
    response = client.post(
        reverse("staff:person_edit", args=[town_clerk.pk]),
        {"username": "huang", "name": "黄新名", "phone": "", "title": ""},
    )

    # then the person is saved
    assert response.status_code == 302
    town_clerk.refresh_from_db()
    assert (town_clerk.username, town_clerk.name) == ("huang", "黄新名")


def test_stopping_an_account_ends_its_open_session_and_is_audited(
    tree, county_leader, town_clerk, login
):
    # given the clerk of 芝山街道 signed in
    clerk_client = login(town_clerk)
    assert clerk_client.get(reverse("staff:home")).status_code == 200

    # when the leader stops the clerk's account
    login(county_leader).post(
        reverse("staff:person_set_active", args=[town_clerk.pk]), {"active": "0"}
    )

    # then the clerk is signed out and the stop is logged
    response = clerk_client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))
    assert AuditEntry.objects.filter(
        verb=AuditEntry.Verb.ACCOUNT_DISABLED, target_id=str(town_clerk.pk)
    ).exists()


def test_nobody_can_stop_their_own_account(tree, county_leader):
    # given the leader of 芗城区
    # when they stop themselves
    with pytest.raises(Refused, match="不能停用自己的账号"):
        actions.set_person_active(actor=actor_of(county_leader), person=county_leader, active=False)

    # then they are still active
    county_leader.refresh_from_db()
    assert county_leader.is_active


def test_password_reset_ends_other_sessions_and_is_audited(tree, county_leader, town_clerk, login):
    # given the clerk of 芝山街道 signed in elsewhere
    clerk_client = login(town_clerk)

    # when the leader sets a new password
    response = login(county_leader).post(
        reverse("staff:person_password", args=[town_clerk.pk]),
        {"password": "Another-strong-pass-42"},
    )

    # then the old session ends, the new password works and the reset is logged
    assert response.status_code == 302
    assert clerk_client.get(reverse("staff:home")).status_code == 302
    assert signs_in(town_clerk.username, "Another-strong-pass-42")
    assert not signs_in(town_clerk.username, TEST_PASSWORD)
    entry = AuditEntry.objects.get(
        verb=AuditEntry.Verb.PASSWORD_RESET, target_id=str(town_clerk.pk)
    )
    assert entry.actor == county_leader


def test_weak_password_reset_is_refused_and_keeps_the_old_password(
    tree, county_leader, town_clerk, login
):
    # given the leader of 芗城区
    client = login(county_leader)

    # when they reset the clerk's password to a common one
    response = client.post(
        reverse("staff:person_password", args=[town_clerk.pk]),
        {"password": "qwerty123456789"},
        follow=True,
    )

    # then the page explains, the old password still works and nothing is logged
    assert "这个密码太常见了" in response.content.decode()
    town_clerk.refresh_from_db()
    assert town_clerk.check_password(TEST_PASSWORD)
    assert not AuditEntry.objects.filter(verb=AuditEntry.Verb.PASSWORD_RESET).exists()


def test_leader_cannot_reset_the_password_of_someone_holding_a_role_they_cannot_grant(
    tree, county_leader, login
):
    # given an auditor whose only membership is in 芝山街道, inside the leader's county
    auditor = PersonFactory(unit=tree["zhishan"], role=Role.AUDITOR)

    # when the county leader resets the auditor's password
    response = login(county_leader).post(
        reverse("staff:person_password", args=[auditor.pk]),
        {"password": "Leader-knows-this-42"},
    )

    # then it is forbidden and the auditor's password is unchanged
    assert response.status_code == 403
    auditor.refresh_from_db()
    assert auditor.check_password(TEST_PASSWORD)


# --- masking and query counts ---------------------------------------------------------------


def test_phone_numbers_are_masked_on_the_people_list_and_person_page(tree, county_leader, login):
    # given a person with the mobile 13912345678
    person = PersonFactory(
        name="王手机", phone="13912345678", unit=tree["zhishan"], role=Role.UNIT_CLERK
    )
    client = login(county_leader)

    # when the leader opens the people list and the person's page
    listing = client.get(reverse("staff:people")).content.decode()
    detail = client.get(reverse("staff:person", args=[person.pk])).content.decode()

    # then both show 139****5678 and never the full number
    for html in (listing, detail):
        assert "139****5678" in html
        assert "13912345678" not in html
        assert "12345678" not in html


def _grow_people(tree, n: int = 45) -> None:
    """n more people in n new villages of 芝山街道, each also operator of the town."""
    for i in range(n):
        village = UnitFactory(code=f"P{i:03d}", kind=Unit.Kind.VILLAGE, parent=tree["zhishan"])
        person = PersonFactory(unit=village, role=Role.UNIT_CLERK)
        member(person, tree["zhishan"], Role.OPERATOR)


def test_people_list_query_count_does_not_grow_with_people(
    tree, county_leader, town_clerk, login, django_assert_num_queries
):
    # given the leader of 芗城区 with two people in the county
    client = login(county_leader)
    url = reverse("staff:people")
    # 9 = 3 (session, person, memberships for the actor and the switcher) + 3 (the count, the
    # page, the listed people's memberships) + 3 (saving the session: savepoint, update, release)
    with django_assert_num_queries(9):
        few = client.get(url)

    # when forty-five more people with two memberships each join
    _grow_people(tree)
    with django_assert_num_queries(9):
        many = client.get(url)

    # then the page costs the same number of queries and shows a full page
    assert len(few.context["rows"]) == 2
    assert len(many.context["rows"]) == 30
    assert all(len(memberships) >= 1 for _, memberships in many.context["rows"])


def test_person_page_query_count_does_not_grow_with_memberships(
    tree, county_leader, town_clerk, login, django_assert_num_queries
):
    # given the clerk of 芝山街道 with one membership
    client = login(county_leader)
    url = reverse("staff:person", args=[town_clerk.pk])
    # 12 = 3 (session, person, memberships for the actor and the switcher) + 6 (the person, their
    # memberships in scope, the count outside it, the units to grant in, their second factor,
    # whether their sign-in is locked) + 3 (saving the session)
    with django_assert_num_queries(12):
        few = client.get(url)

    # when the clerk gets thirty more memberships in new villages
    for i in range(30):
        village = UnitFactory(code=f"M{i:03d}", kind=Unit.Kind.VILLAGE, parent=tree["zhishan"])
        member(town_clerk, village, Role.UNIT_CLERK)
    with django_assert_num_queries(12):
        many = client.get(url)

    # then the page costs the same number of queries
    assert len(few.context["memberships"]) == 1
    assert len(many.context["memberships"]) == 31
