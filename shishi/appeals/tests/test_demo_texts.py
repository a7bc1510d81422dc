"""The demo appeal texts (fixtures/demo_appeals.csv, demo_places.csv) fit taxonomy and form."""

import csv
import re
from collections import Counter

from shishi.appeals.demo_texts import (
    APPEAL_TEXTS,
    APPEALS_CSV,
    FIXTURES,
    KINDS,
    PLACEHOLDERS,
    PLACES,
)

PLACEHOLDER_RE = re.compile(r"\{(\w*)\}")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def taxonomy() -> set[tuple[str, str, str]]:
    with (FIXTURES / "appeal_taxonomy.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {(r["一级分类"], r["二级分类"], r["三级分类"]) for r in csv.DictReader(fh)}


def cjk_len(text: str) -> int:
    """Chinese characters only, placeholders and punctuation left out."""
    return len(CJK_RE.findall(PLACEHOLDER_RE.sub("", text)))


def test_there_are_enough_texts_across_enough_top_categories():
    assert len(APPEAL_TEXTS) >= 150
    assert len({a.top for a in APPEAL_TEXTS}) >= 12


def test_every_text_sits_on_a_taxonomy_path_with_a_known_kind():
    known = taxonomy()

    stray = [a.title for a in APPEAL_TEXTS if (a.top, a.second, a.third) not in known]
    bad_kind = [a.title for a in APPEAL_TEXTS if a.kind not in KINDS]

    assert stray == []
    assert bad_kind == []


def test_titles_are_short_unique_and_plain():
    titles = [a.title for a in APPEAL_TEXTS]

    assert [t for t in titles if not 0 < len(t) <= 30] == []
    assert [t for t in titles if "{" in t or "}" in t] == []
    assert [t for t, n in Counter(titles).items() if n > 1] == []


def test_contents_name_a_place_and_a_town_or_county_and_nothing_else():
    for a in APPEAL_TEXTS:
        names = set(PLACEHOLDER_RE.findall(a.content))
        assert names <= PLACEHOLDERS, a.title
        assert "place" in names, a.title
        assert names & {"town", "county"}, a.title
        rendered = a.render(town="芝山街道", county="芗城区", place=PLACES[0])
        assert "{" not in rendered and "}" not in rendered, a.title


def test_contents_are_between_60_and_220_chinese_characters():
    off = [
        (a.title, cjk_len(a.content)) for a in APPEAL_TEXTS if not 60 <= cjk_len(a.content) <= 220
    ]

    assert off == []


def test_enterprise_column_holds_only_1_or_blank():
    # Anything else would silently read as "not an enterprise".
    with APPEALS_CSV.open(encoding="utf-8-sig", newline="") as fh:
        values = {row["enterprise"] for row in csv.DictReader(fh)}

    assert values == {"", "1"}
    assert any(a.enterprise for a in APPEAL_TEXTS)


def test_places_are_many_and_distinct():
    assert len(PLACES) >= 60
    assert len(set(PLACES)) == len(PLACES)
    assert all(p and "{" not in p for p in PLACES)
