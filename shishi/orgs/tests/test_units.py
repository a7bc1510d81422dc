"""The unit tree: adding, editing, moving and stopping units (actions and staff pages)."""

import pytest
from django.urls import reverse

from shishi.core.errors import Refused
from shishi.core.models import AuditEntry
from shishi.orgs import actions
from shishi.orgs.factories import PersonFactory, UnitFactory
from shishi.orgs.models import Role, Unit
from shishi.orgs.tests.helpers import actor_of, assert_tree_is_consistent, tree_snapshot

# --- create_unit ----------------------------------------------------------------------------


def test_create_unit_nests_path_and_depth_under_the_parent(tree, county_leader):
    # given the leader of 芗城区
    actor = actor_of(county_leader)

    # when they add a community under 芝山街道
    unit = actions.create_unit(
        actor=actor,
        code="350602007002",
        name="大坪社区",
        kind=Unit.Kind.VILLAGE,
        parent=tree["zhishan"],
    )

    # then its path is the town's path plus its own segment, one level deeper
    unit.refresh_from_db()
    assert unit.path == f"{tree['zhishan'].path}{unit.pk:08d}/"
    assert unit.depth == tree["zhishan"].depth + 1 == 3
    assert unit.parent == tree["zhishan"]


def test_create_unit_without_parent_makes_a_root_for_the_command_line(db):
    # given an empty tree
    # when the CLI (no actor) adds a root
    unit = actions.create_unit(
        actor=None, code="350600000000", name="漳州市", kind=Unit.Kind.CITY, parent=None
    )

    # then it sits at depth 0 with a one-segment path
    unit.refresh_from_db()
    assert (unit.path, unit.depth) == (f"{unit.pk:08d}/", 0)


def test_staff_cannot_create_a_root_unit(tree, city_admin):
    # given the city admin acting through the city
    actor = actor_of(city_admin)

    # when they add a unit without parent
    with pytest.raises(Refused, match="只能在本单位或下级单位之下新增单位"):
        actions.create_unit(actor=actor, code="R2", name="第二个市", kind="city", parent=None)

    # then nothing is written
    assert not Unit.objects.filter(code="R2").exists()


def test_create_unit_refuses_a_code_that_exists(tree, city_admin):
    # given the tree, where 芝山街道 has code 350602007000
    before = tree_snapshot()

    # when adding another unit with that code
    with pytest.raises(Refused, match="单位编码 350602007000 已存在"):
        actions.create_unit(
            actor=actor_of(city_admin),
            code="350602007000",
            name="重复",
            kind="street",
            parent=tree["xiangcheng"],
        )

    # then the tree is unchanged
    assert tree_snapshot() == before


def test_create_unit_writes_an_audit_entry(tree, county_leader):
    # given the leader of 芗城区
    actor = actor_of(county_leader)

    # when they add a unit
    unit = actions.create_unit(
        actor=actor, code="X1", name="新社区", kind=Unit.Kind.VILLAGE, parent=tree["zhishan"]
    )

    # then the audit log says who added what where
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.UNIT_CREATED, target_id=str(unit.pk))
    assert entry.actor == county_leader
    assert entry.target_type == "orgs.Unit"
    assert entry.scope_path == unit.path
    assert entry.data == {"code": "X1", "kind": "village", "parent": tree["zhishan"].code}


# --- update_unit and moving subtrees --------------------------------------------------------


def _deep_branch(tree) -> dict[str, Unit]:
    """芝山街道 ── 芝山社区 ── 第一网格 ── 第一楼栋: a branch four levels deep."""
    grid = UnitFactory(code="G1", name="第一网格", kind=Unit.Kind.OTHER, parent=tree["village"])
    block = UnitFactory(code="B1", name="第一楼栋", kind=Unit.Kind.OTHER, parent=grid)
    return {"grid": grid, "block": block}


