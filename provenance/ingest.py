"""The ingest pipeline: clean → extract → match → link, in one transaction per article.

An article and all its claims are written together or not at all. Writes go through Core
bulk inserts. :func:`prepare` (cleaning, extraction, reading speakers) touches no store;
:func:`store` (matching, linking) does. The API runs both in a worker process and bulk ingest
runs :func:`prepare` in one (:mod:`provenance.workers`): never on the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import bindparam, insert, or_, select, update
from sqlmodel import Session, col

from provenance.cleaning import clean
from provenance.db import insert_many, insert_rows, lock_for_linking
from provenance.domain import (
    ArticleText,
    ClaimKind,
    ClaimText,
    Extraction,
    IngestedArticle,
)
from provenance.index import ArticleIndex, add_to_index, claim_keys, query_keys, shortlists
from provenance.matchers.figure import figure_key
from provenance.matching import Relation, Verdict, decide, relations, verdicts
from provenance.models import (
    Article,
    Claim,
    ClaimRelation,
    MatchCandidate,
    MatchRule,
    Mention,
    RelationKind,
    utcnow,
)
from provenance.plugins import PluginRegistry
from provenance.speakers import ArticleSpeakers, SpeakerResolver
from provenance.text import content_hash, sentence_spans, text_key, words

REVIEW_CANDIDATES = 10  # best-scored candidates kept per mention for review


class InvalidArticle(ValueError):
    """The article cannot be ingested as given; the message says why."""


@dataclass(frozen=True)
class ArticleInput:
    """An article as submitted."""

    text: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published_at: datetime | None = None


class Outcome(StrEnum):
    """What ingesting an article did to the store."""

    CREATED = "created"  # a new article (the same text under another URL is a new article, a copy)
    NEW_VERSION = "new_version"  # a changed text at a known URL: stored as that article's next version
    UNCHANGED = "unchanged"  # already stored: this URL with this text, or this text without a URL


@dataclass(frozen=True)
class IngestResult:
    """The stored article's id, what this call did, and what the event reports."""

    article_id: int
    outcome: Outcome
    event: IngestedArticle | None = None

    @property
    def created(self) -> bool:
        """Whether this call stored a new article row (a first version, a new version or a copy)."""
        return self.outcome is not Outcome.UNCHANGED


@dataclass
class _PendingClaim:
    """A claim first seen in the article being ingested: its row and index keys, to write."""

    index_keys: set[int]
    row: dict[str, object]


@dataclass(frozen=True)
class PreparedArticle:
    """An article cleaned and mined for claims, not yet stored: what :func:`store` links."""

    article: ArticleInput
    text: str
    title: str | None
    language: str | None
    digest: str
    extractions: list[Extraction]
    speakers: list[tuple[str, str] | None]  # per extraction: the person named (full, as written)
    note: str | None


def ingest_article(session: Session, registry: PluginRegistry, article: ArticleInput) -> IngestResult:
    """Store ``article`` with its claims (see :func:`store` for how articles are keyed)."""
    return store(session, registry, prepare(registry, article))


def prepare(registry: PluginRegistry, article: ArticleInput) -> PreparedArticle:
    """Clean ``article``, extract its claims and read who each speaker is within the article,
    touching no store (so it can run in another process); raises :class:`InvalidArticle` when
    there is nothing to ingest."""
    if not article.text.strip():
        raise InvalidArticle("text is empty")
    limit = registry.settings.max_text_chars
    if len(article.text) > limit:
        raise InvalidArticle(f"text is {len(article.text)} characters; the limit is {limit}")
    cleaned = clean(article.text)
    if not cleaned.text:
        raise InvalidArticle("text holds nothing but page chrome (navigation, sharing links, blurbs)")
    extractors = [
        e
        for e in registry.extractors.values()
        if not getattr(e, "languages", None) or cleaned.language in e.languages  # type: ignore[attr-defined]
    ]
    note = None
    if not extractors:
        language = cleaned.language or "unknown"
        note = f"language {language!r} is not supported by the extractors; no claims extracted"
    title = article.title or cleaned.title
    article_text = ArticleText(cleaned.text, title, cleaned.language)
    extractions = sorted(
        (
            piece
            for extractor in extractors
            for e in extractor.extract(article_text)
            for piece in segment(cleaned.text, e)
        ),
        key=lambda e: (e.start, e.end),
    )
    people = ArticleSpeakers(cleaned.text, (e.speaker for e in extractions))
    speakers = [people.resolve(e.speaker, e.speaker_offset, (e.start, e.end)) for e in extractions]
    return PreparedArticle(
        article,
        cleaned.text,
        title,
        cleaned.language,
        content_hash(cleaned.text),
        extractions,
        speakers,
        note,
    )


