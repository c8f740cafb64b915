"""Speaker phrases around cue verbs, found by scanning tokens: the shared grammar of the extractors.

Text handed to these functions has its direct quotes masked by :data:`QUOTE_MASK` characters (same
length, so offsets hold), which read as one opaque token.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from provenance.lexicon import (
    CONNECTIVES,
    DOCUMENT_NOUNS,
    FUNCTION_WORDS,
    NAME_PARTICLES,
    ORGANISATION_HEADS,
    PHRASAL_CUES,
    PRONOUNS,
    QUANTIFIERS,
    REPORTING_VERBS,
    SKIPPABLE_BEFORE_CUE,
    SPEAKER_NOUNS,
    SPEAKING_TEXTS,
    TIME_WORDS,
    TITLES,
    is_adverb,
)

QUOTE_MASK = "§"
_PHRASAL_RE = "|".join(sorted(PHRASAL_CUES, key=len, reverse=True))
_PHRASAL_FIRST = "".join({form[0] for form in PHRASAL_CUES} | {form[0].upper() for form in PHRASAL_CUES})
_TOKEN_RE = re.compile(  # a phrasal cue is one token ("pointed out"), tried only at its first letters
    rf"(?=[{_PHRASAL_FIRST}])(?i:\b(?:{_PHRASAL_RE})\b(?! of\b))"
    rf"|{QUOTE_MASK}+|\d+(?:/\d+)+|[\w’'&-]+(?:\.(?=\w))?(?:[\w’'&-]+)*\.?|[^\w\s]"
)
_NOT_IN_SUBJECTS = frozenset(
    """is was are were be been has have had will would can could may might should do does did
    that which what who whom whose when while if because after before since as than there it""".split()
)
_CLAUSE_OPENERS = frozenset("what which who whom whose when while if because".split())
MAX_SUBJECT_SPAN = 8  # tokens a subject noun phrase (subject_span) takes at most
_POSSESSIVE_PRONOUNS = frozenset("his her its their".split())
_PARTITIVES = QUANTIFIERS | {"one", "two", "three", "none"}  # "one of the players"
_GROUP_PRONOUNS = frozenset("them us those these".split())
_GOVERNING = FUNCTION_WORDS | {"familiar"}  # words a noun phrase may be the object of
_DATE_PREPOSITIONS = frozenset("on in last this".split())
_DATES = TIME_WORDS - _DATE_PREPOSITIONS - {"earlier", "recently"}  # weekdays, months, "yesterday"
_DAY_PARTS = frozenset("morning afternoon evening night".split())
_DEICTIC_DAYS = frozenset("today yesterday tonight".split())
_DETERMINERS = frozenset("the a an his her its their our my your".split())
_POSSESSIVE_RE = re.compile(r"^[A-Z][\w.-]*[’']s$")
_PREPOSITIONS = frozenset(
    "in on at after before during with for from under following despite since unlike like amid among".split()
)
_RELATIVE_PRONOUNS = frozenset({"who", "which"})
_MEMBERSHIP = frozenset({"with", "at", "from", "of"})  # "Tim Guest with the health authority"
_RELATIVE_CLAUSE_TOKENS = 45  # how far back a relative clause before the cue may start
_POSSESSIVE_END_RE = re.compile(r"['’]s$")
_FRONTED_TOKENS = 12  # tokens a fronted prepositional phrase may take before its comma


class Token(NamedTuple):
    """A word or punctuation mark with its offsets, and the word in lower case without a full stop
    ("mr" for "Mr."), made once as it is read often (a tuple: tokenising is a large part of reading)."""

    text: str
    start: int
    end: int
    lower: str

    @property
    def capitalised(self) -> bool:
        """A capitalised word, not a function word; a name after a particle counts ("al-Shabaab")."""
        if self.text[:1].isupper():
            return self.lower not in FUNCTION_WORDS
        particle, hyphen, rest = self.text.partition("-")
        return bool(hyphen) and particle in NAME_PARTICLES and rest[:1].isupper()

    @property
    def is_cue(self) -> bool:
        """A reporting verb, not a capitalised word ("the United States")."""
        return self.lower in REPORTING_VERBS and not self.text[0].isupper()

    @property
    def is_finite_cue(self) -> bool:
        """A cue verb heading a clause ("said", "tells"), not a participle or a capitalised word."""
        return self.is_cue and self.text[0].islower() and not self.lower.endswith("ing")


@dataclass(frozen=True, slots=True)
class Phrase:
    """A speaker phrase as written, with its offsets."""

    text: str
    start: int
    end: int


_PARTY_TAG_RE = re.compile(  # "(R-Fla.)", "(Vt.)", "(D-Newport News)", "(R)"
    r"(?<=[a-z] )\((?:[RDI]-[A-Z][\w.]*(?: [A-Z0-9][\w.]*)?|[RDI]|[A-Z][a-z]{1,6}\.?)\)"
)


def without_party_tags(text: str) -> str:
    """``text`` with the party and state after a name blank (same length, so offsets hold), so a
    speaker reads through "Rep. John Mica (R-Fla.) said" and "state Sen. Joan Pryor (R), said"."""
    return _PARTY_TAG_RE.sub(lambda m: " " * len(m.group()), text)


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of ``text[start:end]`` with absolute offsets."""
    end = len(text) if end is None else end
    return [_token(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text, start, end)]


