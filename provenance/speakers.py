"""Speaker resolution: from the speaker as written to one canonical person across articles.

Within an article, "he"/"she" take the previous resolved speaker, and a surname ("Putin") or a
first token ("Xi") expands to the fullest form of that name printed in the same article
("Vladimir Putin", "Xi Jinping"); titles and descriptors ("Russian President") are dropped.
Across articles, names resolve through the ``speaker_alias`` table, so "Putin" alone in a later
article still means Vladimir Putin. Descriptions without a name ("the Russian leader",
"analysts") stay unresolved: the mention keeps them as written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from sqlmodel import Session

from provenance.extractors.lexicon import (
    CONNECTIVES,
    FIRST_NAMES,
    FUNCTION_WORDS,
    NAME_PARTICLES,
    PERSON_NOUNS,
    PERSON_ROLES,
    PLACE_HEADS,
    PRONOUNS,
    QUANTIFIERS,
    SPEAKER_NOUNS,
    TITLES,
)
from provenance.models import Speaker, SpeakerAlias
from provenance.text import normalize

_NAME_TOKEN_RE = re.compile(r"^[A-Z][\w’'-]*$")
_CARRY_OVER = frozenset({"he", "she", "him", "her"})
_PRONOUNS = PRONOUNS | _CARRY_OVER
# word sets the name scans test for every token, built once
_NOT_NAME_WORDS = TITLES | SPEAKER_NOUNS | FUNCTION_WORDS | CONNECTIVES | QUANTIFIERS  # never in a name
_NOT_FIRST_NAMES = FUNCTION_WORDS | TITLES  # "The Bank", "President Ann": no first name
_NOT_SURNAMES = PLACE_HEADS | SPEAKER_NOUNS  # "Douglas County", "Grace Church": not people
_NOT_TITLED_NAMES = _NOT_NAME_WORDS | PLACE_HEADS  # "Justice Minister", "Chief Justice"


def name_in(phrase: str) -> str | None:
    """The personal name inside a speaker phrase ("Russian President Vladimir Putin" -> "Vladimir Putin")."""
    if phrase.lower() in PRONOUNS:
        return None
    name: list[str] = []
    listed = False
    parts = phrase.split()
    for n, part in enumerate(parts):
        bare = part.strip(",.")
        if bare == "of" and name:
            break  # "Richard Shelby of Alabama": the place is not part of the name
        if bare == "and" and len(name) >= 2 and "and" not in name and not listed:
            name.append(bare)  # "Charles Glynn and Richard Jones" speak together
            continue
        listed = listed or part.endswith(",")  # "Innovation, Science and …" is a list, not two people
        if bare.endswith(("’s", "'s")):
            name = []  # "Hockey Canada's Sarah Nurse": the owner is not part of the name
            continue
        following = next((p for p in parts[n + 1 :] if p not in NAME_PARTICLES), "")
        if bare in NAME_PARTICLES and name and following[:1].isupper():
            name.append(bare)  # "Willem de Groot", "Ursula von der Leyen"
            continue
        if not _NAME_TOKEN_RE.match(bare) or bare.lower() in _NOT_NAME_WORDS or bare.isupper():
            name = []  # a title, description or acronym: the name starts after it
            continue
        name.append(bare)
    if "and" in name and len(name) - name.index("and") < 3:  # "Glynn and Jones", "Vladimir Putin and"
        joined = name.index("and")
        name = name[joined + 1 :] or name[:joined]
    return " ".join(name) or None


class ArticleSpeakers:
    """Names the speakers of one article without the store.

    Built with every speaker phrase the extractors found, so that "he" or "she" can take the
    speaker whose name was printed last before the pronoun.
    """

    def __init__(self, article_text: str, speaker_phrases: Iterable[str | None] = ()) -> None:
        self.article_text = article_text
        self.previous: str | None = None
        self._fullest: dict[str, str] = {}
        names = {name_in(p) for p in speaker_phrases if p and p.lower() not in _CARRY_OVER}
        self.speakers = {self._fullest_form(name) for name in names if name}
        self.titled = _titled_names(article_text)
        self.people = self.speakers | _full_names(article_text) | self.titled
        self.named = {p for p in self.people if " " in p or p in self.titled}  # not a place or a body
        self._genders: dict[str, str | None] = {}
        self.previous_body: str | None = None  # the last organisation that spoke: what "it" refers to

    def resolve(
        self, as_written: str | None, offset: int | None = None, claim: tuple[int, int] | None = None
    ) -> tuple[str, str] | None:
        """``(canonical name, name as written)`` for a speaker phrase at ``offset``, or ``None``
        if it names no one. A pronoun never means someone named in the ``claim`` span it
        introduces ("Macharia and colleagues hid under desks, he said": he is not Macharia)."""
        if not as_written:
            return None
        if as_written.lower() in _CARRY_OVER:
            gender = "f" if as_written.lower() in {"she", "her"} else "m"
            claim_text = self.article_text[claim[0] : claim[1]] if claim else ""
            referent = self._last_named_before(offset, gender, claim_text) if offset is not None else None
            referent = referent or self.previous
            return (referent, as_written) if referent else None
        if as_written.lower() == "it":
            return (self.previous_body, as_written) if self.previous_body else None
        name = name_in(as_written)
        if name is None:
            described = self._described(as_written)
            if described is None and offset is not None and _describes_a_person(as_written):
                described = self._last_of(self.named, offset, as_subject=False)  # "the Cambridge resident"
            if described is None:
                return None
            self.previous = described
            return described, described
        self.previous = self._fullest_form(name)
        if not self._is_person(self.previous):
            self.previous_body = self.previous
        return self.previous, name

    def _is_person(self, name: str) -> bool:
        """Whether a name is a person's (a known first name, or a surname after a title), not a
        body's ("BC Hydro", "Canadian Pacific Railway")."""
        return name in self.titled or name.split()[0].lower() in FIRST_NAMES

    def _described(self, phrase: str) -> str | None:
        """The person a description names: "the Russian leader" is whoever this article
        introduced as "Russian President Vladimir Putin". The words before the role must match
        that introduction (capitalised ones, nationalities and places, count double), or with none
        the role itself ("the mayor": "Mayor Doug McCallum"); a tie names no one."""
        words = phrase.replace("’s", "").replace("'s", "").split()
        if len(words) < 2 or words[0].lower() != "the" or words[-1].lower() not in PERSON_ROLES:
            return None
        wanted = {w.lower(): 2 if w[:1].isupper() else 1 for w in words[1:-1]} or {words[-1].lower(): 1}
        scores: Counter[str] = Counter()
        for person in self.people:
            titles: set[str] = set()
            for match in re.finditer(rf"((?:[\w’'.-]+ ){{1,4}}){re.escape(person)}\b", self.article_text):
                titles.update(w.lower() for w in match.group(1).split())
            scores[person] = sum(weight for word, weight in wanted.items() if word in titles)
        ranked = scores.most_common(2)
        if not ranked or ranked[0][1] == 0 or (len(ranked) == 2 and ranked[1][1] == ranked[0][1]):
            return None
        return self._fullest_form(ranked[0][0])  # "Mayor McCallum" is the "Doug McCallum" named before

    def _gender(self, person: str) -> str | None:
        """ "m" or "f": the usual gender of the person's first name, else the pronouns that follow
        the name in the article; ``None`` when neither is clear."""
        first = person.split()[0].lower()
        usual = "u" if first in NAME_PARTICLES else FIRST_NAMES.get(first, "u")  # "Al Hashish": no first name
        if usual != "u":
            return usual
        if person not in self._genders:
            counts: Counter[str] = Counter()
            surname = re.escape(person.split()[-1])
            for match in re.finditer(rf"\b{surname}\b", self.article_text):
                window = self.article_text[match.end() : match.end() + 120].lower()
                pronoun = re.search(r"\b(he|his|him|she|her|hers)\b", window)
                if pronoun:
                    counts["f" if pronoun.group(1).startswith(("she", "her")) else "m"] += 1
            top = counts.most_common(2)
            clear = top and (len(top) == 1 or top[0][1] > top[1][1])
            self._genders[person] = top[0][0] if clear else None
        return self._genders[person]

    def _last_named_before(self, offset: int, gender: str, claim_text: str = "") -> str | None:
        """The person named last before ``offset`` whose pronouns, if the article shows them, agree,
        and who is not named in ``claim_text``."""
        named = self.named | {p for p in self.speakers if self._is_person(p)}  # "Demi" said: a person
        named = {
            p
            for p in named
            if p.split()[-1].lower() not in _NOT_SURNAMES  # not "United States"
            and not re.search(rf"\b{re.escape(p.split()[-1])}\b", claim_text)
        }
        genders = {p: self._gender(p) for p in named}
        gendered = [p for p in named if genders[p] == gender]
        unknown = [p for p in named if genders[p] is None and p in self.speakers]
        return self._last_of(gendered + unknown, offset)

    def _last_of(self, people: Iterable[str], offset: int, as_subject: bool = True) -> str | None:
        """Of ``people``, the one named last before ``offset`` (as a subject, unless told otherwise)."""
        best: tuple[int, str] | None = None
        for person in sorted(people):  # a fixed order: a surname two people share goes the same way
            forms = {person, person.split()[-1]}
            for form in forms:
                at = self.article_text.rfind(form, 0, offset)
                while at >= 0 and not (
                    _whole_word(self.article_text, at, at + len(form))
                    and (not as_subject or _as_subject(self.article_text, at, at + len(form)))
                ):
                    at = self.article_text.rfind(form, 0, at)
                if at >= 0 and (best is None or at > best[0]):
                    best = (at, person)
        return best[1] if best else None

    def _fullest_form(self, name: str) -> str:
        """The fullest form of a one-word name printed in the article ("Putin": "Vladimir Putin")."""
        if " " in name:
            return name
        if name not in self._fullest:
            self._fullest[name] = self._find_fullest_form(name)
        return self._fullest[name]

    def _find_fullest_form(self, name: str) -> str:
        pattern = re.compile(
            rf"\b((?:[A-Z][\w’'-]+ ){{1,2}}{re.escape(name)}|{re.escape(name)}(?: [A-Z][\w’'-]+){{1,2}})\b"
        )
        forms = Counter(
            candidate
            for match in pattern.finditer(self.article_text)
            if (candidate := name_in(match.group(1))) and candidate != name and name in candidate.split()
        )
        return forms.most_common(1)[0][0] if forms else name


