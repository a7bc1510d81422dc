"""Headless Chromium for browser tests: Debian's `chromium`, driven by Playwright.

Nothing is downloaded: Playwright's bundled driver talks to the system browser.
"""

import os
import shutil
from functools import cache

from django.conf import settings

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


# WCAG 2.1 levels A and AA: what the accessibility check fails on.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def _axe_source() -> str:
    # From npm (package.json), read from disk: nothing is fetched while the tests run.
    return (settings.NODE_MODULES / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it stands, one line per
    element (rule, selector, what is wrong). axe is put in by the DevTools protocol, which the
    page's Content-Security-Policy does not govern, so the page is checked with its real CSP."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                     resultTypes: ["violations"]}).then(r => r.violations)""",
        AXE_TAGS,
    )
    return [
        f"{violation['id']} {' '.join(map(str, node['target']))}: "
        + " ".join(node["failureSummary"].split())
        for violation in violations
        for node in violation["nodes"]
    ]
