"""The built-in figure extractor: numbers in digits and words, with their value, unit and what is counted.

A figure claim is a quantity of something: plain counts ("Fifteen heads of state", "1,200
troops"), decimals, percentages, money with its currency, and approximate quantities ("nearly
three decades", "hundreds of troops", "billions of dollars"). When something happened is not a
figure claim: clock times, dates and years are read (so "3.40pm" is never the number 3.40) and
left out, and so are ages ("62 years old") and spans of time that say when ("three years ago",
"two weeks later"). Ordinals and the pronoun "one" are not figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from provenance import hookimpl
from provenance.domain import ArticleText, ClaimKind, Extraction, Extractor
from provenance.numbers import CURRENCY_SIGNS, FIGURE_RE, MONTH_NAMES, UNIT_WORDS, read_figure
from provenance.text import sentence_bounds

_CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "yen": "JPY",
    "rupees": "INR",
    "rupee": "INR",
}
_TOKEN_RE = re.compile(rf"\w+|[{''.join(CURRENCY_SIGNS)}]")
_OPENING_WORDS = (
    UNIT_WORDS
    | MONTH_NAMES
    | frozenset("nearly almost about around roughly some over more less fewer up at".split())
    | frozenset("tens hundreds thousands millions billions dozens".split())
)
"""Words a figure can open with besides digits and currency: numbers, months, qualifiers
("nearly"), vague amounts."""
_COUNTED_STOP = frozenset(
    """were was is are be been will would could should can may might has have had to in on at for
    with that which who and or but from by as than the a an this these those its their his her our
    after before during since ago later earlier when while if said says told per between among
    across into through against within without under over above below about around toward towards
    onto upon via despite including like near off out up down until behind beyond amid""".split()
)
"""Words after a number that end the phrase it counts: function words, verbs, prepositions."""
_WHEN = frozenset({"time", "date", "year"})
"""Units of figures that say when, not how many: read, never claims."""
_AGE_RE = re.compile(r"\s+old\b", re.IGNORECASE)
_TIME_SPANS = frozenset(
    "second seconds minute minutes hour hours day days week weeks month months year years decade decades "
    "century centuries".split()
)
_RELATIVE_RE = re.compile(r"\s+(?:ago|later|earlier)\b", re.IGNORECASE)
"""After a span of time, words that make it a point in time: "three years ago" says when."""
_COUNTED_RE = re.compile(r"\s*([a-z][a-z’'-]*)")
_OF_PHRASE_RE = re.compile(r"\s+of\s+([a-z][a-z’'-]*)")
_IRREGULAR_PLURALS = frozenset("people children men women police staff personnel cattle data media".split())
_MEASURES = frozenset("km kg mph mm cm ft lb lbs oz mi mg kw mw gw kwh mwh ha sq".split())
"""Abbreviated measures, singular after any number ("12 km")."""
_NOTHING_CHECKED = frozenset(
    """things thing ways way times reasons kinds sorts types ones others
    tsp tbsp ml teaspoons tablespoons""".split()
)
"""What a number can count that no fact-checker checks: generic nouns, kitchen measures."""
_WORD_BEFORE_RE = re.compile(r"((?:[A-Z][\w.-]*|\w+&\w+)) $")


class FigureExtractor:
    """Figures with their normalised value, unit and the thing counted."""

    name = "figures"
    languages: frozenset[str] | None = frozenset({"en"})

    def extract(self, article: ArticleText) -> Iterator[Extraction]:
        text = article.text
        sentence, context = (0, 0), ""  # the figures of one sentence share its text, copied once
        for match in _figures(text):
            figure = read_figure(match)
            if figure is None:
                continue
            value, unit = figure
            if unit in _WHEN:
                continue
            start = match.start()
            if match.group("words") and text[max(0, start - 4) : start].lower() == "the ":
                continue  # "the two leaders" refers back; it counts nothing new
            counted, end, currency = (None, match.end(), None)
            if unit is None or unit == "%":
                counted, end, currency = _counted(text, match.end())
            unit = currency or unit
            if unit is None and not _counts_something(counted, value):
                continue  # "2,651", "five straight", "two things", "2 tsp": nothing a fact-checker checks
            if _in_a_name(text, start):
                continue  # "the S&P 500 index", "Flight 370", "May 5"
            if counted in ("year", "years") and _AGE_RE.match(text, end):
                continue  # "62 years old": an age
            if counted in _TIME_SPANS and _RELATIVE_RE.match(text, end):
                continue  # "three years ago", "two weeks later": when, as a date says
            bounds = sentence_bounds(text, start)
            if bounds != sentence:
                sentence, context = bounds, text[bounds[0] : bounds[1]]
            yield Extraction(
                kind=ClaimKind.FIGURE,
                text=text[start:end],
                start=start,
                end=end,
                value=value,
                unit=unit,
                counted=counted,
                context=context,
            )


def _counts_something(counted: str | None, value: float) -> bool:
    """Whether a number with no unit counts something: a plural noun or a measure ("1,200 new
    homes", "12 km"), not an adjective or verb ("five straight", "202 dealt"), a kitchen measure
    or a thing too generic to check ("two things")."""
    if counted is None:
        return False
    first, noun = counted.split()[0], counted.split(" of ")[0].split()[-1]  # "heads of state": heads
    if first in _NOTHING_CHECKED or noun in _NOTHING_CHECKED:
        return False
    plural = noun.endswith("s") or noun in _IRREGULAR_PLURALS
    return plural or first in _MEASURES or value == 1


def _in_a_name(text: str, start: int) -> bool:
    """Whether the number at ``start`` is part of a name: right after a capitalised word inside a
    sentence ("the S&P 500", "on Flight 370", "on May 5"), not after a possessive ("Canada's")."""
    before = _WORD_BEFORE_RE.search(text, max(0, start - 40), start)
    if before is None or before.group(1).endswith(("'s", "’s")):
        return False
    opening = text[max(0, before.start() - 3) : before.start()].rstrip(" \"“‘'")
    return bool(opening) and opening[-1] not in ".!?:([—–\n"


def _figures(text: str) -> Iterator[re.Match[str]]:
    """What ``FIGURE_RE.finditer`` finds, tried only where a figure can start (a digit, a
    currency sign, or a word that opens one): several times faster than scanning every position."""
    end = 0
    for token in _TOKEN_RE.finditer(text):
        start = token.start()
        if start < end:
            continue
        word = token.group()
        if (
            word[0].isdigit()
            or word in CURRENCY_SIGNS
            or word.lower() in _OPENING_WORDS
            or text.startswith("$", token.end())  # "US$", "C$", "A$"
        ):
            match = FIGURE_RE.match(text, start)
            if match:
                end = match.end()
                yield match


def _counted(text: str, end: int) -> tuple[str | None, int, str | None]:
    """What a number counts, where its span ends, and its currency when it counts money.

    The counted phrase runs to the first plural noun ("heads", "long rounded tables"), with one
    "of" phrase after it ("heads of state"); it stops at function words and verbs.
    """
    first = _COUNTED_RE.match(text, end)
    if first is not None and first.group(1).lower() in _CURRENCY_WORDS:
        return None, first.end(), _CURRENCY_WORDS[first.group(1).lower()]
    taken: list[tuple[str, int]] = []  # (word, offset after it)
    cursor = end
    while len(taken) < 3 and (match := _COUNTED_RE.match(text, cursor)) is not None:
        word = match.group(1).lower()
        if word in _COUNTED_STOP or word == "of":
            break
        cursor = match.end()
        taken.append((word, cursor))
        if word.endswith("s") or word in _IRREGULAR_PLURALS:
            of_phrase = _OF_PHRASE_RE.match(text, cursor)
            if of_phrase and of_phrase.group(1).lower() not in _COUNTED_STOP:
                taken.append((f"of {of_phrase.group(1).lower()}", of_phrase.end()))
            return " ".join(w for w, _ in taken), taken[-1][1], None
    if not taken:
        return None, end, None
    return taken[0][0], taken[0][1], None  # no plural noun: keep just the next word


@hookimpl
def register_extractors() -> list[Extractor]:
    return [FigureExtractor()]
