"""Shared fixtures: a small city tree and the named people of STYLE.md §13.

city 漳州市
├── county 芗城区 ── town 芝山街道 ── village 芝山社区
│                └─ town 西桥街道            (sibling of 芝山)
└── county 龙文区 ── town 蓝田街道
"""

import pytest
from django.test import Client
from huey.contrib.djhuey import HUEY

from shishi.orgs.factories import PersonFactory, UnitFactory
from shishi.orgs.models import Role, Unit
from shishi.testing import RecordingSmsBackend


@pytest.fixture(autouse=True)
def _immediate_huey():
    """Tasks run in-process during tests; nothing is left for a worker."""
    HUEY.immediate = True
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 costs ~0.1 s per person and no test is about the hash itself (the production
    setting is checked by `check --deploy` and the settings tests)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _totp_not_enforced(settings):
    """Sign-ins are by password alone, unless a test is about the second factor
    (`totp_enforced`; in production it is on for the roles in `TOTP_REQUIRED_ROLES`)."""
    settings.TOTP_ENFORCE = False


@pytest.fixture
def totp_enforced(settings):
    """The second factor as production has it: required of superusers, staff and the roles
    in `TOTP_REQUIRED_ROLES` (city_admin, operator, supervisor, auditor)."""
    settings.TOTP_ENFORCE = True


@pytest.fixture(autouse=True)
def _recorded_sms(settings):
    """Texts go to a recording gateway, where `testing.latest_code` finds delivered codes."""
    RecordingSmsBackend.sent.clear()
    settings.OUTBOX_BACKENDS = {
        **settings.OUTBOX_BACKENDS,
        "sms": "shishi.testing.RecordingSmsBackend",
    }


@pytest.fixture(autouse=True)
def _replies_without_approval(settings):
    """A reply reaches the citizen at once, unless a test is about the leader's approval
    (`reply_approval`; in production it is on for towns, streets and departments)."""
    settings.APPEAL_REPLY_APPROVAL_KINDS = []


@pytest.fixture
def reply_approval(settings):
    """Clerks' replies in towns, streets and departments wait for their leader's approval,
    as `APPEAL_REPLY_APPROVAL_KINDS` has it by default."""
    settings.APPEAL_REPLY_APPROVAL_KINDS = [
        Unit.Kind.TOWN,
        Unit.Kind.STREET,
        Unit.Kind.DEPARTMENT,
    ]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded photos and generated files land in the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tree(db) -> dict[str, Unit]:
    city = UnitFactory(code="350600000000", name="漳州市", kind=Unit.Kind.CITY)
    xiangcheng = UnitFactory(
        code="350602000000", name="芗城区", kind=Unit.Kind.DISTRICT, parent=city
    )
    zhishan = UnitFactory(
        code="350602007000", name="芝山街道", kind=Unit.Kind.STREET, parent=xiangcheng
    )
    village = UnitFactory(
        code="350602007001", name="芝山社区", kind=Unit.Kind.VILLAGE, parent=zhishan
    )
    xiqiao = UnitFactory(
        code="350602002000", name="西桥街道", kind=Unit.Kind.STREET, parent=xiangcheng
    )
    longwen = UnitFactory(code="350603000000", name="龙文区", kind=Unit.Kind.DISTRICT, parent=city)
    lantian = UnitFactory(
        code="350603001000", name="蓝田街道", kind=Unit.Kind.STREET, parent=longwen
    )
    return {
        "city": city,
        "xiangcheng": xiangcheng,
        "zhishan": zhishan,
        "village": village,
        "xiqiao": xiqiao,
        "longwen": longwen,
        "lantian": lantian,
    }


@pytest.fixture
def city_admin(tree):
    return PersonFactory(
        username="city_admin", name="林市管", unit=tree["city"], role=Role.CITY_ADMIN
    )


@pytest.fixture
def county_leader(tree):
    return PersonFactory(
        username="county_leader", name="陈区长", unit=tree["xiangcheng"], role=Role.UNIT_LEADER
    )


@pytest.fixture
def county_clerk(tree):
    return PersonFactory(
        username="county_clerk", name="周区办", unit=tree["xiangcheng"], role=Role.UNIT_CLERK
    )


@pytest.fixture
def town_clerk(tree):
    return PersonFactory(
        username="town_clerk", name="黄街道", unit=tree["zhishan"], role=Role.UNIT_CLERK
    )


@pytest.fixture
def outsider(tree):
    """A clerk of the sibling town 西桥街道."""
    return PersonFactory(
        username="outsider", name="李西桥", unit=tree["xiqiao"], role=Role.UNIT_CLERK
    )


@pytest.fixture
def auditor(tree):
    return PersonFactory(username="auditor", name="许审计", unit=tree["city"], role=Role.AUDITOR)


@pytest.fixture
def login():
    """login(person) -> a test client signed in as that person."""

    def _login(person) -> Client:
        client = Client()
        client.force_login(person)
        return client

    return _login


@pytest.fixture
def operator(tree):
    return PersonFactory(username="operator", name="郑受理", unit=tree["city"], role=Role.OPERATOR)


@pytest.fixture
def supervisor(tree):
    return PersonFactory(
        username="supervisor", name="吴督查", unit=tree["city"], role=Role.SUPERVISOR
    )


@pytest.fixture
def town_leader(tree):
    return PersonFactory(
        username="town_leader", name="王主任", unit=tree["zhishan"], role=Role.UNIT_LEADER
    )


@pytest.fixture
def lantian_clerk(tree):
    """A clerk of 蓝田街道, in the other district."""
    return PersonFactory(
        username="lantian_clerk", name="蔡蓝田", unit=tree["lantian"], role=Role.UNIT_CLERK
    )
