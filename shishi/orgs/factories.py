"""Test factories for the organisation tree (used by every app's tests)."""

import factory

from shishi.orgs import actions
from shishi.orgs.models import Membership, Person, Role, Unit

TEST_PASSWORD = "Test-password-2026"


class UnitFactory(factory.Factory):
    """Builds units through the action, so paths and depth are right."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"T{n:06d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Unit.Kind.TOWN
    parent = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return actions.create_unit(actor=None, **kwargs)


class PersonFactory(factory.Factory):
    class Meta:
        model = Person

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"人员{n}")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    title = ""

    @classmethod
    def _create(cls, model_class, *, unit: Unit, role: str = Role.UNIT_CLERK, **kwargs):
        return actions.create_person(
            actor=None, password=TEST_PASSWORD, unit=unit, role=role, **kwargs
        )


def member(person: Person, unit: Unit, role: str) -> Membership:
    return Membership.objects.create(person=person, unit=unit, role=role)
