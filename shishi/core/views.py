from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shishi.core import outbox, receipts, workdays
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


@csrf_exempt
@require_POST
def sms_receipts(request, token: str):
    """A provider's delivery receipts (回执), posted to /sms/receipts/<SMS_RECEIPT_TOKEN>/.

    The token in the URL is a per-city secret: Alibaba's and Tencent's pushes carry no
    signature of their own, so it is what tells a real receipt from a forged one; the HTTP
    platform's are signed too. A wrong token is answered like a page that does not exist.
    """
    secret = settings.SMS_RECEIPT_TOKEN
    backend = outbox.backend_for("sms")
    if not (secret and constant_time_compare(token, secret)) or not hasattr(backend, "receipts"):
        raise Http404
    try:
        reports = backend.receipts(request)
    except PermissionError:
        return JsonResponse({"error": "signature"}, status=403)
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "bad request"}, status=400)
    receipts.apply(reports, now=timezone.now())
    return JsonResponse(backend.receipt_answer())
