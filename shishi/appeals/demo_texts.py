"""Demo appeal (诉求) texts for seeding Shishi with realistic 漳州市 data.

The texts are data, kept in ``fixtures/demo_appeals.csv`` (one appeal template a row) and
``fixtures/demo_places.csv`` (place names by kind of spot), so they can be edited without
touching code; ``appeals/tests/test_demo_texts.py`` checks them against the taxonomy.

Every ``DemoAppeal`` is a template: ``content`` contains ``{place}`` (a specific spot such
as a residential compound, road, village or market) plus ``{town}`` and/or ``{county}``
(a 乡镇/街道 and a 县/区 name), so one text can be placed anywhere in the city with
``str.format``. ``top``/``second``/``third`` is always an exact path of
``appeal_taxonomy.csv``; ``kind`` is the appeal's nature (咨询/求助/投诉/建议), which sets its
handling deadline. Place names carry no county/town prefix because templates already put
``{county}{town}`` in front and say "{place}附近" / "{place}一带".

All texts were written for this project; none is copied from real tickets.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
APPEALS_CSV = FIXTURES / "demo_appeals.csv"
PLACES_CSV = FIXTURES / "demo_places.csv"

KINDS: tuple[str, ...] = ("咨询", "求助", "投诉", "建议")

PLACEHOLDERS: frozenset[str] = frozenset({"town", "county", "place"})


@dataclass(frozen=True)
class DemoAppeal:
    """One demo appeal template.

    ``content`` must be formatted with ``town``, ``county`` and ``place`` keyword
    arguments before use; ``title`` contains no placeholders.
    """

    top: str  # 一级分类
    second: str  # 二级分类
    third: str  # 三级分类
    kind: str  # one of KINDS
    title: str  # hotline-style ticket title, at most 30 characters
    content: str  # first-person text with {town}/{county}/{place} placeholders
    enterprise: bool = False  # True for 企业诉求 (raised by an enterprise)

    def render(self, *, town: str, county: str, place: str) -> str:
        """Return ``content`` with the placeholders filled in."""
        return self.content.format(town=town, county=county, place=place)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def load_appeal_texts(path: Path = APPEALS_CSV) -> list[DemoAppeal]:
    """The appeal templates in file order (the demo's seeded choices depend on it)."""
    return [
        DemoAppeal(
            top=row["top"],
            second=row["second"],
            third=row["third"],
            kind=row["kind"],
            title=row["title"],
            content=row["content"],
            enterprise=row["enterprise"] == "1",
        )
        for row in _rows(path)
    ]


def load_places(path: Path = PLACES_CSV) -> list[str]:
    """Place names for ``{place}`` in file order."""
    return [row["place"] for row in _rows(path)]


APPEAL_TEXTS: list[DemoAppeal] = load_appeal_texts()
PLACES: list[str] = load_places()
