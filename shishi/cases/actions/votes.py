"""The public vote, and voiding votes found in a suspicious burst."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from shishi.cases import access
from shishi.cases.models import Nomination, Phase, Selection, SelectionEvent, Vote
from shishi.core.errors import Refused
from shishi.core.masking import phone_hash
from shishi.orgs.access import Actor


def cast_vote(*, nomination: Nomination, phone: str, ip: str | None, now: datetime) -> Vote:
    """投票 by a phone confirmed with an SMS code (the caller checked it): during the vote, for
    a nomination in the running, once a day per case and at most `votes_per_day` a day. The
    daily limit holds in the database (`Vote` slots), also for votes arriving together."""
    selection: Selection = nomination.selection
    today = timezone.localdate(now)
    if selection.phase(today) != Phase.VOTING:
        raise Refused("不在投票时间内")
    if nomination.status != Nomination.Status.ACCEPTED:
        raise Refused("该案例不在投票范围内")
    hashed = phone_hash(phone)
    mine = Vote.objects.filter(selection=selection, phone_hash=hashed, day=today)
    for _ in range(selection.votes_per_day):
        if mine.filter(nomination=nomination).exists():
            raise Refused("今天已经为该案例投过票，明天可以再投")
        slot = (mine.aggregate(top=Max("slot"))["top"] or 0) + 1
        if slot > selection.votes_per_day:
            raise Refused(f"每个手机号每天最多投{selection.votes_per_day}票，今天的票已投完")
        try:
            with transaction.atomic():
                return Vote.objects.create(
                    selection=selection,
                    nomination=nomination,
                    phone=phone,
                    phone_hash=hashed,
                    day=today,
                    slot=slot,
                    ip=ip,
                    at=now,
                )
        except IntegrityError:
            continue  # another vote of this phone took the slot (or this case): look again
    raise Refused("投票太频繁，请稍后再试")


@transaction.atomic
def void_votes(
    *, selection: Selection, vote_ids: list[int], reason: str, actor: Actor, now: datetime
) -> int:
    """作废: by the office, with a reason, recorded as an event naming the votes; voided votes
    stay (their slot stays taken) but no longer count."""
    access.require_run(actor, selection)
    if not reason.strip():
        raise Refused("请写明作废原因")
    if not vote_ids:
        raise Refused("请选择要作废的投票")
    rows = Vote.objects.select_for_update().filter(
        selection=selection, pk__in=vote_ids, voided=False
    )
    ids = sorted(rows.values_list("pk", flat=True))
    if len(ids) != len(set(vote_ids)):
        raise Refused("所选投票中有已作废或不属于本次评选的，请刷新后重试")
    Vote.objects.filter(pk__in=ids).update(
        voided=True, void_reason=reason.strip()[:200], voided_by=actor.person, voided_at=now
    )
    SelectionEvent.record(
        selection,
        verb=SelectionEvent.Verb.VOIDED,
        now=now,
        actor=actor,
        unit=actor.unit,
        note=f"作废{len(ids)}票：{reason.strip()[:200]}",
        data={"votes": ids},
    )
    return len(ids)
