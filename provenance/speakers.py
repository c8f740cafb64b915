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

from sqlmodel import Session

from provenance.extractors.lexicon import PRONOUNS, SPEAKER_NOUNS, TITLES
from provenance.models import Speaker, SpeakerAlias
from provenance.text import normalize

_NAME_TOKEN_RE = re.compile(r"^[A-Z][\w’'-]*$")
_CARRY_OVER = frozenset({"he", "she", "him", "her"})


def name_in(phrase: str) -> str | None:
    """The personal name inside a speaker phrase ("Russian President Vladimir Putin" -> "Vladimir Putin")."""
    if phrase.lower() in PRONOUNS:
        return None
    parts = phrase.replace("’s ", " ").replace("'s ", " ").split()
    name: list[str] = []
    for part in parts:
        bare = part.strip(",.")
        if not _NAME_TOKEN_RE.match(bare) or bare.lower() in TITLES | SPEAKER_NOUNS or bare.isupper():
            name = []  # a title, description or acronym: the name starts after it
            continue
        name.append(bare)
    return " ".join(name) or None


class ArticleSpeakers:
    """Names the speakers of one article, in reading order, without the store."""

    def __init__(self, article_text: str) -> None:
        self.article_text = article_text
        self.previous: str | None = None

    def resolve(self, as_written: str | None) -> tuple[str, str] | None:
        """``(canonical name, name as written)`` for a speaker phrase, or ``None`` if it names no one."""
        if not as_written:
            return None
        if as_written.lower() in _CARRY_OVER:
            return (self.previous, as_written) if self.previous else None
        name = name_in(as_written)
        if name is None:
            return None
        self.previous = self._fullest_form(name)
        return self.previous, name

    def _fullest_form(self, name: str) -> str:
        if " " in name:
            return name
        pattern = re.compile(
            rf"\b((?:[A-Z][\w’'-]+ ){{1,2}}{re.escape(name)}|{re.escape(name)}(?: [A-Z][\w’'-]+){{1,2}})\b"
        )
        forms = Counter(
            candidate
            for match in pattern.finditer(self.article_text)
            if (candidate := name_in(match.group(1))) and candidate != name and name in candidate.split()
        )
        return forms.most_common(1)[0][0] if forms else name


class SpeakerResolver:
    """Resolves the speakers of one article to stored speakers, creating them as needed."""

    def __init__(self, session: Session, article_text: str) -> None:
        self.session = session
        self.names = ArticleSpeakers(article_text)
        self.known: dict[tuple[str, str], tuple[int, str]] = {}

    def resolve(self, as_written: str | None) -> tuple[int, str] | None:
        """``(speaker id, canonical name)`` for a speaker as written, or ``None`` if unresolved."""
        named = self.names.resolve(as_written)
        if named is None:
            return None
        full, written = named
        if (full, written) not in self.known:
            self.known[(full, written)] = self._speaker_for(full, written)
        return self.known[(full, written)]

    def _speaker_for(self, full: str, written: str) -> tuple[int, str]:
        for key in dict.fromkeys((normalize(full), normalize(written))):
            alias = self.session.get(SpeakerAlias, key)
            if alias is not None:
                speaker = self.session.get(Speaker, alias.speaker_id)
                assert speaker is not None and speaker.id is not None
                if set(speaker.name.split()) < set(full.split()):
                    speaker.name = full  # a fuller form of the name: "Xi" becomes "Xi Jinping"
                    self.session.add(speaker)
                self._add_alias(speaker.id, full)
                self._add_alias(speaker.id, written)
                return speaker.id, speaker.name
        speaker = Speaker(name=full)
        self.session.add(speaker)
        self.session.flush()
        assert speaker.id is not None
        self._add_alias(speaker.id, full)
        self._add_alias(speaker.id, written)
        return speaker.id, speaker.name

    def _add_alias(self, speaker_id: int, alias: str) -> None:
        key = normalize(alias)
        if key and self.session.get(SpeakerAlias, key) is None:
            self.session.add(SpeakerAlias(key=key, speaker_id=speaker_id, alias=alias))
            self.session.flush()
