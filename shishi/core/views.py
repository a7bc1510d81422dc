from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone

from shishi.core import workdays
from shishi.core.models import OutboxMessage, WorkerHeartbeat


def healthz(request):
    """Liveness for load balancers and operators: database, worker, outbox, calendar."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beat = WorkerHeartbeat.objects.filter(name="worker").first()
        backlog = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count()
        dead = OutboxMessage.objects.filter(status=OutboxMessage.Status.DEAD).count()
        gaps = workdays.calendar_gaps(timezone.localdate())
    except DatabaseError as error:
        return JsonResponse({"database": "error", "error": type(error).__name__}, status=503)
    now = timezone.now()
    fresh = beat is not None and now - beat.beat_at <= settings.WORKER_STALE_AFTER
    return JsonResponse(
        {
            "database": "ok",
            "database_vendor": connection.vendor,
            "worker": "ok" if fresh else "stale",
            "worker_last_beat": beat.beat_at.isoformat() if beat else None,
            "outbox_pending": backlog,
            "outbox_dead": dead,
            "calendar_estimated_years": gaps,
            "time": now.isoformat(),
        }
    )
