"""Issuing documents: the monthly bulletin (numbered 漳实事办〔年〕N号, with its annex) and the
overview, generated and archived in one transaction (a failure leaves no half row behind)."""

import time
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from shishi.core import workdays
from shishi.orgs.models import Person
from shishi.orgs.queries import city_root
from shishi.reports import annex, bulletin, docx, overview
from shishi.reports.models import Issued

PREFIX_DEFAULT = "漳实事办"


def number_for(year: int, serial: int) -> str:
    prefix = getattr(settings, "REPORTS_NUMBER_PREFIX", PREFIX_DEFAULT)
    return f"{prefix}〔{year}〕{serial}号"


@transaction.atomic
def issue_bulletin(month: date, *, now: datetime, by: Person | None = None) -> Issued:
    """The bulletin of `month` as of `now`, numbered next in `now`'s year."""
    started = time.monotonic()
    today = timezone.localdate(now)
    month = month.replace(day=1)
    last = Issued.objects.filter(kind=Issued.Kind.BULLETIN, year=today.year).aggregate(
        n=Max("serial")
    )["n"]
    serial = (last or 0) + 1
    number = number_for(today.year, serial)
    document = bulletin.compose(month, today=today, number=number)
    body, workbook = docx.render(document), annex.workbook(document)
    issued = Issued(
        kind=Issued.Kind.BULLETIN,
        period=month,
        year=today.year,
        serial=serial,
        number=number,
        title=document.title,
        unit=city_root(),
        created_at=now,
        created_by=by,
    )
    name = f"{month:%Y-%m}-通报-{serial}号"
    issued.docx.save(f"{name}.docx", ContentFile(body), save=False)
    issued.xlsx.save(f"{name}-附件.xlsx", ContentFile(workbook), save=False)
    issued.seconds = round(time.monotonic() - started, 2)
    issued.save()
    return issued


@transaction.atomic
def issue_overview(as_of: date, *, now: datetime, by: Person | None = None) -> Issued:
    started = time.monotonic()
    document = overview.compose(as_of)
    issued = Issued(
        kind=Issued.Kind.OVERVIEW,
        period=as_of,
        year=as_of.year,
        title=document.title,
        unit=city_root(),
        created_at=now,
        created_by=by,
    )
    issued.docx.save(f"{as_of:%Y-%m-%d}-综述.docx", ContentFile(docx.render(document)), save=False)
    issued.seconds = round(time.monotonic() - started, 2)
    issued.save()
    return issued


def first_workday(month: date) -> date:
    day = month.replace(day=1)
    while not workdays.is_workday(day):
        day += timedelta(days=1)
    return day


def issue_due_bulletin(*, now: datetime) -> Issued | None:
    """On the first working day of a month, last month's bulletin, once."""
    today = timezone.localdate(now)
    if today != first_workday(today):
        return None
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    if Issued.objects.filter(kind=Issued.Kind.BULLETIN, period=month, created_by=None).exists():
        return None
    return issue_bulletin(month, now=now)
