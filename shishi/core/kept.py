"""Photos chosen on a form that failed are kept for the next try.

A browser cannot put files back into a file input, so when a form comes back with an error
(a wrong SMS code, a missing field) the photos it carried would be lost and chosen again —
on a phone, often not at all. The form's view keeps the valid ones here (files in storage,
their names in the session), shows them as "已保留", and adds them to the next submit.
Kept files older than a day are purged by the worker.
"""

from collections.abc import Sequence
from datetime import timedelta
from pathlib import PurePosixPath
from uuid import uuid4

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone

SESSION_KEY = "shishi_kept_uploads"
FOLDER = "kept"


def keep(session, *, form: str, files: Sequence[UploadedFile], limit: int) -> None:
    """Keep `files` (already checked) for the next submit of `form`, at most `limit` in all."""
    entries = _entries(session, form)
    for upload in files:
        if len(entries) >= limit:
            break
        upload.seek(0)
        name = default_storage.save(
            f"{FOLDER}/{uuid4().hex}{PurePosixPath(upload.name).suffix.lower()}",
            ContentFile(upload.read()),
        )
        entries.append({"name": name, "original": upload.name, "type": upload.content_type})
    _store(session, form, entries)


def kept(session, *, form: str) -> list[UploadedFile]:
    """The files kept for `form`, as uploads an action can take (missing ones are skipped)."""
    files = []
    for entry in _entries(session, form):
        if default_storage.exists(entry["name"]):
            with default_storage.open(entry["name"], "rb") as stored:
                files.append(
                    SimpleUploadedFile(entry["original"], stored.read(), entry["type"] or "")
                )
    return files


def kept_names(session, *, form: str) -> list[str]:
    """The original names of the kept files, to show on the form."""
    return [entry["original"] for entry in _entries(session, form)]


def forget(session, *, form: str) -> None:
    """Drop what was kept for `form` (after a successful submit, or when the user clears it)."""
    for entry in _entries(session, form):
        default_storage.delete(entry["name"])
    _store(session, form, [])


def purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete kept files left behind by forms never submitted again."""
    if not default_storage.exists(FOLDER):
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in default_storage.listdir(FOLDER)[1]:
        path = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed


def _entries(session, form: str) -> list[dict]:
    return list(session.get(SESSION_KEY, {}).get(form, []))


def _store(session, form: str, entries: list[dict]) -> None:
    everything = dict(session.get(SESSION_KEY, {}))
    if entries:
        everything[form] = entries
    else:
        everything.pop(form, None)
    session[SESSION_KEY] = everything


FORMS_KEY = "shishi_kept_forms"


def remember_form(session, *, form: str, data) -> None:
    """Keep what was typed into `form` (a POST that failed) so the page can show it again."""
    typed = {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}
    session[FORMS_KEY] = {**session.get(FORMS_KEY, {}), form: typed}


def recall_form(session, *, form: str) -> dict | None:
    """What was typed into `form` before it failed, once (None when nothing is kept)."""
    everything = dict(session.get(FORMS_KEY, {}))
    typed = everything.pop(form, None)
    if typed is not None:
        session[FORMS_KEY] = everything
    return typed
