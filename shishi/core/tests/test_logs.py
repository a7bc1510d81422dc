"""The server log says a 403 or 404 in one line; a 500 keeps its stack trace."""

import logging
import sys

from shishi.core.logs import QuietRefusals


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("nope")
    except PermissionError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), exc_info)
    record.status_code = status
    return record


def test_refusals_are_logged_without_a_stack_trace_and_errors_with_it():
    quiet = QuietRefusals()
    forbidden, missing, broken = _record(403), _record(404), _record(500)

    assert all(quiet.filter(r) for r in (forbidden, missing, broken))

    assert forbidden.exc_info is None and missing.exc_info is None
    assert broken.exc_info is not None


def test_the_console_handler_uses_the_filter(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert "quiet_refusals" in handler["filters"]
    assert settings.LOGGING["filters"]["quiet_refusals"]["()"] == "shishi.core.logs.QuietRefusals"
