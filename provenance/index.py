"""The candidate index: shortlists stored claims for a new text without scanning the store.

Each claim keeps, per sentence, the ``KEYS_PER_SENTENCE`` lowest hashes of its word bigrams in the
``claim_key`` table (bottom-k sketches: similar texts share their lowest hashes). A query looks up
every bigram hash it has and ranks claims by how many keys they share. Figures and exact texts
are found through the indexed ``claim.key`` column instead.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import pairwise

from sqlalchemy import select
from sqlmodel import Session, col

from provenance.models import Claim, ClaimKey
from provenance.text import normalize, sentence_spans

KEYS_PER_SENTENCE = 8
MAX_CANDIDATES = 30
_IN_CHUNK = 900  # bound parameters per IN list, well under SQLite's limit


def _hash(bigram: str) -> int:
    return int.from_bytes(hashlib.blake2b(bigram.encode(), digest_size=8).digest(), "big", signed=True)


def bigram_hashes(text: str) -> set[int]:
    """Hashes of the word bigrams of ``text``'s normalised form (a lone word counts as one)."""
    tokens = normalize(text).split()
    if len(tokens) == 1:
        return {_hash(tokens[0])}
    return {_hash(f"{a} {b}") for a, b in pairwise(tokens)}


def claim_keys(text: str) -> set[int]:
    """The keys a claim is indexed under: the lowest bigram hashes of the text and of each sentence."""
    keys = set(sorted(bigram_hashes(text))[:KEYS_PER_SENTENCE])
    for start, end in sentence_spans(text):
        keys.update(sorted(bigram_hashes(text[start:end]))[:KEYS_PER_SENTENCE])
    return keys


def candidate_ids(session: Session, text: str, exact_keys: Iterable[str] = ()) -> list[int]:
    """Ids of stored claims worth scoring against ``text``; see :func:`candidates_for`."""
    return candidates_for(session, [(text, list(exact_keys))])[0]


def candidates_for(session: Session, queries: Sequence[tuple[str, Sequence[str]]]) -> list[list[int]]:
    """For each ``(text, exact keys)``: exact-key hits first, then the claims sharing most index
    keys with the text, at most ``MAX_CANDIDATES`` of those. Two queries for the whole batch."""
    exact = sorted({key for _, keys in queries for key in keys})
    by_exact: dict[str, list[int]] = defaultdict(list)
    if exact:
        for key, claim_id in session.execute(
            select(col(Claim.key), col(Claim.id)).where(col(Claim.key).in_(exact))
        ):
            by_exact[key].append(claim_id)
    hashes_per_query = [bigram_hashes(text) for text, _ in queries]
    all_hashes = sorted(set().union(*hashes_per_query)) if queries else []
    postings: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(all_hashes), _IN_CHUNK):
        chunk = all_hashes[start : start + _IN_CHUNK]
        rows = session.execute(
            select(col(ClaimKey.key), col(ClaimKey.claim_id)).where(col(ClaimKey.key).in_(chunk))
        )
        for key, claim_id in rows:
            postings[key].append(claim_id)
    results = []
    for (_, keys), hashes in zip(queries, hashes_per_query, strict=True):
        shared: Counter[int] = Counter()
        for key in hashes:
            shared.update(postings.get(key, ()))
        ids = list(dict.fromkeys(claim_id for key in keys for claim_id in by_exact.get(key, ())))
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:MAX_CANDIDATES]
        ids.extend(claim_id for claim_id, _ in ranked if claim_id not in ids)
        results.append(ids)
    return results
