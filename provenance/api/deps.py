"""What handlers are given: a reading session, the engine, the plugin registry, the services
that write, and their parameters checked at the edge (ids, pages, filters, times, JSON bodies)
within the limits of :mod:`provenance.api.schemas`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import Body, Parameter, QueryParameter
from litestar.status_codes import HTTP_415_UNSUPPORTED_MEDIA_TYPE
from sqlalchemy import Engine
from sqlmodel import Session

from provenance.api.schemas import MAX_FILTER_CHARS, MAX_ID, ONE_LINE, checked_time
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService, EditorialService
from provenance.settings import MAX_PAGE_SIZE, Settings

PathId = Annotated[int, Parameter(ge=1, le=MAX_ID)]
Limit = Annotated[
    int,
    QueryParameter(
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Page size (1-{MAX_PAGE_SIZE}; a server may cap it lower: PROVENANCE_MAX_PAGE_SIZE).",
    ),
]
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_ID, description="Items to skip.")]
IdFilter = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
TextFilter = Annotated[
    str | None,
    QueryParameter(
        max_length=MAX_FILTER_CHARS,
        pattern=ONE_LINE,
        description=f"At most {MAX_FILTER_CHARS} characters, with no control characters.",
    ),
]
TimeFilter = Annotated[datetime | None, QueryParameter(description="From 0001-01-02 to 9998-12-31 UTC.")]

JSONObject = Body(media_type=RequestEncodingType.JSON, schema_extra={"additionalProperties": False})
"""A JSON request body, whose unknown fields are refused."""
ArticleObject = Body(
    media_type=RequestEncodingType.JSON,
    schema_extra={
        "additionalProperties": False,
        "oneOf": [
            *(
                Schema(required=[f], properties={f: Schema(type=OpenAPIType.STRING)})
                for f in ("text", "html")
            ),
            Schema(
                required=["url"],
                properties={"url": Schema(type=OpenAPIType.STRING)},
                schema_not=Schema(any_of=[Schema(required=["text"]), Schema(required=["html"])]),
                description="Only a URL: the page there is fetched and ingested as html is.",
            ),
        ],
    },
)
"""An article's JSON body: unknown fields refused, and exactly one of ``text`` and ``html``, or
only a ``url`` to fetch the page from."""

_JSON = re.compile(r"application/([\w.-]+\+)?json")


def time_filter(name: str, moment: datetime | None) -> datetime | None:
    """A time parameter in UTC, or a 400 naming it when it is out of range."""
    try:
        return checked_time(name, moment)
    except ValueError as exc:
        raise ValidationException(detail=str(exc)) from exc


async def check_request(request: Request[Any, Any, Any]) -> None:
    """Before every handler: the page size within the server's cap, and a JSON body as typed."""
    check_page_size(request)
    await check_json_body(request)


def check_page_size(request: Request[Any, Any, Any]) -> None:
    """Refuse a ``limit`` over ``PROVENANCE_MAX_PAGE_SIZE`` (400 naming it), where a lower cap
    than the OpenAPI document's is set."""
    if "limit" not in request.route_handler.parsed_fn_signature.parameters:
        return
    settings: Settings = request.app.state.settings
    limit = request.query_params.get("limit", "")
    if limit.isdigit() and int(limit) > settings.max_page_size:
        raise ValidationException(
            detail=f"limit: at most {settings.max_page_size} items a page on this server "
            "(PROVENANCE_MAX_PAGE_SIZE)"
        )


async def check_json_body(request: Request[Any, Any, Any]) -> None:
    """Before a handler that takes a body: refuse a body that is not JSON (415), and decode it
    strictly into the handler's type, so a number is no date and a string no id (400 naming
    the field), rather than only in the lax mode that also parses query strings."""
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return
    media_type = request.content_type[0]
    if not _JSON.fullmatch(media_type):
        raise HTTPException(
            status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            detail=f"the request body must be application/json, not {media_type or 'untyped'}",
        )
    try:
        msgspec.convert(_integral(msgspec.json.decode(await request.body())), data.annotation, strict=True)
    except msgspec.ValidationError as exc:
        raise ValidationException(detail=f"invalid request body: {exc}") from exc
    except msgspec.DecodeError as exc:
        raise ValidationException(detail=f"the request body is not valid JSON: {exc}") from exc


def _integral(value: Any) -> Any:
    """``value`` with integral numbers as ints: JSON counts ``5.0`` as the integer 5."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _integral(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_integral(item) for item in value]
    return value


def provide_engine(state: State) -> Engine:
    """The app's database engine."""
    engine: Engine = state.engine
    return engine


def provide_registry(state: State) -> PluginRegistry:
    """The app's plugin registry."""
    registry: PluginRegistry = state.registry
    return registry


def provide_articles(state: State) -> ArticleService:
    """The service that ingests articles (each in a worker process)."""
    articles: ArticleService = state.articles
    return articles


def provide_decisions(state: State) -> EditorialService:
    """The service that takes editorial decisions."""
    decisions: EditorialService = state.decisions
    return decisions


def provide_session(state: State) -> Iterator[Session]:
    """A session per request for reading; writes go through the services, which commit their own."""
    with Session(state.engine) as session:
        yield session


def not_found(what: str, ident: object) -> NotFoundException:
    """A 404 naming what was not found."""
    return NotFoundException(detail=f"no {what} with id {ident}")
