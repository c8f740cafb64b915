"""Semantic suggestions: translations and paraphrases of one person's statement, for review.

Two translations of one statement often share too few words for the bigram index to propose them
or the fuzzy matcher to see them. This plugin compares what people said by meaning instead, with
the 256-dimensional sentence embeddings of WordLlama, whose wheel carries the model: it is loaded
once per process from the package's own folder, never downloaded.

- The candidate source ``semantic`` keeps an embedding of every quote and attribution with a
  speaker in its table ``semantic_vector``, under each person of the speaker (their surname), and
  proposes for a new claim the stored claims of the same person that are closest in meaning.
- The matcher ``semantic`` scores two quotes or two attributions of the same person by the cosine
  of their embeddings. Embeddings alone cannot tell another translation of a statement from
  another statement on the same subject, so it only suggests: its threshold is 1 and its scores
  stop under the built-in fuzzy matcher's link threshold (0.79 by default), so that no suggestion
  of it ranks above a link; an editor confirms every pair it finds.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import wordllama
from numpy.typing import NDArray
from sqlalchemy import (
    Column,
    Connection,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)

from provenance import hookimpl
from provenance.claims import claim_words
from provenance.domain import CandidateSource, ClaimKind, ClaimText, Matcher, MatchScore
from provenance.names import members, same_person
from provenance.settings import Settings

SUGGEST_THRESHOLD = 0.55  # a pair of one person's claims this close in meaning waits for an editor
MAX_SCORE = 0.99  # under the threshold of 1: the matcher never links ...
UNDER_LINKS = 0.01  # ... and under the fuzzy matcher's link threshold by this much (see register_matchers)
RECENT_PER_PERSON = 2_000  # stored claims of one person compared: translations appear within days
MAX_PROPOSALS = 10  # claims proposed per new claim, closest first
QUANTISATION_SLACK = 0.02  # stored vectors are int8: propose a little under the threshold
TEXT_KINDS = frozenset({ClaimKind.QUOTE, ClaimKind.ATTRIBUTION})
DIMENSIONS = 256  # of the model the wordllama wheel carries

Vector = NDArray[np.float32]

VECTORS = Table(
    "semantic_vector",
    MetaData(),
    Column("speaker_key", String(255), primary_key=True),  # a surname, as person_keys gives it
    Column("claim_id", Integer, primary_key=True, autoincrement=False),
    Column("vector", LargeBinary, nullable=False),  # the unit embedding, scaled into int8: 256 bytes
    Index("ix_semantic_vector_claim_id", "claim_id"),  # merges find a claim's rows
    sqlite_with_rowid=False,  # rows clustered by person, newest claims together
)
# run on the driver's cursor, as the core runs its hottest statements: SQLAlchemy's wrapping of
# 2,000 rows costs more than reading them
_RECENT = (
    f"SELECT claim_id, vector FROM semantic_vector WHERE speaker_key = {{mark}}"
    f" ORDER BY claim_id DESC LIMIT {RECENT_PER_PERSON}"
)

_loading = threading.Lock()
_models: list[wordllama.WordLlamaInference] = []


def model() -> wordllama.WordLlamaInference:
    """The 256-d WordLlama model from the wordllama package's own folder, downloads disabled;
    loaded on first use, once per process (each API worker process loads its own)."""
    with _loading:
        if not _models:
            folder = Path(wordllama.__file__).parent
            _models.append(wordllama.WordLlama.load(cache_dir=folder, disable_download=True))
        return _models[0]


@lru_cache(maxsize=4096)  # a new claim is embedded to propose, to score and to index
def embedding(text: str) -> Vector:
    """The unit-length embedding of a claim text (the words said, without their quote marks);
    zeros for a text with no words."""
    vector = np.nan_to_num(np.asarray(model().embed(claim_words(text))[0], dtype=np.float32))
    length = float(np.linalg.norm(vector))
    vector = vector / length if length else vector
    vector.flags.writeable = False  # shared by every caller of the cache
    return vector


def person_keys(speaker: str | None) -> list[str]:
    """The keys a speaker's claims are filed under: the surname (last word) of each person named
    ("Ana Ruiz and Tom Bexley": ruiz, bexley)."""
    keys = []
    for person in members(speaker or ""):
        words = [w for w in (part.strip(".,").casefold() for part in person.split()) if len(w) > 1]
        if words:
            keys.append(words[-1])
    return list(dict.fromkeys(keys))


def _quantised(vector: Vector) -> bytes:
    """``vector`` scaled so that its largest component is ±127, as int8 (cosines ignore scale)."""
    peak = float(np.abs(vector).max())
    return np.round(vector * (127 / peak if peak else 0)).astype(np.int8).tobytes()


def _unquantised(blobs: Sequence[bytes]) -> Vector:
    """Stored vectors, one per row, at unit length again."""
    vectors = np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(-1, DIMENSIONS).astype(np.float32)
    lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: Vector = np.divide(vectors, lengths, out=np.zeros_like(vectors), where=lengths > 0)
    return unit


def _recent(connection: Connection, cursor: Any, key: str) -> tuple[NDArray[np.int64], Vector]:
    """The ids and unit vectors of the :data:`RECENT_PER_PERSON` latest claims filed under ``key``."""
    cursor.execute(_RECENT.format(mark="%s" if connection.dialect.name == "postgresql" else "?"), (key,))
    rows = cursor.fetchall()
    return np.array([row[0] for row in rows], dtype=np.int64), _unquantised([row[1] for row in rows])


def _closest(claim: ClaimText, filed: list[tuple[NDArray[np.int64], Vector]]) -> list[int]:
    """The ids of up to :data:`MAX_PROPOSALS` of the ``filed`` claims (ids and vectors, per person)
    whose cosine with ``claim`` reaches the suggestion threshold (less the int8 slack), closest first."""
    if not any(len(ids) for ids, _ in filed):
        return []
    ids, vectors = filed[0]
    if len(filed) > 1:  # a joint statement: the claims of each of its people
        ids, vectors = np.concatenate([i for i, _ in filed]), np.concatenate([v for _, v in filed])
    cosines = vectors @ embedding(claim.text)
    close = np.flatnonzero(cosines >= SUGGEST_THRESHOLD - QUANTISATION_SLACK)
    enough = MAX_PROPOSALS * len(filed)  # a claim filed under several of the people counts once each
    if len(close) > enough:
        close = close[np.argpartition(-cosines[close], enough)[:enough]]
    closest = ids[close[np.argsort(-cosines[close], kind="stable")]]
    return list(dict.fromkeys(closest.tolist()))[:MAX_PROPOSALS]


class SemanticSource:
    """Proposes the stored quotes and attributions of the same person closest in meaning to a
    new one (see :class:`provenance.domain.CandidateSource`)."""

    name = "semantic"

    def setup(self, connection: Connection) -> None:
        """Create ``semantic_vector`` and its index if missing, on SQLite or PostgreSQL."""
        VECTORS.create(connection, checkfirst=True)

    def propose(self, connection: Connection, claims: Sequence[ClaimText]) -> list[list[int]]:
        """For each quote or attribution with a speaker: among the :data:`RECENT_PER_PERSON`
        latest claims filed under each of its people, up to :data:`MAX_PROPOSALS` whose cosine
        reaches the suggestion threshold (less the int8 slack), closest first. Others get none."""
        filed: dict[str, tuple[NDArray[np.int64], Vector]] = {}  # per person: read once per call
        found: list[list[int]] = []
        cursor = connection.connection.cursor()
        try:
            for claim in claims:
                keys = person_keys(claim.speaker) if claim.kind in TEXT_KINDS else []
                for key in keys:
                    if key not in filed:
                        filed[key] = _recent(connection, cursor, key)
                found.append(_closest(claim, [filed[key] for key in keys]))
        finally:
            cursor.close()
        return found

    def add(self, connection: Connection, claims: Sequence[ClaimText]) -> None:
        """File the embedding of each new quote and attribution with a speaker under its people."""
        rows = [
            {"speaker_key": key, "claim_id": claim.claim_id, "vector": _quantised(embedding(claim.text))}
            for claim in claims
            if claim.claim_id and claim.kind in TEXT_KINDS
            for key in person_keys(claim.speaker)
        ]
        if rows:
            connection.execute(insert(VECTORS), rows)

    def merged(self, connection: Connection, claim_id: int, into_id: int) -> None:
        """``claim_id`` is never proposed again: its vector moves to ``into_id`` under the people
        that claim is not filed under yet, and is dropped under the others."""
        filed = select(VECTORS.c.speaker_key).where(VECTORS.c.claim_id == into_id)
        connection.execute(
            update(VECTORS)
            .where(VECTORS.c.claim_id == claim_id, VECTORS.c.speaker_key.not_in(filed))
            .values(claim_id=into_id)
        )
        connection.execute(delete(VECTORS).where(VECTORS.c.claim_id == claim_id))


class SemanticMatcher:
    """The cosine of two claims' embeddings, for two quotes or two attributions of one person, up
    to ``max_score``; suggests from :data:`SUGGEST_THRESHOLD`, never links."""

    name = "semantic"
    version = "1"
    threshold = 1.0  # never reached: scores stop at max_score
    suggest_threshold: float | None = SUGGEST_THRESHOLD

    def __init__(self, max_score: float = MAX_SCORE) -> None:
        self.max_score = min(max_score, MAX_SCORE)

    def score(self, query: ClaimText, candidate: ClaimText) -> MatchScore | None:
        """``None`` unless both are quotes or attributions whose named speakers can be one person."""
        if query.kind not in TEXT_KINDS or candidate.kind not in TEXT_KINDS:
            return None
        if not (query.speaker and candidate.speaker and same_person(query.speaker, candidate.speaker)):
            return None
        cosine = float(embedding(query.text) @ embedding(candidate.text))
        return MatchScore(
            min(max(cosine, 0.0), self.max_score),
            f"cosine {cosine:.2f} of sentence embeddings, same speaker; "
            f"suggests only (from {SUGGEST_THRESHOLD}): an editor confirms",
        )


@hookimpl
def register_candidate_sources(settings: Settings) -> list[CandidateSource]:
    return [SemanticSource()]


@hookimpl
def register_matchers(settings: Settings) -> list[Matcher]:
    # POST /v1/match lists hits by score, whatever their status: scores under the built-ins' link
    # threshold keep every suggestion of this matcher below the texts they link
    return [SemanticMatcher(settings.fuzzy_threshold - UNDER_LINKS)]
