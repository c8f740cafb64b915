"""What identifies a claim and relates claims, shared by ingest and editorial actions: a claim's
comparable form, its exact-lookup key, and the relations recorded between claims."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from provenance.clock import utcnow
from provenance.db import insert_many
from provenance.domain import ClaimKind, ClaimText, Extraction
from provenance.models import ClaimRelation, RelationKind
from provenance.numbers import figure_key
from provenance.text import text_key


def claim_text(extraction: Extraction, speaker: str | None, speaker_kind: str | None = None) -> ClaimText:
    """The comparable form of an extraction, with its speaker's name and kind."""
    return ClaimText(
        kind=extraction.kind,
        text=extraction.text,
        speaker=speaker,
        value=extraction.value,
        unit=extraction.unit,
        counted=extraction.counted,
        context=extraction.context,
        speaker_kind=speaker_kind,
    )


def claim_words(printed: str) -> str:
    """What was said, without what framed it in one article: the quote marks around it and the
    comma that led into the attribution ("“We will stay,” she said" → "We will stay"). A single
    quote mark is dropped only in a pair, so a closing possessive ("the members’") stays."""
    text = printed.strip()
    while True:
        bare = text.strip().strip(_DOUBLE_MARKS).rstrip(",;:").strip()
        if bare[:1] in _SINGLE_MARKS and bare[-1:] in _SINGLE_MARKS and len(bare) > 1:
            bare = bare[1:-1].strip()
        if bare == text or not bare:
            return text or printed
        text = bare


_DOUBLE_MARKS = '“”„‟"«»‹›'
_SINGLE_MARKS = "‘’‚‛'"


def claim_key(claim: ClaimText) -> str:
    """The exact-lookup key of a claim: its normalised text, or for a figure its value, unit and thing."""
    if claim.kind == ClaimKind.FIGURE:
        return text_key(figure_key(claim.value, claim.unit, claim.counted))
    return text_key(claim.text)


def store_relations(session: Session, rows: list[tuple[int, int, RelationKind, str, float | None]]) -> None:
    """Record relations between claims (``(claim, related claim, kind, detail, score)``) once,
    whichever way round they were found (a claim is never related to itself)."""
    pairs = {(a, b, kind): (detail, score) for a, b, kind, detail, score in rows if a != b}
    if not pairs:
        return
    ids = sorted({i for a, b, _ in pairs for i in (a, b)})
    existing = {
        (a, b, kind)
        for a, b, kind in session.execute(
            select(
                col(ClaimRelation.claim_id), col(ClaimRelation.related_claim_id), col(ClaimRelation.kind)
            ).where(col(ClaimRelation.claim_id).in_(ids), col(ClaimRelation.related_claim_id).in_(ids))
        )
    }
    fresh = []
    for (a, b, kind), (detail, score) in pairs.items():
        symmetric = kind == RelationKind.CONFLICTS_WITH and (b, a, kind.value) in existing
        if (a, b, kind.value) not in existing and not symmetric:
            existing.add((a, b, kind.value))
            fresh.append(
                {
                    "claim_id": a,
                    "related_claim_id": b,
                    "kind": kind.value,
                    "detail": detail,
                    "score": score,
                    "created_at": utcnow(),
                }
            )
    insert_many(session.connection(), ClaimRelation, fresh)  # a page of figures: thousands
