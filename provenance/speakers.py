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
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import pairwise

from sqlmodel import Session, col, select

from provenance.domain import SpeakerKind
from provenance.lexicon import (
    CONNECTIVES,
    FIRST_NAMES,
    FUNCTION_WORDS,
    MEDIA_HEADS,
    NAME_PARTICLES,
    ORGANISATION_HEADS,
    PERSON_NOUNS,
    PERSON_ROLES,
    PLACE_HEADS,
    PRONOUNS,
    QUANTIFIERS,
    REPORTING_VERBS,
    SPEAKER_NOUNS,
    SPEAKING_TEXTS,
    TITLES,
)
from provenance.models import Speaker, SpeakerAlias
from provenance.names import MISSPELT_SURNAME_LETTERS, NICKNAME_RE, is_joint, members, same_person
from provenance.text import normalize, sentence_bounds

_NAME_TOKEN_RE = re.compile(r"^[A-Z][\w’'-]*$")
_CARRY_OVER = frozenset({"he", "she", "him", "her"})
_PRONOUNS = PRONOUNS | _CARRY_OVER
# word sets the name scans test for every token, built once
_NOT_NAME_WORDS = TITLES | SPEAKER_NOUNS | FUNCTION_WORDS | CONNECTIVES | QUANTIFIERS  # never in a name
_NOT_FIRST_NAMES = FUNCTION_WORDS | TITLES  # "The Bank", "President Ann": no first name
_NOT_SURNAMES = PLACE_HEADS | SPEAKER_NOUNS  # "Douglas County", "Grace Church": not people
_NOT_TITLED_NAMES = _NOT_NAME_WORDS | PLACE_HEADS  # "Justice Minister", "Chief Justice"
_TITLES_IN = TITLES.issuperset  # "Vice-President", "Ex-Minister": a title of titles


@lru_cache(maxsize=65_536)  # an article prints its speakers' phrases again and again
def name_in(phrase: str) -> str | None:
    """The personal name inside a speaker phrase ("Russian President Vladimir Putin" -> "Vladimir Putin")."""
    if phrase.lower() in PRONOUNS:
        return None
    organisation = _organisation_in(phrase)
    if organisation is not None:
        return organisation
    name: list[str] = []
    listed = False
    parts = [part for part in phrase.split() if not NICKNAME_RE.fullmatch(part)]  # 'Robert "Bobby" Lyle'
    for n, part in enumerate(parts):
        bare = part.strip(",.")
        if bare == "of" and name:
            break  # "Richard Shelby of Alabama": the place is not part of the name
        if bare == "and" and name and "and" not in name and not listed:
            name.append(bare)  # "Charles Glynn and Richard Jones", "Zadan and Meron" speak together
            continue
        listed = listed or part.endswith(",")  # "Innovation, Science and …" is a list, not two people
        if bare.endswith(("’s", "'s")):
            name = []  # "Hockey Canada's Sarah Nurse": the owner is not part of the name
            continue
        following = next((p for p in parts[n + 1 :] if p not in NAME_PARTICLES), "")
        if bare in NAME_PARTICLES and name and following[:1].isupper():
            name.append(bare)  # "Willem de Groot", "Ursula von der Leyen"
            continue
        if (
            not _NAME_TOKEN_RE.match(bare)
            or bare.lower() in _NOT_NAME_WORDS
            or bare.isupper()
            or _TITLES_IN(bare.lower().split("-"))
            or bare.endswith("-based")  # "Calgary-based Suncor"
        ):
            name = []  # a title, description or acronym: the name starts after it
            continue
        name.append(bare)
    if name[-1:] == ["and"]:  # "Vladimir Putin and"
        name.pop()
    if len(name) >= 3 and name[0].lower() not in FIRST_NAMES and name[1].lower() in FIRST_NAMES:
        name.pop(0)  # "Author Cecil Foster", "Calgary Mayor": a word before a first name, not part of it
    return " ".join(name) or None


