"""Read models: what the API and the exporters show, built from the store in a few queries each."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlmodel import Session, col

from provenance.db import session_scope
from provenance.domain import ClaimKind, ClaimText, Report, ReportClaim, ReportMention
from provenance.index import candidates
from provenance.ingest import as_utc
from provenance.matching import excerpt_score, speakers_contradict, verdicts
from provenance.models import Article, CandidateStatus, Claim, Mention, Speaker
from provenance.plugins import PluginRegistry
from provenance.text import text_key

APPEARED = func.coalesce(Article.published_at, Article.ingested_at)
"""When an article appeared: its publication time, else its ingestion time."""


@dataclass(frozen=True)
class ClaimFilter:
    """Filters shared by claim lists and reports; ``None`` means any."""

    kind: str | None = None
    speaker: str | None = None
    text: str | None = None
    article_id: int | None = None


@dataclass(frozen=True)
class ArticleFilter:
    """Filters for article lists; ``None`` means any."""

    outlet: str | None = None
    url: str | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None


@dataclass(frozen=True)
class MatchHit:
    """A stored claim that matches a text, with the score, the matcher that decided and whether
    the score reaches its linking threshold (``linked``), only its review one (``suggested``), or
    the text is an excerpt of the claim (``part_of``)."""

    claim_id: int
    kind: str
    text: str
    speaker: str | None
    score: float
    matcher: str
    status: str
    explanation: str


def article_summary(article: Article) -> dict[str, Any]:
    """The article fields a mention carries."""
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "outlet": article.outlet,
        "published_at": as_utc(article.published_at),
        "ingested_at": as_utc(article.ingested_at),
    }


def list_articles(
    session: Session, filters: ArticleFilter, limit: int, offset: int
) -> tuple[list[Article], int]:
    """A page of articles, newest first, and how many match in all."""
    conditions = []
    if filters.outlet:
        conditions.append(col(Article.outlet) == filters.outlet)
    if filters.url:
        conditions.append(col(Article.url).contains(filters.url))
    if filters.published_after:
        conditions.append(col(Article.published_at) >= filters.published_after)
    if filters.published_before:
        conditions.append(col(Article.published_at) < filters.published_before)
    total = session.execute(select(func.count()).select_from(Article).where(*conditions)).scalar_one()
    rows = session.execute(
        select(Article).where(*conditions).order_by(col(Article.id).desc()).limit(limit).offset(offset)
    ).scalars()
    return list(rows), total


def _claim_conditions(filters: ClaimFilter) -> list[Any]:
    conditions: list[Any] = [col(Claim.merged_into_id).is_(None)]
    if filters.kind:
        conditions.append(col(Claim.kind) == filters.kind)
    if filters.text:
        conditions.append(col(Claim.text).ilike(f"%{filters.text}%"))
    if filters.speaker:
        pattern = f"%{filters.speaker}%"
        conditions.append(
            or_(
                col(Claim.speaker_id).in_(select(col(Speaker.id)).where(col(Speaker.name).ilike(pattern))),
                col(Claim.id).in_(
                    select(col(Mention.claim_id)).where(col(Mention.speaker_as_written).ilike(pattern))
                ),
            )
        )
    if filters.article_id is not None:
        conditions.append(
            col(Claim.id).in_(
                select(col(Mention.claim_id)).where(col(Mention.article_id) == filters.article_id)
            )
        )
    return conditions


def list_claims(
    session: Session, filters: ClaimFilter, limit: int, offset: int
) -> tuple[list[ReportClaim], int]:
    """A page of claims in id order, each with its mentions, and how many match in all."""
    conditions = _claim_conditions(filters)
    total = session.execute(select(func.count()).select_from(Claim).where(*conditions)).scalar_one()
    claims = list(
        session.execute(
            select(Claim).where(*conditions).order_by(col(Claim.id)).limit(limit).offset(offset)
        ).scalars()
    )
    return report_claims(session, claims), total


def get_claim(session: Session, claim_id: int) -> ReportClaim | None:
    """One claim with every mention and its article, or ``None`` (also for a claim merged into
    another: see :func:`merged_into`)."""
    claim = session.get(Claim, claim_id)
    if claim is None or claim.merged_into_id is not None:
        return None
    return report_claims(session, [claim])[0]


def merged_into(session: Session, claim_id: int) -> int | None:
    """The claim an editor merged ``claim_id`` into, if any."""
    return session.execute(select(col(Claim.merged_into_id)).where(col(Claim.id) == claim_id)).scalar()


def report_claims(session: Session, claims: Sequence[Claim]) -> list[ReportClaim]:
    """Claims in the report shape, their mentions in order of appearance (publication, then ingestion)."""
    if not claims:
        return []
    ids = [c.id for c in claims]
    rows = session.execute(
        select(Mention, Article)
        .join(Article, col(Article.id) == col(Mention.article_id))
        .where(col(Mention.claim_id).in_(ids))
        .order_by(APPEARED, col(Article.id), col(Mention.start))
    ).all()
    speakers = {
        s.id: s.name
        for s in session.execute(
            select(Speaker).where(col(Speaker.id).in_({c.speaker_id for c in claims if c.speaker_id}))
        ).scalars()
    }
    published = {a.id: as_utc(a.published_at) for _, a in rows}
    by_claim: dict[int, list[ReportMention]] = {i: [] for i in ids if i is not None}
    for mention, article in rows:
        by_claim[mention.claim_id].append(
            ReportMention(
                id=mention.id or 0,
                article=article_summary(article),
                text=mention.text,
                start=mention.start,
                end=mention.end,
                speaker=mention.speaker_as_written,
                cue=mention.cue,
                matcher=mention.matcher,
                score=mention.score,
            )
        )
    return [
        ReportClaim(
            id=c.id or 0,
            kind=c.kind,
            text=c.text,
            speaker={"id": c.speaker_id, "name": speakers.get(c.speaker_id)} if c.speaker_id else None,
            first_seen={
                "article_id": c.first_article_id,
                "published_at": published.get(c.first_article_id),
                "seen_at": as_utc(c.first_seen_at),
            }
            if c.first_article_id
            else None,
            value=c.value,
            unit=c.unit,
            counted=c.counted,
            mentions=tuple(by_claim.get(c.id or 0, [])),
        )
        for c in claims
    ]


def stream_report(engine: Engine, filters: ClaimFilter, batch: int = 500) -> Iterator[ReportClaim]:
    """Every claim matching ``filters`` in id order, read in batches with a session of its own,
    so a streamed export never holds a request's session open."""
    conditions = _claim_conditions(filters)
    last_id = 0
    while True:
        with session_scope(engine) as session:
            claims = list(
                session.execute(
                    select(Claim)
                    .where(*conditions, col(Claim.id) > last_id)
                    .order_by(col(Claim.id))
                    .limit(batch)
                ).scalars()
            )
            page = report_claims(session, claims)
        if not page:
            return
        yield from page
        last_id = page[-1].id