def _token(text: str, start: int, end: int) -> Token:
    lower = text.lower()
    return Token(text, start, end, lower.rstrip(".") if text[:1].isalpha() else lower)


def skippable_before_cue(tok: Token) -> bool:
    """A word between a speaker and the cue verb: "also", "has", or an adverb ("finally", "quickly")."""
    if tok.capitalised:
        return False
    adverb = is_adverb(tok.lower) and tok.lower not in SPEAKER_NOUNS
    return tok.lower in SKIPPABLE_BEFORE_CUE or (adverb and tok.text.isalpha())


def _phrase(text: str, toks: list[Token]) -> Phrase | None:
    while (
        toks
        and toks[-1].text[:1].isupper()
        and toks[-1].text.isupper()
        and len(toks[-1].text) > 1
        and len(toks) > 1
        and not toks[-1].text.endswith(".")
        and toks[-2].capitalised
        and not _POSSESSIVE_RE.match(toks[-2].text)
    ):  # but "the NDP", "Ontario's NDP" are names
        toks = toks[:-1]  # trailing all-caps debris ("Niva Yau BIO BIO")
    if toks and toks[-1].lower in DOCUMENT_NOUNS:  # "the union's Friday release": the union
        if len(toks) == 2 and toks[0].lower in _POSSESSIVE_PRONOUNS:  # "her statement": she
            return Phrase(toks[0].text, toks[0].start, toks[0].end)
        owner = next((k for k, t in enumerate(toks) if t.lower.endswith(("'s", "’s"))), None)
        if owner is not None:
            toks = toks[: owner + 1]
            return Phrase(text[toks[0].start : toks[-1].end - 2], toks[0].start, toks[-1].end - 2)
    if not toks:
        return None
    return Phrase(text[toks[0].start : toks[-1].end].rstrip(".,"), toks[0].start, toks[-1].end)


def source_phrase(text: str, toks: list[Token]) -> Phrase | None:
    """The speaker a source phrase names ("according to the union's Friday release": the union)."""
    return _phrase(text, toks)


def _name_part(token: Token) -> bool:
    if token.lower in PRONOUNS or token.lower in _CLAUSE_OPENERS:  # "What Senator Cho called"
        return False
    return token.capitalised or token.lower in NAME_PARTICLES or token.lower in TITLES


_Then = Callable[[Phrase | None], Phrase | None]
"""What a speaker phrase read further back makes of the one being read."""


def speaker_ending_at(text: str, toks: list[Token], end: int | None = None) -> Phrase | None:
    """The speaker phrase that ends the token list (or ``toks[:end]``): a name, a description or
    a pronoun.

    A phrase may be read from one further back ("Hadwin, who …, said", "Tim Guest with the
    health authority says") any number of times, so those readings wait on a list, not on
    Python's stack.
    """
    then: list[_Then] = []
    found = _speaker_ending(text, toks, len(toks) if end is None else end)
    while isinstance(found, tuple):
        end, step = found
        then.append(step)
        found = _speaker_ending(text, toks, end)
    for step in reversed(then):
        found = step(found)
    return found


def _same(phrase: Phrase | None) -> Phrase | None:
    return phrase


