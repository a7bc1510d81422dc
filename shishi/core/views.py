from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone

from shishi.core import workdays
from shishi.core.models import OutboxMessage, WorkerHeartbeat


def healthz(request):
    """Liveness for load balancers: `{"status": "ok" | "stale"}` (stale: the worker has not
    beaten lately), 503 when the database does not answer. Signed-in staff also get the
    details (database vendor, worker's last beat, outbox backlog, calendar gaps) — to the
    public they would only map the installation."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beat = WorkerHeartbeat.objects.filter(name="worker").first()
    except DatabaseError:
        return JsonResponse({"status": "error"}, status=503)
    now = timezone.now()
    fresh = beat is not None and now - beat.beat_at <= settings.WORKER_STALE_AFTER
    body = {"status": "ok" if fresh else "stale"}
    if request.user.is_authenticated and request.user.is_active:
        body |= {
            "database": "ok",
            "database_vendor": connection.vendor,
            "worker": "ok" if fresh else "stale",
            "worker_last_beat": beat.beat_at.isoformat() if beat else None,
            "outbox_pending": OutboxMessage.objects.filter(
                status=OutboxMessage.Status.PENDING
            ).count(),
            "outbox_dead": OutboxMessage.objects.filter(status=OutboxMessage.Status.DEAD).count(),
            "calendar_estimated_years": workdays.calendar_gaps(timezone.localdate()),
            "time": now.isoformat(),
        }
    return JsonResponse(body)
