"""Names as outlets print them: whether two speaker names can be the same person.

One person appears as "Cheryl Boone Isaacs", "Boone Isaacs", "Isaacs" or "Cheryl"; as "Tomasz J.
Wielgosz" and "Tomasz Wielgosz"; with a long surname misspelt by one letter ("Vandermeulen",
"Vandermeulin") when the first name agrees. A joint statement names several people ("Ana Ruiz
and Tom Bexley"), and any of them is a speaker of it. Speaker resolution and the matching guard
read names through :func:`same_person`: only names that cannot be one person keep two quotes apart.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

MISSPELT_SURNAME_LETTERS = 7  # a surname this long may be misspelt by one letter (not "Bell"/"Bull")
NICKNAME_RE = re.compile(r"[\"“'‘][A-Z][a-z]+[\"”'’]")
"""A nickname in quotes inside a name ('Robert "Bobby" Lyle'): part of the name as printed, not of
the name a person is known by."""


def members(name: str) -> list[str]:
    """The people a speaker name names: two or more for a joint statement ("A and B")."""
    return [part for part in name.split(" and ") if part]


def is_joint(name: str) -> bool:
    """Whether a speaker name names several people."""
    return len(members(name)) > 1


@lru_cache(maxsize=65_536)  # asked by the speaker guard for every pair of claims scored
def same_person(a: str, b: str) -> bool:
    """Whether two speaker names can be one person (for a joint name, any of its people)."""
    return any(_one_person(x, y) for x in members(a) for y in members(b))


def _one_person(a: str, b: str) -> bool:
    mine, theirs = _words(a), _words(b)
    if not mine or not theirs:
        return False
    short, long = sorted((mine, theirs), key=len)
    if len(short) == 1:  # "Isaacs", or a first name alone in a feature ("Ollie")
        return short[0] in long
    if _in_order(short, long) and short[-1] == long[-1]:  # "Boone Isaacs", "Tomasz Wielgosz"
        return True
    return (
        len(mine) == len(theirs)
        and mine[:-1] == theirs[:-1]
        and min(len(mine[-1]), len(theirs[-1])) >= MISSPELT_SURNAME_LETTERS
        and Levenshtein.distance(mine[-1], theirs[-1]) == 1
    )


def _words(name: str) -> list[str]:
    """The words of a name in lower case, without initials ("Tomasz J. Wielgosz": tomasz, wielgosz)."""
    return [w for w in (part.strip(".,").casefold() for part in name.split()) if len(w) > 1]


def _in_order(short: list[str], long: list[str]) -> bool:
    """Whether ``short``'s words are among ``long``'s, in the same order."""
    rest = iter(long)
    return all(word in rest for word in short)