_SURNAME = r"[A-Z][\w-]*(?:['’](?!s\b)\w+)?"  # "O'Brien", "Na'moks", not the "’s" of "Lopez’s"
_FULL_NAME_RE = re.compile(  # overlapping, so "Attorney General Jody Wilson-Raybould" yields the name
    rf"(?=\b([A-Z][a-z]+)((?: {_SURNAME}){{1,2}})\b(?! ?/))"  # not a photo credit "(Ann Lee / AP)"
)
_TITLED_NAME_RE = re.compile(  # overlapping, so "Chief Executive Elon Musk" yields the name
    rf"(?=\b([A-Za-z]+)\.? ({_SURNAME}(?: {_SURNAME}){{0,2}})\b(?! ?[A-Z/]))"
)


def _full_names(text: str) -> set[str]:
    """People the article names in full, speakers or not, so a later "he" can refer to someone
    who was not quoted by name: a known first name and a surname ("Nino Niederreiter")."""
    return {
        f"{first}{rest}"
        for first, rest in _FULL_NAME_RE.findall(text)
        if FIRST_NAMES.get(first.lower(), "u") != "u"
        and first.lower() not in _NOT_FIRST_NAMES
        and rest.split()[-1].lower() not in _NOT_SURNAMES
        and not any(c.isdigit() for c in rest)  # "Bill C-74"
    }


