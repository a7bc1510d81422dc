"""Readable codes (ZZ20261128-00001): prefix, business date, a per-day sequence."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from shishi.core.models import CodeSequence


@transaction.atomic
def next_code(*, prefix: str, day: date, width: int = 5) -> str:
    """The next code for `prefix` on `day`; unique even under concurrent callers.

    The increment is one UPDATE, which takes the row lock (PostgreSQL) or the write lock
    (SQLite, IMMEDIATE transactions), so two callers never read the same number.
    """
    updated = CodeSequence.objects.filter(prefix=prefix, day=day).update(last=F("last") + 1)
    if not updated:
        try:
            with transaction.atomic():
                CodeSequence.objects.create(prefix=prefix, day=day, last=1)
        except IntegrityError:  # another caller created today's row first
            CodeSequence.objects.filter(prefix=prefix, day=day).update(last=F("last") + 1)
    number = CodeSequence.objects.get(prefix=prefix, day=day).last
    return f"{prefix}{day:%Y%m%d}-{number:0{width}d}"


@transaction.atomic
def reserve_codes(*, prefix: str, day: date, count: int, width: int = 5) -> list[str]:
    """`count` consecutive codes in one statement (bulk imports)."""
    if count <= 0:
        return []
    updated = CodeSequence.objects.filter(prefix=prefix, day=day).update(last=F("last") + count)
    if not updated:
        try:
            with transaction.atomic():
                CodeSequence.objects.create(prefix=prefix, day=day, last=count)
        except IntegrityError:
            CodeSequence.objects.filter(prefix=prefix, day=day).update(last=F("last") + count)
    last = CodeSequence.objects.get(prefix=prefix, day=day).last
    return [f"{prefix}{day:%Y%m%d}-{n:0{width}d}" for n in range(last - count + 1, last + 1)]