@lru_cache(maxsize=65_536)
def _organisation_in(phrase: str) -> str | None:
    """An organisation or outlet a speaker phrase ends with, named whole: capitalised words ending
    in an organisation's head ("Nova Scotia Health Authority", "the New York Times"), with one
    before "of" ("Bank of Canada"), opening with an acronym ("BC Hydro"), or after a capitalised
    "The" ("The Hill") or with no title among them ("NDP Leader Jagmeet Singh" is a person)."""
    run: list[str] = []
    for part in reversed([p.strip(",.") for p in phrase.split()]):
        if part[:1].isupper() or (part in {"of", "&"} and run):
            run.insert(0, part)
        else:
            break
    while run and run[0] in {"of", "&"}:
        run.pop(0)
    if len(run) < 2:
        return None
    heads = {run[-1].lower()} | {w.lower() for w, after in pairwise(run) if after == "of"}
    titled = any(w.lower() in TITLES for w in run)
    if heads & ORGANISATION_HEADS or (
        not titled and (run[0] == "The" or (run[0].isupper() and len(run[0]) > 1))
    ):
        return " ".join(run)
    return None


class ArticleSpeakers:
    """Names the speakers of one article without the store.

    Built with every speaker phrase the extractors found, so that "he" or "she" can take the
    speaker whose name was printed last before the pronoun.
    """

    def __init__(self, article_text: str, speaker_phrases: Iterable[str | None] = ()) -> None:
        self.article_text = article_text
        self.previous: str | None = None
        self._fullest: dict[str, str] = {}
        self._descriptions: dict[str, str | None] = {}
        self._titles: dict[str, set[str]] = {}
        self._referents: dict[str, tuple[set[str], dict[str, list[str]]]] = {}
        self._forms: dict[tuple[str, bool], tuple[list[int], list[int]]] = {}
        self._word_starts: dict[str, list[int]] | None = None
        self._mentions: dict[tuple[str, bool], tuple[list[int], list[tuple[int, str, str]]]] = {}
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
            referent = (
                self._last_named_before(offset, gender, claim_text, claim) if offset is not None else None
            )
            if referent is None and self.previous and self._gender(self.previous) in {gender, None}:
                referent = self.previous  # the last speaker, unless the pronoun cannot be theirs
            return (referent, as_written) if referent else None
        if as_written.lower() == "it":
            return (self.previous_body, as_written) if self.previous_body else None
        name = name_in(as_written)
        if name is None:
            described = self._described(as_written)
            if described is None and offset is not None and _describes_a_person(as_written):
                described = self._last_named(
                    "", self.named, offset, set(), as_subject=False
                )  # "the Cambridge resident"
            if described is None:
                return None
            self.previous = described
            return described, described
        self.previous = self._fullest_form(name)
        if not self._is_person(self.previous):
            self.previous_body = self.previous
        return self.previous, name

    def kind_of(
        self, as_written: str | None, named: tuple[str, str] | None, cue: str | None = None
    ) -> str | None:
        """What sort of source a speaker as written is (a :class:`~provenance.domain.SpeakerKind`
        value), given the name it resolved to: a document ("the letter", "a Homeland Security
        memo"), an outlet (an organisation whose name ends like one, or that "reported"), another
        organisation, a person, or unknown; ``None`` for no speaker."""
        if not as_written:
            return None
        words = as_written.lower().replace("’s", "").replace("'s", "").split()
        head = words[-1].strip(",.") if words else ""
        if head in _CARRY_OVER or head == "i":
            return SpeakerKind.PERSON.value
        if head in SPEAKING_TEXTS:
            return SpeakerKind.DOCUMENT.value
        if head == "it":
            return SpeakerKind.ORGANISATION.value  # "it said": a body that spoke
        name = named[0] if named else None
        organisation = _organisation_in(as_written) or (name and _organisation_in(name))
        if organisation:
            media = organisation.split()[-1].lower() in MEDIA_HEADS or (cue or "").startswith("report")
            return (SpeakerKind.MEDIA if media else SpeakerKind.ORGANISATION).value
        if name and (is_joint(name) or self._is_person(name) or len(name.split()) > 1):
            return SpeakerKind.PERSON.value
        if not name and (head in PERSON_ROLES or head in PERSON_NOUNS or head.endswith(_PERSON_SUFFIXES)):
            return SpeakerKind.PERSON.value  # "the minister", "the father"
        if head in ORGANISATION_HEADS:
            return SpeakerKind.ORGANISATION.value  # "the ministry", "police", "the Kremlin"
        return SpeakerKind.UNKNOWN.value

    def _printed(self, form: str) -> list[int]:
        """Where ``form`` is printed at the start of a word (after no letter or digit), in order; or,
        for a form not opening with a letter or digit, everywhere it is printed."""
        text = self.article_text
        if not form[:1].isalnum():
            return _occurrences(text, form)
        if self._word_starts is None:
            self._word_starts = {}
            for word in _ALNUM_RUN_RE.finditer(text):
                self._word_starts.setdefault(word.group(), []).append(word.start())
        first = _ALNUM_RUN_RE.match(form)
        assert first is not None
        return [at for at in self._word_starts.get(first.group(), ()) if text.startswith(form, at)]

    def _is_person(self, name: str) -> bool:
        """Whether a name is a person's (a known first name, or a surname after a title), not a
        body's ("BC Hydro", "Canadian Pacific Railway")."""
        return name in self.titled or name.split()[0].lower() in FIRST_NAMES

    def _described(self, phrase: str) -> str | None:
        """The person a description names: "the Russian leader" is whoever this article
        introduced as "Russian President Vladimir Putin". The words before the role must match
        that introduction (capitalised ones, nationalities and places, count double), or with none
        the role itself ("the mayor": "Mayor Doug McCallum"); a tie names no one."""
        if phrase not in self._descriptions:
            self._descriptions[phrase] = self._find_described(phrase)
        return self._descriptions[phrase]

    def _find_described(self, phrase: str) -> str | None:
        words = phrase.replace("’s", "").replace("'s", "").split()
        if len(words) < 2 or words[0].lower() != "the" or words[-1].lower() not in PERSON_ROLES:
            return None
        wanted = {w.lower(): 2 if w[:1].isupper() else 1 for w in words[1:-1]} or {words[-1].lower(): 1}
        scores: Counter[str] = Counter()
        for person in self.people:
            titles = self._titles_of(person)
            scores[person] = sum(weight for word, weight in wanted.items() if word in titles)
        ranked = scores.most_common(2)
        if not ranked or ranked[0][1] == 0 or (len(ranked) == 2 and ranked[1][1] == ranked[0][1]):
            return None
        return self._fullest_form(ranked[0][0])  # "Mayor McCallum" is the "Doug McCallum" named before

    def _titles_of(self, person: str) -> set[str]:
        """The words (lower case) of the up to four words printed before each mention of ``person``."""
        if person not in self._titles:
            text = self.article_text
            self._titles[person] = {
                word.lower()
                for _, before in _matches_near(
                    text, self._printed(person), 4, _TITLE_CHAR_RE, lambda at: _titled_at(text, at, person)
                )
                for word in before.split()
            }
        return self._titles[person]

    def _gender(self, person: str) -> str | None:
        """ "m" or "f": the usual gender of the person's first name, else the pronouns that follow
        the name in the article; ``None`` when neither is clear."""
        first = person.split()[0].lower()
        usual = "u" if first in NAME_PARTICLES else FIRST_NAMES.get(first, "u")  # "Al Hashish": no first name
        if usual != "u":
            return usual
        if person not in self._genders:
            counts: Counter[str] = Counter()
            surname = person.split()[-1]
            pattern, end = re.compile(rf"\b{re.escape(surname)}\b"), 0
            for at in self._printed(surname):  # what pattern.finditer finds, read only where it may
                match = pattern.match(self.article_text, at) if at >= end else None
                if match is None:
                    continue
                end = match.end()
                window = self.article_text[match.end() : match.end() + 120].lower()
                pronoun = re.search(r"\b(he|his|him|she|her|hers)\b", window)
                if pronoun:
                    counts["f" if pronoun.group(1).startswith(("she", "her")) else "m"] += 1
            top = counts.most_common(2)
            clear = top and (len(top) == 1 or top[0][1] > top[1][1])
            self._genders[person] = top[0][0] if clear else None
        return self._genders[person]

    def _last_named_before(
        self, offset: int, gender: str, claim_text: str = "", claim: tuple[int, int] | None = None
    ) -> str | None:
        """The person named last before ``offset`` whose pronouns, if the article shows them, agree,
        and who is not named in ``claim_text``."""
        people, by_surname = self._referents_of(gender)
        named_in_claim = {
            person
            for word in {"", *_WORD_RUN_RE.findall(claim_text)}  # "": a surname opening with no letter
            for person in by_surname.get(word, ())
            if re.search(rf"\b{re.escape(person.split()[-1])}\b", claim_text)
        }
        last = self._last_named(gender, people, offset, named_in_claim)
        if last is None:
            return None
        opening = claim[0] if claim else offset
        return self._reporter_before(opening, last, people - named_in_claim) or last

    def _reporter_before(self, offset: int, last: str, people: set[str]) -> str | None:
        """The person of ``people`` whose words the sentence before ``offset`` reports, when it
        also names ``last`` in what they said: in "Oppal said Blackmore is charged, while Oler is
        accused. “…,” he said.", he is Oppal, not Oler."""
        text = self.article_text
        here = sentence_bounds(text, offset)[0]
        if here < 2:
            return None
        start, end = sentence_bounds(text, here - 2)
        words = text[start:end].split()
        verb = next((k for k, w in enumerate(words[:_REPORTER_WORDS]) if w.lower() in REPORTING_VERBS), 0)
        if verb == 0 or not all(w[:1].isupper() for w in words[:verb]):
            return None  # the sentence does not open "(Title) Name said …"
        surname = words[verb - 1].strip(",")
        named_last = re.search(rf"\b{re.escape(last.split()[-1])}\b", text[start:end])
        reporter = sorted(p for p in people if p.split()[-1] == surname and p != last)
        return reporter[0] if reporter and named_last else None

    def _referents_of(self, gender: str) -> tuple[set[str], dict[str, list[str]]]:
        """The people "he" or "she" (``gender`` "m" or "f") may refer to, whoever the claim names:
        people named in full or after a title, and speakers who are people ("Demi" said), not
        places ("United States") nor several people, whose gender agrees, or is unknown for a
        speaker; and them by the first word of their surname (a claim naming them must hold it)."""
        if gender not in self._referents:
            named = self.named | {p for p in self.speakers if self._is_person(p)}
            named = {p for p in named if p.split()[-1].lower() not in _NOT_SURNAMES and not is_joint(p)}
            people = {
                p
                for p in named
                if self._gender(p) == gender or (self._gender(p) is None and p in self.speakers)
            }
            by_surname: dict[str, list[str]] = {}
            for person in people:
                first_word = _WORD_RUN_RE.match(person.split()[-1])
                by_surname.setdefault(first_word.group() if first_word else "", []).append(person)
            self._referents[gender] = people, by_surname
        return self._referents[gender]

    def _last_named(
        self, key: str, people: set[str], offset: int, but: set[str], as_subject: bool = True
    ) -> str | None:
        """What :meth:`_last_of` finds of ``people`` but ``but``, read back from ``offset`` through
        the mentions of ``people`` (indexed under ``key``), not person by person: "he" after a
        list of hundreds of names is not compared with each of them."""
        if (key, as_subject) not in self._mentions:
            mentions = sorted(
                (at, person, form)
                for person in people
                for form in {person, person.split()[-1]}
                for at in set(self._mentions_of(form, as_subject)[1]) - {-1}
            )
            self._mentions[(key, as_subject)] = [at for at, _, _ in mentions], mentions
        starts, mentions = self._mentions[(key, as_subject)]
        best: tuple[int, str] | None = None
        n = bisect_right(starts, offset) - 1
        for skipped in range(n + 1):
            at, person, form = mentions[n - skipped]
            if best is not None and at < best[0]:
                break
            if person not in but and self._last_mention(form, offset, as_subject) == at:
                best = (at, min(person, best[1])) if best else (at, person)  # a tie: the first in order
            elif best is None and skipped > _MAX_SKIPPED:
                return self._last_of(people - but, offset, as_subject)  # mostly people it must skip
        return best[1] if best else None

    def _last_of(self, people: Iterable[str], offset: int, as_subject: bool = True) -> str | None:
        """Of ``people``, the one named last before ``offset`` (as a subject, unless told otherwise)."""
        best: tuple[int, str] | None = None
        for person in sorted(people):  # a fixed order: a surname two people share goes the same way
            for form in {person, person.split()[-1]}:
                at = self._last_mention(form, offset, as_subject)
                if at >= 0 and (best is None or at > best[0]):
                    best = (at, person)
        return best[1] if best else None

    def _last_mention(self, form: str, offset: int, as_subject: bool) -> int:
        """Where the last mention of ``form`` ending by ``offset`` begins that is a whole word (and
        a subject, if asked), as a search back with ``str.rfind`` finds it (each search resumes
        before the occurrence it rejected); -1 for none."""
        ends, found = self._mentions_of(form, as_subject)
        n = bisect_right(ends, offset) - 1
        return found[n] if n >= 0 else -1

    def _mentions_of(self, form: str, as_subject: bool) -> tuple[list[int], list[int]]:
        """The ends of the occurrences of ``form`` :meth:`_last_mention` reads, and the answer it gives
        from each."""
        if (form, as_subject) not in self._forms:
            text, size = self.article_text, len(form)
            overlaps = any(form.startswith(form[n:]) for n in range(1, size))  # "Ann Ann" in "Ann Ann Ann"
            starts = _occurrences(text, form) if overlaps else self._printed(form)  # a whole word opens one
            found: list[int] = []  # for each occurrence, the answer of a search back from its end
            for n, at in enumerate(starts):
                if _whole_word(text, at, at + size) and (not as_subject or _as_subject(text, at, at + size)):
                    found.append(at)
                else:
                    before = bisect_right(starts, at - size, 0, n) - 1
                    found.append(found[before] if before >= 0 else -1)
            self._forms[(form, as_subject)] = [at + size for at in starts], found
        return self._forms[(form, as_subject)]

    def _fullest_form(self, name: str) -> str:
        """The fullest form of a one-word name printed in the article ("Putin": "Vladimir Putin"),
        of each person a joint name names ("Zadan and Meron": "Craig Zadan and Neil Meron")."""
        if is_joint(name):
            return " and ".join(self._fullest_form(person) for person in members(name))
        if " " in name:
            return name
        if name not in self._fullest:
            self._fullest[name] = self._find_fullest_form(name)
        return self._fullest[name]

    def _find_fullest_form(self, name: str) -> str:
        pattern = re.compile(
            rf"\b((?:[A-Z][\w’'-]+ ){{1,2}}{re.escape(name)}|{re.escape(name)}(?: [A-Z][\w’'-]+){{1,2}})\b"
        )
        text = self.article_text

        def match_at(at: int) -> tuple[int, str] | None:
            found = pattern.match(text, at)
            return (found.end(), found.group(1)) if found else None

        forms = Counter(
            candidate
            for end, form in _matches_near(text, self._printed(name), 2, _NAME_CHAR_RE, match_at)
            if (candidate := self._name_printed(end - len(form), form))
            and candidate != name
            and name in candidate.split()
        )
        return forms.most_common(1)[0][0] if forms else name

    def _name_printed(self, start: int, form: str) -> str | None:
        """The name in a form printed at ``start``, without a word capitalised only because it
        opens the sentence ("Having Jackman host fits the theme": Jackman; "Producers Craig
        Zadan"): not a known first name, and a word of the "-ing" form, one the article also
        prints in lower case, or one before a known first name."""
        name, text = name_in(form), self.article_text
        if (
            not name
            or not text.startswith(name, start)
            or text[max(0, start - 4) : start].rstrip(" \"“‘'")[-1:].isalnum()
        ):
            return name
        first, *rest = name.split()
        common = first.endswith("ing") or bool(self._printed(first.lower()))
        if (common or (rest and rest[0].lower() in FIRST_NAMES)) and first.lower() not in FIRST_NAMES:
            return " ".join(rest) or None
        return name


