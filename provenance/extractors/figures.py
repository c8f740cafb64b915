"""The built-in figure extractor: numbers in digits and words, with their value, unit and what is counted.

Covers plain counts ("Fifteen heads of state", "1,200 troops"), decimals, percentages, money
with its currency, clock times ("3.40 pm" = "3.40pm" = "15:40"), dates and years, and
approximate quantities ("nearly three decades", "hundreds of troops", "billions of dollars").
Ordinals and the pronoun "one" are not figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from provenance import hookimpl
from provenance.domain import ArticleText, ClaimKind, Extraction, Extractor
from provenance.text import sentence_bounds

_UNITS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
_VAGUE = {
    "dozens": 12,
    "hundreds": 100,
    "thousands": 1_000,
    "millions": 1_000_000,
    "billions": 1_000_000_000,
    "tens of thousands": 10_000,
    "hundreds of thousands": 100_000,
}
_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "c$": "CAD", "a$": "AUD"}
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
_MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )
}
_MONTH_RE = "|".join(_MONTHS)
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_SCALES) | frozenset(_VAGUE)
"""Words that spell numbers ("fifteen", "million")."""
_WORD_RE = re.compile(r"[a-z]+")
_DIGITS_ONLY_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_NUMBER_WORD_RE = (
    rf"(?:(?:{'|'.join(_UNITS)})(?:[- ](?:{'|'.join(k for k, v in _UNITS.items() if v < 10)}))?"
    rf"(?:\s+(?:and\s+a\s+half))?(?:\s+(?:{'|'.join(_SCALES)}))?)"
)
_DIGITS_RE = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_QUALIFIER_RE = (
    r"(?:(?:nearly|almost|about|around|roughly|some|over|more\s+than|less\s+than|fewer\s+than"
    r"|up\s+to|at\s+least)\s+)?"
)
_SCALE_WORDS = "|".join(_SCALES)
_VAGUE_WORDS = r"tens\s+of\s+thousands|hundreds\s+of\s+thousands|dozens|hundreds|thousands|millions|billions"

_FIGURE_RE = re.compile(
    rf"""(?ix)
    (?P<time>\b\d{{1,2}}(?:[.:]\d{{2}})?\s?(?:a\.m\.|p\.m\.|am|pm)(?![a-z]))
  | (?P<date>\b(?:(?:{_MONTH_RE})\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTH_RE}),?\s+\d{{4}}))
  | (?P<money>{_QUALIFIER_RE}(?P<symbol>US\$|C\$|A\$|[$€£¥])\s?(?P<mamount>{_DIGITS_RE})
       (?:\s?(?P<mscale>{_SCALE_WORDS}|bn|m)\b)?)
  | (?P<vague>{_QUALIFIER_RE}\b(?P<vword>{_VAGUE_WORDS})\s+of\b)
  | (?P<number>{_QUALIFIER_RE}
       (?:(?P<digits>(?<![\w.,-]){_DIGITS_RE}(?![\w]|\.\d))|\b(?P<words>{_NUMBER_WORD_RE})\b)
       (?:\s?(?P<scale>{_SCALE_WORDS})\b)?(?P<percent>\s?%|\s+per\s?cent\b)?)
    """
)
CURRENCY_SIGNS = frozenset(symbol for symbol in _CURRENCY_SYMBOLS if len(symbol) == 1)
"""The one-character currency signs ("$", "€", "£", "¥")."""
_TOKEN_RE = re.compile(rf"\w+|[{''.join(CURRENCY_SIGNS)}]")
_OPENING_WORDS = (
    frozenset(_UNITS)
    | frozenset(_MONTHS)
    | frozenset("nearly almost about around roughly some over more less fewer up at".split())
    | frozenset("tens hundreds thousands millions billions dozens".split())
)
"""Words a figure can open with besides digits and currency: numbers, months, qualifiers
("nearly"), vague amounts."""
_COUNTED_STOP = frozenset(
    """were was is are be been will would could should can may might has have had to in on at for
    with that which who and or but from by as than the a an this these those its their his her our
    after before during since ago later earlier when while if said says told per""".split()
)
_COUNTED_RE = re.compile(r"\s*([a-z][a-z’'-]*)")
_OF_PHRASE_RE = re.compile(r"\s+of\s+([a-z][a-z’'-]*)")
_IRREGULAR_PLURALS = frozenset("people children men women police staff personnel cattle data media".split())


class FigureExtractor:
    """Figures with their normalised value, unit and the thing counted."""

    name = "figures"
    languages = frozenset({"en"})

    def extract(self, article: ArticleText) -> Iterator[Extraction]:
        text = article.text
        sentence, context = (0, 0), ""  # the figures of one sentence share its text, copied once
        for match in _figures(text):
            figure = _figure(match)
            if figure is None:
                continue
            value, unit = figure
            start = match.start()
            if match.group("words") and text[max(0, start - 4) : start].lower() == "the ":
                continue  # "the two leaders" refers back; it counts nothing new
            counted, end, currency = (None, match.end(), None)
            if unit is None or unit == "%":
                counted, end, currency = _counted(text, match.end())
            unit = currency or unit
            if unit is None and counted is None and value < 1000:
                continue  # a bare small number says nothing on its own
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


def _figures(text: str) -> Iterator[re.Match[str]]:
    """What ``_FIGURE_RE.finditer`` finds, tried only where a figure can start (a digit, a
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
            match = _FIGURE_RE.match(text, start)
            if match:
                end = match.end()
                yield match


@lru_cache(maxsize=65_536)
def number_values(text: str) -> tuple[frozenset[float], bool]:
    """Every number in ``text`` as a value (digits and words, "15" and "fifteen" alike), and
    whether any is written in digits. Matching uses it so that a changed figure splits a claim."""
    values, digits = set(), False
    if NUMBER_WORDS.isdisjoint(_WORD_RE.findall(text.lower())):  # digits only: no need of the full pattern
        found = frozenset(float(d.replace(",", "")) for d in _DIGITS_ONLY_RE.findall(text))
        return found, bool(found)
    for match in _FIGURE_RE.finditer(text):
        figure = _figure(match)
        if figure is not None:
            values.add(figure[0])
            digits = digits or bool(re.search(r"\d", match.group(0)))
    return frozenset(values), digits


def _figure(match: re.Match[str]) -> tuple[float, str | None] | None:
    if match.group("time"):
        return _clock(match.group("time")), "time"
    if match.group("date"):
        return _date(match.group("date")), "date"
    if match.group("money"):
        amount = float(match.group("mamount").replace(",", ""))
        scale = (match.group("mscale") or "").lower()
        amount *= {"bn": 1e9, "m": 1e6}.get(scale, _SCALES.get(scale, 1))
        return amount, _CURRENCY_SYMBOLS[match.group("symbol").lower()]
    if match.group("vague"):
        return float(_VAGUE[" ".join(match.group("vword").lower().split())]), None
    if match.group("digits"):
        value = float(match.group("digits").replace(",", ""))
        if 1900 <= value <= 2100 and "." not in match.group("digits") and not match.group("percent"):
            return value, "year"
    else:
        value = _words_value(match.group("words").lower())
    if match.group("scale"):
        value *= _SCALES[match.group("scale").lower()]
    return value, "%" if match.group("percent") else None


def _clock(raw: str) -> float:
    digits = re.match(r"(\d{1,2})(?:[.:](\d{2}))?", raw)
    assert digits is not None
    hour, minute = int(digits.group(1)), int(digits.group(2) or 0)
    if "p" in raw.lower() and hour < 12:
        hour += 12
    elif "a" in raw.lower() and hour == 12:
        hour = 0
    return hour + minute / 100


def _date(raw: str) -> float:
    parts = re.findall(r"[a-z]+|\d+", raw.lower())
    month = next(_MONTHS[p] for p in parts if p in _MONTHS)
    day, year = (int(p) for p in parts if p.isdigit())
    return float(year * 10_000 + month * 100 + day)


def _words_value(raw: str) -> float:
    value = 0.0
    for part in re.split(r"[-\s]+", raw.replace("and a half", "half")):
        if part in _UNITS:
            value += _UNITS[part]
        elif part == "half":
            value += 0.5
        elif part in _SCALES:
            value *= _SCALES[part]
    return value


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
