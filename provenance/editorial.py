"""Editorial control: merge two claims, detach a mention into a claim of its own, confirm or
reject a suggested match. Each decision is recorded (who, when) in ``editorial_action`` and
told to webhook subscribers (an ``editorial.action`` event in the outbox), and detaching or
rejecting leaves a veto so later matching never links that text to that claim again.
The decisions run in the caller's transaction, which holds the linking lock
(:class:`provenance.services.EditorialService` opens it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlmodel import Session, col

from provenance import candidates, outbox
from provenance.claims import claim_key, claim_words, store_relations
from provenance.clock import as_utc
from provenance.domain import CandidateSource, ClaimKind, ClaimText
from provenance.models import (
    Article,
    CandidateStatus,
    Claim,
    ClaimRelation,
    EditorialAction,
    MatchCandidate,
    MatchRule,
    Mention,
    RelationKind,
    Speaker,
)
from provenance.outbox import Event, EventKind
from provenance.queries import APPEARED


class EditorialError(ValueError):
    """A decision that cannot be taken as asked; the message says why."""


class NotFound(LookupError):
    """The claim, mention or suggestion named does not exist."""


@dataclass(frozen=True)
class ActionOut:
    """A recorded editorial decision."""

    id: int
    action: str
    actor: str
    at: datetime
    claim_id: int | None
    other_claim_id: int | None
    mention_id: int | None
    note: str | None


def merge(
    session: Session,
    sources: Sequence[CandidateSource],
    claim_id: int,
    other_id: int,
    actor: str,
    note: str | None = None,
) -> ActionOut:
    """Fold ``other_id`` into ``claim_id``: its mentions, index keys, review trail and relations
    move over, and it is kept only as a pointer (``merged_into_id``). The kept claim's wording
    stays its representative; the other's wording will link to it from now on."""
    if claim_id == other_id:
        raise EditorialError("a claim cannot be merged with itself")
    kept, other = _claim(session, claim_id), _claim(session, other_id)
    if kept.kind != other.kind:
        raise EditorialError(f"claim {claim_id} is a {kept.kind} and claim {other_id} a {other.kind}")
    session.execute(update(Mention).where(col(Mention.claim_id) == other_id).values(claim_id=claim_id))
    _retire_claim(session, sources, other_id, moved_to=claim_id)
    if kept.speaker_id is None and other.speaker_id is not None:
        kept.speaker_id = other.speaker_id
    _refresh_first_seen(session, kept)
    return _record(session, "merge", actor, note, claim_id=claim_id, other_claim_id=other_id)


def detach(
    session: Session, sources: Sequence[CandidateSource], mention_id: int, actor: str, note: str | None = None
) -> ActionOut:
    """Give a mention a claim of its own, and veto its wording for the claim it leaves."""
    mention = session.get(Mention, mention_id)
    if mention is None:
        raise NotFound(f"no mention with id {mention_id}")
    old = _claim(session, mention.claim_id)
    remaining = session.execute(
        select(func.count()).select_from(Mention).where(col(Mention.claim_id) == old.id)
    ).scalar_one()
    if remaining == 1:
        raise EditorialError(
            f"mention {mention_id} is the only mention of claim {old.id}; nothing to detach from"
        )
    detached = _wording(mention, old)
    fresh = Claim(
        kind=old.kind,
        text=claim_words(mention.text),
        key=claim_key(detached),
        speaker_id=mention.speaker_id,
        value=old.value,
        unit=old.unit,
        counted=old.counted,
        context=old.context,
    )
    session.add(fresh)
    session.flush()
    assert fresh.id is not None and old.id is not None
    speaker = session.get(Speaker, mention.speaker_id) if mention.speaker_id else None
    indexed = replace(
        detached,
        claim_id=fresh.id,
        speaker=speaker.name if speaker else None,
        speaker_kind=speaker.kind if speaker else mention.speaker_kind,
    )
    candidates.index(session.connection(), sources, [indexed])  # as ingest indexes a new claim
    mention.claim_id, mention.matcher, mention.matcher_version = fresh.id, None, None
    mention.score, mention.threshold = None, None
    _rule(session, old.id, fresh.key, linked=False)
    session.flush()
    _refresh_first_seen(session, fresh)
    _refresh_first_seen(session, old)
    return _record(
        session, "detach", actor, note, claim_id=fresh.id, other_claim_id=old.id, mention_id=mention_id
    )