def store(session: Session, registry: PluginRegistry, prepared: PreparedArticle) -> IngestResult:
    """Store a prepared article and link its claims (match → link), keyed as newsrooms key
    articles: by URL, with a changed text stored as a new version; without a URL, by text."""
    article = prepared.article
    lock_for_linking(session)  # from here on the store is read and written
    found = _placement(session, article.url, prepared.digest)
    if isinstance(found, int):
        return IngestResult(found, Outcome.UNCHANGED)
    now = utcnow()
    published_at = as_utc(article.published_at)
    values = {
        "url": article.url,
        **found,
        "outlet": article.outlet,
        "title": prepared.title,
        "author": article.author,
        "published_at": published_at,
        "ingested_at": now,
        "language": prepared.language,
        "text": prepared.text,
        "content_hash": prepared.digest,
        "note": prepared.note,
    }
    # under the lock no other ingest can store the same URL or text before this one commits
    article_id: int = session.connection().execute(_INSERT_ARTICLE, values).scalar_one()
    seen_at = published_at or now
    event = _link(session, registry, article_id, prepared.extractions, prepared.speakers, seen_at)
    outcome = Outcome.NEW_VERSION if found["previous_version_id"] else Outcome.CREATED
    return IngestResult(article_id, outcome, IngestedArticle(article_id, article.url, *event))


def _placement(session: Session, url: str | None, digest: str) -> int | dict[str, int | None]:
    """The id of the stored article this one is (this URL with this text, or this text without
    a URL), or where the new row goes: its ``version``, the ``previous_version_id`` it corrects
    and the article it is a ``copy_of`` (the first to print the same text under another URL)."""
    connection = session.connection()
    if url is None:
        same_text: int | None = connection.execute(_FIRST_WITH_TEXT, {"digest": digest}).scalar()
        if same_text is not None:
            return same_text
        return {"version": 1, "previous_version_id": None, "copy_of_id": None}
    versions = connection.execute(_VERSIONS, {"url": url}).all()  # newest first
    same: int | None = next((row.id for row in versions if row.content_hash == digest), None)
    if same is not None:
        return same
    return {
        "version": versions[0].version + 1 if versions else 1,
        "previous_version_id": versions[0].id if versions else None,
        "copy_of_id": connection.execute(_COPY_OF, {"digest": digest, "url": url}).scalar(),
    }


_INSERT_ARTICLE = insert(Article).returning(Article.__table__.c.id)  # type: ignore[attr-defined]
_FIRST_WITH_TEXT = (
    select(col(Article.id))
    .where(col(Article.content_hash) == bindparam("digest"))
    .order_by(col(Article.id))
    .limit(1)
)
_VERSIONS = (
    select(col(Article.id), col(Article.version), col(Article.content_hash))
    .where(col(Article.url) == bindparam("url"))
    .order_by(col(Article.version).desc())
)
_COPY_OF = (
    select(col(Article.id))
    .where(
        col(Article.content_hash) == bindparam("digest"),
        or_(col(Article.url).is_(None), col(Article.url) != bindparam("url")),
    )
    .order_by(col(Article.id))
    .limit(1)
)


def segment(text: str, extraction: Extraction) -> list[Extraction]:
    """Split a multi-sentence quote into one extraction per sentence: each sentence is a claim.

    A sentence of fewer than three words stays with its neighbour; the first piece keeps the
    opening mark and the last the closing mark, so a one-sentence quote is returned whole.
    """
    if extraction.kind != ClaimKind.QUOTE:
        return [extraction]
    spans = list(sentence_spans(text, extraction.start + 1, extraction.end - 1))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and (
            len(words(text[start:end])) < 3 or len(words(text[merged[-1][0] : merged[-1][1]])) < 3
        ):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    if len(merged) <= 1:
        return [extraction]
    merged[0][0], merged[-1][1] = extraction.start, extraction.end
    at = extraction.speaker_offset  # every piece reads its speaker where the whole quote did
    return [replace(extraction, text=text[s:e], start=s, end=e, speaker_start=at) for s, e in merged]


