"""The store: SQLModel tables for articles, claims, mentions, speakers and the candidate index.

Tables are created by Alembic migrations (``migrations/``), never by ``create_all``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from provenance.clock import utcnow

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _timestamp(nullable: bool = True, index: bool = False) -> Column[datetime]:
    return Column(DateTime(timezone=True), nullable=nullable, index=index)


class Article(SQLModel, table=True):
    """One ingested article; ``text`` is the cleaned text that every offset points into.

    A URL identifies an article as newsrooms key them: a changed text at a known URL is a new
    ``version`` of it (``previous_version_id`` points to the one it corrects, which stays readable
    with its mentions), and the same text under another URL is an article of its own, a
    ``copy_of`` the first article that printed it (so every outlet that carried it is recorded).
    """

    __table_args__ = (UniqueConstraint("url", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    url: str | None = Field(default=None, max_length=2048)
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    previous_version_id: int | None = Field(default=None, foreign_key="article.id")
    copy_of_id: int | None = Field(default=None, foreign_key="article.id")
    outlet: str | None = Field(default=None, max_length=255, index=True)
    title: str | None = Field(default=None, max_length=1024)
    author: str | None = Field(default=None, max_length=512)
    published_at: datetime | None = Field(default=None, sa_column=_timestamp(index=True))
    ingested_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))
    language: str | None = Field(default=None, max_length=16)
    text: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str = Field(max_length=64, index=True)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Speaker(SQLModel, table=True):
    """A person or body that claims are attributed to, under one canonical name."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=255)
    kind: str = Field(default="unknown", max_length=16)  # a SpeakerKind value


class SpeakerAlias(SQLModel, table=True):
    """A normalised name form ("putin", "vladimir putin") that resolves to one speaker."""

    __tablename__ = "speaker_alias"

    key: str = Field(max_length=255, primary_key=True)
    speaker_id: int = Field(foreign_key="speaker.id", index=True)
    alias: str = Field(max_length=255)


class Claim(SQLModel, table=True):
    """A statement, attribution or figure, shared by every mention that carries it."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    key: str = Field(max_length=64, index=True)
    speaker_id: int | None = Field(default=None, foreign_key="speaker.id", index=True)
    value: float | None = None
    unit: str | None = Field(default=None, max_length=32)
    counted: str | None = Field(default=None, max_length=255)
    context: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    first_article_id: int | None = Field(default=None, foreign_key="article.id")
    first_seen_at: datetime | None = Field(default=None, sa_column=_timestamp())
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))
    merged_into_id: int | None = Field(
        default=None, foreign_key="claim.id"
    )  # no index: rarely set, never searched


class Mention(SQLModel, table=True):
    """A claim as printed in one article: exact text, offsets, speaker as written, cue and match."""

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    start: int
    end: int
    passage_start: int  # the quotation as printed that the mention is part of (or the mention itself)
    passage_end: int
    speaker_as_written: str | None = Field(default=None, max_length=255)
    speaker_id: int | None = Field(default=None, foreign_key="speaker.id")
    speaker_kind: str | None = Field(default=None, max_length=16)  # what the speaker as written is
    cue: str | None = Field(default=None, max_length=64)
    extractor: str = Field(max_length=64)
    matcher: str | None = Field(default=None, max_length=64)
    matcher_version: str | None = Field(default=None, max_length=32)
    score: float | None = None
    threshold: float | None = None


class CandidateStatus(StrEnum):
    """What became of one candidate claim scored for a mention."""

    LINKED = "linked"  # the mention was linked to it (score reached the confirmed threshold)
    SUGGESTED = "suggested"  # shown for review: score between the suggested and confirmed thresholds
    CONFIRMED = "confirmed"  # a suggestion an editor accepted; the mention moved to that claim
    REJECTED = "rejected"  # a suggestion an editor turned down; it is never proposed again
    CONSIDERED = "considered"  # scored, but below the suggested threshold or beaten by another


class MatchCandidate(SQLModel, table=True):
    """One stored claim scored for a mention while it was linked: the review trail of a decision."""

    __tablename__ = "match_candidate"

    id: int | None = Field(default=None, primary_key=True)
    mention_id: int = Field(foreign_key="mention.id", index=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    matcher: str = Field(max_length=64)
    matcher_version: str = Field(max_length=32)
    score: float
    threshold: float
    status: str = Field(max_length=16, index=True)
    explanation: str = Field(sa_column=Column(Text, nullable=False))


class RelationKind(StrEnum):
    """How two distinct claims relate."""

    PART_OF = "part_of"  # the claim's words are an excerpt of the related claim
    CONFLICTS_WITH = "conflicts_with"  # the same figure (thing counted, context) with another value


class ClaimRelation(SQLModel, table=True):
    """A relation between two claims that are not the same claim."""

    __tablename__ = "claim_relation"
    __table_args__ = (UniqueConstraint("claim_id", "related_claim_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    related_claim_id: int = Field(foreign_key="claim.id", index=True)
    kind: str = Field(max_length=16, index=True)
    detail: str = Field(sa_column=Column(Text, nullable=False))
    score: float | None = None  # an excerpt: how closely it is found in its quote; figures: how alike
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))


class EditorialAction(SQLModel, table=True):
    """An editor's decision (merge, detach, confirm, reject), with who took it and when."""

    __tablename__ = "editorial_action"

    id: int | None = Field(default=None, primary_key=True)
    action: str = Field(max_length=16)
    actor: str = Field(max_length=255)
    at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))
    claim_id: int | None = Field(default=None, index=True)
    other_claim_id: int | None = None
    mention_id: int | None = None
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class MatchRule(SQLModel, table=True):
    """An editor's standing decision about a wording (by its ``claim_key``, so a figure's rule
    covers its value, unit and thing) and a claim:
    ``linked`` means that wording always joins the claim (confirmed or merged), otherwise it never
    does (detached or rejected). Matching applies these before any matcher."""

    __tablename__ = "match_rule"

    claim_id: int = Field(foreign_key="claim.id", primary_key=True)
    key: str = Field(max_length=64, primary_key=True, index=True)
    linked: bool


