"""The explorer's pages: search, a claim, an article, the article list and the review queue.

Each handler reads through the same read models the API serves (:mod:`provenance.queries`,
:mod:`provenance.lineage`, :mod:`provenance.editorial`) and renders a template; editorial
actions are taken by the page's script through the API itself, with the editor's key."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from sqlmodel import Session

from provenance import editorial, lineage
from provenance.api.deps import Offset, PathId, TextFilter, time_filter
from provenance.api.schemas import MAX_FILTER_CHARS, MAX_MATCH_CHARS
from provenance.domain import ClaimKind, ReportClaim
from provenance.models import Article, Claim
from provenance.plugins import PluginRegistry
from provenance.queries import (
    ArticleFilter,
    ClaimFilter,
    article_claims,
    claim_reach,
    claims_meeting,
    list_articles,
    list_claims,
    match_text,
    merged_into,
)
from provenance.search import indexable
from provenance.web.markup import Span, highlighted, wording

PAGE = 25
"""Rows per page of a list."""
COUNTED = 1000
"""Claims a search counts at most: past it the page says "1,000+" (a speaker with a sixth of a
store of a million claims is not counted on every page)."""
ARTICLE_CLAIMS = 500
"""Claims an article page lists and highlights (an article of more says so)."""
TRAIL = 50
"""Suggestions and decisions a claim page shows."""
LISTED_WORDS = 8
"""Words up to which a search also lists every claim holding them (a longer text is a quote,
traced by matching alone: few claims hold a whole quote word for word)."""
TIMELINE = 200
"""Appearances a claim page shows (``GET /v1/claims/{id}/mentions`` pages through all of them)."""

Quote = Annotated[
    str | None,
    QueryParameter(max_length=MAX_MATCH_CHARS, description="A quote or words to look for."),
]
DateFrom = Annotated[str | None, QueryParameter(name="from", max_length=32, description="YYYY-MM-DD")]
DateTo = Annotated[str | None, QueryParameter(name="to", max_length=32, description="YYYY-MM-DD")]
Kind = Annotated[str | None, QueryParameter(max_length=16)]


def _day(name: str, value: str | None, *, end: bool = False) -> datetime | None:
    """A date from a form (``YYYY-MM-DD``, empty for none) as the start of that day in UTC, or of
    the next day for the ``end`` of a range; a 400 naming the field otherwise."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationException(detail=f"{name} must be a date (YYYY-MM-DD), not {value!r}") from exc
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    if end:
        if day == date.max:
            raise ValidationException(detail=f"{name} {value} is out of range")
        start += timedelta(days=1)
    return time_filter(name, start)


def _kind(value: str | None) -> str | None:
    """A claim kind from a form (empty for any); a 400 for an unknown one."""
    if not value:
        return None
    try:
        return ClaimKind(value).value
    except ValueError as exc:
        known = ", ".join(k.value for k in ClaimKind)
        raise ValidationException(detail=f"kind must be one of {known}, not {value!r}") from exc


def _query(filters: ClaimFilter) -> str:
    """The API's query string for ``filters`` (what an export of the list is asked with)."""
    fields: dict[str, Any] = {
        "kind": filters.kind,
        "speaker": filters.speaker,
        "text": filters.text,
        "article_id": filters.article_id,
        "outlet": filters.outlet,
        "published_after": filters.published_after.isoformat() if filters.published_after else None,
        "published_before": filters.published_before.isoformat() if filters.published_before else None,
    }
    return urlencode({name: value for name, value in fields.items() if value is not None})


def _exports(registry: PluginRegistry, filters: ClaimFilter) -> list[tuple[str, str]]:
    """Every installed export format with the link that exports the list with its filters."""
    query = _query(filters)
    return [
        (fmt, f"/v1/exports/{fmt}" + (f"?{query}" if query else "")) for fmt in sorted(registry.exporters)
    ]


def _pages(request: Request[Any, Any, Any], offset: int, total: int) -> dict[str, str | None]:
    """Links to the previous and next page of a list, keeping the request's other parameters."""
    params = {k: v for k, v in request.query_params.items() if k != "offset"}

    def at(where: int) -> str:
        return "?" + urlencode({**params, "offset": where} if where else params)

    return {
        "previous": at(max(0, offset - PAGE)) if offset > 0 else None,
        "next": at(offset + PAGE) if offset + PAGE < total else None,
    }