def claim_text(extraction: Extraction, speaker: str | None) -> ClaimText:
    """The comparable form of an extraction."""
    return ClaimText(
        kind=extraction.kind,
        text=extraction.text,
        speaker=speaker,
        value=extraction.value,
        unit=extraction.unit,
        counted=extraction.counted,
        context=extraction.context,
    )


def claim_key(claim: ClaimText) -> str:
    """The exact-lookup key of a claim: its normalised text, or for a figure its value, unit and thing."""
    if claim.kind == ClaimKind.FIGURE:
        return text_key(figure_key(claim.value, claim.unit, claim.counted))
    return text_key(claim.text)


def _link(
    session: Session,
    registry: PluginRegistry,
    article_id: int,
    extractions: list[Extraction],
    named_speakers: list[tuple[str, str] | None],
    seen_at: datetime,
) -> tuple[list[int], list[int]]:
    matchers = registry.active_matchers()
    context_threshold = registry.settings.figure_context_threshold
    resolver = SpeakerResolver(session)
    speakers = [resolver.resolve(named) for named in named_speakers]
    queries = [claim_text(e, sp[1] if sp else None) for e, sp in zip(extractions, speakers, strict=True)]
    keys = [claim_key(q) for q in queries]
    lookups = [query_keys(q) for q in queries]
    found_for = shortlists(session, [(k, [key]) for k, key in zip(lookups, keys, strict=True)])
    rules = _rules(session, keys)
    pending: list[_PendingClaim] = []
    new_claims = ArticleIndex()
    mentions: list[dict[str, object]] = []
    trails: list[list[Verdict]] = []
    related: list[Relation] = []
    linked: set[int] = set()  # stored claims this article mentions
    for extraction, speaker, query, key, lookup, shortlist in zip(
        extractions, speakers, queries, keys, lookups, found_for, strict=True
    ):
        candidates = shortlist + new_claims.candidates(key, lookup)
        rule = rules.get(key, {})
        found = verdicts(query, candidates, matchers, {c for c, linked in rule.items() if not linked})
        chosen = decide(found)
        pinned = next((c for c, linked in sorted(rule.items()) if linked), None)
        if pinned is not None:  # an editor confirmed this wording for that claim
            chosen = Verdict(pinned, "editor", "1", 1.0, 1.0, 1.0, "confirmed by an editor for this wording")
        if chosen is None:
            index_keys = claim_keys(query)
            row = _claim_row(query, key, speaker[0] if speaker else None, article_id, seen_at)
            pending.append(_PendingClaim(index_keys, row))
            claim_id = new_claims.add(query, key, index_keys)
            # only a new claim is related: a stored one had its relations found when it was new
            related.extend(relations(new_claims.claims[-1], candidates, context_threshold))
        else:
            claim_id = chosen.claim_id
            if claim_id > 0:
                linked.add(claim_id)
        trails.append(found[:REVIEW_CANDIDATES])
        mentions.append(
            {
                "claim_id": claim_id,
                "article_id": article_id,
                "text": extraction.text,
                "start": extraction.start,
                "end": extraction.end,
                "speaker_as_written": extraction.speaker,
                "speaker_id": speaker[0] if speaker else None,
                "cue": extraction.cue,
                "extractor": extraction.kind.value,
                "matcher": chosen.matcher if chosen else None,
                "matcher_version": chosen.version if chosen else None,
                "score": chosen.score if chosen else None,
                "threshold": chosen.threshold if chosen else None,
            }
        )

    new_ids: list[int] = []
    if pending:
        new_ids = insert_rows(session, Claim, [p.row for p in pending])
        add_to_index(
            session,
            ((key, claim_id) for claim_id, p in zip(new_ids, pending, strict=True) for key in p.index_keys),
        )

    def stored_id(claim_id: int | None) -> int:
        assert claim_id is not None
        return new_ids[-claim_id - 1] if claim_id < 0 else claim_id

    for mention in mentions:
        mention["claim_id"] = stored_id(mention["claim_id"])  # type: ignore[arg-type]
    mention_ids = insert_rows(session, Mention, mentions)
    trail_rows = [
        {
            "mention_id": mention_id,
            "claim_id": stored_id(v.claim_id),
            "matcher": v.matcher,
            "matcher_version": v.version,
            "score": v.score,
            "threshold": v.threshold,
            "status": v.status.value,
            "explanation": v.explanation,
        }
        for mention_id, trail in zip(mention_ids, trails, strict=True)
        for v in trail
        if v.score > 0
    ]
    insert_many(session, MatchCandidate, trail_rows)
    store_relations(
        session,
        [(stored_id(r.claim.claim_id), stored_id(r.related.claim_id), r.kind, r.detail) for r in related],
    )
    _update_existing_claims(session, mentions, linked, article_id, seen_at)
    return mention_ids, new_ids