_REPORTER_WORDS = 6  # words a sentence's "(Title) Name said" opening may take
_MAX_SKIPPED = 64  # mentions of other people read back before comparing person by person
_NAME_CHAR_RE = re.compile(r"[\w’'-]")  # a character of a word before a name, as the patterns read them
_TITLE_CHAR_RE = re.compile(r"[\w’'.-]")
_TITLE_WORD_RE = re.compile(r"[\w’'.-]+")
_WORD_RUN_RE = re.compile(r"\w+")
_ALNUM_RUN_RE = re.compile(r"[^\W_]+")  # letters and digits, as str.isalnum reads them


def _occurrences(text: str, form: str) -> list[int]:
    """Every offset ``form`` is printed at in ``text``, overlapping ones too."""
    found: list[int] = []
    at = text.find(form)
    while at >= 0:
        found.append(at)
        at = text.find(form, at + 1)
    return found


def _matches_near(
    text: str,
    anchors: list[int],
    words: int,
    word_char: re.Pattern[str],
    match_at: Callable[[int], tuple[int, str] | None],
) -> Iterator[tuple[int, str]]:
    """What a pattern's ``finditer`` finds in ``text`` (``(end, group)`` of each match, given by
    ``match_at``, the pattern's ``match`` at an offset), for a pattern each match of which holds a
    name printed at one of ``anchors`` (in order) with at most ``words`` words (``word_char``
    characters, each followed by one space) before it: tried only at the offsets just before each
    anchor, not at every offset of the text (an article naming many people is not read once per
    name)."""
    pos = 0
    for at in anchors:
        if at < pos:
            continue
        start, spaces = at, 0
        while start > pos and (text[start - 1] == " " or word_char.match(text, start - 1)):
            spaces += text[start - 1] == " "
            if spaces > words:
                break
            start -= 1
        match = next((m for p in range(start, at + 1) if (m := match_at(p))), None)
        if match is None:
            pos = at + 1  # no match starts at or before this anchor
        else:
            yield match
            pos = match[0]