def review(
    session: Session,
    sources: Sequence[CandidateSource],
    candidate_id: int,
    accept: bool,
    actor: str,
    note: str | None = None,
) -> ActionOut:
    """Confirm a suggestion (its mention moves to the suggested claim) or reject it (never
    suggested or linked again for that wording)."""
    candidate = session.get(MatchCandidate, candidate_id)
    if candidate is None:
        raise NotFound(f"no suggestion with id {candidate_id}")
    if candidate.status != CandidateStatus.SUGGESTED:
        raise EditorialError(f"candidate {candidate_id} is {candidate.status}, not a pending suggestion")
    mention = session.get_one(Mention, candidate.mention_id)
    target = _claim(session, candidate.claim_id)
    key = claim_key(_wording(mention, session.get_one(Claim, mention.claim_id)))
    if not accept:
        candidate.status = CandidateStatus.REJECTED
        _rule(session, candidate.claim_id, key, linked=False)
        return _record(session, "reject", actor, note, claim_id=candidate.claim_id, mention_id=mention.id)
    left = mention.claim_id
    mention.claim_id = candidate.claim_id
    mention.matcher, mention.matcher_version = candidate.matcher, candidate.matcher_version
    mention.score, mention.threshold = candidate.score, candidate.threshold
    candidate.status = CandidateStatus.CONFIRMED
    _rule(session, candidate.claim_id, key, linked=True)
    still_used = session.execute(
        select(col(Mention.id)).where(col(Mention.claim_id) == left).limit(1)
    ).first()
    if still_used is None:  # the claim the mention had on its own: fold it into the confirmed one
        _retire_claim(session, sources, left, moved_to=candidate.claim_id)
    _refresh_first_seen(session, target)
    return _record(
        session,
        "confirm",
        actor,
        note,
        claim_id=candidate.claim_id,
        other_claim_id=left,
        mention_id=mention.id,
    )


def actions(
    session: Session, limit: int, offset: int, claim_id: int | None = None
) -> tuple[list[ActionOut], int]:
    """Recorded decisions, newest first, with the total; with ``claim_id``, those that named that
    claim (either one of a merge)."""
    conditions = []
    if claim_id is not None:
        conditions.append(
            or_(col(EditorialAction.claim_id) == claim_id, col(EditorialAction.other_claim_id) == claim_id)
        )
    total = session.execute(select(func.count()).select_from(EditorialAction).where(*conditions)).scalar_one()
    rows = session.execute(
        select(EditorialAction)
        .where(*conditions)
        .order_by(col(EditorialAction.id).desc())
        .limit(limit)
        .offset(offset)
    ).scalars()
    return [_out(a) for a in rows], total


def _wording(mention: Mention, claim: Claim) -> ClaimText:
    """A mention as ingest matched it: its own words with its claim's figure fields, so an
    editor's rule is keyed as ingest looks it up (``claim_key``)."""
    return ClaimText(
        ClaimKind(claim.kind),
        mention.text,
        value=claim.value,
        unit=claim.unit,
        counted=claim.counted,
        context=claim.context,
    )


def _claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"no claim with id {claim_id}")
    if claim.merged_into_id is not None:
        raise EditorialError(f"claim {claim_id} was merged into claim {claim.merged_into_id}")
    return claim


def _retire_claim(session: Session, sources: Sequence[CandidateSource], claim_id: int, moved_to: int) -> None:
    """Mark a claim whose mentions have moved as merged into ``moved_to`` (its id keeps pointing
    somewhere): the candidate sources, rows of the review trail, relations and editors' rules
    move over, and its wording is pinned to ``moved_to``."""
    retired = _claim(session, claim_id)
    candidates.merged(session.connection(), sources, claim_id, moved_to)
    session.execute(
        update(MatchCandidate).where(col(MatchCandidate.claim_id) == claim_id).values(claim_id=moved_to)
    )
    moved = list(
        session.execute(
            select(ClaimRelation).where(
                or_(col(ClaimRelation.claim_id) == claim_id, col(ClaimRelation.related_claim_id) == claim_id)
            )
        ).scalars()
    )
    session.execute(delete(ClaimRelation).where(col(ClaimRelation.id).in_([r.id for r in moved])))
    store_relations(
        session,
        [
            (
                moved_to if r.claim_id == claim_id else r.claim_id,
                moved_to if r.related_claim_id == claim_id else r.related_claim_id,
                RelationKind(r.kind),
                r.detail,
                r.score,
            )
            for r in moved
        ],
    )
    for rule in list(session.execute(select(MatchRule).where(col(MatchRule.claim_id) == claim_id)).scalars()):
        _rule(session, moved_to, rule.key, rule.linked)
        session.delete(rule)
    _rule(session, moved_to, retired.key, linked=True)
    session.execute(
        update(Claim).where(col(Claim.merged_into_id) == claim_id).values(merged_into_id=moved_to)
    )
    retired.merged_into_id = moved_to
    session.flush()


def _rule(session: Session, claim_id: int, key: str, linked: bool) -> None:
    """Record (or overturn) an editor's standing decision on a wording and a claim."""
    rule = session.get(MatchRule, (claim_id, key))
    if rule is None:
        session.add(MatchRule(claim_id=claim_id, key=key, linked=linked))
    else:
        rule.linked = linked
    session.flush()


