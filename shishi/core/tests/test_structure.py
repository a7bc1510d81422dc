"""House rules that code review alone would let slip (STYLE.md §1, §4)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the shishi package

# Lower layers never import higher ones (core <- orgs <- domains <- reports <- portal/api).
LAYERS = {
    "core": 0,
    "orgs": 1,
    "appeals": 2,
    "projects": 3,
    "campaign": 3,
    "sites": 3,
    "outreach": 3,
    "enterprises": 3,
    "cases": 4,  # nominations come from projects
    "contest": 4,  # interview points become campaign rectifications
    "reports": 8,
    "portal": 9,
    "api": 9,
}

# Unscoped tables a view may read directly: they belong to nobody's subtree.
DIRECT_READS_ALLOWED = {
    "core/views.py": {"WorkerHeartbeat", "OutboxMessage"},
    "orgs/views/system.py": {"HolidayOverride"},
}

# Views that may call a query method on a related manager: (module, receiver) -> the reason.
RELATED_READS_ALLOWED: dict[tuple[str, str], str] = {}


# View modules whose names do not say so.
OTHER_VIEW_MODULES = {"portal/projects.py", "portal/votes.py"}


def is_view_module(relative: Path) -> bool:
    return (
        relative.name.startswith("views")
        or "views" in relative.parts[:-1]
        or str(relative) in OTHER_VIEW_MODULES
    )


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
        if not is_view_module(relative):
            continue
        allowed = DIRECT_READS_ALLOWED.get(str(relative), set())
        for model in re.findall(r"\b([A-Z]\w+)\.objects\b", source):
            if model not in allowed:
                offenders.append(f"{relative}: {model}.objects")
    assert offenders == []


# --- Import cycles ---------------------------------------------------------------------------
# Every `import` and `from … import` anywhere in a module (at the top or inside a function:
# a lazy import still ties the two modules together). `from shishi.x import y` points at the
# submodule shishi.x.y when there is one, else at shishi.x (whose __init__ re-exports).


def module_names(root: Path, package: str) -> dict[Path, str]:
    """Each module file under `root` (the package `package`) with its dotted name."""
    names = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[path] = ".".join((package, *parts))
    return names


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports."""
    names = module_names(root, package)
    known = set(names.values())
    graph: dict[str, set[str]] = {}
    for path, name in names.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    targets.add(_nearest(alias.name, known))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from . import x / from ..y import z
                    anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in known else _nearest(base, known))
        targets.discard(None)
        targets.discard(name)
    return graph


def _nearest(dotted: str, known: set[str]) -> str | None:
    """The longest prefix of `dotted` that is one of our modules (None: not ours)."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in known:
            return ".".join(parts[:end])
    return None


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle path [a, b, …, a] for each group of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_path(graph, group) for group in groups]


def _cycle_path(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """The shortest way round from the group's first module back to it."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph.get(node, ())):
            if target == start:
                return [*paths[node], start]
            if target in group and target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no way round {group}")


def test_no_import_cycles_between_project_modules():
    cycles = import_cycles(import_graph(ROOT, "shishi"))

    assert [" → ".join(cycle) for cycle in cycles] == []


def test_the_cycle_check_finds_a_planted_lazy_cycle(tmp_path):
    # given a package whose two modules import each other, one of them inside a function
    package = tmp_path / "planted"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from planted.sub.b import helper\n")
    (package / "a.py").write_text("def run():\n    from planted.sub import helper\n")
    (package / "sub" / "b.py").write_text("from .. import a\n\ndef helper():\n    a.run()\n")
    (package / "c.py").write_text("import planted.a\n")
    # when the graph is built and searched
    graph = import_graph(package, "planted")
    cycles = import_cycles(graph)
    # then the one cycle is found, through the package's re-export, and c is not in it
    assert graph["planted.a"] == {"planted.sub"}
    assert graph["planted.sub.b"] == {"planted.a"}
    assert cycles == [["planted.a", "planted.sub", "planted.sub.b", "planted.a"]]


def test_the_cycle_check_reports_each_group_once_with_a_path():
    graph = {"x": {"y"}, "y": {"z"}, "z": {"x", "w"}, "w": set(), "p": {"q"}, "q": {"p"}}

    assert import_cycles(graph) == [["p", "q", "p"], ["x", "y", "z", "x"]]


# --- Reads through related managers in views -----------------------------------------------
# `appeal.replies.order_by("-at").first()` in a view is a query the view writes itself; it
# belongs in queries.py (or access.py when it decides what the actor may see).

QUERY_METHODS = {"filter", "exclude", "order_by", "first", "last", "get"}
# Calls that a chain may pass through on its way to one of the above.
CHAINED = QUERY_METHODS | {"all", "select_related", "prefetch_related", "only", "annotate"}


def related_reads(source: str) -> list[tuple[int, str]]:
    """(line, receiver) of each query method called on an attribute chain (`a.b.filter(…)`);
    `x.objects` is the other test's business, and `d.get("key")` (no keywords) is a dict."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERY_METHODS
        ):
            continue
        if node.func.attr == "get" and (node.args or not node.keywords):
            continue
        receiver = node.func.value
        while (
            isinstance(receiver, ast.Call)
            and isinstance(receiver.func, ast.Attribute)
            and receiver.func.attr in CHAINED
        ):
            receiver = receiver.func.value
        if not isinstance(receiver, ast.Attribute) or receiver.attr == "objects":
            continue
        root = receiver
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name):
            found.append((node.lineno, ast.unparse(receiver)))
    return sorted(set(found))


def test_views_read_no_related_managers():
    offenders = []
    for relative, source in app_modules():
        if not is_view_module(relative):
            continue
        for line, receiver in related_reads(source):
            if (str(relative), receiver) not in RELATED_READS_ALLOWED:
                offenders.append(f"{relative}:{line}: {receiver}")
    assert offenders == []


def test_the_related_read_check_finds_a_planted_read():
    source = (
        "def page(request, appeal):\n"
        '    latest = appeal.replies.order_by("-at").first()\n'
        "    one = appeal.project.milestones.get(pk=3)\n"
        '    page = request.GET.get("page")\n'
        "    rows = Appeal.objects.filter(pk=1)\n"
        "    return queries.latest_reply(appeal)\n"
    )

    assert related_reads(source) == [(2, "appeal.replies"), (3, "appeal.project.milestones")]
