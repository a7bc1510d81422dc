"""Helpers every app's tests share: business-time clocks, actors, concurrent callers."""

import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from shishi.orgs.access import Actor
from shishi.orgs.models import Membership, Person

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware moment in the business time zone (Asia/Shanghai)."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def actor_of(person: Person) -> Actor:
    """The actor for `person` acting through their (first) membership."""
    membership = Membership.objects.select_related("unit").filter(person=person).first()
    return Actor(person=person, membership=membership)


def run_at_once(target: Callable[[], object], *, threads: int) -> list:
    """Run `target` in `threads` threads released together; returns results (or exceptions).

    Each thread has its own database connection, closed when it is done.
    """
    barrier = threading.Barrier(threads)
    results: list = [None] * threads

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = target()
        except Exception as error:  # surfaced by the caller's assertions
            results[index] = error
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return results


class RecordingSmsBackend:
    """The SMS gateway of the tests (`shishi/conftest.py`): keeps each text as it was handed
    over, by outbox row, since the row itself has its code starred out once sent."""

    sent: ClassVar[dict[int, str]] = {}

    def send(self, message) -> None:
        self.sent[message.pk] = message.body


def latest_code(phone: str) -> str:
    """The one-time code most recently texted to `phone` (queued or already delivered)."""
    import re

    from shishi.core.models import OutboxMessage

    message = OutboxMessage.objects.filter(recipient=phone).latest("created_at", "pk")
    body = RecordingSmsBackend.sent.get(message.pk, message.body)
    return re.search(r"验证码 (\d{6})", body).group(1)


def track_code(client, appeal) -> str:
    """Ask, as the citizen on `client`, for a code to confirm a verdict or withdrawal."""
    client.post(f"/track/{appeal.code}/code/")
    return latest_code(appeal.reporter_phone)


class _Undo(Exception):
    pass


def posted_and_rolled_back(client, url: str, data: dict, *, events) -> bool:
    """POST `data` to `url` and report whether it recorded an event among `events` (a
    queryset of the subject's events); everything it wrote is rolled back afterwards."""
    before = events.count()
    changed = False
    try:
        with transaction.atomic():
            client.post(url, data)
            changed = events.count() > before
            raise _Undo
    except _Undo:
        pass
    return changed


def sign_in(page, username: str, password: str | None = None) -> None:
    """Browser tests: sign `username` in on the staff login page (Playwright `page` with a
    `base_url`). The previous page is left first: a request it still has in flight (an htmx
    panel loading) could set the old session's cookie again after the clear, and the login
    page would then send the old user on to the staff home."""
    from shishi.orgs.factories import TEST_PASSWORD

    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/staff/")


def tab_to(page, selector: str, *, back: bool = False, most: int = 120) -> None:
    """Keyboard-only browser tests: press Tab (Shift+Tab when `back`) until the focus is on
    the element `selector` matches, as someone without a mouse would; fails if it never gets
    there (the element cannot be reached by keyboard)."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(most):
        page.keyboard.press(key)
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"{selector} 无法用 Tab 键到达")


def choose_by_keyboard(page, text: str, *, most: int = 400) -> None:
    """With the focus on a <select>: Home, then arrow down until the chosen option's text
    contains `text` (a closed select changes its value on these keys)."""
    page.keyboard.press("Home")
    for _ in range(most):
        chosen = page.evaluate("() => document.activeElement.selectedOptions[0]?.text || ''")
        if text in chosen:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"找不到选项 {text}")


SHARED_DATA_REQUIRED = "SHISHI_SHARED_DATA_REQUIRED"


def shared_data(name: str) -> Path:
    """A file of `../shared/data/` (real reference data kept beside the repository, never in
    it). Where that folder is absent (a bare clone) the calling test skips, saying so; where
    `SHISHI_SHARED_DATA_REQUIRED` is set (.ci/run sets it) it fails instead of skipping."""
    import pytest
    from django.conf import settings

    path = Path(settings.BASE_DIR).parent / "shared" / "data" / name
    if not path.is_file():
        why = f"{path} is absent: this test replays the shared reference data beside the repository"
        if os.environ.get(SHARED_DATA_REQUIRED):
            pytest.fail(f"{why}, and {SHARED_DATA_REQUIRED} says it must be there")
        pytest.skip(why)
    return path


def integration_key(
    unit, *, scopes=None, name: str = "测试集成", rate_per_minute: int = 6000
) -> str:
    """The key of a new integration token acting as `unit` (every scope unless `scopes`),
    issued as on the command line."""
    from django.utils import timezone

    from shishi.api import actions
    from shishi.api.access import SCOPES

    return actions.issue_token(
        actor=None,
        name=name,
        unit=unit,
        scopes=list(scopes or SCOPES),
        days=30,
        rate_per_minute=rate_per_minute,
        now=timezone.now(),
    ).key
