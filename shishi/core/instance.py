"""The installation's own folder, var/ (`SHISHI_VAR_DIR`): SQLite database, task queue, static
and media files, and the secret key generated on first start.

Settings only read from it (no side effects at import). `ensure_var_dir()` creates it, before
Django starts, in the `shishi` command, the WSGI entry point and the test run.
"""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def var_dir() -> Path:
    return Path(os.environ.get("SHISHI_VAR_DIR", BASE_DIR / "var"))


def ensure_var_dir() -> Path:
    """Create var/ and var/static, and var/secret_key unless SHISHI_SECRET_KEY is set."""
    folder = var_dir()
    (folder / "static").mkdir(parents=True, exist_ok=True)
    if not os.environ.get("SHISHI_SECRET_KEY"):
        try:
            # Created readable by the owner only; if two processes start at once, one writes.
            fd = os.open(folder / "secret_key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(64))
    return folder