def test_moving_a_unit_rewrites_paths_and_depths_of_its_whole_subtree(tree, city_admin):
    # given 芝山街道 at depth 2 with three levels below it
    branch = _deep_branch(tree)
    zhishan = tree["zhishan"]
    untouched = tree_snapshot()

    # when it is moved under 蓝田街道 (one level deeper)
    actions.update_unit(
        actor=actor_of(city_admin),
        unit=zhishan,
        name=zhishan.name,
        kind=zhishan.kind,
        parent=tree["lantian"],
    )

    # then it and every unit below it follow, one level deeper, under 蓝田's path
    moved = {u.code: u for u in Unit.objects.filter(path__startswith=tree["lantian"].path)}
    assert set(moved) == {"350603001000", "350602007000", "350602007001", "G1", "B1"}
    assert moved["350602007000"].parent_id == tree["lantian"].pk
    assert [moved[c].depth for c in ("350602007000", "350602007001", "G1", "B1")] == [3, 4, 5, 6]
    assert moved["B1"].path == (
        f"{tree['lantian'].path}{zhishan.pk:08d}/{tree['village'].pk:08d}/"
        f"{branch['grid'].pk:08d}/{branch['block'].pk:08d}/"
    )
    assert_tree_is_consistent()
    # and units outside the moved branch keep their place
    outside = {"350602007000", "350602007001", "G1", "B1"}
    assert [row for row in tree_snapshot() if row[1] not in outside] == [
        row for row in untouched if row[1] not in outside
    ]


def test_moving_a_unit_up_a_level_rewrites_the_subtree(tree, city_admin):
    # given 芝山社区 (depth 3) with two levels below it
    _deep_branch(tree)
    village = tree["village"]

    # when it is moved directly under 芗城区 (depth 1)
    actions.update_unit(
        actor=actor_of(city_admin),
        unit=village,
        name=village.name,
        kind=village.kind,
        parent=tree["xiangcheng"],
    )

    # then it and its subtree are one level higher, and the tree is consistent
    depths = dict(
        Unit.objects.filter(code__in=["350602007001", "G1", "B1"]).values_list("code", "depth")
    )
    assert depths == {"350602007001": 2, "G1": 3, "B1": 4}
    assert_tree_is_consistent()


@pytest.mark.parametrize("target", ["village", "block", "itself"])
def test_moving_a_unit_under_itself_or_its_descendant_is_refused_and_changes_nothing(
    tree, city_admin, target
):
    # given 芝山街道 with a branch below it
    branch = _deep_branch(tree)
    zhishan = tree["zhishan"]
    parent = {"village": tree["village"], "block": branch["block"], "itself": zhishan}[target]
    before, entries = tree_snapshot(), AuditEntry.objects.count()

    # when it is moved under its own descendant (or itself)
    with pytest.raises(Refused, match="不能把单位移到它自己或它的下级单位之下"):
        actions.update_unit(
            actor=actor_of(city_admin),
            unit=zhishan,
            name="改名",
            kind=zhishan.kind,
            parent=parent,
        )

    # then nothing changed, not even the name, and nothing was logged
    assert tree_snapshot() == before
    assert AuditEntry.objects.count() == entries


def test_leader_cannot_move_their_own_unit(tree, county_leader):
    # given the leader of 芗城区
    xiangcheng = tree["xiangcheng"]
    before = tree_snapshot()

    # when they move 芗城区 itself under 龙文区
    with pytest.raises(Refused, match="只能在本单位的下级范围内调整隶属关系"):
        actions.update_unit(
            actor=actor_of(county_leader),
            unit=xiangcheng,
            name=xiangcheng.name,
            kind=xiangcheng.kind,
            parent=tree["longwen"],
        )

    # then the tree is unchanged
    assert tree_snapshot() == before


