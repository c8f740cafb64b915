"""Text helpers shared by cleaning, extraction and matching: normalisation, words, sentences, hashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

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
            before = text[cursor : match.start()].rsplit(None, 1)
            last = before[-1].lower().rstrip(".") if before else ""
            if last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        yield from _trimmed(text, cursor, stop)
        cursor = stop
    yield from _trimmed(text, cursor, end)


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """``(start, end)`` of the sentence of ``text`` that contains ``offset``."""
    para_start = text.rfind("\n", 0, offset) + 1
    para_end = text.find("\n", offset)
    para_end = len(text) if para_end < 0 else para_end
    bounds = (para_start, para_end)
    for start, end in sentence_spans(text, para_start, para_end):
        if start > offset:
            break
        bounds = (start, end)
    return bounds


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end
