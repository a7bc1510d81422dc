import os
import subprocess
import sys

SCRIPT = """
import django
django.setup()
from huey.contrib.djhuey import HUEY
from django.core.cache import caches
from shishi.core.tasks import deliver_outbox
HUEY.flush()
deliver_outbox()
print(type(HUEY).__name__, HUEY.pending_count(), type(caches["default"]).__name__)
HUEY.flush()
"""


def run_with(**env) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "shishi.settings",
            "SHISHI_HUEY_IMMEDIATE": "0",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_redis_url_moves_the_task_queue_and_cache_to_redis():
    # given REDIS_URL, when a task is queued, then it waits in Redis for a worker
    assert run_with(REDIS_URL="redis://127.0.0.1:6379/15") == "PriorityRedisHuey 1 RedisCache"


def test_without_redis_the_queue_lives_in_sqlite(tmp_path):
    assert run_with(REDIS_URL="", SHISHI_VAR_DIR=str(tmp_path)) == "SqliteHuey 1 LocMemCache"
