"""How the API answers domain exceptions: in one place, not in every view."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from shishi.appeals.actions.intake import KeyReused
from shishi.core.errors import Refused


def exception_handler(exc, context) -> Response | None:
    """An action's refusal is the client's problem: 400 with the Chinese message as `detail`
    (422 for an idempotency key reused with a different submission).
    Everything else is DRF's (validation 400, 401/403, 404, throttling 429)."""
    if isinstance(exc, KeyReused):
        return Response({"detail": exc.message}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, Refused):
        return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