def _titled_names(text: str) -> set[str]:
    """Names the article prints after a title: people, though one word ("Justice Dunphy", "Chief
    Na'moks") or with a first name the lexicon does not know ("spokesperson Lu Kang")."""
    return {
        name
        for title, name in _TITLED_NAME_RE.findall(text)
        if title.lower() in TITLES
        and (title[0].isupper() or " " in name)  # "the official Lu Kang", not "the chief Dunphy"
        and not any(word.lower() in _NOT_TITLED_NAMES for word in name.split())
    }


def _describes_a_person(phrase: str) -> bool:
    """Whether a speaker phrase is a definite description of a person the article has named, by
    what they are rather than by an office ("the laid-back Cambridge resident", "the rookie
    defenceman"); an office ("the judge") names whoever holds it, who may be someone the article
    never named, and a relation ("the father") someone new."""
    words = phrase.lower().split()
    head = words[-1] if words else ""
    person = head in PERSON_NOUNS or (head.endswith(_PERSON_SUFFIXES) and len(head) > 5)  # not "list"
    return (
        len(words) >= 2
        and words[0] == "the"
        and person
        and head not in PERSON_ROLES
        and head not in TITLES
        and not _NOT_IN_DESCRIPTIONS & set(words)
    )


_PERSON_SUFFIXES = ("man", "woman", "ist")  # "defenceman", "columnist"
_NOT_IN_DESCRIPTIONS = frozenset("who that which of".split())  # "the person who spoke …": someone new


