"""The built-in candidate source, ``bigrams``: shortlists stored claims for a new text without
scanning the store; and :class:`ArticleIndex`, the same for the new claims of the article being
linked.

Each claim keeps, per sentence, the ``KEYS_PER_SENTENCE`` lowest hashes of its word bigrams in the
``claim_key`` table (bottom-k sketches: similar texts share their lowest hashes). A query looks up
every bigram hash it has and ranks claims by how many keys they share. Figures and exact texts
are found through the indexed ``claim.key`` column instead. The source is registered through the
``register_candidate_sources`` hook, as a third-party source would be.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, Executable, bindparam, delete, func, insert, literal, select, union_all
from sqlmodel import col

from provenance import hookimpl
from provenance.claims import claim_key
from provenance.db import IN_CHUNK, insert_many, qmarks
from provenance.domain import CandidateSource, ClaimKind, ClaimText
from provenance.models import ClaimKey, StopKey
from provenance.numbers import figure_thing
from provenance.text import normalize, sentence_spans

KEYS_PER_SENTENCE = 7
MAX_CANDIDATES = 12
SURE_CANDIDATES = 4  # the best-ranked candidates, kept whatever they share; past them ...
LONE_KEY_QUERY = 8  # ... a query with this many keys or more drops claims sharing one key only
MAX_POSTINGS = 1000  # claims per key; a key this common becomes a stop key
LOCAL_POSTINGS = 100  # new claims of one article per key or exact key; past it the key stops
LOCAL_CANDIDATES = MAX_CANDIDATES  # new claims of the same article scored for a mention, at most


@lru_cache(maxsize=65_536)  # a news vocabulary's common bigrams recur in text after text
def _hash(bigram: str) -> int:
    return int.from_bytes(hashlib.blake2b(bigram.encode(), digest_size=8).digest(), "big", signed=True)


@lru_cache(maxsize=4096)  # a new claim's text is hashed for its lookup, then for its keys
def bigram_hashes(text: str) -> frozenset[int]:
    """Hashes of the word bigrams of ``text``'s normalised form (a lone word counts as one)."""
    tokens = normalize(text).split()
    if len(tokens) == 1:
        return frozenset((_hash(tokens[0]),))
    return frozenset(_hash(f"{a} {b}") for a, b in pairwise(tokens))


def claim_keys(claim: ClaimText) -> set[int]:
    """The keys a claim is indexed under: the lowest bigram hashes of the text and of each
    sentence, and for a figure what it measures (so other values of it can be found)."""
    text = claim.text
    keys = set(sorted(bigram_hashes(text))[:KEYS_PER_SENTENCE])
    for start, end in sentence_spans(text):
        keys.update(sorted(bigram_hashes(text[start:end]))[:KEYS_PER_SENTENCE])
    return keys | _figure_keys(claim)


def query_keys(claim: ClaimText) -> frozenset[int]:
    """The keys looked up for a claim: every bigram hash of its text, and its figure key."""
    return bigram_hashes(claim.text) | _figure_keys(claim)


def _figure_keys(claim: ClaimText) -> set[int]:
    if claim.kind != ClaimKind.FIGURE or not claim.counted:
        return set()
    return {_hash("figure " + figure_thing(claim.unit, claim.counted))}


class BigramIndex:
    """The built-in candidate source (see :class:`provenance.domain.CandidateSource`); its
    tables, ``claim_key`` and ``claim_key_stop``, come with the store's migrations."""

    name = "bigrams"

    def setup(self, connection: Connection) -> None:
        """Nothing to create: the migrations made the tables."""

    def propose(self, connection: Connection, claims: Sequence[ClaimText]) -> list[list[int]]:
        """For each claim: the stored claims with its exact key first, then the claims sharing
        most index keys, at most :data:`MAX_CANDIDATES` of those. The store counts the shared
        keys and returns only the shortlist; stop keys have no postings, so looking them up adds
        nothing. A repeated claim is asked once.

        Past the :data:`SURE_CANDIDATES` best, a claim sharing a single key with a query of
        :data:`LONE_KEY_QUERY` keys or more is left out: in a large store such claims are chance
        neighbours (one common bigram), while variants and excerpts share several keys or rank
        first."""
        places: dict[tuple[frozenset[int], str], int] = {}
        queries = [(query_keys(claim), claim_key(claim)) for claim in claims]
        distinct: list[tuple[list[int], str]] = []
        floors: list[int] = []
        for hashes, exact in queries:
            if (hashes, exact) in places:
                continue
            places[hashes, exact] = len(distinct)
            keys = sorted(hashes)[:IN_CHUNK]  # a long text: the lowest hashes, which variants share
            distinct.append((keys, exact))
            floors.append(2 if len(keys) >= LONE_KEY_QUERY else 1)  # keys shared past the sure ones
        if connection.dialect.name == "postgresql":
            rows = _batched_rows(connection, distinct)
        else:
            rows = _statement_rows(connection, distinct)
        found = [_shortlist(ranked, floor) for ranked, floor in zip(rows, floors, strict=True)]
        return [found[places[query]] for query in queries]

    def add(self, connection: Connection, claims: Sequence[ClaimText]) -> None:
        """Index claims under their :func:`claim_keys`."""
        add_to_index(connection, ((key, c.claim_id) for c in claims if c.claim_id for key in claim_keys(c)))

    def merged(self, connection: Connection, claim_id: int, into_id: int) -> None:
        """``into_id`` takes over the keys of ``claim_id`` (those it lacks), which loses them."""
        keys = select(col(ClaimKey.key)).where(col(ClaimKey.claim_id) == claim_id)
        have = select(col(ClaimKey.key)).where(col(ClaimKey.claim_id) == into_id)
        moved = set(connection.execute(keys).scalars()) - set(connection.execute(have).scalars())
        add_to_index(connection, ((key, into_id) for key in moved))
        connection.execute(delete(ClaimKey).where(col(ClaimKey.claim_id) == claim_id))


