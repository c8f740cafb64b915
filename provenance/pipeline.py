"""The ingest pipeline, top-down: clean → extract → read speakers (:func:`prepare`, no store),
then place the article → resolve speakers (new ones written) → match → plan links
(:func:`plan_links`, reads the store, writes nothing) → write (:func:`write_links`).

:func:`prepare` touches no store, so it runs in worker processes (:mod:`provenance.workers`).
:func:`store` runs in a transaction that :mod:`provenance.services` opens under the linking
lock: an article and all its claims are written together or not at all.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import bindparam, insert, or_, select, update
from sqlmodel import Session, col

from provenance import candidates, copies, outbox
from provenance.articles import ArticleInput, IngestResult, InvalidArticle, Outcome
from provenance.claims import claim_key, claim_text, claim_words, store_relations
from provenance.cleaning import clean
from provenance.clock import as_utc, utcnow
from provenance.db import insert_many, insert_rows
from provenance.domain import ArticleText, ClaimKind, ClaimText, Extraction, IngestedArticle, SpeakerKind
from provenance.index import ArticleIndex, claim_keys, query_keys
from provenance.matching import Relation, Verdict, best_first, decide, relations, verdicts
from provenance.models import Article, Claim, MatchCandidate, MatchRule, Mention, RelationKind
from provenance.outbox import Event, EventKind
from provenance.plugins import PluginRegistry
from provenance.speakers import ArticleSpeakers, SpeakerResolver
from provenance.text import content_hash, sentence_spans, words

REVIEW_CANDIDATES = 10  # best-scored candidates kept per mention for review


@dataclass(frozen=True)
class PreparedArticle:
    """An article cleaned and mined for claims, not yet stored: what :func:`store` links."""

    article: ArticleInput
    text: str
    title: str | None
    language: str | None
    digest: str
    extractions: list[Extraction]  # a multi-sentence quotation is one extraction per sentence
    passages: list[tuple[int, int]]  # per extraction: start and end of the quotation as printed
    speakers: list[tuple[str, str] | None]  # per extraction: the person named (full, as written)
    speaker_kinds: list[str | None]  # per extraction: what the speaker as written is (a SpeakerKind value)
    note: str | None


# 1. clean → extract → read speakers: no store


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
    extractors = registry.extractors_for(cleaned.language)
    note = None
    if not extractors:
        language = cleaned.language or "unknown"
        note = f"language {language!r} is not supported by the extractors; no claims extracted"
    title = article.title or cleaned.title
    article_text = ArticleText(cleaned.text, title, cleaned.language)
    pieces = sorted(  # each with the quotation as printed it comes from: its passage
        (
            (piece, (e.start, e.end))
            for extractor in extractors
            for e in extractor.extract(article_text)
            for piece in segment(cleaned.text, e)
        ),
        key=lambda pair: (pair[0].start, pair[0].end, pair[0].kind != ClaimKind.QUOTE),
    )
    pieces = [  # one span printed once is one claim: a quote read by two extractors is a quote
        (piece, passage)
        for n, (piece, passage) in enumerate(pieces)
        if not n or (piece.start, piece.end) != (pieces[n - 1][0].start, pieces[n - 1][0].end)
    ]
    pieces = _partial_quotes_in_place(pieces)
    extractions = [piece for piece, _ in pieces]
    people = ArticleSpeakers(cleaned.text, (e.speaker for e in extractions))
    speakers = [people.resolve(e.speaker, e.speaker_offset, (e.start, e.end)) for e in extractions]
    kinds = [people.kind_of(e.speaker, named, e.cue) for e, named in zip(extractions, speakers, strict=True)]
    return PreparedArticle(
        article,
        cleaned.text,
        title,
        cleaned.language,
        content_hash(cleaned.text),
        extractions,
        [passage for _, passage in pieces],
        speakers,
        kinds,
        note,
    )


def _partial_quotes_in_place(
    pieces: list[tuple[Extraction, tuple[int, int]]],
) -> list[tuple[Extraction, tuple[int, int]]]:
    """A quote printed inside reported speech ('Reid said Trump was “a human leech”') is part of
    that quotation as printed: it takes the reported speech's passage (the one starting nearest
    before it, of the few that could hold it) as its own."""
    reported = sorted({passage for piece, passage in pieces if piece.kind == ClaimKind.ATTRIBUTION})
    starts = [start for start, _ in reported]
    placed = []
    for piece, passage in pieces:
        if piece.kind == ClaimKind.QUOTE:
            nearest = bisect_right(starts, passage[0])
            around = (r for r in reversed(reported[max(0, nearest - 3) : nearest]) if passage[1] <= r[1])
            passage = next(around, passage)
        placed.append((piece, passage))
    return placed


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


# 2. place the article → plan its links → write: in the caller's transaction, under the linking lock


def store(session: Session, registry: PluginRegistry, prepared: PreparedArticle) -> IngestResult:
    """Store a prepared article and link its claims, keyed as newsrooms key articles: by URL,
    with a changed text stored as a new version; without a URL, by text. Run it in a
    transaction holding the linking lock (:func:`provenance.db.writing`)."""
    article = prepared.article
    found = _placement(session, article.url, prepared.digest)
    if isinstance(found, int):
        return IngestResult(found, Outcome.UNCHANGED)
    now = utcnow()
    published_at = as_utc(article.published_at)
    values = {
        "url": article.url,
        "version": found.version,
        "previous_version_id": found.previous_version_id,
        "copy_of_id": found.copy_of_id,
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
    # the people named, as stored speakers (their aliases read at once): new ones are written
    resolver = SpeakerResolver(session, prepared.speakers)
    speakers = [
        resolver.resolve(*found) for found in zip(prepared.speakers, prepared.speaker_kinds, strict=True)
    ]
    plan = plan_links(session, registry, article_id, prepared, speakers, seen_at=published_at or now)
    mention_ids, claim_ids = write_links(session, registry, plan)
    summary = {k: values[k] for k in ("url", "title", "outlet", "published_at")}
    outbox.record(session.connection(), events({"id": article_id, **summary}, plan, mention_ids, claim_ids))
    outcome = Outcome.NEW_VERSION if found.previous_version_id else Outcome.CREATED
    return IngestResult(article_id, outcome, IngestedArticle(article_id, article.url, mention_ids, claim_ids))


@dataclass(frozen=True)
class _Placement:
    """Where a new article row goes among the stored ones."""

    version: int = 1
    previous_version_id: int | None = None  # the version it corrects
    copy_of_id: int | None = None  # the first article with the same text under another URL


def _placement(session: Session, url: str | None, digest: str) -> int | _Placement:
    """The id of the stored article this one is (this URL with this text, or this text without
    a URL), or where the new row goes."""
    connection = session.connection()
    if url is None:
        same_text: int | None = connection.execute(_FIRST_WITH_TEXT, {"digest": digest}).scalar()
        return _Placement() if same_text is None else same_text
    versions = connection.execute(_VERSIONS, {"url": url}).all()  # newest first
    same: int | None = next((row.id for row in versions if row.content_hash == digest), None)
    if same is not None:
        return same
    return _Placement(
        version=versions[0].version + 1 if versions else 1,
        previous_version_id=versions[0].id if versions else None,
        copy_of_id=connection.execute(_COPY_OF, {"digest": digest, "url": url}).scalar(),
    )


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


@dataclass(frozen=True)
class NewClaim:
    """A claim first seen in the article being linked: its row, and its comparable form for the
    candidate sources to index once it has an id."""

    row: dict[str, object]
    claim: ClaimText


@dataclass(frozen=True)
class PlannedMention:
    """A mention to write: its row without ``claim_id``, the claim it joins (a stored id, or a
    new claim's stand-in: see :class:`LinkPlan`) and the best candidates scored for it."""

    claim_id: int
    row: dict[str, object]
    trail: list[Verdict]


@dataclass
class LinkPlan:
    """Everything linking an article writes, decided before anything is written.

    New claims have no ids until they are written: until then they stand in as ``-1``, ``-2``, …
    in order of :attr:`new_claims` (:class:`provenance.index.ArticleIndex` hands these out), in
    mentions, review trails and relations alike; :func:`write_links` swaps in the stored ids."""

    article_id: int
    seen_at: datetime
    new_claims: list[NewClaim] = field(default_factory=list)
    mentions: list[PlannedMention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)  # only from new claims
    linked: set[int] = field(default_factory=set)  # stored claims the article mentions


def plan_links(
    session: Session,
    registry: PluginRegistry,
    article_id: int,
    prepared: PreparedArticle,
    speakers: list[tuple[int, str, str] | None],
    seen_at: datetime,
) -> LinkPlan:
    """Match each extraction (with its resolved speaker: id, canonical name and kind) against the
    stored claims the candidate sources propose and the article's own new claims, and decide
    what it links to. Reads the store, writes nothing: :func:`write_links` applies the plan."""
    matchers = registry.active_matchers()
    context_threshold = registry.settings.figure_context_threshold
    queries = [
        claim_text(e, sp[1] if sp else None, sp[2] if sp else kind)
        for e, sp, kind in zip(prepared.extractions, speakers, prepared.speaker_kinds, strict=True)
    ]
    keys = [claim_key(q) for q in queries]
    lookups = [query_keys(q) for q in queries]
    found_for = candidates.shortlists(session.connection(), registry.sources(), queries)
    rules = _rules(session, keys)
    vetoes = [{c for c, linked in rules.get(key, {}).items() if not linked} for key in keys]
    stored = [verdicts(q, s, matchers, veto) for q, s, veto in zip(queries, found_for, vetoes, strict=True)]
    carried = copies.carried_claims(
        session.connection(), [f[0].claim_id for f in stored if decide(f)], len(queries)
    )
    plan = LinkPlan(article_id, seen_at)
    article_index = ArticleIndex()
    for extraction, passage, speaker, kind, query, key, lookup, shortlist, veto, found_stored in zip(
        prepared.extractions,
        prepared.passages,
        speakers,
        prepared.speaker_kinds,
        queries,
        keys,
        lookups,
        found_for,
        vetoes,
        stored,
        strict=True,
    ):
        speaker_id = speaker[0] if speaker else None
        if speaker and kind in (None, SpeakerKind.UNKNOWN.value):
            kind = speaker[2]  # what the text does not say, the person it resolves to does
        local = article_index.candidates(key, lookup)
        considered = shortlist + local
        found = best_first(found_stored + verdicts(query, local, matchers, veto))
        if found and copies.reworded(found[0], carried):  # a rewrite's sentence: the claim it rewords
            found[0] = copies.linked_as_reworded(found[0])
        chosen = decide(found)
        rule = rules.get(key, {})
        pinned = next((c for c, linked in sorted(rule.items()) if linked), None)
        if pinned is not None:  # an editor confirmed this wording for that claim
            chosen = Verdict(pinned, "editor", "1", 1.0, 1.0, 1.0, "confirmed by an editor for this wording")
        if chosen is None:
            plan.new_claims.append(NewClaim(_claim_row(query, key, speaker_id, article_id, seen_at), query))
            claim_id = article_index.add(query, key, claim_keys(query))
            # only a new claim is related: a stored one had its relations found when it was new
            plan.relations.extend(relations(article_index.claims[-1], considered, context_threshold))
        else:
            claim_id = chosen.claim_id
            if claim_id > 0:
                plan.linked.add(claim_id)
        row = {
            "article_id": article_id,
            "text": extraction.text,
            "start": extraction.start,
            "end": extraction.end,
            "passage_start": passage[0],
            "passage_end": passage[1],
            "speaker_as_written": extraction.speaker,
            "speaker_id": speaker_id,
            "speaker_kind": kind,
            "cue": extraction.cue,
            "extractor": extraction.kind.value,
            "matcher": chosen.matcher if chosen else None,
            "matcher_version": chosen.version if chosen else None,
            "score": chosen.score if chosen else None,
            "threshold": chosen.threshold if chosen else None,
        }
        plan.mentions.append(PlannedMention(claim_id, row, found[:REVIEW_CANDIDATES]))
    return plan


def _claim_row(
    query: ClaimText, key: str, speaker_id: int | None, article_id: int, seen_at: datetime
) -> dict[str, object]:
    return {
        "kind": query.kind.value,
        "text": claim_words(query.text),
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


def write_links(session: Session, registry: PluginRegistry, plan: LinkPlan) -> tuple[list[int], list[int]]:
    """Write a plan: new claims (and tell the candidate sources of them), mentions, review
    trails, relations, and the stored claims' first appearance and speaker. Returns the new
    mentions' and claims' ids."""
    connection = session.connection()
    new_ids = insert_rows(connection, Claim, [c.row for c in plan.new_claims])
    stored_claims = [replace(c.claim, claim_id=i) for i, c in zip(new_ids, plan.new_claims, strict=True)]
    candidates.index(connection, registry.sources(), stored_claims)

    def stored(claim_id: int | None) -> int:
        return _stored(new_ids, claim_id)

    mentions = [{"claim_id": stored(m.claim_id), **m.row} for m in plan.mentions]
    mention_ids = insert_rows(connection, Mention, mentions)
    trail_rows = [
        {
            "mention_id": mention_id,
            "claim_id": stored(v.claim_id),
            "matcher": v.matcher,
            "matcher_version": v.version,
            "score": v.score,
            "threshold": v.threshold,
            "status": v.status.value,
            "explanation": v.explanation,
        }
        for mention_id, m in zip(mention_ids, plan.mentions, strict=True)
        for v in m.trail
        if v.score > 0
    ]
    insert_many(connection, MatchCandidate, trail_rows)
    store_relations(
        session,
        [
            (stored(r.claim.claim_id), stored(r.related.claim_id), r.kind, r.detail, r.score)
            for r in plan.relations
        ],
    )
    _update_stored_claims(session, plan, mentions)
    return mention_ids, new_ids


def _update_stored_claims(session: Session, plan: LinkPlan, mentions: list[dict[str, object]]) -> None:
    """Move a stored claim's first appearance to this article when it is earlier, and give a
    stored claim without a speaker the speaker this article resolved."""
    if not plan.linked:
        return
    session.connection().execute(
        _MOVE_FIRST_APPEARANCE,
        {"claims": sorted(plan.linked), "seen_at": plan.seen_at, "article_id": plan.article_id},
    )
    speakers = {
        m["claim_id"]: m["speaker_id"]
        for m in mentions
        if m["claim_id"] in plan.linked and m["speaker_id"] is not None
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


def _stored(new_ids: list[int], claim_id: int | None) -> int:
    """A claim's stored id: a new claim's stand-in (``-1``, ``-2``, …) swapped for its id."""
    assert claim_id is not None
    return new_ids[-claim_id - 1] if claim_id < 0 else claim_id


def events(
    article: dict[str, object], plan: LinkPlan, mention_ids: list[int], new_ids: list[int]
) -> list[Event]:
    """What linking an article tells subscribers: the claims it first printed, the known claims
    it printed again, and the figures it printed with another value than a stored claim."""
    mentions: dict[int, list[dict[str, object]]] = {}
    for mention_id, planned in zip(mention_ids, plan.mentions, strict=True):
        row = planned.row
        mentions.setdefault(_stored(new_ids, planned.claim_id), []).append(
            {"id": mention_id, "text": row["text"], "start": row["start"], "end": row["end"]}
        )
    created = [
        {
            "id": claim_id,
            "kind": new.row["kind"],
            "text": new.row["text"],
            "speaker": new.claim.speaker,
            "value": new.row["value"],
            "unit": new.row["unit"],
            "counted": new.row["counted"],
            "mentions": mentions.get(claim_id, []),
        }
        for claim_id, new in zip(new_ids, plan.new_claims, strict=True)
    ]
    mentioned = [{"id": claim_id, "mentions": mentions[claim_id]} for claim_id in sorted(plan.linked)]
    conflicts = [
        {
            "claim_id": _stored(new_ids, r.claim.claim_id),
            "conflicts_with": _stored(new_ids, r.related.claim_id),
            "detail": r.detail,
            "score": r.score,
        }
        for r in plan.relations
        if r.kind == RelationKind.CONFLICTS_WITH
    ]
    found = [
        (EventKind.CLAIM_CREATED, "claims", created),
        (EventKind.CLAIM_MENTIONED, "claims", mentioned),
        (EventKind.FIGURE_CONFLICT, "conflicts", conflicts),
    ]
    return [Event(kind, {"article": article, key: items}) for kind, key, items in found if items]
