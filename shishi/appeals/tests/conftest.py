"""Fixtures of the appeals tests: a small category tree, the hotline desk and its people.

The people of shishi/conftest.py hold the appeal here: the operator (受理员) at the city root
receives and dispatches, 周区办 (芗城区) passes it down, 黄街道 (芝山街道) handles it,
李西桥 (西桥街道) is the sibling town, 督查员 decides reviews.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pytest

from shishi.appeals import actions
from shishi.appeals.models import Appeal, Category, Channel, Kind, ReplyKind
from shishi.appeals.tests.helpers import actor_of
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit

HOUSING = "城乡建设/住房保障"  # no deadlines of its own: the kind decides
SAFETY = "城乡建设/安全生产/安全隐患"  # inherits 2 handling days from 城乡建设/安全生产
ACCIDENT = "城乡建设/安全生产/事故处理"  # its own 1 handling day beats the parent's 2
LABOUR = "劳动和社会保障/劳动关系"
REPORTER_PHONE = "13912345678"
REPLY_TEXT = "经现场核实，已安排专人处理完毕，感谢您的监督。"
CONTENT = "我们小区的电梯经常停运，老人上下楼很不方便，希望尽快维修。"


@pytest.fixture
def categories(db) -> dict[str, Category]:
    actions.import_categories(
        rows=[
            ("城乡建设", "安全生产", "安全隐患"),
            ("城乡建设", "安全生产", "事故处理"),
            ("城乡建设", "住房保障"),
            ("劳动和社会保障", "劳动关系"),
        ],
        deadlines={
            "城乡建设/安全生产": {"handle_days": 2},
            ACCIDENT: {"handle_days": 1},
        },
    )
    return {c.full_name: c for c in Category.objects.all()}


@dataclass
class Desk:
    """The appeal desk: the actors of every level and shortcuts through the real actions."""

    tree: dict[str, Unit]
    categories: dict[str, Category]
    operator: Actor
    county: Actor
    town: Actor
    sibling: Actor
    supervisor: Actor

    def actor_holding(self, appeal: Appeal) -> Actor:
        """The clerk (or operator) of the unit that holds the appeal now."""
        appeal.refresh_from_db()
        for actor in (self.operator, self.county, self.town, self.sibling):
            if actor.unit.pk == appeal.holder_id:
                return actor
        raise LookupError(f"nobody at {appeal.holder} in the desk")

    def submit(
        self,
        *,
        now: datetime,
        kind: str = Kind.HELP,
        category: str = HOUSING,
        content: str = CONTENT,
        phone: str = REPORTER_PHONE,
        public: bool = False,
        direct_reply: str = "",
        **extra,
    ) -> Appeal:
        """An appeal registered at the city root through actions.submit_appeal: by the
        operator from the hotline, or (`public`) by a citizen on the web."""
        appeal, created = actions.submit_appeal(
            submission=actions.Submission(
                channel=Channel.WEB if public else Channel.OPERATOR,
                kind=kind,
                category=self.categories[category],
                content=content,
                reporter_phone=phone,
                **extra,
            ),
            receiver=self.tree["city"],
            by=None if public else self.operator,
            now=now,
            direct_reply=direct_reply,
        )
        assert created
        return appeal

    def dispatch(self, appeal: Appeal, *, to: str, now: datetime, co: Sequence[str] = ()) -> Appeal:
        return actions.dispatch_appeal(
            appeal=appeal,
            actor=self.actor_holding(appeal),
            to_unit=self.tree[to],
            co_units=[self.tree[name] for name in co],
            now=now,
        )

    def sign(self, appeal: Appeal, *, now: datetime) -> Appeal:
        return actions.sign_appeal(appeal=appeal, actor=self.actor_holding(appeal), now=now)

    def reply(
        self, appeal: Appeal, *, now: datetime, kind: str = ReplyKind.SOLVED, reason: str = ""
    ):
        return actions.reply_appeal(
            appeal=appeal,
            actor=self.actor_holding(appeal),
            kind=kind,
            text=REPLY_TEXT,
            reason=reason,
            now=now,
        )

    def in_town(self, *, now: datetime, **submit) -> Appeal:
        """Submitted, dispatched city -> 芗城区 -> 芝山街道 and signed there, all at `now`."""
        appeal = self.submit(now=now, **submit)
        self.dispatch(appeal, to="xiangcheng", now=now)
        self.dispatch(appeal, to="zhishan", now=now)
        return self.sign(appeal, now=now)

    def replied(self, *, now: datetime, **submit) -> Appeal:
        """An appeal 芝山街道 answered as solved at `now`."""
        appeal = self.in_town(now=now, **submit)
        self.reply(appeal, now=now)
        appeal.refresh_from_db()
        return appeal


@pytest.fixture
def desk(
    tree, categories, operator, county_clerk, town_clerk, outsider, supervisor, lantian_clerk
) -> Desk:
    return Desk(
        tree=tree,
        categories=categories,
        operator=actor_of(operator),
        county=actor_of(county_clerk),
        town=actor_of(town_clerk),
        sibling=actor_of(outsider),
        supervisor=actor_of(supervisor),
    )
