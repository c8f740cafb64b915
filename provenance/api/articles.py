"""``/v1/articles``: ingest articles and read them with their claims."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlmodel import Session

from provenance import lineage
from provenance.api.deps import Limit, Offset, not_found
from provenance.api.schemas import ArticleCreate, ArticleCreated, ArticleOut, Page
from provenance.domain import ReportClaim
from provenance.html import article_from_html
from provenance.ingest import ArticleInput, as_utc, ingest_article
from provenance.lineage import RelatedArticle
from provenance.models import Article
from provenance.plugins import PluginRegistry
from provenance.queries import ArticleFilter, ClaimFilter, list_articles, list_claims


def _article_input(data: ArticleCreate) -> ArticleInput:
    fields = msgspec.structs.asdict(data)
    text, html = fields.pop("text"), fields.pop("html")
    if (text is None) == (html is None):
        raise ValidationException("give the article as exactly one of 'text' or 'html'")
    return article_from_html(html, **fields) if html is not None else ArticleInput(text=text, **fields)


def article_out(article: Article, with_text: bool = False) -> ArticleOut:
    """The API form of an article."""
    assert article.id is not None
    return ArticleOut(
        id=article.id,
        url=article.url,
        outlet=article.outlet,
        title=article.title,
        author=article.author,
        published_at=as_utc(article.published_at),
        ingested_at=as_utc(article.ingested_at) or article.ingested_at,
        language=article.language,
        content_hash=article.content_hash,
        note=article.note,
        text=article.text if with_text else None,
    )


def in_article(claim: ReportClaim, article_id: int) -> ReportClaim:
    """``claim`` with only the mentions printed in one article."""
    return replace(claim, mentions=tuple(m for m in claim.mentions if m.article["id"] == article_id))


def _article_claims(session: Session, article_id: int) -> list[ReportClaim]:
    claims, _ = list_claims(session, ClaimFilter(article_id=article_id), limit=100_000, offset=0)
    return [in_article(c, article_id) for c in claims]


class ArticleController(Controller):
    """Articles and the claims extracted from them."""

    path = "/v1/articles"
    tags = ("articles",)

    @post("/", operation_id="CreateArticle", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def create_article(
        self,
        data: JSONBody[ArticleCreate],
        session: NamedDependency[Session],
        registry: NamedDependency[PluginRegistry],
    ) -> Response[ArticleCreated]:
        """Ingest an article: clean it, extract its claims and link them to every article that has them.

        Posting the same URL or the same text again returns the stored article with 200.
        """
        result = ingest_article(session, registry, _article_input(data))
        session.commit()
        if result.event is not None:
            registry.notify_ingested(result.event)
        article = session.get_one(Article, result.article_id)
        body = ArticleCreated(
            article=article_out(article, with_text=True), claims=_article_claims(session, result.article_id)
        )
        return Response(body, status_code=HTTP_201_CREATED if result.created else HTTP_200_OK)

    @get("/", operation_id="ListArticles", sync_to_thread=True)
    def list_articles(
        self,
        session: NamedDependency[Session],
        limit: Limit = 50,
        offset: Offset = 0,
        outlet: FromQuery[str | None] = None,
        url: FromQuery[str | None] = None,
        published_after: FromQuery[datetime | None] = None,
        published_before: FromQuery[datetime | None] = None,
    ) -> Page[ArticleOut]:
        """Articles, newest first, filtered by outlet, URL substring and publication time."""
        articles, total = list_articles(
            session, ArticleFilter(outlet, url, published_after, published_before), limit, offset
        )
        return Page([article_out(a) for a in articles], total, limit, offset)

    @get("/{article_id:int}", operation_id="GetArticle", sync_to_thread=True)
    def get_article(self, article_id: FromPath[int], session: NamedDependency[Session]) -> ArticleOut:
        """One article with its stored text (the text every mention offset points into)."""
        article = session.get(Article, article_id)
        if article is None:
            raise not_found("article", article_id)
        return article_out(article, with_text=True)

    @get("/{article_id:int}/claims", operation_id="GetArticleClaims", sync_to_thread=True)
    def article_claims(
        self, article_id: FromPath[int], session: NamedDependency[Session]
    ) -> list[ReportClaim]:
        """The claims found in one article, each with its mentions in that article."""
        if session.get(Article, article_id) is None:
            raise not_found("article", article_id)
        return _article_claims(session, article_id)

    @get("/{article_id:int}/related", operation_id="GetRelatedArticles", sync_to_thread=True)
    def related_articles(
        self, article_id: FromPath[int], session: NamedDependency[Session]
    ) -> list[RelatedArticle]:
        """Articles sharing claims with this one, most shared first, with the evidence (each
        shared claim in both wordings, the share of each article's claims, how much of the order
        is kept, how much wording is the same). ``relation`` flags a likely ``copy`` or
        ``rewrite``; ``earlier`` says which was published first, when both times are known."""
        found = lineage.related_articles(session, article_id)
        if found is None:
            raise not_found("article", article_id)
        return found
