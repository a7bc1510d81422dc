"""The staff navigation. Each app registers its entries in AppConfig.ready(); an entry shows
only to actors whose role carries its permission."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str
    url_name: str
    perm: str
    icon: str
    query: str = ""  # e.g. "queue=notified": one tab of a page as its own entry

    @property
    def url(self) -> str:
        url = reverse(self.url_name)
        return f"{url}?{self.query}" if self.query else url


_ITEMS: list[NavItem] = []


def register(
    *, section: str, label: str, url_name: str, perm: str, icon: str, query: str = ""
) -> None:
    _ITEMS.append(NavItem(section, label, url_name, perm, icon, query))


def nav_for(actor, current_path: str) -> list[dict]:
    """Sections with the entries this actor may open; the entry whose address is the longest
    prefix of the current page (its path and query string) is marked."""
    items = [item for item in _ITEMS if actor is not None and actor.can(item.perm)]
    urls = {item: item.url for item in items}
    home = reverse("staff:home")
    matches = [
        url
        for url in urls.values()
        if current_path == url or (url != home and current_path.startswith(url))
    ]
    current = max(matches, key=len, default=None)
    sections: dict[str, list[dict]] = {}
    for item in items:
        url = urls[item]
        sections.setdefault(item.section, []).append(
            {"label": item.label, "url": url, "icon": item.icon, "active": url == current}
        )
    return [{"section": name, "items": items} for name, items in sections.items()]


@dataclass(frozen=True)
class HomePanel:
    template: str
    perm: str
    context: Callable  # (actor) -> dict


_PANELS: list[HomePanel] = []


def register_panel(*, template: str, perm: str, context: Callable) -> None:
    """A domain app's block on the staff home (工作台), shown to actors with `perm` (and not
    when `context` returns None)."""
    _PANELS.append(HomePanel(template, perm, context))


def panels_for(actor) -> list[dict]:
    shown = []
    for panel in _PANELS:
        context = panel.context(actor) if actor.can(panel.perm) else None
        if context is not None:
            shown.append({"template": panel.template, **context})
    return shown


@dataclass(frozen=True)
class ReviewItem:
    """One thing waiting for the actor's decision, on the 待我审核 panel."""

    kind: str  # 答复, 进度报告, 延期申请 …
    title: str
    detail: str  # who asks for what
    url: str
    at: datetime  # asked when
    due: date | None = None  # the deadline the decision holds up, if any


@dataclass(frozen=True)
class ReviewSource:
    perm: str
    items: Callable  # (actor) -> list[ReviewItem], one query


_REVIEW_SOURCES: list[ReviewSource] = []


def register_review_source(*, perm: str, items: Callable) -> None:
    """A domain app's kind of thing a leader approves (replies, progress reports …), listed on
    the 待我审核 panel of actors with `perm`."""
    _REVIEW_SOURCES.append(ReviewSource(perm, items))


def review_panel(actor) -> dict | None:
    """待我审核: what waits for the actor's decision across the modules — what holds up a
    deadline first, the nearest deadline first, then the rest oldest first; no panel for
    roles that decide none of it."""
    sources = [source for source in _REVIEW_SOURCES if actor.can(source.perm)]
    if not sources:
        return None
    items = [item for source in sources for item in source.items(actor)]
    return {
        "items": sorted(items, key=lambda item: (item.due is None, item.due or date.min, item.at))
    }


@dataclass(frozen=True)
class AuditSource:
    """One kind of event the audit log page can show (organisation, appeals, projects …)."""

    key: str
    label: str
    # actor -> access-checked events, each annotated with `target_text`
    entries: Callable
    search: tuple[str, ...]  # extra fields the keyword searches besides actor, verb and note


_AUDIT_SOURCES: dict[str, AuditSource] = {}


def register_audit_source(
    *, key: str, label: str, entries: Callable, search: tuple[str, ...] = ()
) -> None:
    _AUDIT_SOURCES[key] = AuditSource(key, label, entries, search)


def audit_sources() -> list[AuditSource]:
    return list(_AUDIT_SOURCES.values())


@dataclass(frozen=True)
class UnitPanel:
    template: str
    perm: str
    context: Callable  # (actor, unit) -> dict


_UNIT_PANELS: list[UnitPanel] = []


def register_unit_panel(*, template: str, perm: str, context: Callable) -> None:
    """A domain app's block on a unit's page (appeals: the unit's 约谈记录), shown to actors
    with `perm` who may see the unit."""
    _UNIT_PANELS.append(UnitPanel(template, perm, context))


def unit_panels_for(actor, unit) -> list[dict]:
    return [
        {"template": panel.template, **panel.context(actor, unit)}
        for panel in _UNIT_PANELS
        if actor.can(panel.perm)
    ]