def _titled_at(text: str, at: int, person: str) -> tuple[int, str] | None:
    """What ``((?:[\\w’'.-]+ ){1,4})PERSON\\b`` matches at ``at``: the end of the match and its up to
    four words before ``person`` (the most that are followed by it)."""
    ends: list[int] = []
    while len(ends) < 4 and (word := _TITLE_WORD_RE.match(text, ends[-1] if ends else at)):
        if not text.startswith(" ", word.end()):
            break
        ends.append(word.end() + 1)
    for end in reversed(ends):
        if text.startswith(person, end) and _word_boundary(text, end + len(person)):
            return end + len(person), text[at:end]
    return None


def _word_boundary(text: str, at: int) -> bool:
    """Whether ``\\b`` holds at ``at``: a word character on one side only."""
    before = at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")
    after = at < len(text) and (text[at].isalnum() or text[at] == "_")
    return before != after


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
    if phrase and (phrase[-1].lower() in PERSON_ROLES or phrase[-1].lower() in TITLES):
        return False  # a role, not a relation: "the association's chief executive, Graham Cole,"
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
    """Resolves the speakers one article names (as :meth:`ArticleSpeakers.resolve` reads them) to
    stored speakers, creating them as needed. Every alias is read from the store once: those of
    the ``named`` given up front in one query, with their speakers."""

    def __init__(self, session: Session, named: Iterable[tuple[str, str] | None] = ()) -> None:
        self.session = session
        self.known: dict[tuple[str, str], tuple[int, str, str]] = {}
        self.aliases: dict[str, Speaker | None] = {}  # alias key -> its speaker (None: no such alias)
        self._read_aliases({key for found in named if found for key in _forms(*found)})

    def resolve(self, named: tuple[str, str] | None, kind: str | None = None) -> tuple[int, str, str] | None:
        """``(speaker id, canonical name, kind)`` for ``(full name, as written)`` and the kind of
        source it is, or ``None`` for no one."""
        if named is None:
            return None
        if named not in self.known:
            self.known[named] = self._speaker_for(*named, kind or SpeakerKind.UNKNOWN.value)
        return self.known[named]

    def _speaker_for(self, full: str, written: str, kind: str) -> tuple[int, str, str]:
        forms = _forms(full, written)
        stored = self._stored_aliases(forms)
        speaker = self._known_speaker(full, forms, stored)
        if speaker is None:
            speaker = Speaker(name=full, kind=kind)
        elif not is_joint(full) and len(full.split()) > len(speaker.name.split()):
            speaker.name = full  # a fuller form of the name: "Xi" becomes "Xi Jinping"
        if speaker.kind == SpeakerKind.UNKNOWN.value:
            speaker.kind = kind  # what a later article shows it is
        self.session.add(speaker)
        self.session.flush()
        assert speaker.id is not None
        added = [key for key in forms if key not in stored]
        self.session.add_all(SpeakerAlias(key=key, speaker_id=speaker.id, alias=forms[key]) for key in added)
        self.session.flush()
        self.aliases.update(dict.fromkeys(added, speaker))
        return speaker.id, speaker.name, speaker.kind

    def _known_speaker(self, full: str, forms: Iterable[str], stored: dict[str, Speaker]) -> Speaker | None:
        """The stored speaker who can be the person named (:func:`provenance.names.same_person`):
        found by the name, its written form or a shorter form of it ("Boone Isaacs", "Isaacs"), or
        by the first name and surname initial (a misspelt surname); never one the names cannot be
        ("Jane Smith" is not the "John Smith" that "Smith" first meant), nor by one word that is
        also a first name ("May" alone is not the Elizabeth May of another article). ``forms``
        are the alias keys of the name, ``stored`` the speakers of those that are stored."""
        for key in forms:
            if key in stored and (" " in key or key not in FIRST_NAMES):  # "Kim" or "May" may be anyone
                speaker = stored[key]
                if same_person(full, speaker.name):
                    return speaker
        return self._misspelt(full)

    def _stored_aliases(self, keys: Iterable[str]) -> dict[str, Speaker]:
        """The speaker each of ``keys`` is a stored alias of, by key (read from the store once)."""
        keys = list(keys)
        self._read_aliases(key for key in keys if key not in self.aliases)
        return {key: speaker for key in keys if (speaker := self.aliases[key]) is not None}

    def _read_aliases(self, keys: Iterable[str]) -> None:
        """Read the speakers of ``keys`` from the store (one query)."""
        wanted = sorted(set(keys))
        if not wanted:
            return
        self.aliases.update(dict.fromkeys(wanted))
        found = self.session.exec(
            select(SpeakerAlias.key, Speaker)
            .join(Speaker, col(Speaker.id) == col(SpeakerAlias.speaker_id))
            .where(col(SpeakerAlias.key).in_(wanted))
        )
        self.aliases.update(dict(found.all()))

    def _misspelt(self, full: str) -> Speaker | None:
        """A stored speaker with the same first name and a surname one letter apart."""
        words = normalize(full).split()
        if is_joint(full) or len(words) < 2 or len(words[-1]) < MISSPELT_SURNAME_LETTERS:
            return None
        prefix = " ".join([*words[:-1], words[-1][0]])
        aliases = self.session.exec(
            select(SpeakerAlias)
            .where(
                col(SpeakerAlias.key) >= prefix,
                col(SpeakerAlias.key) < prefix[:-1] + chr(ord(prefix[-1]) + 1),
            )
            .limit(_MISSPELT_CANDIDATES)
        )
        for alias in aliases:
            speaker = self.session.get_one(Speaker, alias.speaker_id)
            if alias.key.startswith(prefix) and same_person(full, speaker.name):
                return speaker
        return None


