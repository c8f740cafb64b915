"""The candidate index: shortlists stored claims for a new text without scanning the store.

Each claim keeps, per sentence, the ``KEYS_PER_SENTENCE`` lowest hashes of its word bigrams in the
``claim_key`` table (bottom-k sketches: similar texts share their lowest hashes). A query looks up
every bigram hash it has and ranks claims by how many keys they share. Figures and exact texts
are found through the indexed ``claim.key`` column instead.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, Executable, bindparam, delete, insert, select
from sqlmodel import Session, col

from provenance.domain import ClaimKind, ClaimText
from provenance.matchers.figure import figure_thing
from provenance.models import Claim, ClaimKey, StopKey
from provenance.text import normalize, sentence_spans

KEYS_PER_SENTENCE = 7
MAX_CANDIDATES = 20
MAX_POSTINGS = 1000  # claims per key; a key this common becomes a stop key
_IN_CHUNK = 900  # bound parameters per IN list, well under SQLite's limit


def _hash(bigram: str) -> int:
    return int.from_bytes(hashlib.blake2b(bigram.encode(), digest_size=8).digest(), "big", signed=True)


def bigram_hashes(text: str) -> set[int]:
    """Hashes of the word bigrams of ``text``'s normalised form (a lone word counts as one)."""
    tokens = normalize(text).split()
    if len(tokens) == 1:
        return {_hash(tokens[0])}
    return {_hash(f"{a} {b}") for a, b in pairwise(tokens)}


def claim_keys(claim: ClaimText) -> set[int]:
    """The keys a claim is indexed under: the lowest bigram hashes of the text and of each
    sentence, and for a figure what it measures (so other values of it can be found)."""
    text = claim.text
    keys = set(sorted(bigram_hashes(text))[:KEYS_PER_SENTENCE])
    for start, end in sentence_spans(text):
        keys.update(sorted(bigram_hashes(text[start:end]))[:KEYS_PER_SENTENCE])
    return keys | _figure_keys(claim)


def query_keys(claim: ClaimText) -> set[int]:
    """The keys looked up for a claim: every bigram hash of its text, and its figure key."""
    return bigram_hashes(claim.text) | _figure_keys(claim)


def _figure_keys(claim: ClaimText) -> set[int]:
    if claim.kind != ClaimKind.FIGURE or not claim.counted:
        return set()
    return {_hash("figure " + figure_thing(claim.unit, claim.counted))}


@dataclass(frozen=True)
class Shortlists:
    """Candidate claim ids per query, and how many claims each looked-up key has (for the cap)."""

    ids: list[list[int]]
    postings: dict[int, int]


def candidate_ids(session: Session, text: str, exact_keys: Iterable[str] = ()) -> list[int]:
    """Ids of stored claims worth scoring against ``text``; see :func:`candidates_for`."""
    return candidates_for(session, [(bigram_hashes(text), list(exact_keys))]).ids[0]


def candidates_for(session: Session, queries: Sequence[tuple[set[int], Sequence[str]]]) -> Shortlists:
    """For each ``(index keys, exact keys)``: exact-key hits first, then the claims sharing most
    index keys, at most :data:`MAX_CANDIDATES` of those. Stop keys are not looked up, so names
    and stock phrases do not flood the shortlist. Three queries for the whole batch."""
    connection = session.connection()
    exact = sorted({key for _, keys in queries for key in keys})
    by_exact: dict[str, list[int]] = defaultdict(list)
    for key, claim_id in _in_chunks(connection, _EXACT, exact):
        by_exact[key].append(claim_id)
    hashes_per_query = [hashes for hashes, _ in queries]
    all_hashes = sorted(set().union(*hashes_per_query)) if queries else []
    stopped = {key for (key,) in _in_chunks(connection, _STOPPED, all_hashes)}
    postings: dict[int, list[int]] = defaultdict(list)
    for hashed, claim_id in _in_chunks(connection, _POSTINGS, [h for h in all_hashes if h not in stopped]):
        postings[hashed].append(claim_id)
    results = []
    for (_, keys), hashes in zip(queries, hashes_per_query, strict=True):
        shared: Counter[int] = Counter()
        for hashed in hashes:
            shared.update(postings.get(hashed, ()))
        ids = list(dict.fromkeys(claim_id for key in keys for claim_id in by_exact.get(key, ())))
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:MAX_CANDIDATES]
        ids.extend(claim_id for claim_id, _ in ranked if claim_id not in ids)
        results.append(ids)
    counts = {key: len(claims) for key, claims in postings.items()} | dict.fromkeys(stopped, MAX_POSTINGS)
    return Shortlists(results, counts)


# Built once: the statements are compiled once and cached, whatever the number of keys.
_EXACT = select(col(Claim.key), col(Claim.id)).where(
    col(Claim.key).in_(bindparam("keys", expanding=True)), col(Claim.merged_into_id).is_(None)
)
_STOPPED = select(col(StopKey.key)).where(col(StopKey.key).in_(bindparam("keys", expanding=True)))
_POSTINGS = select(col(ClaimKey.key), col(ClaimKey.claim_id)).where(
    col(ClaimKey.key).in_(bindparam("keys", expanding=True))
)


def _in_chunks(connection: Connection, statement: Executable, keys: Sequence[object]) -> Iterator[Any]:
    for start in range(0, len(keys), _IN_CHUNK):
        yield from connection.execute(statement, {"keys": keys[start : start + _IN_CHUNK]}).all()


def add_to_index(session: Session, rows: Iterable[tuple[int, int]], postings: dict[int, int]) -> None:
    """Index claims under their keys (``(key, claim id)`` rows), given how many claims each key
    already has. A key that would pass :data:`MAX_POSTINGS` becomes a stop key instead: its
    postings are dropped and it is never looked up again."""
    by_key: dict[int, list[int]] = defaultdict(list)
    for key, claim_id in rows:
        by_key[key].append(claim_id)
    full = {k for k, ids in by_key.items() if postings.get(k, 0) + len(ids) >= MAX_POSTINGS}
    if full:
        known = set(session.execute(select(col(StopKey.key)).where(col(StopKey.key).in_(full))).scalars())
        fresh = [k for k in full if k not in known]
        if fresh:
            session.execute(insert(StopKey), [{"key": k} for k in fresh])
            session.execute(delete(ClaimKey).where(col(ClaimKey.key).in_(fresh)))
    kept = [{"key": k, "claim_id": i} for k, ids in by_key.items() if k not in full for i in ids]
    if kept:
        session.execute(insert(ClaimKey), kept)
