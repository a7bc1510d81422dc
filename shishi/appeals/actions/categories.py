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