def _speaker_ending(text: str, toks: list[Token], end: int) -> Phrase | tuple[int, _Then] | None:
    """The speaker phrase that ends ``toks[:end]``, or where to read one further back (the tokens
    before an index) and what to make of it."""
    i = end - 1
    while i >= 0 and skippable_before_cue(toks[i]):
        i -= 1
    i = _before_a_date(toks, i)  # "Ukraine's president on Friday urged"
    if i < 0:
        return None
    head = toks[i]
    if head.lower == "who" and i >= 1:  # "Lukashenko, who was quoted", "veteran MPs who say"
        return (i - 1 if toks[i - 1].text == "," else i), _same
    if head.text == ",":  # "Nadia Jamil, principal researcher at Dixon Hall, said"
        named = _named_segment(text, toks[max(0, i - 40) : i])
        if named is not None:
            return named
        for j in range(i - 2, max(0, i - _RELATIVE_CLAUSE_TOKENS), -1):
            if toks[j].lower in _RELATIVE_PRONOUNS and toks[j - 1].text == ",":  # "Hadwin, who …, said"
                return j - 1, _same
        for j in range(i - 1, max(-1, i - 25), -1):
            if toks[j].text == ",":
                appositive = toks[j + 1 : i]
                named = speaker_ending_at(text, appositive) if len(appositive) <= 4 else None
                return j, partial(_head_or_appositive, named=named)
        return None
    if head.lower in PRONOUNS:
        return _phrase(text, [head])
    j = i
    if head.capitalised or _POSSESSIVE_RE.match(head.text):
        descriptors = 0  # "Sharks head coach Peter DeBoer", "WHL commissioner Ron Robison"
        joined = False
        while j - 1 >= 0 and not _POSSESSIVE_RE.match(toks[j].text):
            if _name_part(toks[j - 1]):
                j -= 1
            elif not joined and _joins_names(toks, j - 1):
                joined, j = True, j - 1  # "Zadan and Meron added", "producers Ana Ruiz and Tom Bexley said"
            elif toks[j - 1].lower == "of" and j >= 2 and toks[j - 2].capitalised and toks[j].capitalised:
                j -= 1  # "Sen. Richard Shelby of Alabama": a place after the name
            elif descriptor(toks[j - 1]) and descriptors < 3:
                descriptors += 1
                j -= 1
            else:
                break
        if j > 0 and toks[j - 1].lower in PRONOUNS:  # "She met Lukas Berg": a verb, not a title
            while j < i and descriptor(toks[j]):
                j += 1
    elif _speaker_head(head) or (_agent_noun(head) and i >= 1 and toks[i - 1].lower in _AGENT_DETERMINERS):
        before_comma = None
        while j - 1 >= 0 and i - j < 5:
            prev = toks[j - 1]
            if prev.lower in _DETERMINERS:
                j -= 1
                governed = j >= 1 and toks[j - 1].lower in FUNCTION_WORDS  # "along the river, officials"
                if before_comma is not None and before_comma - j <= 3 and not governed:
                    before_comma = None  # "the lanky, …": one adjective
                break
            if _POSSESSIVE_RE.match(prev.text):
                j -= 1
                while j - 1 >= 0 and toks[j - 1].capitalised:
                    j -= 1
                break
            if prev.text == "," and before_comma is None and j >= 2 and descriptor(toks[j - 2]):
                before_comma, j = j, j - 1  # adjectives in a row: "the lanky, bespectacled professor"
                continue
            numbered = _NUMBER_DESCRIPTOR_RE.fullmatch(prev.text)  # "the 30-second spot"
            if (
                not (prev.text[:1].isalpha() or numbered)
                or prev.lower in FUNCTION_WORDS
                or prev.lower in _NOT_IN_SUBJECTS
            ):
                break  # "… higher than city reports say": "city reports"
            j -= 1
        j = before_comma if before_comma is not None else j  # no determiner: the comma ends a clause
        if (
            plural_noun(head)
            and head.lower not in SPEAKER_NOUNS
            and j >= 1
            and toks[j - 1].lower in _GOVERNING
        ):
            return None  # "sources familiar with the negotiations": the plural is an object
    else:  # "The striker who scored twice in the derby says": the one before "who"
        who = next(
            (n for n in range(i - 1, max(0, i - _RELATIVE_CLAUSE_TOKENS), -1) if toks[n].lower == "who"), 0
        )
        return (who, _same) if who else None
    return _member_of(text, toks, i, j, _phrase(text, toks[j : i + 1]))


def _before_a_date(toks: list[Token], i: int) -> int:
    """The index before a date that ends ``toks[: i + 1]`` ("on Friday", "on Tuesday night",
    "yesterday"), or ``i`` when none does."""
    j = i - 1 if i >= 1 and toks[i].lower in _DAY_PARTS and toks[i - 1].lower in _DATES else i
    if j >= 1 and toks[j].lower in _DEICTIC_DAYS:
        return j - 1
    if j >= 2 and toks[j].lower in _DATES and toks[j - 1].lower in _DATE_PREPOSITIONS:
        return j - 2  # but "Theresa May", "Elizabeth May": a month alone may be a name
    return i


