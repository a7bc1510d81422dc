"""Full-text search over appeals with jieba tokens: one interface, two engines.

`search_text` holds the space-separated jieba tokens of title, content and place. On SQLite
an FTS5 table (kept in step by triggers, see migration 0002) indexes it; on PostgreSQL a GIN
index on to_tsvector('simple', search_text) does. Queries are tokenised the same way.
"""

import re

import jieba
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from shishi.core.text import for_search

jieba.setLogLevel(60)

_WORD = re.compile(r"\w", re.UNICODE)
_WHOLE = re.compile(r"\w+", re.UNICODE)


def warm_up() -> None:
    """Load jieba's dictionary now (it loads on first use otherwise)."""
    jieba.initialize()


def tokens(text: str) -> list[str]:
    """jieba's search-mode tokens of `text` as search compares text (`core.text.for_search`:
    full-width folded, zero-width spaces gone), lower-cased, punctuation dropped."""
    return [t.lower() for t in jieba.cut_for_search(for_search(text)) if _WORD.search(t)]


def index_text(*parts: str) -> str:
    return " ".join(tokens(" ".join(p for p in parts if p)))


def _terms(query: str) -> list[list[str]]:
    """Each term of `query` (split at spaces) as the ways it may be indexed: by its tokens
    when cut alone, or — a single word — as one token. jieba cuts by context: 分去 alone is
    分 + 去, but in 据说分去他班级 it is one word, and only the second way finds it there."""
    terms = []
    for term in for_search(query).lower().split():
        words = list(dict.fromkeys(tokens(term)))
        if not words:
            continue
        ways = [words]
        if len(words) > 1 and _WHOLE.fullmatch(term):
            ways.append([term])
        terms.append(ways)
    return terms


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """Narrow `queryset` (of appeals) to those whose text holds every term of `query`."""
    terms = _terms(query)
    if not terms:
        return queryset
    if connection.vendor == "sqlite":
        match = _expression(
            terms, quote=lambda w: '"' + w.replace('"', '""') + '"', both=" AND ", either=" OR "
        )
        ids = RawSQL(
            "SELECT rowid FROM appeals_appeal_fts WHERE appeals_appeal_fts MATCH %s", [match]
        )
    else:
        tsquery = _expression(
            terms,
            quote=lambda w: "'" + w.replace("'", "''").replace("\\", "") + "'",
            both=" & ",
            either=" | ",
        )
        ids = RawSQL(
            "SELECT id FROM appeals_appeal WHERE to_tsvector('simple', search_text) "
            "@@ to_tsquery('simple', %s)",
            [tsquery],
        )
    return queryset.filter(pk__in=ids)


def _expression(terms: list[list[list[str]]], *, quote, both: str, either: str) -> str:
    def all_of(words: list[str]) -> str:
        return "(" + both.join(quote(w) for w in words) + ")"

    return both.join("(" + either.join(all_of(way) for way in ways) + ")" for ways in terms)
