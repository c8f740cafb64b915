"""Text helpers shared by cleaning, extraction and matching: normalisation, words, sentences, hashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import accumulate, islice

OPENING_DOUBLE = "“„«"
CLOSING_DOUBLE = "”»"
OPENING_SINGLE = "‘‚‹"
CLOSING_SINGLE = "’›"

_NON_WORD_RE = re.compile(r"\W+")  # punctuation and spacing: one space between words
_SPACE_RE = re.compile(r"\s+")
_ACRONYM_RE = re.compile(r"\b(?:[A-Za-z]\.){2,}")
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st gen col lt sgt capt cmdr adm gov sen rep rev hon pres
    u.s u.k u.n e.u no vs etc inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec
    a.m p.m i.e e.g approx dept est fig""".split()
)


@lru_cache(maxsize=65_536)
def normalize(text: str) -> str:
    """Matching form: NFKC, case-folded, acronyms joined ("U.S." -> "us"), punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if "." in text:
        text = _ACRONYM_RE.sub(lambda m: m.group(0).replace(".", ""), text)
    text = text.replace("’", "'").replace("'s ", " ").replace("'", "")
    return _NON_WORD_RE.sub(" ", text).strip()


def text_key(text: str) -> str:
    """A fixed-length key of ``text``'s normalised form, for exact lookups."""
    return hashlib.sha256(normalize(text).encode()).hexdigest()


def words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits, apostrophes inside words kept)."""
    return _WORD_RE.findall(text)


def has_words(text: str, count: int, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` holds at least ``count`` words, reading no further than needed."""
    found = _WORD_RE.finditer(text, start, len(text) if end is None else end)
    return next(islice(found, count - 1, None), None) is not None


def covering(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """A test of whether an offset lies in any of ``spans`` (``start <= offset < end``; sorted in
    place), by bisection."""
    spans.sort()
    starts = [start for start, _ in spans]
    reach = list(accumulate((end for _, end in spans), max))  # the furthest end of the spans so far

    def covers(offset: int) -> bool:
        n = bisect_right(starts, offset) - 1
        return n >= 0 and reach[n] > offset

    return covers


def content_hash(text: str) -> str:
    """The SHA-256 of an article's whitespace-normalised text: equal texts, equal hashes."""
    return hashlib.sha256(_SPACE_RE.sub(" ", text).strip().encode()).hexdigest()


_SENTENCE_END_RE = re.compile(r"""[.!?]+[”’"')\]]*(?=\s+[“‘"'(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*\S)""")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text[start:end]``; paragraph and line breaks end one.

    A full stop after a known abbreviation ("Mr.", "U.S.") or a single initial does not.
    """
    end = len(text) if end is None else end
    cursor = start
    for match in _SENTENCE_END_RE.finditer(text, start, end):
        stop = match.end()
        if match.group(0).startswith("."):
            last = _last_word(text, cursor, match.start()).lower().rstrip(".")
            if last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        yield from _trimmed(text, cursor, stop)
        cursor = stop
    yield from _trimmed(text, cursor, end)


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """``(start, end)`` of the sentence of ``text`` that contains ``offset``."""
    return _sentence_index(text).bounds(offset)


class _SentenceIndex:
    """Where the lines of a text start, and the sentences of each line once asked for: any
    number of :func:`sentence_bounds` look-ups cost one pass over the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.lines: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}

    def bounds(self, offset: int) -> tuple[int, int]:
        at = offset if offset >= 0 else max(0, len(self.text) + offset)  # as str.find reads it
        line = bisect_right(self.line_starts, at) - 1
        para_start = self.line_starts[line]
        para_end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        if line not in self.lines:
            spans = list(sentence_spans(self.text, para_start, para_end))
            self.lines[line] = ([start for start, _ in spans], spans)
        starts, spans = self.lines[line]
        found = bisect_right(starts, offset) - 1
        return spans[found] if found >= 0 else (para_start, para_end)


@lru_cache(maxsize=8)
def _sentence_index(text: str) -> _SentenceIndex:
    return _SentenceIndex(text)


def _last_word(text: str, start: int, end: int) -> str:
    """The last whitespace-separated word of ``text[start:end]`` ("" if none), read backwards
    from ``end`` so that a long sentence is not copied for every full stop in it."""
    while end > start and text[end - 1].isspace():
        end -= 1
    word_start = end
    while word_start > start and not text[word_start - 1].isspace():
        word_start -= 1
    return text[word_start:end]


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end
