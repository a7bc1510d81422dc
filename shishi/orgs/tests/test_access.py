"""Who sees what: a role sees its unit's subtree and nothing else (access.py via the views)."""

import pytest
from django.urls import reverse

from shishi.core.errors import Refused
from shishi.core.models import AuditEntry
from shishi.orgs import actions
from shishi.orgs.factories import PersonFactory, member
from shishi.orgs.models import Role, Unit
from shishi.orgs.tests.helpers import actor_of


def _listed_units(response) -> set[str]:
    return {unit.name for unit in response.context["page"].object_list}


def _listed_people(response) -> set[str]:
    return {person.name for person, _ in response.context["rows"]}


# --- A town clerk and the sibling town ---------------------------------------------------


def test_town_clerk_cannot_open_sibling_towns_unit(tree, town_clerk, login):
    # given a clerk of 芝山街道
    client = login(town_clerk)

    # when they open the sibling town 西桥街道 and then their own town
    sibling = client.get(reverse("staff:unit", args=[tree["xiqiao"].pk]))
    own = client.get(reverse("staff:unit", args=[tree["zhishan"].pk]))

    # then the sibling does not exist for them, their own town does
    assert sibling.status_code == 404
    assert own.status_code == 200


def test_town_clerk_cannot_open_person_who_only_belongs_to_sibling_town(
    tree, town_clerk, outsider, login
):
    # given a clerk of 芝山街道 and 李西桥, who only belongs to 西桥街道
    client = login(town_clerk)

    # when the clerk opens 李西桥 and then themselves
    sibling = client.get(reverse("staff:person", args=[outsider.pk]))
    own = client.get(reverse("staff:person", args=[town_clerk.pk]))

    # then 李西桥 does not exist for them
    assert sibling.status_code == 404
    assert own.status_code == 200


def test_town_clerks_unit_list_holds_only_their_subtree(tree, town_clerk, login):
    # given a clerk of 芝山街道 (which has the village 芝山社区 below it)
    client = login(town_clerk)

    # when they open the unit list
    response = client.get(reverse("staff:units"))

    # then they see their town and its village, not the sibling town or the levels above
    assert response.status_code == 200
    assert _listed_units(response) == {"芝山街道", "芝山社区"}
    assert "西桥街道" not in response.content.decode()


def test_town_clerks_people_list_leaves_out_sibling_towns_people(tree, town_clerk, outsider, login):
    # given 黄街道 of 芝山街道 and 李西桥 of the sibling 西桥街道
    client = login(town_clerk)

    # when 黄街道 opens the people list
    response = client.get(reverse("staff:people"))

    # then only the town's own people are listed
    assert _listed_people(response) == {"黄街道"}
    assert "李西桥" not in response.content.decode()


def test_county_leader_sees_both_towns_and_their_people(
    tree, county_leader, town_clerk, outsider, login
):
    # given the leader of 芗城区, above both 芝山街道 and 西桥街道
    client = login(county_leader)

    # when the leader opens both towns, both clerks and the two lists
    pages = [
        client.get(reverse("staff:unit", args=[tree["zhishan"].pk])),
        client.get(reverse("staff:unit", args=[tree["xiqiao"].pk])),
        client.get(reverse("staff:person", args=[town_clerk.pk])),
        client.get(reverse("staff:person", args=[outsider.pk])),
    ]
    units = client.get(reverse("staff:units"))
    people = client.get(reverse("staff:people"))

    # then everything in the county is there, and nothing of 龙文区 or the city
    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert _listed_units(units) == {"芗城区", "芝山街道", "芝山社区", "西桥街道"}
    assert _listed_people(people) == {"陈区长", "黄街道", "李西桥"}


def test_town_clerk_cannot_filter_lists_by_a_sibling_unit(tree, town_clerk, login):
    # given a clerk of 芝山街道
    client = login(town_clerk)

    # when they ask for the lists narrowed to 西桥街道
    units = client.get(reverse("staff:units"), {"under": tree["xiqiao"].pk})
    people = client.get(reverse("staff:people"), {"unit": tree["xiqiao"].pk})
    own = client.get(reverse("staff:people"), {"unit": tree["zhishan"].pk})

    # then the sibling is not found, their own town works
    assert units.status_code == 404
    assert people.status_code == 404
    assert own.status_code == 200