def build_report(engine: Engine, filters: ClaimFilter) -> Report:
    """A streamed provenance report for the exporters."""
    return Report(generated_at=datetime.now(UTC), claims=stream_report(engine, filters))


def match_text(
    session: Session, registry: PluginRegistry, text: str, speaker: str | None, limit: int = 10
) -> list[MatchHit]:
    """Stored claims that match ``text`` ("where did this quote come from?"), best first."""
    hits: list[MatchHit] = []
    matchers = registry.active_matchers()
    for candidate in candidates(session, text, [text_key(text)]):
        if candidate.kind == ClaimKind.FIGURE:
            continue  # a text is traced to quotes and attributions; figures match by value
        query = ClaimText(kind=candidate.kind, text=text, speaker=speaker)
        found = [
            (v.score, v.matcher, v.status.value, v.explanation)
            for v in verdicts(query, [candidate], matchers)
            if v.status != CandidateStatus.CONSIDERED
        ]
        if not found and not speakers_contradict(speaker, candidate.speaker):
            part = excerpt_score(text, candidate.text)
            if part is not None:
                explanation = f"the text is an excerpt of this claim (partial_ratio {part:.2f})"
                found.append((part, "excerpt", "part_of", explanation))
        hits.extend(
            MatchHit(
                claim_id=candidate.claim_id or 0,
                kind=candidate.kind.value,
                text=candidate.text,
                speaker=candidate.speaker,
                score=round(score, 4),
                matcher=matcher,
                status=status,
                explanation=explanation,
            )
            for score, matcher, status, explanation in found
        )
    return sorted(hits, key=lambda h: (-h.score, h.claim_id))[:limit]
