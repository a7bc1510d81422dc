"""受理: registering an appeal from any channel, with an optional direct reply (直办)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from shishi.appeals import events, notifications, search
from shishi.appeals.actions.categories import unsorted_category
from shishi.appeals.actions.common import today_of
from shishi.appeals.actions.replies import write_reply
from shishi.appeals.deadlines import limits_for
from shishi.appeals.models import TITLE_MAX, Appeal, Category, Photo, ReplyKind
from shishi.core import text, workdays
from shishi.core.codes import next_code
from shishi.core.errors import Refused
from shishi.core.masking import phone_hash
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit


@dataclass(frozen=True)
class Submission:
    """What a citizen, operator or integration hands in."""

    channel: str
    kind: str
    category: Category | None  # None: the reporter did not know (不清楚), filed as 待分类
    content: str
    reporter_phone: str
    title: str = ""
    place: str = ""
    lat: Decimal | None = None
    lng: Decimal | None = None
    county: Unit | None = None
    town: Unit | None = None
    reporter_name: str = ""
    enterprise_name: str = ""


class KeyReused(Refused):
    """An idempotency key sent again with a different submission (the API answers 422)."""


def _replayed(appeal: Appeal, submission: Submission) -> Appeal:
    """The appeal a retry names by its key — if the retry is the same submission; a key
    reused for different content, phone, category or kind is refused, never answered with
    another submission's appeal."""
    same = (
        appeal.content == text.clean(submission.content).strip()
        and appeal.reporter_phone == submission.reporter_phone
        and appeal.kind == submission.kind
        and (submission.category is None or appeal.category_id == submission.category.pk)
    )
    if not same:
        raise KeyReused("该 Idempotency-Key 已用于另一份不同的提交，请为新的提交使用新的键")
    return appeal


@transaction.atomic
def submit_appeal(
    *,
    submission: Submission,
    receiver: Unit,
    by: Actor | None,
    now: datetime,
    photos: Sequence[UploadedFile] = (),
    idempotency_key: str | None = None,
    direct_reply: str = "",
) -> tuple[Appeal, bool]:
    """Register an appeal; returns (appeal, created). The same idempotency key returns the
    appeal created the first time, even when the retries arrive at once."""
    if idempotency_key:
        existing = Appeal.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replayed(existing, submission), False
    s = submission
    category = s.category or unsorted_category()
    if not category.active:
        raise Refused("该分类已停用，请选择其他分类")
    if s.town is not None and s.county is not None and not s.county.contains(s.town):
        raise Refused("所选乡镇（街道）不属于所选县（区）")
    if direct_reply and by is None:
        raise Refused("只有受理员可以直接办结")
    # Every door cleans the same way (the forms already did; the API and imports may not).
    content = text.clean(s.content).strip()
    if not content:
        raise Refused("请填写诉求内容")
    today = today_of(now)
    dispatch = workdays.deadline(today, settings.APPEAL_DISPATCH_DAYS)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                code=next_code(prefix=settings.CITY_CODE_PREFIX, day=today),
                channel=s.channel,
                kind=s.kind,
                category=category,
                title=text.clean(s.title).strip() or text.summary(content, TITLE_MAX),
                content=content,
                place=s.place,
                lat=s.lat,
                lng=s.lng,
                county=s.county,
                town=s.town,
                reporter_name=s.reporter_name,
                reporter_phone=s.reporter_phone,
                phone_hash=phone_hash(s.reporter_phone),
                enterprise_name=s.enterprise_name,
                first_receiver=receiver,
                holder=receiver,
                created_by=by.person if by else None,
                received_at=now,
                dispatch_due=None if direct_reply else dispatch.due,
                dispatch_due_estimated=dispatch.estimated and not direct_reply,
                idempotency_key=idempotency_key or None,
                search_text=search.index_text(s.title, content, s.place),
            )
    except IntegrityError:
        if idempotency_key:  # a concurrent retry with the same key committed first
            return _replayed(Appeal.objects.get(idempotency_key=idempotency_key), s), False
        raise
    for upload in photos:
        Photo.objects.create(
            appeal=appeal, file=upload, size=upload.size, content_type=upload.content_type or ""
        )
    events.received(appeal=appeal, actor=by, receiver=receiver, now=now)
    notifications.received(appeal)
    if direct_reply:
        appeal.handle_due = today
        write_reply(
            appeal,
            actor=by,
            kind=ReplyKind.SOLVED,
            text=direct_reply,
            reason="",
            direct=True,
            limits=limits_for(appeal.category, appeal.kind),
            now=now,
        )
    return appeal, True