_MISSPELT_CANDIDATES = 20  # stored names read when looking for a misspelt surname


def _alias_keys(forms: Iterable[str]) -> dict[str, str]:
    """The alias key of each form (the first form printed of each key), blanks left out."""
    keys: dict[str, str] = {}
    for form in forms:
        keys.setdefault(normalize(form), form)
    keys.pop("", None)
    return keys


def _forms(full: str, written: str) -> dict[str, str]:
    """The alias keys a name is stored under, each with its form: in full, as written (not a
    pronoun: "he" names someone else in the next article) and shorter (a later article's "Putin")."""
    return _alias_keys((full, full if written.lower() in _PRONOUNS else written, *_shorter_forms(full)))


def _shorter_forms(full: str) -> list[str]:
    """The shorter forms outlets print a name in: a person's trailing words ("Boone Isaacs",
    "Isaacs"); an organisation's name without a leading "The" ("The Hill": "Hill"), never its last
    words ("Authority" is not the Nova Scotia Health Authority); none for a joint name ("Bexley"
    alone is not "Ana Ruiz and Tom Bexley")."""
    words = full.split()
    if is_joint(full):
        return []
    if _organisation_in(full) == full:
        return [" ".join(words[1:])] if words[0] == "The" else []
    return [" ".join(words[n:]) for n in range(1, len(words))]
