"""``/v1/articles``: ingest articles and read them with their claims."""

from __future__ import annotations

import asyncio
from typing import Annotated

import anyio
import msgspec
from litestar import Controller, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.openapi import ResponseSpec
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import Engine
from sqlmodel import Session

from provenance import lineage
from provenance.api.deps import (
    ArticleObject,
    Limit,
    Offset,
    PathId,
    TextFilter,
    TimeFilter,
    not_found,
    time_filter,
)
from provenance.api.errors import BODY, problems
from provenance.api.schemas import ArticleCreate, ArticleCreated, ArticleOut, Page
from provenance.articles import ArticleInput, IngestResult, Outcome
from provenance.clock import as_utc
from provenance.domain import Quotation, ReportClaim
from provenance.fetching import fetch_page
from provenance.html import WebPage
from provenance.lineage import RelatedArticle
from provenance.models import Article
from provenance.queries import CLAIM_SAMPLE, ArticleFilter, article_claims, article_quotations, list_articles
from provenance.services import ArticleService
from provenance.settings import Settings


async def _article_input(data: ArticleCreate, settings: Settings) -> ArticleInput | WebPage:
    """The article posted: its text, its page's HTML, or (a URL alone) the page fetched from there."""
    fields = msgspec.structs.asdict(data)
    text, html = fields.pop("text"), fields.pop("html")
    if text is None and html is None and data.url is not None:
        return WebPage((await fetch_page(data.url, settings)).html, **fields)
    if (text is None) == (html is None):
        raise ValidationException(
            "give the article as exactly one of 'text' or 'html', or only its 'url' to fetch the page"
        )
    return WebPage(html, **fields) if html is not None else ArticleInput(text=text, **fields)


def _created(engine: Engine, result: IngestResult) -> ArticleCreated:
    """A committed article read back with its first claims."""
    with Session(engine) as session:
        article = session.get_one(Article, result.article_id)
        claims, total = article_claims(session, result.article_id, CLAIM_SAMPLE)
        return ArticleCreated(
            outcome=result.outcome.value,
            article=article_out(article, with_text=True),
            claims=claims,
            claim_count=total,
            changes=lineage.version_changes(session, result.article_id)
            if result.outcome is Outcome.NEW_VERSION
            else None,
        )


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
        version=article.version,
        previous_version_id=article.previous_version_id,
        copy_of_id=article.copy_of_id,
        note=article.note,
        text=article.text if with_text else None,
    )


class ArticleController(Controller):
    """Articles and the claims extracted from them."""

    path = "/v1/articles"
    tags = ("articles",)

    @post(
        "/",
        operation_id="CreateArticle",
        status_code=HTTP_201_CREATED,
        responses={
            HTTP_200_OK: ResponseSpec(ArticleCreated, description="The article as stored already."),
            **problems(*BODY, 422, 504),
        },
    )
    async def create_article(
        self,
        data: Annotated[ArticleCreate, ArticleObject],
        engine: NamedDependency[Engine],
        articles: NamedDependency[ArticleService],
        state: State,
    ) -> Response[ArticleCreated]:
        """Ingest an article: clean it, extract its claims and link them to every article that has them.

        A URL identifies an article: posting it again with the same text returns the stored article
        (200, ``unchanged``); with a changed text it stores the correction as the article's next
        version (201, ``new_version``, with ``changes`` against the previous one, which stays
        readable). The same text under another URL is an article of its own, a ``copy_of`` the
        first (201). Text without a URL is the stored article with the same text, if any.

        A ``url`` alone is fetched (HTML only, public addresses only unless
        ``PROVENANCE_FETCH_ALLOW`` names them, within the size, redirect and time limits) and its
        page ingested as ``html`` is, under that URL: title, author, outlet and publication time
        come from the page's metadata unless the request gives them. A page that cannot be
        fetched is 422 saying why, one that does not arrive in time 504.
        """
        article = await _article_input(data, state.settings)
        result = await asyncio.wrap_future(articles.ingest_in_worker(article))
        body = await anyio.to_thread.run_sync(_created, engine, result)
        return Response(body, status_code=HTTP_201_CREATED if result.created else HTTP_200_OK)

    @get("/", operation_id="ListArticles", sync_to_thread=True, responses=problems(400))
    def list_articles(
        self,
        session: NamedDependency[Session],
        limit: Limit = 50,
        offset: Offset = 0,
        outlet: TextFilter = None,
        url: TextFilter = None,
        published_after: TimeFilter = None,
        published_before: TimeFilter = None,
    ) -> Page[ArticleOut]:
        """Articles, newest first, filtered by outlet, URL substring and publication time."""
        filters = ArticleFilter(
            outlet,
            url,
            time_filter("published_after", published_after),
            time_filter("published_before", published_before),
        )
        articles, total = list_articles(session, filters, limit, offset)
        return Page([article_out(a) for a in articles], total, limit, offset)

    @get("/{article_id:int}", operation_id="GetArticle", sync_to_thread=True, responses=problems(400, 404))
    def get_article(self, article_id: PathId, session: NamedDependency[Session]) -> ArticleOut:
        """One article with its stored text (the text every mention offset points into)."""
        article = session.get(Article, article_id)
        if article is None:
            raise not_found("article", article_id)
        return article_out(article, with_text=True)

    @get(
        "/{article_id:int}/claims",
        operation_id="GetArticleClaims",
        sync_to_thread=True,
        responses=problems(400, 404),
    )
    def article_claims(
        self, article_id: PathId, session: NamedDependency[Session], limit: Limit = 50, offset: Offset = 0
    ) -> Page[ReportClaim]:
        """The claims found in one article, a page at a time in the order they were first stored,
        each with ``mention_count`` (all its mentions) and its first mentions in that article."""
        if session.get(Article, article_id) is None:
            raise not_found("article", article_id)
        claims, total = article_claims(session, article_id, limit, offset)
        return Page(claims, total, limit, offset)

    @get(
        "/{article_id:int}/quotations",
        operation_id="GetArticleQuotations",
        sync_to_thread=True,
        responses=problems(400, 404),
    )
    def article_quotations(
        self, article_id: PathId, session: NamedDependency[Session], limit: Limit = 50, offset: Offset = 0
    ) -> Page[Quotation]:
        """The quotations one article printed, whole and in the order printed, a page at a time:
        each quotation's passage (offsets into the stored text, and its words), its speaker as
        written and the person that resolves to, and the claims it holds (a quote of three
        sentences is one quotation of three claims). Figures are left out: they are part of
        sentences, not quotations."""
        article = session.get(Article, article_id)
        if article is None:
            raise not_found("article", article_id)
        quotations, total = article_quotations(session, article, limit, offset)
        return Page(quotations, total, limit, offset)

    @get(
        "/{article_id:int}/related",
        operation_id="GetRelatedArticles",
        sync_to_thread=True,
        responses=problems(400, 404),
    )
    def related_articles(self, article_id: PathId, session: NamedDependency[Session]) -> list[RelatedArticle]:
        """Articles sharing claims with this one, most shared first, with the evidence (each
        shared claim in both wordings, the share of each article's claims, how much of the order
        is kept, how much wording is the same). ``relation`` flags a likely ``copy`` or
        ``rewrite``; ``earlier`` says which was published first, when both times are known."""
        found = lineage.related_articles(session, article_id)
        if found is None:
            raise not_found("article", article_id)
        return found
