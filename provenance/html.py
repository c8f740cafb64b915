"""HTML input: an article's main text and metadata, through trafilatura's main-content extractor.

The stored article text is the extracted text (paragraphs separated by blank lines), so every
offset the pipeline keeps points into what was stored, not into the page's markup. Metadata is
the page's own (OpenGraph, JSON-LD ``NewsArticle``, ``<meta name="author">``,
``article:published_time`` with its time of day, ``og:site_name``, else the URL's host), and
what the caller gives wins over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import trafilatura
from trafilatura.settings import Document, set_date_params

from provenance.articles import ArticleInput, InvalidArticle
from provenance.models import Article


def _fitted(value: str | None, column: str) -> str | None:
    """Page metadata cut to the length of its ``article`` column: a page may say anything, and
    PostgreSQL refuses what is longer."""
    length: int = Article.__table__.c[column].type.length  # type: ignore[attr-defined]
    return (value or "")[:length].strip() or None


DATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M:%S%z"}
"""htmldate's settings beside trafilatura's own: the time of day and its offset where the page
gives them (``article:published_time``, JSON-LD ``datePublished``…), not only the day."""


def _page_date(value: str | None) -> datetime | None:
    """The page's publication time in UTC; a time without an offset, or a bare day (midnight), is
    taken as UTC."""
    if not value:
        return None
    try:
        published = datetime.fromisoformat(value)
    except ValueError:
        return None
    return published.astimezone(UTC) if published.tzinfo else published.replace(tzinfo=UTC)


@dataclass(frozen=True)
class WebPage:
    """A web page submitted as an article, with the metadata its caller gives (which wins over
    the page's)."""

    html: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published_at: datetime | None = None

    def article(self) -> ArticleInput:
        """The article in the page: its main text without navigation, comments or boilerplate."""
        html = self.html
        if not html.strip():
            raise InvalidArticle("the article html is empty")
        if "<html" not in html[:2000].lower():
            html = f"<html><body>{html}</body></html>"  # a fragment of a page: its body
        document = trafilatura.bare_extraction(
            html,
            url=self.url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={**set_date_params(), **DATE_PARAMS},
        )
        if not isinstance(document, Document) or not (document.text or "").strip():
            raise InvalidArticle(
                "no article text was found in the html (only page chrome, or no text at all)"
            )
        return ArticleInput(
            text="\n\n".join(line.strip() for line in (document.text or "").splitlines() if line.strip()),
            url=self.url or _fitted(document.url, "url"),
            title=self.title or _fitted(document.title, "title"),
            outlet=self.outlet or _fitted(document.sitename, "outlet"),
            author=self.author or _fitted(document.author, "author"),
            published_at=self.published_at or _page_date(document.date),
        )
