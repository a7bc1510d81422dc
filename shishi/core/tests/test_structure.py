"""House rules that code review alone would let slip (STYLE.md §1, §4)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the shishi package

# Lower layers never import higher ones (core <- orgs <- domains <- reports <- portal/api).
LAYERS = {"core": 0, "orgs": 1, "appeals": 2, "projects": 3, "portal": 9, "api": 9}

# Unscoped tables a view may read directly: they belong to nobody's subtree.
DIRECT_READS_ALLOWED = {
    "core/views.py": {"WorkerHeartbeat", "OutboxMessage"},
    "orgs/views/system.py": {"HolidayOverride"},
}


def app_modules():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in LAYERS and "migrations" not in relative.parts:
            yield relative, path.read_text()


def test_imports_point_downward():
    offenders = []
    for relative, source in app_modules():
        own = LAYERS[relative.parts[0]]
        for target in re.findall(r"^\s*(?:from|import) shishi\.(\w+)", source, re.MULTILINE):
            if target in LAYERS and LAYERS[target] > own:
                offenders.append(f"{relative} imports shishi.{target}")
    assert offenders == []


def test_views_fetch_domain_rows_only_through_access_and_queries():
    offenders = []
    for relative, source in app_modules():
        if not (relative.name == "views.py" or "views" in relative.parts[:-1]):
            continue
        allowed = DIRECT_READS_ALLOWED.get(str(relative), set())
        for model in re.findall(r"\b([A-Z]\w+)\.objects\b", source):
            if model not in allowed:
                offenders.append(f"{relative}: {model}.objects")
    assert offenders == []
