"""Issuing documents: the monthly bulletin (numbered 漳实事办〔年〕N号, with its annex) and the
overview. A request reserves the row (and the number) at once; the worker writes the files
(`generate`), so the page can show progress and a slow month never times out a request. A
failure is kept on the row with its reason, never half a file."""

import logging
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from shishi.core import workdays
from shishi.core.documents import annex, docx
from shishi.core.errors import Refused
from shishi.orgs.models import Person
from shishi.orgs.queries import city_root
from shishi.reports import bulletin, overview
from shishi.reports.models import Issued

logger = logging.getLogger(__name__)
PREFIX_DEFAULT = "漳实事办"


def number_for(year: int, serial: int) -> str:
    prefix = getattr(settings, "REPORTS_NUMBER_PREFIX", PREFIX_DEFAULT)
    return f"{prefix}〔{year}〕{serial}号"


@transaction.atomic
def request_bulletin(
    month: date, *, now: datetime, by: Person | None = None, again: bool = False
) -> Issued:
    """Reserve the bulletin of a month that has ended, numbered next in `now`'s year; the
    worker writes it. A month that already has one is refused unless `again` (a corrected
    bulletin takes a new number: numbers are never reused)."""
    today = timezone.localdate(now)
    month = month.replace(day=1)
    if month >= today.replace(day=1):
        raise Refused("只能为已经结束的月份生成通报")
    earlier = (
        Issued.objects.filter(kind=Issued.Kind.BULLETIN, period=month)
        .exclude(state=Issued.State.FAILED)
        .first()
    )
    if earlier and not again:
        raise Refused(
            f"{month.year}年{month.month}月的通报已经生成（{earlier.number}）；"
            "如需更正后重发，请勾选“重新生成”，新通报将使用新的文号"
        )
    last = Issued.objects.filter(kind=Issued.Kind.BULLETIN, year=today.year).aggregate(
        n=Max("serial")
    )["n"]
    serial = (last or 0) + 1
    issued = Issued.objects.create(
        kind=Issued.Kind.BULLETIN,
        period=month,
        year=today.year,
        serial=serial,
        number=number_for(today.year, serial),
        title=bulletin.title(month),
        unit=city_root(),
        created_at=now,
        created_by=by,
    )
    _generate_after_commit(issued)
    return issued


@transaction.atomic
def request_overview(as_of: date, *, now: datetime, by: Person | None = None) -> Issued:
    if as_of > timezone.localdate(now):
        raise Refused("截至日期不能晚于今天")
    issued = Issued.objects.create(
        kind=Issued.Kind.OVERVIEW,
        period=as_of,
        year=as_of.year,
        title=overview.TITLE,
        unit=city_root(),
        created_at=now,
        created_by=by,
    )
    _generate_after_commit(issued)
    return issued


def _generate_after_commit(issued: Issued) -> None:
    pk = issued.pk
    transaction.on_commit(lambda: generate_soon(pk))


def generate(pk: int) -> Issued:
    """Write the files of a reserved document (the worker's job); a failure is recorded on
    the row with its reason and logged."""
    issued = Issued.objects.get(pk=pk)
    if issued.state != Issued.State.PENDING:
        return issued
    started = time.monotonic()
    today = timezone.localdate(issued.created_at)
    try:
        with transaction.atomic():
            if issued.kind == Issued.Kind.BULLETIN:
                document = bulletin.compose(
                    issued.period, today=today, number=issued.number, now=issued.created_at
                )
                name = f"{issued.period:%Y-%m}-通报-{issued.serial}号"
                issued.xlsx.save(
                    f"{name}-附件.xlsx", ContentFile(annex.workbook(document)), save=False
                )
            else:
                document = overview.compose(issued.period, now=issued.created_at)
                name = f"{issued.period:%Y-%m-%d}-综述"
            issued.docx.save(f"{name}.docx", ContentFile(docx.render(document)), save=False)
            issued.title = document.title
            issued.state = Issued.State.READY
            issued.seconds = round(time.monotonic() - started, 2)
            issued.save()
    except Exception as error:
        logger.exception("generating %s failed", issued)
        Issued.objects.filter(pk=pk).update(
            state=Issued.State.FAILED, error=f"{type(error).__name__}: {error}"[:300]
        )
    issued.refresh_from_db()
    return issued


# Queues `generate(pk)` for the worker; ReportsConfig.ready() points it at the huey task (the
# task module imports this one, so not the other way round). Unset: written at once.
generate_soon: Callable[[int], object] = generate


def first_workday(month: date) -> date:
    day = month.replace(day=1)
    while not workdays.is_workday(day):
        day += timedelta(days=1)
    return day


def issue_due_bulletin(*, now: datetime) -> Issued | None:
    """On the first working day of a month, last month's bulletin, once (the worker)."""
    today = timezone.localdate(now)
    if today != first_workday(today):
        return None
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    if Issued.objects.filter(kind=Issued.Kind.BULLETIN, period=month, created_by=None).exists():
        return None
    return request_bulletin(month, now=now)  # written by the task queued on commit