def _speaker_head(tok: Token) -> bool:
    """A noun that can head a speaker phrase: a bundled speaker noun ("officials", "the union"),
    a text that speaks for itself ("the memo", "the 30-second spot"), or any plural noun
    ("farmers", "economists"), which a cue after it makes the subject."""
    return (
        tok.lower in SPEAKER_NOUNS
        or tok.lower in SPEAKING_TEXTS
        or tok.lower in ORGANISATION_HEADS
        or plural_noun(tok)
    )


def read_as_noun(toks: list[Token], k: int) -> bool:
    """Whether ``toks[k]`` follows a determiner or a possessive, so a cue word there is a noun
    ("one of the states suing", "Mr. Obama's remarks")."""
    return k > 0 and (toks[k - 1].lower in _DETERMINERS or bool(_POSSESSIVE_END_RE.search(toks[k - 1].text)))


def _agent_noun(tok: Token) -> bool:
    """A lowercase word that reads as one who does something ("narrator", "auditor", "bystander",
    "columnist"): a speaker after a determiner ("the narrator asks", "one auditor put it")."""
    lower = tok.lower
    return lower.endswith(_AGENT_SUFFIXES) and len(lower) > 4 and tok.text.isalpha() and tok.text.islower()


_AGENT_SUFFIXES = ("or", "er", "ist", "ian")
_AGENT_DETERMINERS = _DETERMINERS | {"one"}  # "the narrator", "one auditor"


def plural_noun(tok: Token) -> bool:
    """A lowercase word that reads as a plural noun ("aides", "farmers"), not "ss"/"us"/"is", a
    possessive, a function word or a cue."""
    lower = tok.lower
    return (
        lower.endswith("s")
        and not lower.endswith(("ss", "us", "is", "'s", "’s"))
        and len(lower) > 3
        and tok.text.isalpha()
        and tok.text.islower()
        and lower not in FUNCTION_WORDS
        and lower not in _NOT_IN_SUBJECTS
        and not tok.is_cue
    )


def _member_of(
    text: str, toks: list[Token], i: int, j: int, phrase: Phrase | None
) -> Phrase | tuple[int, _Then] | None:
    """The person before the organisation that starts at ``toks[j]`` and ends at ``toks[i]``: "Tim
    Guest with the Nova Scotia Health Authority says", "professor Kent Moore at the University of
    Toronto says"; or the description with its organisation: "analysts at Morgan Hale wrote"
    (read further back); else ``phrase``."""
    k = j - 1 if j >= 1 and toks[j - 1].lower == "the" else j
    if k < 2 or toks[k - 1].lower not in _MEMBERSHIP:
        return phrase
    end = toks[i].end
    if toks[k - 2].lower in SPEAKER_NOUNS:  # "analysts at Morgan Hale", "Researchers at the University"
        return (
            k - 1,
            lambda described: (
                Phrase(text[described.start : end], described.start, end) if described is not None else phrase
            ),
        )
    if not toks[k - 2].capitalised:
        return phrase
    return k - 1, lambda person: person if person is not None and _full_name(person) else phrase


def _full_name(person: Phrase) -> bool:
    return sum(t.capitalised for t in tokens(person.text)) >= 2


def _named_segment(text: str, toks: list[Token]) -> Phrase | None:
    """The nearest comma-separated segment that is nothing but a full name, in "Will Young, a
    mechanic based in Kansas City, Mo., and an organizer, said"."""
    end = len(toks)
    for k in range(len(toks) - 1, -2, -1):
        if k >= 0 and toks[k].text != ",":
            continue
        segment = toks[k + 1 : end]
        names = [t for t in segment if t.capitalised and t.lower not in TITLES]
        if (len(names) >= 2 and all(_name_part(t) for t in segment)) or _two_names(segment):
            return _phrase(text, segment)
        end = k
    return None


def _two_names(toks: list[Token]) -> bool:
    """Whether the tokens are two full names joined by "and" ("Charles Glynn and Richard Jones"),
    not the end of a list ("Innovation, Science and Economic Development")."""
    parts = [k for k, t in enumerate(toks) if t.lower == "and"]
    if len(parts) != 1:
        return False
    halves = toks[: parts[0]], toks[parts[0] + 1 :]
    return all(
        len(half) >= 2 and all(t.capitalised and t.lower not in TITLES for t in half) for half in halves
    )


