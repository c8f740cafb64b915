"""Request and response bodies of the API (explicit schemas, never table models)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Generic, TypeVar

import msgspec

from provenance.domain import ReportClaim

T = TypeVar("T")


class ArticleCreate(msgspec.Struct, forbid_unknown_fields=True):
    """An article to ingest, as plain ``text`` or as a web page's ``html`` (exactly one of them;
    the page's main text is extracted and stored). A URL makes re-posting idempotent."""

    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published_at: datetime | None = None


class MatchRequest(msgspec.Struct, forbid_unknown_fields=True):
    """A text to trace back to stored claims, optionally with who is said to have said it."""

    text: str
    speaker: str | None = None


Actor = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=r"\S")]


class Decision(msgspec.Struct, forbid_unknown_fields=True):
    """Who takes a decision, with an optional note for the record."""

    actor: Actor
    note: str | None = None


class MergeRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Merge ``other_claim_id`` into the claim in the path."""

    other_claim_id: int
    actor: Actor
    note: str | None = None


@dataclass
class Page(Generic[T]):
    """One page of a list, with the total number of matching items."""

    items: list[T]
    total: int
    limit: int
    offset: int


@dataclass
class ArticleOut:
    """An article's metadata (and its stored text when asked for one article)."""

    id: int
    url: str | None
    outlet: str | None
    title: str | None
    author: str | None
    published_at: datetime | None
    ingested_at: datetime
    language: str | None
    content_hash: str
    note: str | None
    text: str | None = None


@dataclass
class ArticleCreated:
    """The stored article and the claims found in it."""

    article: ArticleOut
    claims: list[ReportClaim]


@dataclass
class PluginOut:
    """A registered plugin."""

    name: str
    version: str | None
    builtin: bool
    hooks: list[str]
    provides: dict[str, list[str]]


@dataclass
class PluginsOut:
    """Every registered plugin, and any that were skipped with the reason."""

    plugins: list[PluginOut]
    errors: list[dict[str, str]]


@dataclass
class Health:
    """Service health."""

    status: str
    database: str
    version: str
