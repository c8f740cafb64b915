"""Every error as an RFC 9457 problem+json body that names what was wrong."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.openapi import ResponseSpec
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from provenance.api.schemas import PATTERNS, ProblemDetails
from provenance.articles import InvalidArticle
from provenance.editorial import EditorialError, NotFound
from provenance.fetching import FetchTimedOut

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"

_MEANINGS = {
    400: "A parameter or a body field is invalid; the detail names it.",
    404: "No such resource (or export format); a merged claim's id says where it went (merged_into).",
    409: "The editorial decision conflicts with the store's state.",
    413: "The request body is larger than the server accepts.",
    415: "The request body is not JSON.",
    422: "The article cannot be ingested: empty, only page chrome, too long, or over its time budget;"
    " or the page at its URL cannot be fetched (a refused address, not 2xx, not HTML, too large, too"
    " many redirects, unreachable).",
    500: "An unexpected error; it has been logged.",
    503: "The store cannot be reached (or has no free connection); retry after Retry-After seconds.",
    504: "The page at the article's URL did not arrive in time.",
}
BODY = (400, 413, 415)
"""What any request with a JSON body can be answered."""


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """The error responses of an operation for its OpenAPI document: each status it can answer
    besides 500 and 503, with the problem+json body every error has."""
    return {
        status: ResponseSpec(
            ProblemDetails, description=_MEANINGS[status], media_type=PROBLEM_JSON, generate_examples=False
        )
        for status in sorted({*statuses, 500, 503})
    }


def problem(status: int, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    """A problem+json response."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def http_exception_handler(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    """Validation, not-found and other HTTP errors raised by Litestar or the handlers."""
    extra: dict[str, Any] = {}
    detail = exc.detail
    if exc.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE and detail == RequestEntityTooLarge.detail:
        detail = "the request body is larger than this server accepts (see PROVENANCE_MAX_TEXT_CHARS)"
    if isinstance(exc.extra, list) and exc.extra:
        extra["errors"] = [
            {**e, "message": _readable(e["message"])} if "message" in e else e for e in exc.extra
        ]
        # Litestar's parameter errors: name each parameter in the detail
        named = [f"{e['key']}: {e['message']}" for e in extra["errors"] if e.get("key")]
        detail = "; ".join(named) or detail
    elif isinstance(exc.extra, dict):
        extra.update(exc.extra)
    headers = dict(exc.headers or {})
    if exc.status_code == HTTPStatus.TOO_MANY_REQUESTS and "RateLimit-Reset" in headers:
        # Litestar's rate limiter says when in RateLimit-Reset; Retry-After says it to every client
        headers["Retry-After"] = headers["RateLimit-Reset"]
        detail = (
            f"more than {headers['RateLimit-Limit']} requests a minute from this API key (or, without "
            f"one, this address); retry after {headers['Retry-After']} s"
        )
    response = problem(exc.status_code, _readable(detail), **extra)
    response.headers.update(headers)
    return response


def _readable(message: str) -> str:
    """``message`` with each pattern a value failed said in words."""
    for pattern, meaning in PATTERNS.items():
        message = message.replace(f"matching regex {pattern!r}", meaning)
    return message


def invalid_article_handler(_: Request[Any, Any, Any], exc: InvalidArticle) -> Response[dict[str, Any]]:
    """An article the pipeline refuses (empty, oversized, nothing but chrome)."""
    return problem(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc))


def fetch_timeout_handler(_: Request[Any, Any, Any], exc: FetchTimedOut) -> Response[dict[str, Any]]:
    """A page to ingest by URL that did not arrive in time: the server upstream timed out."""
    return problem(HTTPStatus.GATEWAY_TIMEOUT, str(exc))


def editorial_error_handler(_: Request[Any, Any, Any], exc: EditorialError) -> Response[dict[str, Any]]:
    """An editorial decision that conflicts with the store's state."""
    return problem(HTTPStatus.CONFLICT, str(exc))


def editorial_not_found_handler(_: Request[Any, Any, Any], exc: NotFound) -> Response[dict[str, Any]]:
    """An editorial decision about a claim, mention or suggestion that does not exist."""
    return problem(HTTPStatus.NOT_FOUND, str(exc))


def store_unavailable_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """The store is lost (connection refused or dropped), locked past its timeout, or out of free
    connections: 503 with ``Retry-After``, never 500. Nothing was half-stored (every write is one
    transaction), and the next request reconnects once the store is back."""
    log.warning("store unavailable on %s %s: %s", request.method, request.url.path, exc)
    retry_after = request.app.state.settings.db_retry_after
    response = problem(
        HTTPStatus.SERVICE_UNAVAILABLE,
        f"the store cannot be reached just now; retry in {retry_after} s",
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


def unexpected_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """Anything else: logged with its traceback, answered without leaking internals."""
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(HTTPStatus.INTERNAL_SERVER_ERROR, "an unexpected error occurred; it has been logged")


EXCEPTION_HANDLERS = {
    HTTPException: http_exception_handler,
    InvalidArticle: invalid_article_handler,
    FetchTimedOut: fetch_timeout_handler,
    EditorialError: editorial_error_handler,
    NotFound: editorial_not_found_handler,
    OperationalError: store_unavailable_handler,
    DisconnectionError: store_unavailable_handler,
    PoolTimeout: store_unavailable_handler,
    Exception: unexpected_error_handler,
}
