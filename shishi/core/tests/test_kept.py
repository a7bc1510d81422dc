"""Photos chosen on a failed form are kept for the next submit, then forgotten or purged."""

import os
import time
from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from shishi.core import kept


def _photo(name: str, content: bytes = b"\x89PNG fake") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_kept_photos_come_back_for_the_next_submit_up_to_the_limit():
    # given a form that failed with three photos chosen, of which the form takes two
    session = {}
    kept.keep(
        session,
        form="report",
        files=[_photo("a.png", b"A"), _photo("b.png", b"B"), _photo("c.png", b"C")],
        limit=2,
    )

    # when the form is shown and submitted again
    names = kept.kept_names(session, form="report")
    files = kept.kept(session, form="report")

    # then the first two are kept, named as chosen, with their content and type
    assert names == ["a.png", "b.png"]
    assert [(f.name, f.read(), f.content_type) for f in files] == [
        ("a.png", b"A", "image/png"),
        ("b.png", b"B", "image/png"),
    ]
    assert kept.kept(session, form="other") == []


def test_forgetting_deletes_the_files_and_the_entry():
    session = {}
    kept.keep(session, form="report", files=[_photo("a.png")], limit=6)
    stored = session[kept.SESSION_KEY]["report"][0]["name"]

    kept.forget(session, form="report")

    assert not default_storage.exists(stored)
    assert kept.kept_names(session, form="report") == []


def test_purge_removes_only_files_older_than_a_day():
    session = {}
    kept.keep(session, form="old", files=[_photo("old.png")], limit=6)
    kept.keep(session, form="new", files=[_photo("new.png")], limit=6)
    old = session[kept.SESSION_KEY]["old"][0]["name"]
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))

    removed = kept.purge(older_than=timedelta(days=1))

    assert removed == 1
    assert not default_storage.exists(old)
    assert kept.kept_names(session, form="new") == ["new.png"]
    assert len(kept.kept(session, form="new")) == 1