@hookimpl
def register_candidate_sources() -> list[CandidateSource]:
    return [BigramIndex()]


def _shortlist(rows: Iterable[tuple[int, int]], floor: int) -> list[int]:
    """The claim ids of a shortlist statement's ``(claim id, keys shared)`` rows, best first: the
    exact hits, the :data:`SURE_CANDIDATES` best of the rest, and past them those sharing ``floor``
    keys or more; a claim once (an exact hit may also share keys)."""
    ids, place = [], 0
    for claim_id, shared in rows:
        if shared != _EXACT_HIT:
            place += 1
            if place > SURE_CANDIDATES and shared < floor:
                continue
        ids.append(claim_id)
    return list(dict.fromkeys(ids))


def _statement_rows(connection: Connection, queries: list[tuple[list[int], str]]) -> list[list[Any]]:
    """The ``(claim id, keys shared)`` rows of each query's shortlist statement, run one after
    another on the driver's own cursor (SQLite: no round trips to save)."""
    cursor = connection.connection.cursor()
    try:
        return [
            cursor.execute(_SHORTLIST_SQL.format(keys=qmarks(len(keys))), (exact, *keys)).fetchall()
            for keys, exact in queries
        ]
    finally:
        cursor.close()


def _batched_rows(connection: Connection, queries: list[tuple[list[int], str]]) -> list[list[Any]]:
    """The same rows as :func:`_statement_rows`, :data:`_BATCH` queries to a statement
    (PostgreSQL): the queries travel as arrays, so an article of thousands of claims costs a few
    statements, not thousands."""
    found: list[list[Any]] = [[] for _ in queries]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        for start in range(0, len(queries), _BATCH):
            batch = queries[start : start + _BATCH]
            numbers = [n for n, (keys, _) in enumerate(batch, start) for _ in keys]
            keys = [key for keys, _ in batch for key in keys]
            exact = [key for _, key in batch]
            exact_numbers = list(range(start, start + len(batch)))
            # planned for these arrays, never prepared: a generic plan, blind to their lengths,
            # scanned every stored claim for each query's exact key (1.0 s of a long article)
            cursor.execute(_BATCHED_SHORTLIST_SQL, (exact_numbers, exact, numbers, keys), prepare=False)
            for n, claim_id, shared in cursor.fetchall():
                found[n].append((claim_id, shared))
    finally:
        cursor.close()
    return found


