"""The registry, pairing, visits and the ladder through the actions."""

from datetime import date

import pytest

from shishi.core.errors import Refused
from shishi.core.models import OutboxMessage
from shishi.core.supervision import Level
from shishi.enterprises import actions
from shishi.enterprises.models import Enterprise, EnterpriseEvent, Pairing, Visit
from shishi.enterprises.tests.conftest import CODES, NOW, enterprise_data
from shishi.testing import actor_of, at


def test_an_office_registers_an_enterprise_with_an_event(tree, county_clerk):
    enterprise = actions.register_enterprise(
        data=enterprise_data(tree["xiangcheng"], credit_code="91350100m000100y43 "),
        actor=actor_of(county_clerk),
        now=NOW,
    )
    assert enterprise.credit_code == "91350100M000100Y43"
    assert EnterpriseEvent.objects.get(enterprise=enterprise).verb == "registered"


def test_an_invalid_credit_code_is_refused_naming_the_character(tree, county_clerk):
    with pytest.raises(Refused, match="第18位校验码“4”不正确"):
        actions.register_enterprise(
            data=enterprise_data(tree["xiangcheng"], credit_code="91350100M000100Y44"),
            actor=actor_of(county_clerk),
            now=NOW,
        )
    assert not Enterprise.objects.exists()


def test_a_duplicate_enterprise_is_refused(desk, tree):
    with pytest.raises(Refused, match="已登记为“漳州片仔癀药业股份有限公司”"):
        actions.register_enterprise(
            data=enterprise_data(tree["xiangcheng"], name="另一家"), actor=desk.office, now=NOW
        )
    with pytest.raises(Refused, match="已登记名为"):
        actions.register_enterprise(
            data=enterprise_data(tree["xiangcheng"], credit_code=CODES[1]),
            actor=desk.office,
            now=NOW,
        )
    assert Enterprise.objects.count() == 1


def test_a_county_office_cannot_register_under_another_county(tree, county_clerk):
    with pytest.raises(Refused, match="龙文区不在您的管辖范围内"):
        actions.register_enterprise(
            data=enterprise_data(tree["longwen"]), actor=actor_of(county_clerk), now=NOW
        )


def test_a_town_is_not_an_office(tree, town_clerk):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.register_enterprise(
            data=enterprise_data(tree["xiangcheng"]), actor=actor_of(town_clerk), now=NOW
        )


def test_pairing_texts_the_cadre_and_sets_the_first_visit_due(desk, town_clerk):
    assert desk.pairing.visit_due > desk.pairing.starts_on
    assert OutboxMessage.objects.filter(
        recipient=town_clerk.phone, body__contains="挂钩服务漳州片仔癀药业"
    ).exists()


def test_a_pairing_outside_the_offices_scope_is_refused(desk, tree, lantian_clerk):
    with pytest.raises(Refused, match="蓝田街道不在您的管辖范围内"):
        actions.pair_cadre(
            enterprise=desk.enterprise,
            cadre=lantian_clerk,
            unit=tree["lantian"],
            starts_on=date(2026, 3, 2),
            actor=desk.office,
            now=NOW,
        )


def test_a_new_cadre_ends_the_old_pairing_and_keeps_it_as_history(desk, tree, outsider):
    actions.pair_cadre(
        enterprise=desk.enterprise,
        cadre=outsider,
        unit=tree["xiqiao"],
        starts_on=date(2026, 4, 1),
        actor=desk.office,
        now=at(2026, 4, 1),
    )
    old = Pairing.objects.get(pk=desk.pairing.pk)
    assert old.ends_on == date(2026, 3, 31)
    assert "改由李西桥挂钩" in old.end_reason
    assert Pairing.objects.get(enterprise=desk.enterprise, ends_on__isnull=True).cadre == outsider


def test_a_visit_moves_the_due_date_on_and_clears_the_ladder(desk):
    Pairing.objects.filter(pk=desk.pairing.pk).update(supervision=Level.URGE)
    visit = actions.record_visit(
        data=actions.VisitData(
            pairing=desk.pairing,
            visited_on=date(2026, 3, 20),
            form=Visit.Form.ON_SITE,
            discussed="了解一季度生产经营情况",
            problems="用工缺口约50人",
        ),
        actor=desk.cadre,
        now=at(2026, 3, 20),
    )
    pairing = Pairing.objects.get(pk=desk.pairing.pk)
    assert visit.cadre == pairing.cadre
    assert pairing.last_visited_on == date(2026, 3, 20)
    assert pairing.visit_due > date(2026, 4, 10)
    assert pairing.supervision == Level.NONE


def test_a_visit_dated_in_the_future_is_refused(desk):
    with pytest.raises(Refused, match="走访日期不能晚于今天"):
        actions.record_visit(
            data=actions.VisitData(
                pairing=desk.pairing,
                visited_on=date(2026, 3, 3),
                form=Visit.Form.PHONE,
                discussed="电话了解情况",
            ),
            actor=desk.cadre,
            now=NOW,
        )
    assert not Visit.objects.exists()


def test_someone_else_cannot_record_the_cadres_visits(desk, town_leader):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.record_visit(
            data=actions.VisitData(
                pairing=desk.pairing,
                visited_on=date(2026, 3, 2),
                form=Visit.Form.PHONE,
                discussed="电话了解情况",
            ),
            actor=actor_of(town_leader),
            now=NOW,
        )


def test_cadres_not_visiting_climb_the_ladder_once_per_rung(desk, town_clerk):
    due = desk.pairing.visit_due
    late = at(due.year, due.month, due.day, 12)
    first = actions.sweep_visits(now=late)
    again = actions.sweep_visits(now=late)
    pairing = Pairing.objects.get(pk=desk.pairing.pk)
    assert first == {Level.URGE: 1}
    assert again == {}
    assert pairing.supervision == Level.URGE
    event = EnterpriseEvent.objects.filter(verb="urge").get()
    assert "应于" in event.note
    assert OutboxMessage.objects.filter(
        recipient=town_clerk.phone, body__contains="【催办】"
    ).exists()


def test_an_ended_pairing_leaves_the_ladder(desk):
    actions.end_pairing(pairing=desk.pairing, reason="干部调整", actor=desk.office, now=NOW)
    assert actions.sweep_visits(now=at(2026, 12, 31)) == {}
