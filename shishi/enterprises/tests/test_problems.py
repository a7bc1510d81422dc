"""Enterprise problems enter the appeal loop as appeals (channel 企业) received first by
the paired cadre's unit; the cadre is texted; the enterprise tracks it by its code."""

from datetime import date

import pytest

from shishi.appeals.models import Appeal, Channel, Status
from shishi.core.errors import Refused
from shishi.core.models import OutboxMessage
from shishi.enterprises import actions
from shishi.enterprises.models import Problem, Visit
from shishi.enterprises.tests.conftest import CODES, NOW, enterprise_data
from shishi.testing import actor_of, at, latest_code

LATER = at(2026, 3, 5)


def _visit(desk) -> Visit:
    return actions.record_visit(
        data=actions.VisitData(
            pairing=desk.pairing,
            visited_on=date(2026, 3, 4),
            form=Visit.Form.ON_SITE,
            discussed="生产经营和用工情况",
            problems="厂区门口道路破损，货车进出困难",
        ),
        actor=desk.cadre,
        now=LATER,
    )


def test_a_problem_from_a_visit_is_an_appeal_first_received_by_the_cadres_unit(
    desk, tree, town_clerk
):
    visit = _visit(desk)
    problem = actions.raise_problem(
        enterprise=desk.enterprise,
        visit=visit,
        data=actions.ProblemData(content="厂区门口道路破损，货车进出困难，请协调修复"),
        actor=desk.cadre,
        now=LATER,
    )
    appeal = Appeal.objects.get(pk=problem.appeal_id)
    assert appeal.channel == Channel.ENTERPRISE
    assert appeal.first_receiver == tree["zhishan"]
    assert appeal.holder == tree["zhishan"]
    assert appeal.status == Status.RECEIVED
    assert appeal.enterprise_name == desk.enterprise.name
    assert appeal.reporter_phone == desk.enterprise.contact_phone
    assert problem.source == Problem.Source.VISIT and problem.pairing == desk.pairing
    # the cadre is told, the enterprise gets its tracking code
    assert OutboxMessage.objects.filter(
        recipient=town_clerk.phone, body__contains=appeal.code
    ).exists()
    assert OutboxMessage.objects.filter(
        recipient=desk.enterprise.contact_phone, body__contains=appeal.code
    ).exists()


def test_only_the_visits_cadre_raises_from_it(desk, county_leader, town_leader):
    visit = _visit(desk)
    with pytest.raises(Refused, match="只有走访干部"):
        actions.raise_problem(
            enterprise=desk.enterprise,
            visit=visit,
            data=actions.ProblemData(content="厂区门口道路破损"),
            actor=actor_of(town_leader),
            now=LATER,
        )
    assert not Appeal.objects.exists()


def test_an_unpaired_enterprises_problem_goes_to_its_county(tree, county_clerk):
    office = actor_of(county_clerk)
    enterprise = actions.register_enterprise(
        data=enterprise_data(tree["xiangcheng"], credit_code=CODES[2], name="漳州灿坤实业"),
        actor=office,
        now=NOW,
    )
    problem = actions.raise_problem(
        enterprise=enterprise,
        data=actions.ProblemData(content="希望协调办理环评手续"),
        actor=office,
        now=NOW,
    )
    assert problem.appeal.first_receiver == tree["xiangcheng"]
    assert problem.source == Problem.Source.STAFF


def test_the_enterprise_reports_on_the_public_form_and_tracks_it(desk, client, tree):
    phone = desk.enterprise.contact_phone
    sent = client.post(
        "/enterprise/report/code/",
        {"credit_code": desk.enterprise.credit_code.lower(), "phone": phone},
    )
    assert "验证码已发送" in sent.content.decode()
    response = client.post(
        "/enterprise/report/",
        {
            "credit_code": desk.enterprise.credit_code,
            "phone": phone,
            "code": latest_code(phone),
            "kind": "help",
            "content": "企业申报的技改补助迟迟未到位，请帮助协调",
        },
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert problem.source == Problem.Source.ENTERPRISE
    assert problem.appeal.first_receiver == tree["zhishan"]
    done = client.get(response.url)
    assert problem.appeal.code in done.content.decode()
    # the public tracking page knows it (code + last four digits of the phone)
    track = client.get(f"/track/{problem.appeal.code}/")
    assert track.status_code == 200


def test_no_code_is_texted_to_a_phone_not_on_file(desk, client):
    response = client.post(
        "/enterprise/report/code/",
        {"credit_code": desk.enterprise.credit_code, "phone": "13700000000"},
    )
    assert "手机号不是企业登记的联系电话" in response.content.decode()
    assert not OutboxMessage.objects.filter(recipient="13700000000").exists()


def test_a_wrong_code_saves_nothing(desk, client):
    phone = desk.enterprise.contact_phone
    client.post(
        "/enterprise/report/code/", {"credit_code": desk.enterprise.credit_code, "phone": phone}
    )
    response = client.post(
        "/enterprise/report/",
        {
            "credit_code": desk.enterprise.credit_code,
            "phone": phone,
            "code": "000000" if latest_code(phone) != "000000" else "111111",
            "kind": "help",
            "content": "企业申报的技改补助迟迟未到位",
        },
    )
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_credit_code_with_a_wrong_character_is_named_on_the_public_form(client, desk):
    response = client.post(
        "/enterprise/report/code/",
        {"credit_code": "91350100M000100Y44", "phone": desk.enterprise.contact_phone},
    )
    assert "第18位校验码" in response.content.decode()
