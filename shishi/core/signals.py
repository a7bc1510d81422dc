from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from shishi.core import workdays
from shishi.core.models import CalendarYear, HolidayOverride


@receiver([post_save, post_delete], sender=HolidayOverride)
@receiver([post_save, post_delete], sender=CalendarYear)
def holiday_override_changed(**kwargs) -> None:
    workdays.forget_overrides()
    transaction.on_commit(workdays.forget_overrides)
