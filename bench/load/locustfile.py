"""The load generator's one user, driven by a scenario spec (bench/run.py writes it).

Runs in its own virtual environment (bench/.venv-locust) and knows nothing of Shishi or the
peer: the spec says how to sign in and what to request.

    BENCH_SPEC=/path/spec.json locust -f bench/load/locustfile.py --headless ...

Spec (JSON):
    {"login": {"url": "/staff/login/", "fields": {...}} or null,
     "task": "get", "paths": [...]                          # cycles through the paths; an
                                                            # item that is a list is one
                                                            # page view (a page and its
                                                            # XHR), timed as one
          | "form", "form_url": ..., "url": ..., "fields": {...}   # CSRF form; "{n}" unique
          | "json", "url": ..., "body": {...}, "headers": {...},  # "{n}" unique
     "headers": {...},                                      # sent with every request
     "headers_cycle": {"Authorization": [...]},             # each request the next value
     "many_addresses": true,                                # each request from another
                                                            # address (X-Forwarded-For)
     "expect": [200, 302]}
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path

from locust import HttpUser, constant, events, task

SPEC = json.loads(Path(os.environ["BENCH_SPEC"]).read_text(encoding="utf-8"))
CSRF = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
# One counter per process; the uuid keeps "{n}" unique across processes and runs.
RUN = uuid.uuid4().hex[:8]
COUNTER = itertools.count(1)


def unique(value):
    """`value` with every "{n}" replaced by a fresh unique token (strings, lists, dicts)."""
    if isinstance(value, str):
        return value.replace("{n}", f"{RUN}{next(COUNTER)}") if "{n}" in value else value
    if isinstance(value, dict):
        return {key: unique(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unique(item) for item in value]
    return value


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise RuntimeError("no csrfmiddlewaretoken in the form")
    return match.group(1)


class SpecUser(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.headers.update(SPEC.get("headers") or {})
        self.paths = itertools.cycle(SPEC.get("paths") or ["/"])
        self.cycles = {
            name: itertools.cycle(values)
            for name, values in (SPEC.get("headers_cycle") or {}).items()
        }
        login = SPEC.get("login")
        if login:
            page = self.client.get(login["url"], name="login")
            fields = dict(login["fields"], csrfmiddlewaretoken=csrf_token(page.text))
            done = self.client.post(
                login["url"],
                data=fields,
                headers={"Referer": page.url},
                name="login",
                allow_redirects=False,
            )
            if done.status_code != 302:
                raise RuntimeError(f"login refused: {done.status_code}")

    @task
    def request(self):
        expect = set(SPEC.get("expect") or [200])
        kind = SPEC["task"]
        if kind == "get":
            path = next(self.paths)
            if isinstance(path, list):
                self._page_view(path, expect)
                return
            answer = self.client.get(
                path, name=SPEC["name"], headers=self._address(), catch_response=True
            )
            self._check(answer, expect)
        elif kind == "form":
            page = self.client.get(SPEC["form_url"], name=f"{SPEC['name']} (form)")
            fields = dict(unique(SPEC["fields"]), csrfmiddlewaretoken=csrf_token(page.text))
            answer = self.client.post(
                SPEC.get("url") or SPEC["form_url"],
                data=fields,
                headers={"Referer": page.url},
                name=SPEC["name"],
                allow_redirects=False,
                catch_response=True,
            )
            self._check(answer, expect)
        elif kind == "json":
            answer = self.client.post(
                SPEC["url"],
                json=unique(SPEC["body"]),
                headers=unique(SPEC.get("headers_each") or {}) | self._cycled(),
                name=SPEC["name"],
                catch_response=True,
            )
            self._check(answer, expect)
        else:
            raise RuntimeError(f"unknown task {kind}")

    def _page_view(self, paths: list[str], expect: set[int]) -> None:
        """Fetch `paths` in turn and record them as one request of the scenario."""
        began = time.perf_counter()
        size, failure = 0, None
        for path in paths:
            answer = self.client.get(path, name=f"{SPEC['name']} (part)")
            size += len(answer.content)
            if answer.status_code not in expect and failure is None:
                failure = RuntimeError(f"HTTP {answer.status_code} for {path}")
        self.environment.events.request.fire(
            request_type="GET",
            name=SPEC["name"],
            response_time=(time.perf_counter() - began) * 1000,
            response_length=size,
            exception=failure,
            context={},
        )

    @staticmethod
    def _address() -> dict:
        """Citizens come from many addresses: one per request, when the spec says so (the
        server trusts one proxy hop, as behind nginx)."""
        if not SPEC.get("many_addresses"):
            return {}
        octets = (random.randrange(256), random.randrange(256), random.randrange(1, 255))
        return {"X-Forwarded-For": "10.{}.{}.{}".format(*octets)}

    def _cycled(self) -> dict:
        """The next of each header's values ("headers_cycle": {"Authorization": [...]})."""
        return {name: next(values) for name, values in self.cycles.items()}

    @staticmethod
    def _check(response, expect: set[int]) -> None:
        with response:
            if response.status_code not in expect:
                response.failure(f"HTTP {response.status_code}")


@events.quitting.add_listener
def _exit_code(environment, **kwargs):
    """A run with failures exits non-zero only through the stats the harness reads."""
    environment.process_exit_code = 0
