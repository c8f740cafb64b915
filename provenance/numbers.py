"""Reading numbers in text, and the identity of a figure: the core's number grammar.

Numbers in digits and words ("15", "fifteen", "1,200", "two and a half million"), percentages,
money with its currency, clock times, dates and years, and vague amounts ("hundreds of"). The
figure extractor finds figures with it; matching uses it to tell whether two texts state the
same numbers (:func:`number_values`) and to key a figure by value, unit and thing counted
(:func:`figure_key`, :func:`figure_thing`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from provenance.text import normalize

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
_MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )
}
_MONTH_RE = "|".join(_MONTHS)
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_SCALES) | frozenset(_VAGUE)
"""Words that spell numbers ("fifteen", "million")."""
UNIT_WORDS = frozenset(_UNITS)
"""Words that spell a number below a hundred ("two", "fifteen", "ninety")."""
MONTH_NAMES = frozenset(_MONTHS)
"""Month names in lower case ("january")."""
_WORD_RE = re.compile(r"[a-z]+")
_TIME_HINT_RE = re.compile(r"\d[.:]\s?\d|\d\s?(?:a\.m|p\.m|am|pm|GMT|UTC)", re.IGNORECASE)
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

FIGURE_RE = re.compile(  # one figure: a time, a date, money, a vague amount or a number
    rf"""(?ix)
    (?P<time>\b\d{{1,2}}(?:\.\d{{2}}|:\s?\d{{2}})?\s?(?:a\.m\.|p\.m\.|am|pm)(?![a-z])
       |\b(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])|\b[0-2]\d[0-5]\d\s?(?:GMT|UTC)\b)
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


@lru_cache(maxsize=65_536)
def number_values(text: str) -> tuple[frozenset[float], bool]:
    """Every number in ``text`` as a value (digits and words, "15" and "fifteen" alike), and
    whether any is written in digits. Matching uses it so that a changed figure splits a claim."""
    values, digits = set(), False
    if NUMBER_WORDS.isdisjoint(_WORD_RE.findall(text.lower())) and not _TIME_HINT_RE.search(text):
        # digits only, no time of day: no need of the full pattern
        found = frozenset(float(d.replace(",", "")) for d in _DIGITS_ONLY_RE.findall(text))
        return found, bool(found)
    for match in FIGURE_RE.finditer(text):
        figure = read_figure(match)
        if figure is not None:
            values.add(figure[0])
            digits = digits or bool(re.search(r"\d", match.group(0)))
    return frozenset(values), digits


def read_figure(match: re.Match[str]) -> tuple[float, str | None] | None:
    """The value and unit ("%", a currency code, "time", "date", "year", or ``None``) of a
    :data:`FIGURE_RE` match."""
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
        if 1900 <= value <= 2100 and match.group("digits").isdigit() and not match.group("percent"):
            return value, "year"  # "2013"; never "2,013" or "2013.5"
    else:
        value = _words_value(match.group("words").lower())
    if match.group("scale"):
        value *= _SCALES[match.group("scale").lower()]
    return value, "%" if match.group("percent") else None


def _clock(raw: str) -> float:
    """A time of day as hours and minutes (18.41): "6:41pm", "6.41 p.m.", "18:41", "0641 GMT"."""
    digits = re.match(r"(\d{2})(\d{2})|(\d{1,2})(?:[.:]\s?(\d{2}))?", raw)
    assert digits is not None
    hour, minute = (int(digits.group(n) or 0) for n in ((1, 2) if digits.group(1) else (3, 4)))
    marker = raw.lower()[digits.end() :]
    if "p" in marker and hour < 12:
        hour += 12
    elif "a" in marker and hour == 12:
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


def figure_key(value: float | None, unit: str | None, counted: str | None) -> str:
    """The identity of a figure: its value, unit and what it counts ("15||heads of state")."""
    return f"{value:g}|{figure_thing(unit, counted)}"


@lru_cache(maxsize=65_536)  # asked for every pair of figures scored
def figure_thing(unit: str | None, counted: str | None) -> str:
    """What a figure measures, whatever its value: unit and thing counted ("|heads of state")."""
    counted_words = " ".join(word.rstrip("s") for word in normalize(counted or "").split())
    return f"{unit or ''}|{counted_words}"