def _as_subject(text: str, start: int, end: int) -> bool:
    """Whether a name at ``start:end`` is not the object of a preposition or verb ("met Lukas
    Berg", "with Berg") nor a possessive ("Berg's car"): it opens its sentence or clause, or
    follows a title or descriptor."""
    if text.startswith(("'s", "’s"), end):
        return False
    words = text[max(0, start - 60) : start].split()
    while words and words[-1][:1].isupper() and words[-1][-1] not in ".,;:":
        words.pop()  # the rest of the name: "Tariq" before "Aziz"
    if words and words[-1].endswith(",") and text.startswith(",", end) and _relative(words):
        return False  # someone's relation named in apposition: "his father's friend, Martin Legere, gave"
    if not words or words[-1][-1] in ".!?,;:—–(\"“”'’":
        return True
    return words[-1].lower() not in _OBJECT_MARKERS


def _relative(words: list[str]) -> bool:
    """Whether the phrase that ``words`` end with, back to the comma before it, is someone's
    relation: "his father's friend,"."""
    phrase: list[str] = []
    for n, word in enumerate(reversed(words)):
        if n and word.endswith((",", ";", ":", ".")):
            break
        phrase.insert(0, word.rstrip(","))
    if phrase and phrase[0].lower() in _FRONTING_PREPOSITIONS:
        return False  # a fronted phrase: "For his part, Brooks, who …"
    return any(w.lower() in {"his", "her", "their"} or w.endswith(("'s", "’s")) for w in phrase)


_FRONTING_PREPOSITIONS = frozenset("for in on at by with from after before during unlike like".split())


_OBJECT_MARKERS = frozenset(  # after an article a name is a modifier: "the Ford government"
    """with to for by from of about at on in against than and or met told asked thanked called
    meet tell ask thank call like including the a an""".split()
)


def _whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())


class SpeakerResolver:
    """Resolves the speakers of one article to stored speakers, creating them as needed."""

    def __init__(
        self, session: Session, article_text: str, speaker_phrases: Iterable[str | None] = ()
    ) -> None:
        self.session = session
        self.names = ArticleSpeakers(article_text, speaker_phrases)
        self.known: dict[tuple[str, str], tuple[int, str]] = {}

    def resolve(
        self, as_written: str | None, offset: int | None = None, claim: tuple[int, int] | None = None
    ) -> tuple[int, str] | None:
        """``(speaker id, canonical name)`` for a speaker as written, or ``None`` if unresolved."""
        named = self.names.resolve(as_written, offset, claim)
        if named is None:
            return None
        full, written = named
        if (full, written) not in self.known:
            self.known[(full, written)] = self._speaker_for(full, written)
        return self.known[(full, written)]

    def _speaker_for(self, full: str, written: str) -> tuple[int, str]:
        if written.lower() in _PRONOUNS:
            written = full  # "he" names someone else in the next article: never an alias
        speaker = self._known_speaker(full, written)
        if speaker is None:
            speaker = Speaker(name=full)
        elif set(speaker.name.split()) < set(full.split()):
            speaker.name = full  # a fuller form of the name: "Xi" becomes "Xi Jinping"
        self.session.add(speaker)
        self.session.flush()
        assert speaker.id is not None
        self._add_alias(speaker.id, full)
        self._add_alias(speaker.id, written)
        self._add_alias(speaker.id, full.split()[-1])  # a later article's "Putin" alone, if no one has it
        return speaker.id, speaker.name

    def _known_speaker(self, full: str, written: str) -> Speaker | None:
        """The stored speaker the name or its written form is an alias of, unless the names
        differ ("Jane Smith" is not the "John Smith" that "Smith" first meant)."""
        for key in dict.fromkeys((normalize(full), normalize(written))):
            alias = self.session.get(SpeakerAlias, key)
            if alias is not None:
                speaker = self.session.get_one(Speaker, alias.speaker_id)
                mine, theirs = set(full.split()), set(speaker.name.split())
                if mine <= theirs or theirs <= mine:
                    return speaker
        return None

    def _add_alias(self, speaker_id: int, alias: str) -> None:
        key = normalize(alias)
        if key and self.session.get(SpeakerAlias, key) is None:
            self.session.add(SpeakerAlias(key=key, speaker_id=speaker_id, alias=alias))
            self.session.flush()