def _head_or_appositive(speaker: Phrase | None, named: Phrase | None) -> Phrase | None:
    """ "Nadia Jamil, a researcher, said" names the head (``speaker``); "His father, Joseph, said"
    the appositive (``named``)."""
    if speaker is None or (named is not None and _is_name(named) and not _is_name(speaker)):
        return named
    return speaker


def _is_name(phrase: Phrase) -> bool:
    return any(t.capitalised and not _POSSESSIVE_RE.match(t.text) for t in tokens(phrase.text))


def speaker_starting_at(text: str, toks: list[Token]) -> Phrase | None:
    """The speaker phrase that begins the token list ("the minister", "Niva Yau", "he")."""
    if not toks:
        return None
    if toks[0].lower in PRONOUNS:
        return _phrase(text, toks[:1])
    if len(toks) > 2 and toks[0].lower in _PARTITIVES and toks[1].lower == "of":  # "one of the players"
        size = 1 if toks[2].lower in _GROUP_PRONOUNS else 0  # "one of them"
        if toks[2].lower in _DETERMINERS:
            size = len(list(itertools.takewhile(_in_a_group, toks[3:8])))
            size = size + 1 if size else 0
        return _phrase(text, toks[: 2 + size]) if size else None
    taken: list[Token] = []
    lead = 0  # lowercase descriptors before a name: "lead author Dr. Allan Garland", "oil and gas worker X"
    while lead < 5 and lead < len(toks) and (descriptor(toks[lead]) or (lead and toks[lead].lower == "and")):
        lead += 1
    start = lead if 0 < lead < len(toks) and toks[lead].capitalised else 0
    taken = toks[:start]
    for k, tok in enumerate(toks[start : start + 10]):
        opening_determiner = k == 0 and not taken and tok.lower in _DETERMINERS
        if (
            opening_determiner
            or _name_part(tok)
            or _POSSESSIVE_RE.match(tok.text)
            or tok.lower in SPEAKER_NOUNS
            or _of_in_a_name(toks, start + k, taken)
            or (taken and not any(t.lower == "and" for t in taken) and _joins_names(toks, start + k))
        ):
            taken.append(tok)
        elif (
            taken
            and taken[-1].capitalised
            and descriptor(tok)
            and _name_follows(toks, start + k)
            and not _verb_between_names(toks, start + k)
        ):
            taken.append(tok)  # "Cambridge cartoonist Andre Campbell"
        elif (
            taken
            and taken[0].lower in _DETERMINERS
            and tok.text[:1].isalnum()  # "the 39-year-old founder"
            and tok.lower not in (FUNCTION_WORDS | REPORTING_VERBS | _NOT_IN_SUBJECTS)
            and len(taken) < 4
        ):
            taken.append(tok)  # an adjective inside "the newly elected president"
        else:
            break
    ends_phrase = len(taken) == len(toks) or not toks[len(taken)].text[:1].isalnum()
    determined = len(taken) >= 2 and taken[0].lower in _DETERMINERS and ends_phrase
    while taken and not determined and not (taken[-1].capitalised or _speaker_head(taken[-1])):
        taken.pop()
    if not taken or (len(taken) == 1 and taken[0].lower in _DETERMINERS):
        return None
    phrase = _phrase(text, taken)
    if phrase is not None and not _is_name(phrase):
        return _appositive_name(text, toks[len(taken) :]) or phrase
    return phrase


def _joins_names(toks: list[Token], k: int) -> bool:
    """Whether ``toks[k]`` is an "and" between two names, people speaking together: "Zadan and
    Meron" (not "Smith, Jones and Brown", a list)."""
    return (
        0 < k < len(toks) - 1
        and toks[k].lower == "and"
        and toks[k - 1].capitalised
        and toks[k - 1].lower not in TITLES
        and toks[k + 1].capitalised
        and toks[k + 1].lower not in PRONOUNS
        and (k < 2 or toks[k - 2].text != ",")
    )


def _in_a_group(tok: Token) -> bool:
    """A word of the group named after "one of the": "young", "players", not "who" or "in"."""
    lower = tok.lower
    return tok.text.rstrip(".,").isalpha() and lower not in FUNCTION_WORDS and lower not in _NOT_IN_SUBJECTS


