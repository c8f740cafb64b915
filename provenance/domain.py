"""The values that flow between pipeline stages and plugins: extractions, claim texts, match scores.

Plugins see only these plain dataclasses, never database rows, so a third-party extractor or
matcher does not depend on the store (this module imports no ORM). The protocols declare every
attribute a plugin may set, with its default; the registry (:mod:`provenance.plugins`) reads
the optional ones and checks the required ones when a plugin registers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # a type only: loading the domain loads no database layer
    from sqlalchemy import Connection

__all__ = [
    "ArticleSummary",
    "ArticleText",
    "CandidateSource",
    "ClaimKind",
    "ClaimText",
    "Exporter",
    "Extraction",
    "Extractor",
    "FirstSeen",
    "IngestedArticle",
    "MatchScore",
    "Matcher",
    "Passage",
    "Report",
    "ReportClaim",
    "ReportMention",
    "ReportRelation",
    "ReportSpeaker",
]


class ClaimKind(StrEnum):
    """What sort of claim a mention carries."""

    QUOTE = "quote"
    ATTRIBUTION = "attribution"
    FIGURE = "figure"


class SpeakerKind(StrEnum):
    """What sort of source a speaker is: who said it, or what printed it."""

    PERSON = "person"
    ORGANISATION = "organisation"  # a company, ministry, party, police force, …
    MEDIA = "media"  # an outlet: "The Hill", "the New York Times"
    DOCUMENT = "document"  # a letter, memo, report, ad, statement
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ArticleText:
    """A cleaned article handed to extractors; offsets refer to ``text``."""

    text: str
    title: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """One claim found in an article, with character offsets into the article's cleaned text."""

    kind: ClaimKind
    text: str
    start: int
    end: int
    speaker: str | None = None
    cue: str | None = None
    value: float | None = None
    unit: str | None = None
    counted: str | None = None
    context: str | None = None
    speaker_start: int | None = None  # where the speaker phrase is written, if an extractor knows

    @property
    def speaker_offset(self) -> int:
        """Where the speaker is read from: the claim, or the speaker phrase written before it (a
        quote continuing an earlier speaker's words takes "he" as that speaker's "he" meant)."""
        return self.start if self.speaker_start is None else min(self.start, self.speaker_start)


@dataclass(frozen=True, slots=True)
class ClaimText:
    """What a matcher compares: a new extraction or a stored claim, reduced to comparable fields."""

    kind: ClaimKind
    text: str
    speaker: str | None = None
    value: float | None = None
    unit: str | None = None
    counted: str | None = None
    context: str | None = None
    claim_id: int | None = None
    speaker_kind: str | None = None  # a SpeakerKind value: an outlet or a document contradicts no person


@dataclass(frozen=True, slots=True)
class MatchScore:
    """A matcher's verdict on one pair: a score in [0, 1] and a short human-readable reason."""

    score: float
    explanation: str


@runtime_checkable
class Extractor(Protocol):
    """Finds claims in cleaned article text.

    ``languages`` lists the ISO 639-1 codes of the articles it reads (``frozenset({"en"})``);
    ``None``, the default (or an empty set), reads every language. An attribute with a default
    may be left out: the registry reads it with that default.
    """

    name: str
    languages: frozenset[str] | None = None

    def extract(self, article: ArticleText) -> Iterable[Extraction]:
        """Every claim in ``article``, in any order."""
        ...


@runtime_checkable
class Matcher(Protocol):
    """Decides how likely a new claim text and a stored claim are the same claim.

    ``score`` returns ``None`` when the matcher does not apply to the pair (for example a
    text matcher asked about figures). A pair links when its score reaches ``threshold``; a
    matcher may also carry a lower ``suggest_threshold`` from which pairs are suggested for
    review (``None``, the default, or left out: nothing is suggested). Both are in [0, 1].
    ``version`` is stored with every decision.
    """

    name: str
    version: str
    threshold: float
    suggest_threshold: float | None = None

    def score(self, query: ClaimText, candidate: ClaimText) -> MatchScore | None:
        """Score ``query`` against ``candidate``."""
        ...


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """The article a mention appears in, as reports show it (never its text)."""

    id: int
    url: str | None
    title: str | None
    outlet: str | None
    published_at: datetime | None
    ingested_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReportSpeaker:
    """The person (or organisation, outlet, document) a claim is attributed to."""

    id: int
    name: str | None
    kind: str = SpeakerKind.UNKNOWN.value  # a SpeakerKind value


@dataclass(frozen=True, slots=True)
class FirstSeen:
    """Where and when a claim was first seen: its first article, that article's publication
    time (when known) and when the claim was stored."""

    article_id: int
    published_at: datetime | None
    seen_at: datetime | None


