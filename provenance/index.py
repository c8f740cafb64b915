"""The candidate index: shortlists stored claims for a new text without scanning the store.

Each claim keeps, per sentence, the ``KEYS_PER_SENTENCE`` lowest hashes of its word bigrams in the
``claim_key`` table (bottom-k sketches: similar texts share their lowest hashes). A query looks up
every bigram hash it has and ranks claims by how many keys they share. Figures and exact texts
are found through the indexed ``claim.key`` column instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlmodel import Session, col

from provenance.models import Claim, ClaimKey
from provenance.text import normalize, sentence_spans

KEYS_PER_SENTENCE = 8
MAX_CANDIDATES = 30


def _hash(bigram: str) -> int:
    return int.from_bytes(hashlib.blake2b(bigram.encode(), digest_size=8).digest(), "big", signed=True)


def bigram_hashes(text: str) -> set[int]:
    """Hashes of the word bigrams of ``text``'s normalised form (a lone word counts as one)."""
    tokens = normalize(text).split()
    if len(tokens) == 1:
        return {_hash(tokens[0])}
    return {_hash(f"{a} {b}") for a, b in zip(tokens, tokens[1:], strict=False)}


def claim_keys(text: str) -> set[int]:
    """The keys a claim is indexed under: the lowest bigram hashes of the text and of each sentence."""
    keys = set(sorted(bigram_hashes(text))[:KEYS_PER_SENTENCE])
    for start, end in sentence_spans(text):
        keys.update(sorted(bigram_hashes(text[start:end]))[:KEYS_PER_SENTENCE])
    return keys


def index_rows(claim_id: int, text: str) -> list[dict[str, int]]:
    """Rows for ``claim_key`` that index one claim."""
    return [{"key": key, "claim_id": claim_id} for key in claim_keys(text)]


def candidate_ids(session: Session, text: str, exact_keys: Iterable[str] = ()) -> list[int]:
    """Ids of stored claims worth scoring against ``text``: exact-key hits first, then the
    claims sharing most index keys, at most ``MAX_CANDIDATES`` of those."""
    ids: list[int] = []
    exact = list(exact_keys)
    if exact:
        ids.extend(session.execute(select(Claim.id).where(col(Claim.key).in_(exact))).scalars())
    hashes = list(bigram_hashes(text))
    if hashes:
        shared = func.count().label("shared")
        rows = session.execute(
            select(ClaimKey.claim_id, shared)
            .where(col(ClaimKey.key).in_(hashes))
            .group_by(col(ClaimKey.claim_id))
            .order_by(shared.desc(), col(ClaimKey.claim_id))
            .limit(MAX_CANDIDATES)
        ).all()
        ids.extend(claim_id for claim_id, _ in rows if claim_id not in ids)
    return [i for i in ids if i is not None]