def _claim_row(
    query: ClaimText, key: str, speaker_id: int | None, article_id: int, seen_at: datetime
) -> dict[str, object]:
    return {
        "kind": query.kind.value,
        "text": query.text,
        "key": key,
        "speaker_id": speaker_id,
        "value": query.value,
        "unit": query.unit,
        "counted": query.counted,
        "context": query.context,
        "first_article_id": article_id,
        "first_seen_at": seen_at,
        "created_at": utcnow(),
    }


def _rules(session: Session, keys: list[str]) -> dict[str, dict[int, bool]]:
    """Editors' standing decisions for each text key: claim id -> always linked (True) or never (False)."""
    found: dict[str, dict[int, bool]] = {}
    if keys:
        for key, claim_id, linked in session.connection().execute(_RULES, {"keys": sorted(set(keys))}):
            found.setdefault(key, {})[claim_id] = linked
    return found


_RULES = select(col(MatchRule.key), col(MatchRule.claim_id), col(MatchRule.linked)).where(
    col(MatchRule.key).in_(bindparam("keys", expanding=True))
)


def store_relations(session: Session, rows: list[tuple[int, int, RelationKind, str]]) -> None:
    """Record relations between claims once, whichever way round they were found (a claim is
    never related to itself)."""
    pairs = {(a, b, kind): detail for a, b, kind, detail in rows if a != b}
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
    for (a, b, kind), detail in pairs.items():
        symmetric = kind == RelationKind.CONFLICTS_WITH and (b, a, kind.value) in existing
        if (a, b, kind.value) not in existing and not symmetric:
            existing.add((a, b, kind.value))
            fresh.append(
                {
                    "claim_id": a,
                    "related_claim_id": b,
                    "kind": kind.value,
                    "detail": detail,
                    "created_at": utcnow(),
                }
            )
    if fresh:
        session.execute(insert(ClaimRelation), fresh)


def _update_existing_claims(
    session: Session,
    mentions: list[dict[str, object]],
    linked: set[int],
    article_id: int,
    seen_at: datetime,
) -> None:
    """Move a claim's first appearance to this article when it is earlier, and give a claim
    without a speaker the speaker this article resolved."""
    if not linked:
        return
    session.connection().execute(
        _MOVE_FIRST_APPEARANCE, {"claims": sorted(linked), "seen_at": seen_at, "article_id": article_id}
    )
    speakers = {
        m["claim_id"]: m["speaker_id"]
        for m in mentions
        if m["claim_id"] in linked and m["speaker_id"] is not None
    }
    if speakers:
        session.connection().execute(
            _GIVE_SPEAKER, [{"claim": claim, "speaker": speaker} for claim, speaker in speakers.items()]
        )


_MOVE_FIRST_APPEARANCE = (
    update(Claim)
    .where(
        col(Claim.id).in_(bindparam("claims", expanding=True)),
        or_(col(Claim.first_seen_at).is_(None), col(Claim.first_seen_at) > bindparam("seen_at")),
    )
    .values(first_seen_at=bindparam("seen_at"), first_article_id=bindparam("article_id"))
)
_GIVE_SPEAKER = (
    update(Claim)
    .where(col(Claim.id) == bindparam("claim"), col(Claim.speaker_id).is_(None))
    .values(speaker_id=bindparam("speaker"))
)


def as_utc(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC; a naive time is taken to be UTC already."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
