"""Headless Chromium for browser tests: Debian's `chromium`, driven by Playwright.

Nothing is downloaded: Playwright's bundled driver talks to the system browser.
"""

import os
import shutil

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str:
    path = os.environ.get("SHISHI_CHROMIUM") or shutil.which("chromium")
    if not path:
        raise RuntimeError(
            "找不到 chromium：请先安装 Debian 的 chromium 软件包（apt install chromium）"
        )
    return path


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
