"""Read models: what the API and the exporters show, built from the store in a few queries each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import chain, islice
from typing import Any

from sqlalchemy import Engine, Row, func, or_, select
from sqlalchemy.orm import load_only
from sqlmodel import Session, col

from provenance import candidates, search
from provenance.clock import as_utc
from provenance.db import IN_CHUNK, session_scope
from provenance.domain import (
    ArticleSummary,
    ClaimKind,
    ClaimText,
    FirstSeen,
    Passage,
    Quotation,
    QuotedClaim,
    Report,
    ReportClaim,
    ReportMention,
    ReportRelation,
    ReportSpeaker,
)
from provenance.matching import excerpt_score, speakers_contradict, verdicts
from provenance.models import Article, CandidateStatus, Claim, ClaimRelation, Mention, RelationKind, Speaker
from provenance.plugins import PluginRegistry

APPEARED = func.coalesce(Article.published_at, Article.ingested_at)
"""When an article appeared: its publication time, else its ingestion time."""

MENTION_ORDER = (APPEARED, col(Article.id), col(Mention.start), col(Mention.id))
"""Order of appearance of mentions: earliest published (else ingested) first, then by article and offset."""

SUMMARY_ONLY = load_only(
    *(getattr(Article, name) for name in ("id", "url", "title", "outlet", "published_at", "ingested_at"))
)
"""Load only the article fields a mention carries (see :func:`article_summary`), never the text."""

MENTION_SAMPLE = 5
"""Mentions a claim carries in API views (the first to appear); ``GET /v1/claims/{id}/mentions``
pages through all of them, and reports carry all of them."""
RELATED_SAMPLE = 20
"""Related claims a claim carries in API views (excerpts first); ``GET /v1/claims/{id}/provenance``
and reports carry all of them (a figure in a page of thousands may conflict with hundreds)."""

CLAIM_SAMPLE = 50
"""Claims the answer to ``POST /v1/articles`` carries (the first found); ``GET
/v1/articles/{id}/claims`` pages through all of them."""


@dataclass(frozen=True)
class ClaimFilter:
    """Filters shared by claim lists and reports; ``None`` means any."""

    kind: str | None = None
    speaker: str | None = None
    text: str | None = None
    article_id: int | None = None
    outlet: str | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None
    """``outlet`` and the publication range select claims with a mention in an article that meets
    them all."""


@dataclass(frozen=True)
class Reach:
    """How far a claim travelled: its mentions, the articles that carry them and their outlets
    (articles with no outlet named are not counted as outlets)."""

    mentions: int
    articles: int
    outlets: int


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


def article_summary(article: Article) -> ArticleSummary:
    """The article fields a mention carries."""
    return ArticleSummary(
        id=article.id or 0,
        url=article.url,
        title=article.title,
        outlet=article.outlet,
        published_at=as_utc(article.published_at),
        ingested_at=as_utc(article.ingested_at),
    )


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


def _claim_conditions(filters: ClaimFilter, dialect: str) -> list[Any]:
    """The conditions of ``filters`` on :class:`Claim`, for a store of ``dialect`` (``text`` and
    ``speaker`` go through the search indexes: :mod:`provenance.search`)."""
    conditions: list[Any] = [col(Claim.merged_into_id).is_(None)]
    if filters.kind:
        conditions.append(col(Claim.kind) == filters.kind)
    if filters.text:
        conditions.append(search.text_condition(dialect, filters.text))
    if filters.speaker:
        conditions.append(search.speaker_condition(dialect, filters.speaker))
    if filters.article_id is not None:
        conditions.append(
            col(Claim.id).in_(
                select(col(Mention.claim_id)).where(col(Mention.article_id) == filters.article_id)
            )
        )
    printed = []
    if filters.outlet:
        printed.append(col(Article.outlet) == filters.outlet)
    if filters.published_after:
        printed.append(col(Article.published_at) >= filters.published_after)
    if filters.published_before:
        printed.append(col(Article.published_at) < filters.published_before)
    if printed:
        conditions.append(
            col(Claim.id).in_(
                select(col(Mention.claim_id))
                .join(Article, col(Article.id) == col(Mention.article_id))
                .where(*printed)
            )
        )
    return conditions


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def claims_meeting(session: Session, filters: ClaimFilter, ids: Sequence[int]) -> set[int]:
    """Those of the claims ``ids`` that meet ``filters``."""
    if not ids:
        return set()
    return set(
        session.execute(
            select(col(Claim.id)).where(
                col(Claim.id).in_(list(ids)), *_claim_conditions(filters, _dialect(session))
            )
        ).scalars()
    )


def claim_reach(session: Session, ids: Sequence[int]) -> dict[int, Reach]:
    """The :class:`Reach` of each claim in ``ids`` that has mentions."""
    if not ids:
        return {}
    rows = session.execute(
        select(
            col(Mention.claim_id),
            func.count(),
            func.count(func.distinct(col(Mention.article_id))),
            func.count(func.distinct(col(Article.outlet))),
        )
        .join(Article, col(Article.id) == col(Mention.article_id))
        .where(col(Mention.claim_id).in_(list(ids)))
        .group_by(col(Mention.claim_id))
    ).all()
    return {claim_id: Reach(mentions, articles, outlets) for claim_id, mentions, articles, outlets in rows}


def list_claims(
    session: Session,
    filters: ClaimFilter,
    limit: int,
    offset: int,
    sample: int | None = MENTION_SAMPLE,
    count_up_to: int | None = None,
) -> tuple[list[ReportClaim], int]:
    """A page of claims in id order, each with the first ``sample`` of its mentions (all of them
    with ``None``), and how many claims match in all; with ``count_up_to``, counted no further
    than one past it (a page for people says "1,000+" rather than count a sixth of the store)."""
    conditions = _claim_conditions(filters, _dialect(session))
    matching = select(col(Claim.id)).where(*conditions)
    if count_up_to is not None:
        matching = matching.limit(count_up_to + 1)
    total = session.execute(select(func.count()).select_from(matching.subquery())).scalar_one()
    claims = list(
        session.execute(
            select(Claim).where(*conditions).order_by(col(Claim.id)).limit(limit).offset(offset)
        ).scalars()
    )
    return report_claims(session, claims, sample), total


def article_claims(
    session: Session, article_id: int, limit: int, offset: int = 0
) -> tuple[list[ReportClaim], int]:
    """A page of the claims printed in one article in id order, each with the first
    :data:`MENTION_SAMPLE` of its mentions in that article (``mention_count`` counts all its
    mentions), and how many claims the article has."""
    conditions = _claim_conditions(ClaimFilter(article_id=article_id), _dialect(session))
    total = session.execute(select(func.count()).select_from(Claim).where(*conditions)).scalar_one()
    claims = session.execute(
        select(Claim).where(*conditions).order_by(col(Claim.id)).limit(limit).offset(offset)
    ).scalars()
    return report_claims(session, list(claims), MENTION_SAMPLE, article_id), total


def article_quotations(
    session: Session, article: Article, limit: int, offset: int = 0
) -> tuple[list[Quotation], int]:
    """A page of the quotations an article printed, whole, in the order printed (quotes and
    attributions: a figure is part of a sentence, not a quotation), each with the claims it
    holds; and how many quotations the article has."""
    passages = (
        select(col(Mention.passage_start), col(Mention.passage_end))
        .join(Claim, col(Claim.id) == col(Mention.claim_id))
        .where(col(Mention.article_id) == article.id, col(Claim.kind) != ClaimKind.FIGURE.value)
        .distinct()
    )
    total = session.execute(select(func.count()).select_from(passages.subquery())).scalar_one()
    page = session.execute(
        passages.order_by(col(Mention.passage_start), col(Mention.passage_end)).limit(limit).offset(offset)
    ).all()
    if not page:
        return [], total
    rows = session.execute(
        select(Mention, col(Claim.kind), col(Claim.text), Speaker)
        .join(Claim, col(Claim.id) == col(Mention.claim_id))
        .outerjoin(Speaker, col(Speaker.id) == col(Mention.speaker_id))
        .where(
            col(Mention.article_id) == article.id,
            col(Claim.kind) != ClaimKind.FIGURE.value,
            col(Mention.passage_start).between(page[0][0], page[-1][0]),
        )
        .order_by(col(Mention.passage_start), col(Mention.passage_end), col(Mention.start), col(Mention.id))
    ).all()
    held: dict[tuple[int, int], list[Row[Mention, str, str, Speaker | None]]] = defaultdict(list)
    for row in rows:
        held[row[0].passage_start, row[0].passage_end].append(row)
    quotations = []
    for start, end in page:
        mentions = held[start, end]
        first, _, _, speaker = mentions[0]
        quotations.append(
            Quotation(
                passage=Passage(start, end, article.text[start:end]),
                speaker=first.speaker_as_written,
                resolved_speaker=report_speaker(speaker),
                cue=first.cue,
                claims=[
                    QuotedClaim(m.claim_id, kind, text, m.id or 0, m.start, m.end)
                    for m, kind, text, _ in mentions
                ],
                speaker_kind=first.speaker_kind,
            )
        )
    return quotations, total


def get_claim(session: Session, claim_id: int, sample: int | None = MENTION_SAMPLE) -> ReportClaim | None:
    """One claim with the first ``sample`` of its mentions (all of them with ``None``), or ``None``
    (also for a claim merged into another: see :func:`merged_into`)."""
    claim = session.get(Claim, claim_id)
    if claim is None or claim.merged_into_id is not None:
        return None
    return report_claims(session, [claim], sample)[0]


def claim_mentions(
    session: Session, claim_id: int, limit: int, offset: int
) -> tuple[list[ReportMention], int] | None:
    """A page of a claim's mentions in order of appearance and how many it has, or ``None`` for
    no such claim (or one merged into another)."""
    claim = session.get(Claim, claim_id)
    if claim is None or claim.merged_into_id is not None:
        return None
    condition = col(Mention.claim_id) == claim_id
    total = session.execute(select(func.count()).select_from(Mention).where(condition)).scalar_one()
    rows = session.execute(
        _MENTIONS.where(condition).order_by(*MENTION_ORDER).limit(limit).offset(offset)
    ).all()
    return [report_mention(*row) for row in rows], total


def merged_into(session: Session, claim_id: int) -> int | None:
    """The claim an editor merged ``claim_id`` into, if any."""
    return session.execute(select(col(Claim.merged_into_id)).where(col(Claim.id) == claim_id)).scalar()


_MENTIONS = (
    select(
        Mention,
        Article,
        func.substr(  # the passage's words, cut from the stored text by the store (1-based)
            col(Article.text),
            col(Mention.passage_start) + 1,
            col(Mention.passage_end) - col(Mention.passage_start),
        ),
        Speaker,
    )
    .join(Article, col(Article.id) == col(Mention.article_id))
    .outerjoin(Speaker, col(Speaker.id) == col(Mention.speaker_id))
    .options(SUMMARY_ONLY)
)
"""Mentions with their article's summary, their passage's words and their resolved speaker."""


def _mention_rows(
    session: Session, conditions: list[Any], sample: int | None
) -> Sequence[Row[Mention, Article, str, Speaker | None]]:
    """Mentions meeting ``conditions`` with their articles and passages, in order of appearance;
    with ``sample``, only the first ``sample`` of each claim (numbered by a window function, so
    only those are fetched)."""
    query = _MENTIONS
    if sample is None:
        return session.execute(query.where(*conditions).order_by(*MENTION_ORDER)).all()
    numbered = (
        select(
            col(Mention.id),
            func.row_number().over(partition_by=col(Mention.claim_id), order_by=MENTION_ORDER).label("n"),
        )
        .join(Article, col(Article.id) == col(Mention.article_id))
        .where(*conditions)
        .subquery()
    )
    return session.execute(
        query.join(numbered, numbered.c.id == col(Mention.id))
        .where(numbered.c.n <= sample)
        .order_by(*MENTION_ORDER)
    ).all()


def report_speaker(speaker: Speaker | None) -> ReportSpeaker | None:
    """A stored speaker in the report shape (``None`` for none)."""
    return ReportSpeaker(speaker.id, speaker.name, speaker.kind) if speaker and speaker.id else None


def report_mention(
    mention: Mention, article: Article, passage: str, speaker: Speaker | None
) -> ReportMention:
    """A mention in the report shape, with the words of its ``passage`` and the ``speaker`` it
    resolved to."""
    return ReportMention(
        id=mention.id or 0,
        article=article_summary(article),
        text=mention.text,
        start=mention.start,
        end=mention.end,
        passage=Passage(mention.passage_start, mention.passage_end, passage),
        speaker=mention.speaker_as_written,
        resolved_speaker=report_speaker(speaker),
        cue=mention.cue,
        matcher=mention.matcher,
        score=mention.score,
        speaker_kind=mention.speaker_kind,
    )


def report_claims(
    session: Session, claims: Sequence[Claim], sample: int | None = None, article_id: int | None = None
) -> list[ReportClaim]:
    """Claims in the report shape with their mention counts and their mentions in order of
    appearance: all of them, or the first ``sample`` of each claim; only those in one article
    with ``article_id``."""
    if not claims:
        return []
    ids = [c.id for c in claims]
    conditions: list[Any] = [col(Mention.claim_id).in_(ids)]
    if article_id is not None:
        conditions.append(col(Mention.article_id) == article_id)
    by_claim: dict[int, list[ReportMention]] = defaultdict(list)
    for mention, article, passage, speaker in _mention_rows(session, conditions, sample):
        by_claim[mention.claim_id].append(report_mention(mention, article, passage, speaker))
    if sample is None and article_id is None:  # every mention is here: count them, not the store
        counts = {claim_id: len(mentions) for claim_id, mentions in by_claim.items()}
    else:
        counts = dict(
            session.execute(
                select(col(Mention.claim_id), func.count())
                .where(col(Mention.claim_id).in_(ids))
                .group_by(col(Mention.claim_id))
            ).all()
        )
    speakers = {
        s.id: s
        for s in session.execute(
            select(Speaker).where(col(Speaker.id).in_({c.speaker_id for c in claims if c.speaker_id}))
        ).scalars()
    }
    related = claim_relations(session, [c.id for c in claims if c.id is not None])
    published = dict(
        session.execute(
            select(col(Article.id), col(Article.published_at)).where(
                col(Article.id).in_({c.first_article_id for c in claims if c.first_article_id})
            )
        ).all()
    )
    return [
        ReportClaim(
            id=c.id or 0,
            kind=c.kind,
            text=c.text,
            speaker=report_speaker(speakers.get(c.speaker_id)),
            first_seen=FirstSeen(
                c.first_article_id, as_utc(published.get(c.first_article_id)), as_utc(c.first_seen_at)
            )
            if c.first_article_id
            else None,
            value=c.value,
            unit=c.unit,
            counted=c.counted,
            mentions=tuple(by_claim[c.id or 0]),
            mention_count=counts.get(c.id or 0, 0),
            related=tuple(related.get(c.id or 0, ())[: None if sample is None else RELATED_SAMPLE]),
            related_count=len(related.get(c.id or 0, ())),
        )
        for c in claims
    ]


def claim_relations(session: Session, ids: list[int]) -> dict[int, list[ReportRelation]]:
    """The relations of each claim in ``ids``, seen from that claim: an excerpt is ``part_of``
    its quote, which ``contains`` it; excerpts first (``contains``, ``part_of``), then conflicts,
    each by the related claim's id."""
    found: dict[int, set[ReportRelation]] = defaultdict(set)
    for start in range(0, len(ids), IN_CHUNK):
        chunk = set(ids[start : start + IN_CHUNK])
        rows = session.execute(
            select(ClaimRelation).where(
                or_(col(ClaimRelation.claim_id).in_(chunk), col(ClaimRelation.related_claim_id).in_(chunk))
            )
        ).scalars()
        for r in rows:
            if r.claim_id in chunk:
                found[r.claim_id].add(ReportRelation(r.related_claim_id, r.kind, r.score, r.detail))
            if r.related_claim_id in chunk:
                seen_back = "contains" if r.kind == RelationKind.PART_OF else r.kind
                found[r.related_claim_id].add(ReportRelation(r.claim_id, seen_back, r.score, r.detail))
    return {
        i: sorted(rs, key=lambda r: (r.relation == RelationKind.CONFLICTS_WITH, r.relation, r.claim_id))
        for i, rs in found.items()
    }