def _refresh_first_seen(session: Session, claim: Claim) -> None:
    """Point the claim's first appearance at its earliest mention (publication, else ingestion)."""
    first = session.execute(
        select(col(Article.id), APPEARED)
        .join(Mention, col(Mention.article_id) == col(Article.id))
        .where(col(Mention.claim_id) == claim.id)
        .order_by(APPEARED, col(Article.id))
        .limit(1)
    ).first()
    if first is not None:
        claim.first_article_id, claim.first_seen_at = first[0], as_utc(first[1])
    session.add(claim)
    session.flush()


def _record(
    session: Session,
    action: str,
    actor: str,
    note: str | None,
    claim_id: int | None = None,
    other_claim_id: int | None = None,
    mention_id: int | None = None,
) -> ActionOut:
    row = EditorialAction(
        action=action,
        actor=actor,
        note=note,
        claim_id=claim_id,
        other_claim_id=other_claim_id,
        mention_id=mention_id,
    )
    session.add(row)
    session.flush()
    done = _out(row)
    outbox.record(session.connection(), [Event(EventKind.EDITORIAL_ACTION, asdict(done))])
    return done


def _out(row: EditorialAction) -> ActionOut:
    assert row.id is not None
    return ActionOut(
        row.id,
        row.action,
        row.actor,
        as_utc(row.at) or row.at,
        row.claim_id,
        row.other_claim_id,
        row.mention_id,
        row.note,
    )


@dataclass(frozen=True)
class Suggestion:
    """A mention that a matcher scored between its suggested and confirmed thresholds against a claim."""

    id: int
    score: float
    matcher: str
    matcher_version: str
    threshold: float
    explanation: str
    mention: dict[str, object]
    claim: dict[str, object]


def suggestions(
    session: Session, limit: int, offset: int, claim_id: int | None = None
) -> tuple[list[Suggestion], int]:
    """Pending suggestions, best score first, with the total; with ``claim_id``, those that would
    move a mention into that claim or out of it."""
    pending = and_(
        col(MatchCandidate.status) == CandidateStatus.SUGGESTED.value,
        col(Mention.claim_id) != col(MatchCandidate.claim_id),  # not already there (after a merge)
    )
    if claim_id is not None:
        its_mentions = select(col(Mention.id)).where(col(Mention.claim_id) == claim_id)
        pending = and_(  # both on match_candidate's own indexes
            pending,
            or_(col(MatchCandidate.claim_id) == claim_id, col(MatchCandidate.mention_id).in_(its_mentions)),
        )
    total = session.execute(
        select(func.count())
        .select_from(MatchCandidate)
        .join(Mention, col(Mention.id) == col(MatchCandidate.mention_id))
        .where(pending)
    ).scalar_one()
    rows = session.execute(
        select(MatchCandidate, Mention, Claim)
        .join(Mention, col(Mention.id) == col(MatchCandidate.mention_id))
        .join(Claim, col(Claim.id) == col(MatchCandidate.claim_id))
        .where(pending)
        .order_by(col(MatchCandidate.score).desc(), col(MatchCandidate.id))
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        Suggestion(
            id=candidate.id or 0,
            score=candidate.score,
            matcher=candidate.matcher,
            matcher_version=candidate.matcher_version,
            threshold=candidate.threshold,
            explanation=candidate.explanation,
            mention={
                "id": mention.id,
                "claim_id": mention.claim_id,
                "article_id": mention.article_id,
                "text": mention.text,
                "speaker": mention.speaker_as_written,
            },
            claim={"id": claim.id, "kind": claim.kind, "text": claim.text},
        )
        for candidate, mention, claim in rows
    ], total


@dataclass(frozen=True)
class ScoredCandidate:
    """One stored claim scored for a mention when it was linked: the review trail."""

    id: int
    claim_id: int
    claim_text: str
    matcher: str
    matcher_version: str
    score: float
    threshold: float
    status: str
    explanation: str


def mention_candidates(session: Session, mention_id: int) -> list[ScoredCandidate]:
    """The candidates scored for a mention, best first (raises :class:`NotFound`)."""
    if session.get(Mention, mention_id) is None:
        raise NotFound(f"no mention with id {mention_id}")
    rows = session.execute(
        select(MatchCandidate, col(Claim.text))
        .join(Claim, col(Claim.id) == col(MatchCandidate.claim_id))
        .where(col(MatchCandidate.mention_id) == mention_id)
        .order_by(col(MatchCandidate.score).desc(), col(MatchCandidate.id))
    ).all()
    return [
        ScoredCandidate(
            c.id or 0,
            c.claim_id,
            text,
            c.matcher,
            c.matcher_version,
            c.score,
            c.threshold,
            c.status,
            c.explanation,
        )
        for c, text in rows
    ]