def test_update_unit_writes_an_audit_entry_with_the_changes(tree, county_leader):
    # given 芝山街道 under 芗城区
    zhishan = tree["zhishan"]

    # when the leader renames it and moves it under 西桥街道
    actions.update_unit(
        actor=actor_of(county_leader),
        unit=zhishan,
        name="芝山新街道",
        kind=zhishan.kind,
        parent=tree["xiqiao"],
    )

    # then one entry records both changes
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.UNIT_EDITED, target_id=str(zhishan.pk))
    assert entry.actor == county_leader
    assert entry.data["changes"] == {
        "name": ["芝山街道", "芝山新街道"],
        "parent": [tree["xiangcheng"].code, tree["xiqiao"].code],
    }
    assert entry.scope_path == Unit.objects.get(pk=zhishan.pk).path


def test_update_unit_without_changes_writes_nothing(tree, county_leader):
    # given 芝山街道
    zhishan = tree["zhishan"]

    # when saved as it is
    actions.update_unit(
        actor=actor_of(county_leader),
        unit=zhishan,
        name=zhishan.name,
        kind=zhishan.kind,
        parent=tree["xiangcheng"],
    )

    # then no audit entry is written
    assert not AuditEntry.objects.filter(verb=AuditEntry.Verb.UNIT_EDITED).exists()


def test_leader_moves_a_town_through_the_edit_page(tree, county_leader, login):
    # given the leader of 芗城区 and 芝山街道 with its village
    zhishan = tree["zhishan"]
    client = login(county_leader)

    # when they move 芝山街道 under 西桥街道 on the edit page
    response = client.post(
        reverse("staff:unit_edit", args=[zhishan.pk]),
        {"name": zhishan.name, "kind": zhishan.kind, "parent": tree["xiqiao"].pk, "sort": 0},
    )

    # then the town and its village now sit under 西桥街道
    assert response.status_code == 302
    village = Unit.objects.get(pk=tree["village"].pk)
    assert village.path.startswith(tree["xiqiao"].path)
    assert village.depth == 4
    assert_tree_is_consistent()


def test_edit_page_does_not_offer_the_units_own_subtree_as_parent(tree, county_leader, login):
    # given the leader of 芗城区
    client = login(county_leader)

    # when they open 芝山街道's edit page and post its village as the new parent
    page = client.get(reverse("staff:unit_edit", args=[tree["zhishan"].pk]))
    before = tree_snapshot()
    response = client.post(
        reverse("staff:unit_edit", args=[tree["zhishan"].pk]),
        {"name": "芝山街道", "kind": "street", "parent": tree["village"].pk, "sort": 0},
    )

    # then the village is no choice, the post is rejected and nothing moves
    choices = set(page.context["form"].fields["parent"].queryset.values_list("name", flat=True))
    assert choices == {"芗城区", "西桥街道"}
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert tree_snapshot() == before


def test_leader_adds_a_unit_through_the_new_unit_page(tree, county_leader, login):
    # given the leader of 芗城区
    client = login(county_leader)

    # when they add a community under 西桥街道
    response = client.post(
        reverse("staff:unit_new"),
        {
            "code": "350602002001",
            "name": "西桥社区",
            "kind": "village",
            "parent": tree["xiqiao"].pk,
            "sort": 0,
        },
    )

    # then it exists in the right place and the page shows it
    unit = Unit.objects.get(code="350602002001")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:unit", args=[unit.pk])
    assert unit.parent == tree["xiqiao"]
    assert_tree_is_consistent()


def test_new_unit_page_does_not_accept_a_parent_outside_the_leaders_county(
    tree, county_leader, login
):
    # given the leader of 芗城区
    client = login(county_leader)

    # when they post a new unit under 龙文区's 蓝田街道
    response = client.post(
        reverse("staff:unit_new"),
        {"code": "X2", "name": "越界社区", "kind": "village", "parent": tree["lantian"].pk},
    )

    # then the form refuses and nothing is written
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert not Unit.objects.filter(code="X2").exists()


# --- set_unit_active ------------------------------------------------------------------------


