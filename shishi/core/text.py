"""Text as people write it: kept whole, made safe to store, to search and to show.

`clean` is what every door applies to free text before it is measured and stored: line
breaks become "\\n" (a browser sends "\\r\\n", which would count twice against a limit), and
control characters other than the line break and the tab are dropped — NUL cannot be stored
in PostgreSQL and the others are invisible noise. Nothing else is touched: emoji, full-width
spaces and punctuation, zero-width joiners (part of some emoji), traditional characters and
tabs of a pasted table stay as written.

`for_search` folds what only gets in the way of matching words (full-width letters and
digits, zero-width spaces); `summary` and `clip` shorten text for titles and messages.
"""

import re
import unicodedata

# C0 and C1 controls except \t (0x09) and \n (0x0a); \r is handled by the newline rule first.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029]")
# Zero-width characters that split a word without showing (the joiner U+200D is kept:
# it belongs to emoji sequences, which search ignores anyway).
_INVISIBLE = re.compile(r"[\u200b\u200c\u2060\ufeff]")
# Where a sentence ends, and where a clause may be cut.
_SENTENCE_END = "。！？!?；;"
_CLAUSE_BREAK = "，、：,: \u3000\t）)】」』"
ELLIPSIS = "…"


def clean(text: str) -> str:
    """`text` with "\\n" line breaks and without control characters (see the module)."""
    return _CONTROLS.sub("", _NEWLINES.sub("\n", text or ""))


def for_search(text: str) -> str:
    """`text` as search compares it: NFKC-folded (ＡＢＣ１２３ → ABC123), zero-width gone."""
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", clean(text)))


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, the last of them "…" when something was cut."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def summary(text: str, limit: int) -> str:
    """A title made from `text`: its first sentence when that fits in `limit` characters,
    else cut where a clause ends, else between words (jieba), never inside one; "…" marks
    a cut. Empty lines and leading spaces are skipped."""
    line = next((line.strip() for line in clean(text).split("\n") if line.strip()), "")
    sentence = _first_sentence(line)
    if len(sentence) <= limit:
        return sentence
    room = limit - len(ELLIPSIS)
    head = line[:room]
    clause = max(head.rfind(mark) for mark in _CLAUSE_BREAK)
    if clause >= room // 2:
        return head[:clause].rstrip() + ELLIPSIS
    return _by_words(line, room) + ELLIPSIS


def _first_sentence(line: str) -> str:
    ends = [i for i in (line.find(mark) for mark in _SENTENCE_END) if i > 0]
    return line[: min(ends)].rstrip() if ends else line


def _by_words(line: str, room: int) -> str:
    import jieba  # loads its dictionary on first use; only titles that need it pay

    jieba.setLogLevel(60)

    words = []
    used = 0
    for word in jieba.cut(line[: room + 20]):
        if used + len(word) > room:
            break
        words.append(word)
        used += len(word)
    # A single word longer than the room (a long number, a URL) is cut where it must be.
    return "".join(words).rstrip() if used >= room // 2 else line[:room]