@get("/", name="search", sync_to_thread=True)
def search(
    request: Request[Any, Any, Any],
    session: NamedDependency[Session],
    registry: NamedDependency[PluginRegistry],
    q: Quote = None,
    speaker: TextFilter = None,
    outlet: TextFilter = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    kind: Kind = None,
    offset: Offset = 0,
) -> Template:
    """Where did this quote come from: the stored claims that match a pasted quote (scored), and
    the claims holding its words, by speaker, outlet, kind and publication dates."""
    words = " ".join((q or "").split())
    filters = ClaimFilter(
        kind=_kind(kind),
        speaker=speaker or None,
        text=words
        if words
        and len(words.split()) <= LISTED_WORDS
        and len(words) <= MAX_FILTER_CHARS
        and indexable(words)  # "EU": no trigram to look up, and a scan of every claim's text
        else None,
        outlet=outlet or None,
        published_after=_day("from", date_from),
        published_before=_day("to", date_to, end=True),
    )
    hits = match_text(session, registry, words, speaker or None) if words else []
    if hits:
        meeting = claims_meeting(session, replace(filters, text=None), [h.claim_id for h in hits])
        hits = [h for h in hits if h.claim_id in meeting]
    claims: list[ReportClaim] = []
    total = 0
    listed = filters != ClaimFilter() and not (words and filters.text is None)  # a quote is matched only
    if listed:
        claims, total = list_claims(session, filters, PAGE, offset, sample=1, count_up_to=COUNTED)
    reach = claim_reach(session, [h.claim_id for h in hits] + [c.id for c in claims])
    return Template(
        "search.html",
        context={
            "form": {
                "q": q or "",
                "speaker": speaker or "",
                "outlet": outlet or "",
                "from": date_from or "",
                "to": date_to or "",
                "kind": filters.kind or "",
            },
            "kinds": [k.value for k in ClaimKind],
            "searched": bool(words) or filters != ClaimFilter(),
            "hits": hits,
            "listed": listed,
            "too_short": bool(words) and not indexable(words),
            "claims": claims,
            "total": min(total, COUNTED),
            "more": total > COUNTED,
            "offset": offset,
            "pages": _pages(request, offset, total),
            "reach": reach,
            "exports": _exports(registry, filters) if claims else [],
        },
    )


@get("/claims/{claim_id:int}", name="claim", sync_to_thread=True)
def claim_page(claim_id: PathId, session: NamedDependency[Session]) -> Template | Redirect:
    """A claim: its words and speaker, every appearance in order with its wording's changes,
    excerpts and conflicting figures, and the review trail."""
    provenance = lineage.claim_provenance(session, claim_id, sample=TIMELINE)
    claim = session.get(Claim, claim_id)
    if provenance is None or claim is None:
        target = merged_into(session, claim_id)
        if target is not None:
            return Redirect(f"/claims/{target}")
        raise NotFoundException(detail=f"no claim with id {claim_id}")
    suggestions, suggestion_count = editorial.suggestions(session, TRAIL, 0, claim_id=claim_id)
    actions, action_count = editorial.actions(session, TRAIL, 0, claim_id=claim_id)
    return Template(
        "claim.html",
        context={
            "claim": claim,
            "provenance": provenance,
            "wordings": [wording(a.text, a.changes) for a in provenance.appearances],
            "reach": claim_reach(session, [claim_id]).get(claim_id),
            "related": {
                relation: [r for r in provenance.related if r.kind == relation]
                for relation in ("part_of", "contains", "conflicts_with")
            },
            "suggestions": suggestions,
            "suggestion_count": suggestion_count,
            "actions": actions,
            "action_count": action_count,
        },
    )


@get("/articles", name="articles", sync_to_thread=True)
def articles_page(
    request: Request[Any, Any, Any],
    session: NamedDependency[Session],
    registry: NamedDependency[PluginRegistry],
    outlet: TextFilter = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    offset: Offset = 0,
) -> Template:
    """Articles, newest first, by outlet and publication dates."""
    after, before = _day("from", date_from), _day("to", date_to, end=True)
    found, total = list_articles(session, ArticleFilter(outlet or None, None, after, before), PAGE, offset)
    return Template(
        "articles.html",
        context={
            "form": {"outlet": outlet or "", "from": date_from or "", "to": date_to or ""},
            "articles": found,
            "total": min(total, COUNTED),
            "more": total > COUNTED,
            "offset": offset,
            "pages": _pages(request, offset, total),
            "exports": _exports(
                registry, ClaimFilter(outlet=outlet or None, published_after=after, published_before=before)
            ),
        },
    )


@get("/articles/{article_id:int}", name="article", sync_to_thread=True)
def article_page(
    article_id: PathId, session: NamedDependency[Session], registry: NamedDependency[PluginRegistry]
) -> Template:
    """An article: its text with every claim highlighted where it is printed, its claims, and the
    articles it shares claims with (a copy or rewrite, with the evidence)."""
    article = session.get(Article, article_id)
    if article is None:
        raise NotFoundException(detail=f"no article with id {article_id}")
    claims, total = article_claims(session, article_id, ARTICLE_CLAIMS)
    numbers = {claim.id: n for n, claim in enumerate(claims, 1)}
    spans = [
        Span(m.start, m.end, claim.id, numbers[claim.id], claim.kind, m.id)
        for claim in claims
        for m in claim.mentions
    ]
    return Template(
        "article.html",
        context={
            "article": article,
            "text": highlighted(article.text, spans),
            "claims": claims,
            "total": total,
            "related": lineage.related_articles(session, article_id) or [],
            "exports": _exports(registry, ClaimFilter(article_id=article_id)),
        },
    )


@get("/review", name="review", sync_to_thread=True)
def review_page(
    request: Request[Any, Any, Any], session: NamedDependency[Session], offset: Offset = 0
) -> Template:
    """Suggested matches, best first, each with both texts side by side and the matcher's
    explanation, to confirm or reject in one keystroke."""
    found, total = editorial.suggestions(session, PAGE, offset)
    return Template(
        "review.html",
        context={
            "suggestions": found,
            "total": min(total, COUNTED),
            "more": total > COUNTED,
            "offset": offset,
            "pages": _pages(request, offset, total),
        },
    )


def error_page(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """A refused page request (an unknown id, a bad parameter), as a page with a way back."""
    return Template(
        "error.html", context={"status": exc.status_code, "detail": exc.detail}, status_code=exc.status_code
    )
