"""An article as submitted, why one is refused, and what ingesting one did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from provenance.domain import IngestedArticle


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
