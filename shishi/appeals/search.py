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

jieba.setLogLevel(60)

_WORD = re.compile(r"\w", re.UNICODE)


def tokens(text: str) -> list[str]:
    """jieba's search-mode tokens of `text`, lower-cased, punctuation dropped."""
    return [t.lower() for t in jieba.cut_for_search(text or "") if _WORD.search(t)]


def index_text(*parts: str) -> str:
    return " ".join(tokens(" ".join(p for p in parts if p)))


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """Narrow `queryset` (of appeals) to those whose text contains every token of `query`."""
    words = list(dict.fromkeys(tokens(query)))
    if not words:
        return queryset
    if connection.vendor == "sqlite":
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
        ids = RawSQL(
            "SELECT rowid FROM appeals_appeal_fts WHERE appeals_appeal_fts MATCH %s", [match]
        )
    else:
        tsquery = " & ".join("'" + w.replace("'", "''").replace("\\", "") + "'" for w in words)
        ids = RawSQL(
            "SELECT id FROM appeals_appeal WHERE to_tsvector('simple', search_text) "
            "@@ to_tsquery('simple', %s)",
            [tsquery],
        )
    return queryset.filter(pk__in=ids)
