"""The `demo` management command: the demo city loads once, however often it runs."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from shishi.orgs import demo
from shishi.orgs.models import Membership, Person, Unit


def _run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
    }


def _printed_logins(output: str) -> tuple[str, list[str]]:
    """The password from the banner and the username opening each indented line below it."""
    password = re.search(r"密码均为 (\S+?)）", output).group(1)
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if "密码均为" in line)
    usernames = []
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break
        usernames.append(line.split()[0])
    return password, usernames


def test_demo_command_run_twice_gives_the_same_organisation(db):
    # given the demo loaded once
    first_output = _run_demo()
    first = _counts()

    # when it runs again
    second_output = _run_demo()

    # then nothing was added and the same logins are printed
    assert _counts() == first
    assert first["units"] >= 158 + len(demo._unit_rows())
    assert _printed_logins(second_output) == _printed_logins(first_output)


def test_printed_demo_logins_sign_in_with_the_printed_password(db):
    # given the demo loaded (once: it is slow, so this test reads all of its output)
    output = _run_demo()
    password, usernames = _printed_logins(output)

    # when each printed login signs in on the staff login page
    answers = {}
    for username in usernames:
        client = Client()
        response = client.post(reverse("staff:login"), {"username": username, "password": password})
        location = response["Location"] if response.status_code == 302 else ""
        answers[username] = (response.status_code, location, "_auth_user_id" in client.session)

    # then every demo login is printed, and each is signed in and sent to the staff home
    assert password == demo.DEMO_PASSWORD
    assert usernames == [username for username, *_ in demo.DEMO_PEOPLE]
    assert answers == dict.fromkeys(usernames, (302, reverse("staff:home"), True))
    # and a printed line names the unit and role the login acts from
    clerk_line = next(line for line in output.splitlines() if line.split()[:1] == ["zs_clerk"])
    membership = Membership.objects.select_related("unit").get(person__username="zs_clerk")
    assert f"{membership.unit.name}·{membership.get_role_display()}" in clerk_line
    assert membership.unit.code == "350602007000"


def test_demo_only_loads_the_parts_named_and_what_every_part_needs(db):
    # when only the appeals are asked for
    out = io.StringIO()
    call_command("demo", "--only", "appeals", stdout=out)

    # then the organisation, the appeals and the summary were loaded, and nothing else
    labels = [line.split("：")[0].lstrip("· ") for line in out.getvalue().splitlines()]
    loaded = [line for line in labels if line in {"组织机构", "诉求", "实事项目", "汇总统计"}]
    assert loaded == ["组织机构", "诉求", "汇总统计"]
    assert "实事项目" not in out.getvalue()


def test_demo_only_an_unknown_part_is_refused_naming_the_known_ones(db):
    # when a part that does not exist is asked for
    # then the command stops before loading anything and says what may be asked
    with pytest.raises(CommandError, match=r"没有演示数据“projekts”.*projects"):
        call_command("demo", "--only", "projekts", stdout=io.StringIO())
    assert Unit.objects.count() == 0