def test_stopping_a_unit_with_active_children_is_refused(tree, county_leader):
    # given 芝山街道 with the active village 芝山社区 below it
    zhishan = tree["zhishan"]

    # when the leader stops 芝山街道
    with pytest.raises(Refused, match="该单位下还有在用的下级单位"):
        actions.set_unit_active(actor=actor_of(county_leader), unit=zhishan, active=False)

    # then it stays active and nothing is logged
    assert Unit.objects.get(pk=zhishan.pk).active
    assert not AuditEntry.objects.filter(verb=AuditEntry.Verb.UNIT_DISABLED).exists()


def test_stopping_children_first_lets_the_unit_stop(tree, county_leader):
    # given 芝山街道 with one village
    actor = actor_of(county_leader)

    # when the leader stops the village, then the town
    actions.set_unit_active(actor=actor, unit=tree["village"], active=False)
    actions.set_unit_active(actor=actor, unit=tree["zhishan"], active=False)

    # then both are stopped and each stop is logged
    assert not Unit.objects.filter(
        pk__in=[tree["village"].pk, tree["zhishan"].pk], active=True
    ).exists()
    assert list(
        AuditEntry.objects.filter(verb=AuditEntry.Verb.UNIT_DISABLED)
        .order_by("pk")
        .values_list("target_label", flat=True)
    ) == ["芝山社区", "芝山街道"]


def test_resuming_a_unit_under_a_stopped_parent_is_refused(tree, county_leader):
    # given a stopped village under a stopped town
    actor = actor_of(county_leader)
    actions.set_unit_active(actor=actor, unit=tree["village"], active=False)
    actions.set_unit_active(actor=actor, unit=tree["zhishan"], active=False)
    village = Unit.objects.get(pk=tree["village"].pk)

    # when the village is resumed first
    with pytest.raises(Refused, match="上级单位已停用"):
        actions.set_unit_active(actor=actor, unit=village, active=True)

    # then it stays stopped
    assert not Unit.objects.get(pk=village.pk).active


def test_leader_cannot_stop_their_own_unit(tree):
    # given the leader of the leaf village 芝山社区
    leader = PersonFactory(unit=tree["village"], role=Role.UNIT_LEADER)

    # when they stop their own unit
    with pytest.raises(Refused, match="不能停用您当前所在的单位"):
        actions.set_unit_active(actor=actor_of(leader), unit=tree["village"], active=False)

    # then it stays active
    assert Unit.objects.get(pk=tree["village"].pk).active


def test_stop_button_reports_the_refusal_on_the_unit_page(tree, county_leader, login):
    # given the leader of 芗城区
    client = login(county_leader)

    # when they stop 芝山街道 (which still has an active village) from its page
    response = client.post(
        reverse("staff:unit_set_active", args=[tree["zhishan"].pk]), {"active": "0"}, follow=True
    )

    # then the page explains why, and the town is still active
    assert "该单位下还有在用的下级单位" in response.content.decode()
    assert Unit.objects.get(pk=tree["zhishan"].pk).active


def test_a_unit_cannot_be_added_under_a_stopped_unit(tree, county_leader):
    # given the village 芝山社区 stopped
    actor = actor_of(county_leader)
    actions.set_unit_active(actor=actor, unit=tree["village"], active=False)
    village = Unit.objects.get(pk=tree["village"].pk)

    # when a unit is added below it
    with pytest.raises(Refused, match="上级单位已停用"):
        actions.create_unit(
            actor=actor, code="N1", name="新网格", kind=Unit.Kind.OTHER, parent=village
        )

    # then nothing is written
    assert not Unit.objects.filter(code="N1").exists()


