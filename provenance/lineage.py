"""The provenance graph, read side: a claim's appearances with wording diffs, its relations to
other claims, articles that share claims (and which one copied which), and conflicting figures."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlmodel import Session, col

from provenance.clock import as_utc
from provenance.copies import COPY_MIN_CLAIMS, COPY_ORDER, COPY_SAME_WORDING, COPY_SHARE, kept_in_order
from provenance.domain import ArticleSummary, ReportMention, ReportSpeaker
from provenance.models import Article, Claim, ClaimRelation, Mention, RelationKind
from provenance.queries import article_summary, claim_relations, get_claim


@dataclass(frozen=True)
class WordChange:
    """One difference between a variant's wording and the first appearance's."""

    op: str  # "replace", "delete" (words of the first missing here) or "insert" (words added here)
    first: str
    this: str
    start: int  # where ``this`` is in the variant's wording (character offsets; for a deletion,
    end: int  # where the missing words were, ``start == end``)


@dataclass(frozen=True)
class Appearance:
    """One appearance of a claim, timed by publication when known, otherwise by ingestion."""

    mention_id: int
    article: ArticleSummary
    text: str
    start: int
    end: int
    speaker: str | None
    seen_at: datetime | None
    time_basis: str  # "published" or "ingested"
    same_wording: bool
    changes: list[WordChange]


@dataclass(frozen=True)
class VersionChanges:
    """What a new version of an article changed against the version it corrects, by claim."""

    previous_version_id: int
    claims_added: list[int]  # claims this version prints that the previous one did not
    claims_removed: list[int]  # claims the previous version printed that this one does not
    claims_kept: int


@dataclass(frozen=True)
class RelatedClaim:
    """A claim that is not this one but relates to it."""

    claim_id: int
    kind: str  # "part_of", "contains", "conflicts_with"
    text: str
    detail: str


@dataclass(frozen=True)
class ClaimProvenance:
    """Where a claim first appeared, every appearance in order with its wording diff, and its relations."""

    claim_id: int
    kind: str
    text: str
    speaker: ReportSpeaker | None
    first_appearance: Appearance | None
    appearances: list[Appearance]
    related: list[RelatedClaim]


def word_changes(first: str, this: str) -> list[WordChange]:
    """Word-level differences of ``this`` against ``first``, shown as printed. Words are compared
    without their punctuation, so quote-mark style (“ ” or "), a trailing comma, a dash or spacing
    is no change of wording."""
    a, b = _words(first), _words(this)
    bare_a, bare_b = [w.bare for w in a], [w.bare for w in b]
    if bare_a == bare_b:  # most appearances: the same words
        return []
    matcher = difflib.SequenceMatcher(None, bare_a, bare_b, autojunk=False)
    changes = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            start = b[j1].start if j1 < len(b) else len(this)
            end = b[j2 - 1].end if j2 > j1 else start
            printed_first, printed_this = (
                " ".join(w.printed for w in words) for words in (a[i1:i2], b[j1:j2])
            )
            changes.append(WordChange(op, printed_first, printed_this, start, end))
    return changes


class _Word(NamedTuple):
    printed: str
    bare: str  # the letters and digits it is compared by
    start: int
    end: int


@lru_cache(maxsize=1024)  # a claim's first wording is compared with each of its appearances
def _words(text: str) -> tuple[_Word, ...]:
    """Each word of ``text`` as printed, where it is (marks and punctuation alone are not words)."""
    return tuple(
        _Word(found.group(), bare, found.start(), found.end())
        for found in _PRINTED_RE.finditer(text)
        if (bare := _NOT_A_LETTER_RE.sub("", found.group()))
    )


_PRINTED_RE = re.compile(r"\S+")
_NOT_A_LETTER_RE = re.compile(r"[\W_]+")


def _appearance(mention: ReportMention, first_text: str) -> Appearance:
    published = mention.article.published_at
    changes = word_changes(first_text, mention.text)
    return Appearance(
        mention_id=mention.id,
        article=mention.article,
        text=mention.text,
        start=mention.start,
        end=mention.end,
        speaker=mention.speaker,
        seen_at=published or mention.article.ingested_at,
        time_basis="published" if published else "ingested",
        same_wording=not changes,
        changes=changes,
    )


def claim_provenance(session: Session, claim_id: int, sample: int | None = None) -> ClaimProvenance | None:
    """The provenance of one claim (with ``sample``, only its first appearances), or ``None`` if
    there is no such claim."""
    claim = get_claim(session, claim_id, sample=sample)
    if claim is None:
        return None
    first_text = claim.mentions[0].text if claim.mentions else claim.text
    appearances = [_appearance(m, first_text) for m in claim.mentions]
    return ClaimProvenance(
        claim_id=claim.id,
        kind=claim.kind,
        text=claim.text,
        speaker=claim.speaker,
        first_appearance=appearances[0] if appearances else None,
        appearances=appearances,
        related=related_claims(session, claim_id),
    )


def related_claims(session: Session, claim_id: int) -> list[RelatedClaim]:
    """Excerpts of this claim, claims it is an excerpt of, and figures that conflict with it."""
    relations = claim_relations(session, [claim_id]).get(claim_id, [])
    texts = dict(
        session.execute(
            select(col(Claim.id), col(Claim.text)).where(col(Claim.id).in_({r.claim_id for r in relations}))
        ).all()
    )
    return [RelatedClaim(r.claim_id, r.relation, texts[r.claim_id], r.detail) for r in relations]


@dataclass(frozen=True)
class SharedClaim:
    """A claim two articles both carry, with each one's wording."""

    claim_id: int
    this_text: str
    other_text: str


@dataclass(frozen=True)
class RelatedArticle:
    """An article sharing claims with the one asked about, and how likely one copied the other."""

    article: ArticleSummary
    shared_claims: int
    share_of_this: float  # shared claims / claims in the article asked about
    share_of_other: float
    order: float  # how much of the shared claims come in the same order (1.0: all)
    same_wording: float  # share of shared claims printed with the same words
    relation: str  # "copy" (mostly the same words), "rewrite" (reworded) or "shares_claims"
    earlier: str | None  # which was published first: "this", "other", or None when not known
    evidence: list[SharedClaim] = field(default_factory=list)


def related_articles(session: Session, article_id: int) -> list[RelatedArticle] | None:
    """Articles sharing claims with ``article_id``, most shared first; ``None`` if no such article.

    A pair is a likely ``copy`` or ``rewrite`` when at least :data:`COPY_MIN_CLAIMS` claims are
    shared, in much the same order, and they make up most of the later article's claims (of
    either article's when publication times are missing)."""
    this = session.get(Article, article_id)
    if this is None:
        return None
    mine = _first_mentions(session, col(Mention.article_id) == article_id).get(article_id, {})
    if not mine:
        return []
    others = _first_mentions(
        session, col(Mention.claim_id).in_(list(mine)), col(Mention.article_id) != article_id
    )
    totals = dict(
        session.execute(
            select(col(Mention.article_id), func.count(func.distinct(col(Mention.claim_id))))
            .where(col(Mention.article_id).in_(list(others)))
            .group_by(col(Mention.article_id))
        ).all()
    )
    articles = {
        a.id: a for a in session.execute(select(Article).where(col(Article.id).in_(list(others)))).scalars()
    }
    found = []
    for other_id, theirs in others.items():
        shared = [claim_id for claim_id in mine if claim_id in theirs]  # in this article's order
        their_order = sorted(shared, key=lambda c: theirs[c].start)
        order = kept_in_order(shared, their_order)
        same = sum(not word_changes(mine[c].text, theirs[c].text) for c in shared) / len(shared)
        share_of_this = len(shared) / len(mine)
        share_of_other = len(shared) / max(totals.get(other_id, 1), 1)
        other = articles[other_id]
        earlier = _earlier(this, other)
        later_share = {"this": share_of_other, "other": share_of_this}.get(
            earlier or "", max(share_of_this, share_of_other)
        )
        relation = "shares_claims"
        if len(shared) >= COPY_MIN_CLAIMS and order >= COPY_ORDER and later_share >= COPY_SHARE:
            relation = "copy" if same >= COPY_SAME_WORDING else "rewrite"
        found.append(
            RelatedArticle(
                article=article_summary(other),
                shared_claims=len(shared),
                share_of_this=round(share_of_this, 3),
                share_of_other=round(share_of_other, 3),
                order=round(order, 3),
                same_wording=round(same, 3),
                relation=relation,
                earlier=earlier,
                evidence=[SharedClaim(c, mine[c].text, theirs[c].text) for c in shared],
            )
        )
    return sorted(found, key=lambda r: (-r.shared_claims, r.article.id))


def _first_mentions(session: Session, *conditions: Any) -> dict[int, dict[int, Mention]]:
    """Per article, its first mention of each claim (in text order), among the mentions that
    meet ``conditions``."""
    first: dict[int, dict[int, Mention]] = defaultdict(dict)
    for mention in session.execute(
        select(Mention).where(*conditions).order_by(col(Mention.article_id), col(Mention.start))
    ).scalars():
        first[mention.article_id].setdefault(mention.claim_id, mention)
    return first


def _earlier(this: Article, other: Article) -> str | None:
    """Which article was published first; ``None`` without both publication times (ingestion
    order says nothing about who copied whom)."""
    mine, theirs = as_utc(this.published_at), as_utc(other.published_at)
    if mine is None or theirs is None or mine == theirs:
        return None
    return "this" if mine < theirs else "other"


@dataclass(frozen=True)
class FigureConflict:
    """The same figure printed with different values: both claims, their values and why."""

    claim: dict[str, Any]
    other: dict[str, Any]
    detail: str


def conflicts(session: Session, limit: int, offset: int) -> tuple[list[FigureConflict], int]:
    """Conflicting figures, newest first, with the total."""
    condition = col(ClaimRelation.kind) == RelationKind.CONFLICTS_WITH.value
    total = session.execute(select(func.count()).select_from(ClaimRelation).where(condition)).scalar_one()
    rows = list(
        session.execute(
            select(ClaimRelation)
            .where(condition)
            .order_by(col(ClaimRelation.id).desc())
            .limit(limit)
            .offset(offset)
        ).scalars()
    )
    claims = {
        c.id: c
        for c in session.execute(
            select(Claim).where(
                col(Claim.id).in_({i for r in rows for i in (r.claim_id, r.related_claim_id)})
            )
        ).scalars()
    }
    return [
        FigureConflict(_figure(claims[r.claim_id]), _figure(claims[r.related_claim_id]), r.detail)
        for r in rows
    ], total


def _figure(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "text": claim.text,
        "value": claim.value,
        "unit": claim.unit,
        "counted": claim.counted,
        "context": claim.context,
        "first_article_id": claim.first_article_id,
    }


def version_changes(session: Session, article_id: int) -> VersionChanges | None:
    """How an article's claims changed against the version it corrects (``None`` for a first version)."""
    previous = session.execute(
        select(col(Article.previous_version_id)).where(col(Article.id) == article_id)
    ).scalar()
    if previous is None:
        return None
    claims: dict[int, set[int]] = {article_id: set(), previous: set()}
    for owner, claim_id in session.execute(
        select(col(Mention.article_id), col(Mention.claim_id)).where(
            col(Mention.article_id).in_([article_id, previous])
        )
    ):
        claims[owner].add(claim_id)
    now, before = claims[article_id], claims[previous]
    return VersionChanges(previous, sorted(now - before), sorted(before - now), len(now & before))
