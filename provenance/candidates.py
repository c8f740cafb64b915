"""Candidates: the stored claims worth scoring for new claims, as every registered candidate
source proposes them (the built-in ``bigrams`` index first; see
:class:`provenance.domain.CandidateSource`), and the sources kept up to date with the claims."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Engine

from provenance.db import IN_CHUNK, qmarks, writing
from provenance.domain import CandidateSource, ClaimKind, ClaimText


def shortlists(
    connection: Connection, sources: Sequence[CandidateSource], claims: Sequence[ClaimText]
) -> list[list[ClaimText]]:
    """For each claim, the stored claims the sources propose for it, in the order proposed (one
    source after another, each claim once), with their speaker's canonical name; claims since
    merged into others are left out."""
    proposals = [source.propose(connection, claims) for source in sources]
    for source, proposed in zip(sources, proposals, strict=True):
        if len(proposed) != len(claims):
            raise ValueError(
                f"candidate source {source.name!r} answered {len(proposed)} of {len(claims)} claims"
            )
    ids = [list(dict.fromkeys(i for proposed in proposals for i in proposed[n])) for n in range(len(claims))]
    stored = claim_texts(connection, {i for found in ids for i in found})
    return [[stored[i] for i in found if i in stored] for found in ids]


def claim_texts(connection: Connection, ids: Collection[int]) -> dict[int, ClaimText]:
    """The comparable form of each stored claim in ``ids`` not merged into another, by id."""
    ordered = sorted(ids)
    statements: list[tuple[str, tuple[Any, ...]]]
    if connection.dialect.name == "postgresql":  # the ids as one array: one statement, prepared once
        statements = [(_CLAIM_TEXTS.format(ids="= ANY(%s)"), (ordered,))] if ordered else []
    else:
        chunks = (ordered[start : start + IN_CHUNK] for start in range(0, len(ordered), IN_CHUNK))
        statements = [(_CLAIM_TEXTS.format(ids=f"IN ({qmarks(len(c))})"), tuple(c)) for c in chunks]
    found: dict[int, ClaimText] = {}
    cursor = connection.connection.cursor()  # the driver's own: a few thousand rows, no ORM wrapping
    try:
        for statement, values in statements:
            cursor.execute(statement, values)
            for (
                kind,
                text,
                speaker,
                value,
                unit,
                counted,
                context,
                claim_id,
                speaker_kind,
            ) in cursor.fetchall():
                found[claim_id] = ClaimText(
                    _KINDS[kind], text, speaker, value, unit, counted, context, claim_id, speaker_kind
                )
    finally:
        cursor.close()
    return found


_KINDS = {kind.value: kind for kind in ClaimKind}  # a dict lookup, not an enum call per row
_CLAIM_TEXTS = """
SELECT claim.kind, claim.text, speaker.name, claim.value, claim.unit, claim.counted, claim.context, claim.id,
       speaker.kind
FROM claim LEFT OUTER JOIN speaker ON speaker.id = claim.speaker_id
WHERE claim.id {ids} AND claim.merged_into_id IS NULL
"""


def index(connection: Connection, sources: Sequence[CandidateSource], claims: Sequence[ClaimText]) -> None:
    """Tell every source of claims just stored (each with its ``claim_id``)."""
    if claims:
        for source in sources:
            source.add(connection, claims)


def merged(connection: Connection, sources: Sequence[CandidateSource], claim_id: int, into_id: int) -> None:
    """Tell every source that an editor folded ``claim_id`` into ``into_id``."""
    for source in sources:
        source.merged(connection, claim_id, into_id)


def setup(engine: Engine, sources: Sequence[CandidateSource]) -> None:
    """Let every source create its tables in the store, if they are missing."""
    with writing(engine) as session:
        for source in sources:
            source.setup(session.connection())