def test_a_unit_cannot_be_moved_under_a_stopped_unit(tree, county_leader):
    # given the leaf village 芝山社区 stopped, and the active town 西桥街道
    actor = actor_of(county_leader)
    actions.set_unit_active(actor=actor, unit=tree["village"], active=False)
    village = Unit.objects.get(pk=tree["village"].pk)
    xiqiao = tree["xiqiao"]
    before = tree_snapshot()

    # when 西桥街道 is moved below the stopped village
    with pytest.raises(Refused, match="上级单位已停用"):
        actions.update_unit(
            actor=actor, unit=xiqiao, name=xiqiao.name, kind=xiqiao.kind, parent=village
        )

    # then nothing moved
    assert tree_snapshot() == before


# --- unit list --------------------------------------------------------------------------------


def test_unit_list_searches_by_name_or_code_and_filters_by_kind(tree, city_admin, login):
    # given the city admin
    client = login(city_admin)

    # when searching by name, by code prefix and by kind
    by_name = client.get(reverse("staff:units"), {"q": "芝山"})
    by_code = client.get(reverse("staff:units"), {"q": "350603"})
    by_kind = client.get(reverse("staff:units"), {"kind": "district"})

    # then each finds what it should
    def names(response):
        return [u.name for u in response.context["page"].object_list]

    assert names(by_name) == ["芝山街道", "芝山社区"]
    assert names(by_code) == ["龙文区", "蓝田街道"]
    assert names(by_kind) == ["芗城区", "龙文区"]


def test_unit_list_hides_stopped_units_unless_asked(tree, county_leader, login):
    # given a stopped village
    actions.set_unit_active(actor=actor_of(county_leader), unit=tree["village"], active=False)
    client = login(county_leader)

    # when listing active, stopped and all units
    active = client.get(reverse("staff:units"))
    stopped = client.get(reverse("staff:units"), {"status": "inactive"})
    every = client.get(reverse("staff:units"), {"status": "all"})

    # then the village shows only where asked for
    def names(response):
        return {u.name for u in response.context["page"].object_list}

    assert "芝山社区" not in names(active)
    assert names(stopped) == {"芝山社区"}
    assert "芝山社区" in names(every)


def _grow(tree, n: int = 60) -> None:
    """n more villages under 芝山街道, each with a clerk."""
    for i in range(n):
        village = UnitFactory(code=f"V{i:03d}", kind=Unit.Kind.VILLAGE, parent=tree["zhishan"])
        PersonFactory(unit=village, role=Role.UNIT_CLERK)


def test_unit_list_query_count_does_not_grow_with_the_tree(
    tree, county_leader, login, django_assert_num_queries
):
    # given the leader of 芗城区 and a small county
    client = login(county_leader)
    url = reverse("staff:units")
    # 8 = 3 (session, person, memberships for the actor and the switcher) + 2 (the count, the
    # page) + 3 (saving the session: savepoint, update, release)
    with django_assert_num_queries(8):
        few = client.get(url)

    # when the county grows by sixty villages with people
    _grow(tree)
    with django_assert_num_queries(8):
        many = client.get(url)

    # then the page costs the same number of queries (and shows a full page)
    assert len(few.context["page"].object_list) == 4
    assert len(many.context["page"].object_list) == 50


def test_unit_detail_query_count_does_not_grow_with_children(
    tree, county_leader, login, django_assert_num_queries
):
    # given the leader of 芗城区 looking at 芝山街道
    client = login(county_leader)
    url = reverse("staff:unit", args=[tree["zhishan"].pk])
    # 12 = 3 (session, person, memberships for the actor and the switcher) + 5 (the unit, its
    # ancestors, the subtree by kind, the children, the members) + 1 (the panels other apps
    # add: appeals' 约谈记录) + 3 (saving the session)
    with django_assert_num_queries(12):
        few = client.get(url)

    # when 芝山街道 gets sixty more villages with people
    _grow(tree)
    with django_assert_num_queries(12):
        many = client.get(url)

    # then the page costs the same number of queries
    assert len(few.context["children"]) == 1
    assert len(many.context["children"]) == 61