@dataclass(frozen=True, slots=True)
class Passage:
    """The quotation as printed that a mention is part of (a quote of three sentences is three
    mentions of one passage), as offsets into the article's stored text and its words."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ReportRelation:
    """A claim related to the one reported, which is ``part_of`` it (an excerpt of its words),
    ``contains`` it (it is an excerpt of this one) or ``conflicts_with`` it (the same figure of the
    same thing with another value); ``score`` says how closely (``None`` for older relations)."""

    claim_id: int
    relation: str
    score: float | None
    detail: str


@dataclass(frozen=True, slots=True)
class ReportMention:
    """One appearance of a claim in a report (the stable report contract)."""

    id: int
    article: ArticleSummary
    text: str
    start: int
    end: int
    passage: Passage
    speaker: str | None  # as written ("he", "the minister", "Putin")
    resolved_speaker: ReportSpeaker | None  # the person it resolves to in the store, if any
    cue: str | None
    matcher: str | None
    score: float | None
    speaker_kind: str | None = None  # what the speaker as written is: a SpeakerKind value


@dataclass(frozen=True, slots=True)
class ReportClaim:
    """One claim with its mentions in order of appearance and its related claims. Exporters
    receive every mention and relation; API views carry a bounded sample of each, and
    ``mention_count`` and ``related_count`` always count them all."""

    id: int
    kind: str
    text: str
    speaker: ReportSpeaker | None
    first_seen: FirstSeen | None
    value: float | None
    unit: str | None
    counted: str | None
    mentions: Sequence[ReportMention] = field(default_factory=tuple)
    mention_count: int = field(kw_only=True)
    related: Sequence[ReportRelation] = field(default_factory=tuple, kw_only=True)
    related_count: int = field(default=0, kw_only=True)


@dataclass(frozen=True, slots=True)
class QuotedClaim:
    """One claim inside a quotation as printed: the claim, and the mention that prints it there."""

    claim_id: int
    kind: str
    text: str  # the claim's words
    mention_id: int
    start: int  # the mention, as offsets into the article's stored text
    end: int


@dataclass(frozen=True, slots=True)
class Quotation:
    """A quotation as an article printed it, whole (a quote of three sentences is one quotation
    of three claims), with its speaker as written and the person that resolves to."""

    passage: Passage
    speaker: str | None
    resolved_speaker: ReportSpeaker | None
    cue: str | None
    claims: Sequence[QuotedClaim]
    speaker_kind: str | None = None  # what the speaker as written is: a SpeakerKind value


@dataclass(frozen=True, slots=True)
class Report:
    """What an exporter turns into bytes: claims streamed in id order, and when the report was made."""

    generated_at: datetime
    claims: Iterator[ReportClaim]


@runtime_checkable
class CandidateSource(Protocol):
    """Proposes the stored claims worth scoring for new claims, from an index of its own kept in
    the store, so a matcher that compares meaning, sound or another language is shown the claims
    it can link, not only those sharing words.

    Every method gets the connection of the transaction that ingests (or edits) claims, on
    SQLite or PostgreSQL: what a source writes commits or rolls back with the claims. The
    proposals of every source are merged (the built-in ``bigrams`` first) and every matcher
    scores each proposed claim, with the core's guards and both thresholds, as for any other.
    """

    name: str

    def setup(self, connection: Connection) -> None:
        """Create the source's tables if they are missing (``provenance db upgrade`` and the
        start of the API and of ``provenance ingest`` call it; it must be idempotent)."""
        ...

    def propose(self, connection: Connection, claims: Sequence[ClaimText]) -> Sequence[Sequence[int]]:
        """For each claim, the ids of stored claims worth scoring for it, best first: a few
        dozen at most (ids of claims since merged into others are dropped by the core)."""
        ...

    def add(self, connection: Connection, claims: Sequence[ClaimText]) -> None:
        """Index claims just stored (each with its ``claim_id``)."""
        ...

    def merged(self, connection: Connection, claim_id: int, into_id: int) -> None:
        """An editor folded ``claim_id`` into ``into_id``: what found the one should find the other."""
        ...


@runtime_checkable
class Exporter(Protocol):
    """Writes a provenance report in one format."""

    format: str
    media_type: str
    extension: str

    def export(self, report: Report) -> Iterator[bytes]:
        """The report as a stream of byte chunks."""
        ...


@dataclass(frozen=True, slots=True)
class IngestedArticle:
    """What the ``article_ingested`` event reports about a newly stored article."""

    article_id: int
    url: str | None
    mention_ids: Sequence[int]
    new_claim_ids: Sequence[int]