def stream_report(engine: Engine, filters: ClaimFilter, batch: int = 500) -> Iterator[ReportClaim]:
    """Every claim matching ``filters`` in id order, read in batches with a session of its own,
    so a streamed export never holds a request's session open."""
    conditions = _claim_conditions(filters, engine.dialect.name)
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
    """A streamed provenance report for the exporters. Its first batch is read now, so a failing
    query is raised before a response starts."""
    claims = stream_report(engine, filters)
    first = list(islice(claims, 1))
    return Report(generated_at=datetime.now(UTC), claims=chain(first, claims))


def match_text(
    session: Session, registry: PluginRegistry, text: str, speaker: str | None, limit: int = 10
) -> list[MatchHit]:
    """Stored claims that match ``text`` ("where did this quote come from?"), best first: links,
    then excerpts, then suggestions, each by score (a suggestion never outranks a link)."""
    hits: list[MatchHit] = []
    matchers = registry.active_matchers()
    query = ClaimText(ClaimKind.QUOTE, text, speaker)  # a text is traced to quotes and attributions
    (shortlist,) = candidates.shortlists(session.connection(), registry.sources(), [query])
    for candidate in shortlist:
        if candidate.kind == ClaimKind.FIGURE:
            continue  # figures match by value, not by words
        query = replace(query, kind=candidate.kind)
        found = [
            (v.score, v.matcher, v.status.value, v.explanation)
            for v in verdicts(query, [candidate], matchers)
            if v.status != CandidateStatus.CONSIDERED
        ]
        if not found and not speakers_contradict(speaker, candidate.speaker):
            part = excerpt_score(text, candidate.text)
            if part is not None:
                explanation = f"the text is an excerpt of this claim (found at {part:.2f})"
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
    return sorted(hits, key=lambda h: (_HIT_RANK.get(h.status, 3), -h.score, h.claim_id))[:limit]


_HIT_RANK = {CandidateStatus.LINKED.value: 0, "part_of": 1, CandidateStatus.SUGGESTED.value: 2}