class ClaimKey(SQLModel, table=True):
    """The candidate index: a few word-bigram hashes per claim, looked up to shortlist fuzzy matches."""

    __tablename__ = "claim_key"
    __table_args__ = {"sqlite_with_rowid": False}  # the primary key is the table: half the bytes

    key: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    claim_id: int = Field(foreign_key="claim.id", primary_key=True)


class StopKey(SQLModel, table=True):
    """An index key shared by too many claims to tell them apart (a name, a stock phrase): it is
    no longer looked up, and its postings are gone from ``claim_key``."""

    __tablename__ = "claim_key_stop"

    key: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))


class ApiKey(SQLModel, table=True):
    """A client's API key: only the SHA-256 of its token is stored, so it is never retrievable.
    ``scopes`` is space-separated (``read write review admin``); a key past ``expires_at`` or
    with ``revoked_at`` set is refused."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=255, unique=True)
    token_hash: str = Field(max_length=64, unique=True)
    scopes: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))
    expires_at: datetime | None = Field(default=None, sa_column=_timestamp())
    revoked_at: datetime | None = Field(default=None, sa_column=_timestamp())


class Webhook(SQLModel, table=True):
    """A subscription: the events (space-separated names, :mod:`provenance.outbox`) sent to
    ``url``, each signed with ``secret`` (kept, since every delivery is signed with it; never
    shown again)."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2048)
    events: str = Field(max_length=255)
    secret: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))


class OutboxEvent(SQLModel, table=True):
    """An event, written in the transaction of the change it reports; ``data`` is its JSON."""

    __tablename__ = "outbox_event"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    data: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))


class WebhookDelivery(SQLModel, table=True):
    """One event owed to one subscription: ``pending`` until delivered or out of attempts
    (``failed``). ``due_at`` is when it may next be tried; a dispatcher that takes it moves
    ``due_at`` past its lease, so a dispatcher that dies mid-way leaves it due again."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = Field(foreign_key="webhook.id", index=True)
    event_id: int = Field(foreign_key="outbox_event.id", index=True)
    status: str = Field(max_length=16)  # pending, delivered, failed
    attempts: int = 0
    due_at: datetime = Field(sa_column=_timestamp(nullable=False))
    delivered_at: datetime | None = Field(default=None, sa_column=_timestamp())


class WebhookAttempt(SQLModel, table=True):
    """The delivery log: one try of a delivery, with the answer (or the error) it got."""

    __tablename__ = "webhook_attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_delivery.id", index=True)
    attempt: int
    at: datetime = Field(sa_column=_timestamp(nullable=False))
    status_code: int | None = None
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    duration_ms: float


class Job(SQLModel, table=True):
    """A background job (:mod:`provenance.jobs`) and its progress over its items."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    status: str = Field(max_length=16, index=True)  # queued, running, done, failed
    total: int = 0  # items
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))
    started_at: datetime | None = Field(default=None, sa_column=_timestamp())
    finished_at: datetime | None = Field(default=None, sa_column=_timestamp())
    lease_until: datetime | None = Field(
        default=None, sa_column=_timestamp()
    )  # the in-process runner's claim


class JobItem(SQLModel, table=True):
    """One unit of a job's work in input order (a JSON line, a URL, a range of claims) and what
    became of it."""

    __tablename__ = "job_item"
    __table_args__ = (
        UniqueConstraint("job_id", "position"),
        Index("ix_job_item_progress", "job_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="job.id")
    position: int
    input: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=16)  # pending, then created, new_version, unchanged, done or failed
    article_id: int | None = None
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
