"""Logging filters: keep the server log readable."""

import logging


class QuietRefusals(logging.Filter):
    """A 403 or 404 is an answer, not a fault: log the one line Django writes for it, without
    the stack trace of the PermissionDenied or Http404 that produced it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404):
            record.exc_info = None
            record.exc_text = None
        return True
