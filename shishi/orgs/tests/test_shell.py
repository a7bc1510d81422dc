"""The staff shell: the home dashboard, the navigation and the audit log."""

from django.urls import reverse

from shishi.core.models import AuditEntry
from shishi.orgs import actions
from shishi.orgs.factories import PersonFactory, UnitFactory
from shishi.orgs.models import Role, Unit
from shishi.orgs.tests.helpers import actor_of


def _grow(tree, n: int = 40) -> None:
    """n more villages under 芝山街道, each with a clerk."""
    for i in range(n):
        village = UnitFactory(code=f"H{i:03d}", kind=Unit.Kind.VILLAGE, parent=tree["zhishan"])
        PersonFactory(unit=village, role=Role.UNIT_CLERK)


def _nav_labels(response) -> list[str]:
    return [item["label"] for section in response.context["staff_nav"] for item in section["items"]]


def test_home_counts_only_the_actors_subtree(tree, town_clerk, county_clerk, outsider, login):
    # given clerks in 芝山街道, 西桥街道 and 芗城区
    client = login(town_clerk)

    # when the 芝山 clerk opens the home page
    response = client.get(reverse("staff:home"))

    # then the totals cover 芝山街道 and its village only
    assert response.context["unit_total"] == 2
    assert response.context["people_total"] == 1
    assert [u.name for u in response.context["children"]] == ["芝山社区"]


def test_home_query_count_does_not_grow_with_the_tree(
    tree, county_leader, login, django_assert_num_queries
):
    # given the leader of 芗城区 who has opened the home page once (the calendar is cached)
    client = login(county_leader)
    url = reverse("staff:home")
    client.get(url)
    # 22 = 3 (session, person, memberships for the actor and the switcher)
    #    + 3 for the shell (units by kind, which also give their total; active people; the
    #      unit's children)
    #    + 4 for 待我审核 (draft replies of the unit; extension requests of the subtree within
    #      the leader's limit; progress reports of the projects the unit leads; visit
    #      bookings waiting for the subtree's sites to confirm them)
    #    + 6 for the appeals panel (the unit's co-handling ids, then every queue count in one
    #      aggregate; the overdue ones in scope, apart so that each reads through its own
    #      index; last month's dispatches, replies with their verdicts, and overdue appeals
    #      per unit)
    #    + 3 for the projects panel (projects by status, late milestones, missing reports)
    #    + 3 (saving the session: savepoint, update, release)
    with django_assert_num_queries(22):
        few = client.get(url)

    # when the county grows by forty villages with people
    _grow(tree)
    with django_assert_num_queries(22):
        many = client.get(url)

    # then the page costs the same number of queries, and every registered panel was shown
    assert few.context["unit_total"] == 4
    assert many.context["unit_total"] == 44
    assert [panel["template"] for panel in many.context["panels"]] == [
        "staff/_review_panel.html",
        "appeals/_home_panel.html",
        "projects/_home_panel.html",
    ]


def test_navigation_shows_only_what_the_role_may_open(tree, town_clerk, city_admin, login):
    # given a town clerk and the city admin
    # when each opens the home page
    clerk = _nav_labels(login(town_clerk).get(reverse("staff:home")))
    admin = _nav_labels(login(city_admin).get(reverse("staff:home")))

    # then the audit log is only offered to the admin
    assert "审计日志" not in clerk
    assert "审计日志" in admin
    assert {"单位", "人员"} <= set(clerk)


def test_audit_log_filters_by_verb_and_text(tree, city_admin, login):
    # given a unit added and another stopped
    actor = actor_of(city_admin)
    actions.create_unit(
        actor=actor, code="F1", name="筛选社区", kind=Unit.Kind.VILLAGE, parent=tree["zhishan"]
    )
    actions.set_unit_active(actor=actor, unit=tree["village"], active=False)
    client = login(city_admin)

    # when the admin filters by the stop verb and by the new unit's name
    stopped = client.get(reverse("staff:audit"), {"verb": AuditEntry.Verb.UNIT_DISABLED})
    named = client.get(reverse("staff:audit"), {"q": "筛选"})

    # then each filter finds its one entry
    assert [e.target_label for e in stopped.context["page"].object_list] == ["芝山社区"]
    assert [e.verb for e in named.context["page"].object_list] == [AuditEntry.Verb.UNIT_CREATED]


def test_audit_log_query_count_does_not_grow_with_entries(
    tree, city_admin, login, django_assert_num_queries
):
    # given the city admin with the fixture's entries in the log
    client = login(city_admin)
    url = reverse("staff:audit")
    # 9 = 3 (session, person, memberships for the actor and the switcher) + 3 (the count, the
    # verbs for the filter, the page) + 3 (saving the session: savepoint, update, release)
    with django_assert_num_queries(9):
        few = client.get(url)

    # when sixty more entries are written
    actor = actor_of(city_admin)
    for i in range(60):
        actions.create_unit(
            actor=actor,
            code=f"E{i:03d}",
            name=f"日志单位{i}",
            kind=Unit.Kind.OTHER,
            parent=tree["lantian"],
        )
    with django_assert_num_queries(9):
        many = client.get(url)

    # then the page costs the same number of queries and shows a full page
    assert len(few.context["page"].object_list) < 50
    assert len(many.context["page"].object_list) == 50


def test_audit_log_names_the_filters_it_could_not_apply(tree, city_admin, login):
    # when the admin asks for entries since a day that does not exist, from an unknown source
    response = login(city_admin).get(
        reverse("staff:audit"), {"since": "2026-02-30", "source": "nowhere", "q": "芝山"}
    )

    # then the page still answers, from the first source, and says what it left out
    assert response.status_code == 200
    assert response.context["source"].key == "orgs"
    assert response.context["filter_form"].ignored == ["类别：nowhere", "起始日期：2026-02-30"]


def test_the_missing_holidays_banner_is_for_those_who_can_enter_them(
    tree, city_admin, town_clerk, login, monkeypatch
):
    # given a year ahead whose holidays nobody has entered
    monkeypatch.setattr("shishi.core.workdays.calendar_gaps", lambda today, **kw: [2027])

    # when the city admin and a town clerk open their home pages
    admin_home = login(city_admin).get(reverse("staff:home")).content.decode()
    clerk_home = login(town_clerk).get(reverse("staff:home")).content.decode()

    # then only the admin, who can enter them, is asked to
    assert "2027年的法定节假日安排尚未录入" in admin_home
    assert "尚未录入" not in clerk_home