def test_person_with_posts_in_both_towns_shows_only_the_readers_part(tree, town_clerk, login):
    # given 双岗 who is clerk in 芝山街道 and in 西桥街道
    both = PersonFactory(name="双岗", unit=tree["zhishan"], role=Role.UNIT_CLERK)
    member(both, tree["xiqiao"], Role.UNIT_CLERK)

    # when the clerk of 芝山街道 opens 双岗 and the people list
    detail = login(town_clerk).get(reverse("staff:person", args=[both.pk]))
    listed = login(town_clerk).get(reverse("staff:people"))

    # then only the 芝山 post is shown, the other is counted, never named
    assert [m.unit.name for m in detail.context["memberships"]] == ["芝山街道"]
    assert detail.context["hidden_memberships"] == 1
    assert "西桥街道" not in detail.content.decode()
    rows = dict(listed.context["rows"])
    assert [m.unit.name for m in rows[both]] == ["芝山街道"]


def test_town_clerks_export_holds_only_their_subtree(tree, town_clerk, login):
    # given a clerk of 芝山街道
    client = login(town_clerk)

    # when they export the units
    response = client.get(reverse("staff:unit_export"))

    # then the file holds their town and its village only
    body = response.content.decode("utf-8-sig")
    codes = [line.split(",")[0] for line in body.splitlines()[1:]]
    assert codes == [tree["zhishan"].code, tree["village"].code]


def test_leader_cannot_edit_someone_who_also_holds_a_post_above_them(tree, county_leader, login):
    # given 林兼职, clerk in 芝山街道 and also operator at the city level
    person = PersonFactory(name="林兼职", unit=tree["zhishan"], role=Role.UNIT_CLERK)
    member(person, tree["city"], Role.OPERATOR)
    client = login(county_leader)

    # when the county leader opens the person and tries to edit them
    detail = client.get(reverse("staff:person", args=[person.pk]))
    edit = client.get(reverse("staff:person_edit", args=[person.pk]))

    # then they may look, but the edit is not allowed
    assert detail.status_code == 200
    assert edit.status_code == 403


def test_switch_with_a_malformed_membership_is_not_found(tree, town_clerk, login):
    # given a clerk of 芝山街道
    client = login(town_clerk)
    client.raise_request_exception = False

    # when the switch form is posted with a non-numeric membership
    response = client.post(reverse("staff:switch"), {"membership": "abc"})

    # then it is simply not found
    assert response.status_code == 404


def test_person_whose_only_unit_was_stopped_gets_the_no_membership_page(tree, county_leader, login):
    # given a clerk whose only unit, 芝山社区, has been stopped
    clerk = PersonFactory(unit=tree["village"], role=Role.UNIT_CLERK)
    actions.set_unit_active(actor=actor_of(county_leader), unit=tree["village"], active=False)

    # when the clerk opens the staff home
    response = login(clerk).get(reverse("staff:home"))

    # then they are told they have no usable membership
    assert response.status_code == 403
    assert "staff/no_membership.html" in [t.name for t in response.templates]


def test_county_auditor_reads_only_their_countys_audit_entries(tree, city_admin, login):
    # given an auditor of 芗城区, and units added in 芗城区 and in 龙文区
    auditor = PersonFactory(unit=tree["xiangcheng"], role=Role.AUDITOR)
    admin = actor_of(city_admin)
    actions.create_unit(
        actor=admin, code="X1", name="芗城新街道", kind=Unit.Kind.STREET, parent=tree["xiangcheng"]
    )
    actions.create_unit(
        actor=admin, code="L1", name="龙文新街道", kind=Unit.Kind.STREET, parent=tree["longwen"]
    )

    # when the auditor opens the audit log
    response = login(auditor).get(reverse("staff:audit"))

    # then only entries about their county are listed
    targets = {entry.target_label for entry in response.context["page"].object_list}
    assert "芗城新街道" in targets
    assert "龙文新街道" not in targets
    assert AuditEntry.objects.filter(target_label="龙文新街道").exists()


def test_city_auditor_reads_audit_log_but_not_the_units(tree, auditor, login):
    # given the city auditor
    client = login(auditor)

    # when they open the staff home, the audit log and the unit list
    home = client.get(reverse("staff:home"))
    audit = client.get(reverse("staff:audit"))
    units = client.get(reverse("staff:units"))

    # then home sends them to the audit log, which opens; units are not theirs to read
    assert home.status_code == 302
    assert home["Location"] == reverse("staff:audit")
    assert audit.status_code == 200
    assert units.status_code == 403


def test_new_unit_under_another_county_is_refused_for_a_county_leader(tree, county_leader):
    # given the leader of 芗城区
    actor = actor_of(county_leader)

    # when they add a unit under 龙文区's 蓝田街道 through the action
    with pytest.raises(Refused, match="只能在本单位或下级单位之下新增单位"):
        actions.create_unit(
            actor=actor, code="X9", name="越界社区", kind=Unit.Kind.VILLAGE, parent=tree["lantian"]
        )

    # then nothing is written
    assert not Unit.objects.filter(code="X9").exists()