# The hottest statement of ingest and matching, so plain SQL run by the driver's cursor: SQLAlchemy
# would re-render the IN lists and wrap every result, which costs more than the query itself.
# Rows: (claim id, keys shared), best first: the exact hits, then the claims sharing most keys
# (:func:`_shortlist` keeps the chance neighbours out, cheaper in Python than a window function in
# the store).
_EXACT_HIT = 1 << 30  # ranks an exact-key hit above any count of shared keys
_SHORTLIST_SQL = f"""
SELECT id AS claim_id, {_EXACT_HIT} AS shared FROM claim WHERE key = ? AND merged_into_id IS NULL
UNION ALL
SELECT * FROM (
    SELECT claim_id, COUNT(*) AS shared FROM claim_key WHERE key IN ({{keys}})
    GROUP BY claim_id ORDER BY shared DESC, claim_id LIMIT {MAX_CANDIDATES}
) AS ranked
ORDER BY shared DESC, claim_id
"""
# PostgreSQL answers a batch of shortlists in one statement (one per query cost a round trip and
# a plan each: 3.0 s of a 199k-character page of figures, 0.55 s batched): each query's number
# beside its exact key, and beside each of its keys (the arrays unnested side by side, the keys
# then gathered per query); each query's claims are counted and ranked on their own
# (``LATERAL``), a small top-N per query where ranking the whole batch in one sort spilled to
# disk. The arrays travel in binary. Rows come ordered by query, then as :data:`_SHORTLIST_SQL`
# orders them.
_BATCH = 512  # shortlists to a statement
_BATCHED_SHORTLIST_SQL = f"""
SELECT q.n, claim.id, {_EXACT_HIT} AS shared
FROM unnest(%b::int[], %b::text[]) AS q(n, key)
JOIN claim ON claim.key = q.key AND claim.merged_into_id IS NULL
UNION ALL
SELECT q.n, ranked.claim_id, ranked.shared
FROM (SELECT n, array_agg(key) AS keys FROM unnest(%b::int[], %b::bigint[]) AS k(n, key) GROUP BY n) AS q
CROSS JOIN LATERAL (
    SELECT claim_id, COUNT(*) AS shared FROM claim_key WHERE key = ANY(q.keys)
    GROUP BY claim_id ORDER BY shared DESC, claim_id LIMIT {MAX_CANDIDATES}
) AS ranked
ORDER BY 1, 3 DESC, 2
"""
_KEY_STATE = union_all(  # per key: -1 for a stop key, else its postings (a key with none is absent)
    select(col(StopKey.key), literal(-1)).where(col(StopKey.key).in_(bindparam("keys", expanding=True))),
    select(col(ClaimKey.key), func.count())
    .where(col(ClaimKey.key).in_(bindparam("keys", expanding=True)))
    .group_by(col(ClaimKey.key)),
)


def _in_chunks(connection: Connection, statement: Executable, keys: Sequence[object]) -> Iterator[Any]:
    for start in range(0, len(keys), IN_CHUNK):
        yield from connection.execute(statement, {"keys": keys[start : start + IN_CHUNK]}).all()


def add_to_index(connection: Connection, rows: Iterable[tuple[int, int]]) -> None:
    """Index claims under their keys (``(key, claim id)`` rows). A key that would pass
    :data:`MAX_POSTINGS` claims becomes a stop key instead: its postings are dropped and it is
    never posted to again, so names and stock phrases do not flood the shortlist."""
    by_key: dict[int, list[int]] = defaultdict(list)
    for key, claim_id in rows:
        by_key[key].append(claim_id)
    keys = sorted(by_key)
    postings = dict(_in_chunks(connection, _KEY_STATE, keys))
    stopped = {k for k, count in postings.items() if count < 0}
    full = [k for k in keys if k not in stopped and postings.get(k, 0) + len(by_key[k]) >= MAX_POSTINGS]
    if full:
        connection.execute(insert(StopKey), [{"key": k} for k in full])
        for start in range(0, len(full), IN_CHUNK):
            connection.execute(delete(ClaimKey).where(col(ClaimKey.key).in_(full[start : start + IN_CHUNK])))
    skip = stopped.union(full)
    kept = [{"key": k, "claim_id": i} for k, ids in by_key.items() if k not in skip for i in ids]
    insert_many(connection, ClaimKey, kept)


class ArticleIndex:
    """The claims first seen in the article being linked, indexed the way the store indexes
    claims (exact key, then shared index keys), so each later mention of the article finds them
    in bounded time instead of scanning every earlier one. A key posted by
    :data:`LOCAL_POSTINGS` claims stops (as :data:`MAX_POSTINGS` does in the store), and a
    mention gets at most :data:`LOCAL_CANDIDATES` of them, those sharing most keys. An
    ordinary article never reaches either bound; a results table or a run of quotes does."""

    def __init__(self) -> None:
        self.claims: list[ClaimText] = []
        self._exact: dict[str, list[int]] = defaultdict(list)
        self._postings: dict[int, list[int]] = defaultdict(list)
        self._stopped: set[int] = set()

    def add(self, claim: ClaimText, exact_key: str, keys: Iterable[int]) -> int:
        """Index a new claim; returns its stand-in id (negative: it has no row yet)."""
        place = len(self.claims)
        claim_id = -(place + 1)
        self.claims.append(replace(claim, claim_id=claim_id))
        if len(self._exact[exact_key]) < LOCAL_POSTINGS:
            self._exact[exact_key].append(place)
        for key in keys:
            if key in self._stopped:
                continue
            posting = self._postings[key]
            posting.append(place)
            if len(posting) >= LOCAL_POSTINGS:
                self._stopped.add(key)
                del self._postings[key]
        return claim_id

    def candidates(self, exact_key: str, lookup: Iterable[int]) -> list[ClaimText]:
        """The new claims worth scoring for a mention, in the order they were added."""
        shared: Counter[int] = Counter()
        for key in lookup:
            shared.update(self._postings.get(key, ()))
        for place in self._exact.get(exact_key, ()):
            shared[place] = _EXACT_HIT
        best = shared if len(shared) <= LOCAL_CANDIDATES else dict(shared.most_common(LOCAL_CANDIDATES))
        return [self.claims[place] for place in sorted(best)]
