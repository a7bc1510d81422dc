"""The demo city's 典型案例评选, walked through the real actions: last year's selection
(nominated from completed projects, scored by five judges, voted on, a burst of votes from
one address voided, results published) and this year's in its public vote, with a burst of
consecutive numbers waiting to be looked at."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from shishi.cases import actions, results
from shishi.cases.access import conflicted
from shishi.cases.forms import DEFAULT_RUBRIC
from shishi.cases.models import Selection
from shishi.core.errors import Refused
from shishi.orgs.access import Actor
from shishi.orgs.demo import clerk_for, staff_of
from shishi.orgs.models import Person, Role, Unit
from shishi.projects.models import DONE_STATUSES, Project

JUDGES = ("supervisor", "xc_leader", "zj_leader", "guide1_0", "guide2_0")
RUBRIC = tuple(
    (line.rsplit(" ", 1)[0], int(line.rsplit(" ", 1)[1])) for line in DEFAULT_RUBRIC.splitlines()
)


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _selection(office, *, title: str, start: date, live: bool) -> Selection:
    return actions.create_selection(
        data=actions.SelectionData(
            title=title,
            description="把为民办实事的成果晒出来、请群众来评价：各单位推荐已完成的实事项目，"
            "经审核入围后由评委评分、群众投票，按综合得分评出典型案例。",
            nominate_from=start,
            nominate_until=start + timedelta(days=10),
            review_until=start + timedelta(days=25),
            vote_until=start + timedelta(days=39),
            winners=10,
            judge_weight=60,
            votes_per_day=3,
            criteria=RUBRIC,
            show_live_counts=live,
        ),
        actor=office,
        now=_at(start - timedelta(days=5)),
    )


def _walk(rng, selection: Selection, office, projects: list[Project], *, today: date) -> int:
    start = selection.nominate_from
    for person in Person.objects.filter(username__in=JUDGES):
        actions.add_judge(selection=selection, person=person, actor=office, now=_at(start))
    nominations = []
    for n, project in enumerate(projects):
        nominations.append(
            actions.nominate(
                selection=selection,
                data=actions.NominationData(
                    title=project.title,
                    summary=f"{project.lead_unit.name}牵头实施“{project.title}”，"
                    f"{project.targets[:80].rstrip('。')}。项目完成后群众反映良好。",
                    project=project,
                ),
                actor=clerk_for(project.lead_unit),
                now=_at(start + timedelta(days=n % 9), 9 + n % 8),
            )
        )
    decided = selection.nominate_until + timedelta(days=2)
    running = []
    for n, nomination in enumerate(nominations):
        nomination = actions.decide_nomination(
            nomination=nomination,
            accept=n % 7 != 3,
            reason="" if n % 7 != 3 else "成效数据不完整，佐证材料不足",
            actor=office,
            now=_at(decided),
        )
        if nomination.status == nomination.Status.ACCEPTED:
            running.append(nomination)
    criteria = list(selection.criteria.order_by("order"))
    for judge in selection.judges.select_related("person"):
        membership = judge.person.memberships.select_related("unit").first()
        actor = Actor(person=judge.person, membership=membership)
        for nomination in running:
            if conflicted(judge, nomination):
                continue
            quality = rng.uniform(0.62, 0.97)
            actions.score_nomination(
                nomination=nomination,
                points={
                    c.pk: round(c.max_points * min(1, quality + rng.uniform(-0.05, 0.05)))
                    for c in criteria
                },
                actor=actor,
                now=_at(selection.review_until - timedelta(days=2), 15),
            )
    return _vote(rng, selection, running, today=today)


def _vote(rng, selection: Selection, running, *, today: date) -> int:
    cast = 0
    popular = {n.pk: rng.uniform(0.2, 1.0) for n in running}
    day = selection.vote_from
    while day <= min(selection.vote_until, today - timedelta(days=1)):
        for _ in range(rng.randint(25, 45)):
            phone = f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
            picks = rng.sample(running, k=min(len(running), rng.randint(1, 3)))
            for nomination in picks:
                if rng.random() > popular[nomination.pk]:
                    continue
                try:
                    actions.cast_vote(
                        nomination=nomination,
                        phone=phone,
                        ip=f"117.27.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                        now=_at(day, rng.randint(8, 21), rng.randint(0, 59)),
                    )
                except Refused:
                    continue  # the same random number drawn twice in a day
                cast += 1
        day += timedelta(days=1)
    return cast


def _burst(selection: Selection, nomination, *, day: date) -> list[int]:
    """Twelve consecutive numbers voting from one address within six minutes."""
    votes = [
        actions.cast_vote(
            nomination=nomination,
            phone=f"1590596{4100 + k:04d}",
            ip="120.36.18.77",
            now=_at(day, 23, 40 + k // 2),
        )
        for k in range(12)
    ]
    return [vote.pk for vote in votes]


@transaction.atomic
def load_demo_cases(*, seed: int = 2021) -> int:
    if Selection.objects.exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    city = Unit.objects.get(parent=None)
    office = staff_of(city, Role.CITY_ADMIN)
    projects = list(
        Project.objects.filter(status__in=DONE_STATUSES)
        .select_related("lead_unit")
        .order_by("code")
    )
    if office is None or len(projects) < 8:
        return 0
    rng.shuffle(projects)
    last = _selection(
        office,
        title=f"{today.year - 1}年度“我为群众办实事”典型案例",
        start=today - timedelta(days=400),
        live=False,
    )
    _walk(rng, last, office, projects[:14], today=today)
    burst = _burst(
        last,
        last.nominations.filter(status="accepted").first(),
        day=last.vote_from + timedelta(days=3),
    )
    actions.void_votes(
        selection=last,
        vote_ids=burst,
        reason="同一地址6分钟内12个连号手机号投票，经核实为组织刷票",
        actor=office,
        now=_at(last.vote_until, 16),
    )
    actions.publish_results(
        selection=last, actor=office, now=_at(last.vote_until + timedelta(days=3))
    )
    current = _selection(
        office,
        title=f"{today.year}年度“我为群众办实事”典型案例",
        start=today - timedelta(days=30),
        live=True,
    )
    _walk(rng, current, office, projects[14:30], today=today)
    running = current.nominations.filter(status="accepted")
    if running.exists() and today > current.vote_from:
        _burst(current, running.last(), day=today - timedelta(days=1))
    return Selection.objects.count()


def demo_summary() -> str:
    made = load_demo_cases()
    if not made:
        return f"已有 {Selection.objects.count()} 个评选（或没有可推荐的已完成项目），未重复载入"
    last = Selection.objects.order_by("nominate_from").first()
    winners = sum(1 for row in results.standings(last) if row.winner)
    return f"典型案例评选 {made} 个：上年度已发布结果（入选 {winners} 个），本年度正在群众投票"
