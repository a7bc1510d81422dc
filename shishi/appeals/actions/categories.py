"""The category tree (分类) and its working-day deadlines."""

from collections.abc import Iterable, Sequence

from django.db import transaction

from shishi.appeals.models import Category


@transaction.atomic
def import_categories(
    *, rows: Iterable[Sequence[str]], deadlines: dict[str, dict[str, int]] | None = None
) -> int:
    """Build the category tree from rows of names (一级, 二级, 三级); existing nodes are kept.

    `deadlines` maps a full name ("城乡建设/安全生产") to its own sign/handle/callback days.
    Returns how many categories were created.
    """
    created = 0
    cache: dict[tuple[int | None, str], Category] = {
        (c.parent_id, c.name): c for c in Category.objects.all()
    }
    for row in rows:
        parent: Category | None = None
        for name in (n.strip() for n in row if n and n.strip()):
            key = (parent.pk if parent else None, name)
            node = cache.get(key)
            if node is None:
                node = Category.objects.create(name=name, parent=parent, sort=len(cache))
                cache[key] = node
                created += 1
            parent = node
    for full_name, days in (deadlines or {}).items():
        Category.objects.filter(full_name=full_name).update(**days)
    return created


def unsorted_category() -> Category:
    """待分类: where an appeal whose reporter did not know the category waits for the office
    to classify it; created on first use (active, top level, the kind's deadlines)."""
    # Top-level rows have no parent, so the unique (parent, name) constraint cannot stop a
    # second one being created in a race: take the oldest rather than fail on two.
    found = Category.objects.filter(parent=None, name=Category.UNSORTED).order_by("pk").first()
    return found or Category.objects.create(name=Category.UNSORTED, sort=10**6)
