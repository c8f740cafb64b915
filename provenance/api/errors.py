"""Every error as an RFC 9457 problem+json body that names what was wrong."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, SerializationException

from provenance.editorial import EditorialError, NotFound
from provenance.ingest import InvalidArticle

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


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
    if isinstance(exc.__cause__, SerializationException):
        detail = f"the request body is not valid JSON: {detail}"
    elif exc.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
        detail = "the request body is larger than this server accepts (see PROVENANCE_MAX_TEXT_CHARS)"
    if isinstance(exc.extra, list) and exc.extra:
        extra["errors"] = exc.extra
    elif isinstance(exc.extra, dict):
        extra.update(exc.extra)
    response = problem(exc.status_code, detail, **extra)
    response.headers.update(exc.headers or {})
    return response


def invalid_article_handler(_: Request[Any, Any, Any], exc: InvalidArticle) -> Response[dict[str, Any]]:
    """An article the pipeline refuses (empty, oversized, nothing but chrome)."""
    return problem(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc))


def editorial_error_handler(_: Request[Any, Any, Any], exc: EditorialError) -> Response[dict[str, Any]]:
    """An editorial decision that conflicts with the store's state."""
    return problem(HTTPStatus.CONFLICT, str(exc))


def editorial_not_found_handler(_: Request[Any, Any, Any], exc: NotFound) -> Response[dict[str, Any]]:
    """An editorial decision about a claim, mention or suggestion that does not exist."""
    return problem(HTTPStatus.NOT_FOUND, str(exc))


def unexpected_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """Anything else: logged with its traceback, answered without leaking internals."""
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(HTTPStatus.INTERNAL_SERVER_ERROR, "an unexpected error occurred; it has been logged")


EXCEPTION_HANDLERS = {
    HTTPException: http_exception_handler,
    InvalidArticle: invalid_article_handler,
    EditorialError: editorial_error_handler,
    NotFound: editorial_not_found_handler,
    Exception: unexpected_error_handler,
}
