"""The staff navigation. Each app registers its entries in AppConfig.ready(); an entry shows
only to actors whose role carries its permission."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str
    url_name: str
    perm: str
    icon: str


_ITEMS: list[NavItem] = []


def register(*, section: str, label: str, url_name: str, perm: str, icon: str) -> None:
    _ITEMS.append(NavItem(section, label, url_name, perm, icon))


def nav_for(actor, current_path: str) -> list[dict]:
    """Sections with the entries this actor may open, the current one marked."""
    sections: dict[str, list[dict]] = {}
    for item in _ITEMS:
        if actor is None or not actor.can(item.perm):
            continue
        url = reverse(item.url_name)
        active = (
            current_path == url if url == reverse("staff:home") else current_path.startswith(url)
        )
        sections.setdefault(item.section, []).append(
            {"label": item.label, "url": url, "icon": item.icon, "active": active}
        )
    return [{"section": name, "items": items} for name, items in sections.items()]
