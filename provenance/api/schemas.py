"""Request and response bodies of the API (explicit schemas, never table models)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

import msgspec

from provenance.clock import as_utc
from provenance.domain import ReportClaim
from provenance.lineage import VersionChanges
from provenance.outbox import EventKind

T = TypeVar("T")

# The limits of what a request may hold, checked at the edge so both stores answer alike (README, API).
MAX_ID = 2**31 - 1
"""The largest id, ``article_id`` or offset: the store's integer columns are 32-bit on PostgreSQL."""
MAX_URL_CHARS = 2048  # the column lengths of provenance/models.py
MAX_TITLE_CHARS = 1024
MAX_OUTLET_CHARS = 255
MAX_AUTHOR_CHARS = 512
MAX_NAME_CHARS = 255
"""A speaker's or an actor's name."""
MAX_NOTE_CHARS = 4000
MAX_FILTER_CHARS = 1000
"""A text filter of a list or an export (``text``, ``speaker``, ``url``, ``outlet``)."""
MAX_MATCH_CHARS = 10_000
"""The text ``POST /v1/match`` traces."""
MIN_TIME = datetime(1, 1, 2, tzinfo=UTC)
MAX_TIME = datetime(9998, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
"""Times are accepted in this range (UTC): a day from either end of what any time zone can show."""

ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
"""A name, a title, a URL or a filter: no control characters (PostgreSQL stores no NUL at all)."""
LINES = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""A note: tabs and line breaks, but no other control characters."""
NAMED = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"
"""A name that is not blank, with no control characters."""
NOT_BLANK = r"\S"
HTTP_URL = r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9._~-]+(:[0-9]{1,5})?([/?#][^\x00-\x20\x7f]*)?$"
"""A URL a request is sent to (a webhook's, a page's to fetch): ``http`` or ``https``, a host
name or address, an optional port, no user name, spaces or control characters."""
PATTERNS = {
    ONE_LINE: "with no control characters",
    LINES: "with no control characters but tabs and line breaks",
    NAMED: "that is not empty or blank, with no control characters",
    NOT_BLANK: "that is not empty or blank",
    HTTP_URL: "that is an http or https URL with a host (no user name, spaces or control characters)",
}
"""What each pattern asks for, in the words an error gives."""

Url = Annotated[str, msgspec.Meta(max_length=MAX_URL_CHARS, pattern=ONE_LINE)]
HttpUrl = Annotated[str, msgspec.Meta(max_length=MAX_URL_CHARS, pattern=HTTP_URL)]
Title = Annotated[str, msgspec.Meta(max_length=MAX_TITLE_CHARS, pattern=ONE_LINE)]
Outlet = Annotated[str, msgspec.Meta(max_length=MAX_OUTLET_CHARS, pattern=ONE_LINE)]
Author = Annotated[str, msgspec.Meta(max_length=MAX_AUTHOR_CHARS, pattern=ONE_LINE)]
Name = Annotated[str, msgspec.Meta(max_length=MAX_NAME_CHARS, pattern=ONE_LINE)]
Actor = Annotated[str, msgspec.Meta(max_length=MAX_NAME_CHARS, pattern=NAMED)]
Note = Annotated[str, msgspec.Meta(max_length=MAX_NOTE_CHARS, pattern=LINES)]
Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]


def checked_time(name: str, moment: datetime | None) -> datetime | None:
    """``moment`` in UTC (a naive time is UTC already); a ``ValueError`` naming ``name`` when it
    is out of range."""
    if moment is None:
        return None
    try:
        utc = as_utc(moment)
    except OverflowError:
        utc = None
    if utc is None or not MIN_TIME <= utc <= MAX_TIME:
        earliest, latest = MIN_TIME.date().isoformat(), MAX_TIME.date().isoformat()
        raise ValueError(f"{name} {moment.isoformat()} is out of range: from {earliest} to {latest} UTC")
    return utc


class ArticleCreate(msgspec.Struct, forbid_unknown_fields=True):
    """An article to ingest, as plain ``text`` or as a web page's ``html`` (exactly one of them;
    the page's main text is extracted and stored), or as only the ``url`` of the page, which is
    then fetched and read as ``html`` is; the other fields override the page's metadata. A URL
    makes re-posting idempotent."""

    text: str | None = None
    html: str | None = None
    url: Url | None = None
    title: Title | None = None
    outlet: Outlet | None = None
    author: Author | None = None
    published_at: datetime | None = None

    def __post_init__(self) -> None:
        checked_time("published_at", self.published_at)


class MatchRequest(msgspec.Struct, forbid_unknown_fields=True):
    """A text to trace back to stored claims, optionally with who is said to have said it."""

    text: Annotated[str, msgspec.Meta(max_length=MAX_MATCH_CHARS, pattern=NOT_BLANK)]
    speaker: Name | None = None


class Decision(msgspec.Struct, forbid_unknown_fields=True):
    """An optional note for the record; the decision is recorded as taken by the API key's name."""

    note: Note | None = None


class MergeRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Merge ``other_claim_id`` into the claim in the path (recorded as taken by the API key's name)."""

    other_claim_id: Id
    note: Note | None = None


MIN_SECRET_CHARS = 16
MAX_SECRET_CHARS = 255
MAX_JOB_URLS = 10_000


class WebhookCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A subscription: the ``http``/``https`` URL each event is posted to, the events wanted
    (at least one), and the secret every delivery is signed with (16-255 characters)."""

    url: HttpUrl
    events: Annotated[list[EventKind], msgspec.Meta(min_length=1)]
    secret: Annotated[
        str, msgspec.Meta(min_length=MIN_SECRET_CHARS, max_length=MAX_SECRET_CHARS, pattern=ONE_LINE)
    ]


class UrlList(msgspec.Struct, forbid_unknown_fields=True):
    """The ``http``/``https`` URLs of pages to fetch and ingest, in order (1 to 10,000)."""

    urls: Annotated[list[HttpUrl], msgspec.Meta(min_length=1, max_length=MAX_JOB_URLS)]


class ProblemDetails(msgspec.Struct):
    """An error (RFC 9457, ``application/problem+json``): ``detail`` names what was wrong, and
    ``errors`` lists each invalid parameter; some errors add fields (``merged_into``; a 403's
    ``missing_scope``)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None
    merged_into: int | None = None
    missing_scope: str | None = None


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
    version: int = 1
    previous_version_id: int | None = None
    copy_of_id: int | None = None
    text: str | None = None


@dataclass
class ArticleCreated:
    """The stored article, the claims found in it, and what posting it did: ``created`` (a new
    article; ``article.copy_of_id`` names the first one with the same text under another URL),
    ``new_version`` (a changed text at a known URL; ``changes`` against the previous version) or
    ``unchanged`` (already stored). ``claims`` holds the first 50 of the article's ``claim_count``
    claims; ``GET /v1/articles/{id}/claims`` pages through all of them."""

    outcome: Literal["created", "new_version", "unchanged"]
    article: ArticleOut
    claims: list[ReportClaim]
    claim_count: int
    changes: VersionChanges | None = None


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