def _of_in_a_name(toks: list[Token], k: int, taken: list[Token]) -> bool:
    """Whether ``toks[k]`` is an "of" between capitalised words: "Secretary of State Mike Pompeo"."""
    following = toks[k + 1] if k + 1 < len(toks) else None
    return (
        toks[k].lower == "of"
        and bool(taken)
        and taken[-1].capitalised
        and bool(following and following.capitalised)
    )


def _appositive_name(text: str, rest: list[Token]) -> Phrase | None:
    """The name set in apposition in ``rest``, the tokens after a description: "(Wise’s) dad,
    Darrin." / "(his) business partner, Jason Louth,"."""
    k = 0
    while k < min(3, len(rest)) and descriptor(rest[k]):
        k += 1
    if k >= len(rest) or rest[k].text != ",":
        return None
    name: list[Token] = []
    for tok in rest[k + 1 : k + 6]:
        if not _name_part(tok):
            break
        name.append(tok)
    following = rest[k + 1 + len(name) :]
    named = any(t.capitalised and t.lower not in TITLES for t in name)
    if named and (not following or not following[0].text[:1].isalnum()):
        return _phrase(text, name)
    return None


def _name_follows(toks: list[Token], k: int) -> bool:
    """Whether a name follows the lowercase descriptors starting at ``toks[k]`` (at most three)."""
    for tok in toks[k : k + 4]:
        if not descriptor(tok):
            return tok.capitalised and tok.lower not in PRONOUNS
    return False


def _verb_between_names(toks: list[Token], k: int) -> bool:
    """Whether ``toks[k]`` is a past-tense verb between two names ("Xi called Putin"), not a
    descriptor ("Cambridge cartoonist Andre")."""
    return toks[k].lower.endswith("ed") and k + 1 < len(toks) and toks[k + 1].capitalised


_NUMBER_DESCRIPTOR_RE = re.compile(r"\d+(?:/\d+)+|\d+(?:-[a-z]+)+")


def descriptor(token: Token) -> bool:
    """A lowercase word that may describe a person before their name ("resident", "then-mayoral",
    "9/11", "34-year-old")."""
    if _NUMBER_DESCRIPTOR_RE.fullmatch(token.text):
        return True
    return (
        token.text[:1].islower()
        and token.text[:1].isalpha()
        and token.lower not in FUNCTION_WORDS
        and token.lower not in REPORTING_VERBS
        and token.lower not in _NOT_IN_SUBJECTS  # "would be Heather": a verb
    )


def subject_span(text: str, toks: list[Token]) -> Phrase | None:
    """A short subject noun phrase filling ``toks`` ("The 26-year-old right wing",
    "A person familiar with the negotiations"), or ``None`` if it reads as more than a subject."""
    if not toks or len(toks) > MAX_SUBJECT_SPAN or any(not t.text[:1].isalnum() for t in toks):
        return None
    if any(t.lower in _NOT_IN_SUBJECTS or t.is_cue for t in toks):
        return None
    if toks[-1].lower in FUNCTION_WORDS:
        return None
    return _phrase(text, toks)


def sentence_subject(text: str, toks: list[Token]) -> Phrase | None:
    """The subject at the start of a sentence, after a short fronted adverbial ("This week, ...",
    "In a statement on Friday, ...", "Later that month, ...")."""
    dash = next((k for k, t in enumerate(toks[:8]) if t.text in {"—", "–", "--"}), None)
    if toks and dash is not None and toks[0].text.isupper() and len(toks[0].text) > 2:
        toks = toks[dash + 1 :]  # a dateline: "MIRAMICHI, N.B. — Justin Trudeau …"
    toks = toks[clause_start(toks) :]
    for k, tok in enumerate(toks[:6]):
        if (
            tok.lower in _DETERMINERS
            or tok.lower in PRONOUNS
            or (tok.capitalised and _POSSESSIVE_END_RE.sub("", tok.lower) not in TIME_WORDS)  # "Tuesday’s"
        ):
            return speaker_starting_at(text, toks[k:])
    return None


def clause_start(toks: list[Token]) -> int:
    """Where a sentence's clause starts after a fronted prepositional phrase or connective and its
    comma ("In a statement on Friday, …", "However, …"), or 0."""
    if toks and (toks[0].lower in _PREPOSITIONS or toks[0].lower in CONNECTIVES):
        comma = next((k for k, t in enumerate(toks[:_FRONTED_TOKENS]) if t.text == ","), None)
        if comma is not None:
            return comma + 1
    return 0
