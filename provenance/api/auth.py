"""Who is calling and what they may do: API keys, scopes and rate limits at the edge.

A key comes as ``Authorization: Bearer <token>`` or ``X-API-Key: <token>``. ``KeyMiddleware``
looks it up once per request; the rate limiters (Litestar's ``RateLimitMiddleware``) then count
requests per key, or per client address without one; the app's guard ``authorize`` refuses a
request whose operation needs a scope the caller lacks. Every ``/v1`` operation of the OpenAPI
document says what it needs (``document``), from the same rule the guard applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from litestar import Litestar
from litestar.connection import ASGIConnection, Request
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.middleware.rate_limit import RateLimitConfig, get_remote_address
from litestar.openapi.spec import (
    Components,
    OpenAPIMediaType,
    OpenAPIResponse,
    Reference,
    SecurityRequirement,
    SecurityScheme,
)
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Middleware, Receive, Scope, Send
from sqlalchemy import Engine

from provenance import keys
from provenance.api.errors import PROBLEM_JSON
from provenance.clock import utcnow
from provenance.keys import Key
from provenance.keys import Scope as KeyScope
from provenance.settings import Settings

API = "/v1/"
"""Keys, scopes and rate limits apply to the API under this path (not to /health, /schema or pages)."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PAGE_OPT = "page"
"""A handler's ``opt`` key marking a page of the explorer: read like ``/v1`` under
``PROVENANCE_READS=keyed``, with the key also taken from the :data:`KEY_COOKIE` cookie the
explorer sets (a browser sends no headers when following a link)."""
KEY_COOKIE = "provenance_key"
SCOPE_OPT = "scope"
"""A handler's ``opt`` key naming the scope it needs where its method does not say it: GET, HEAD
and OPTIONS read, any other method needs ``write``. Reads need a key (with ``read``) only under
``/v1`` and with ``PROVENANCE_READS=keyed``."""
HOW = "send it as 'Authorization: Bearer <token>' or 'X-API-Key: <token>'"
SECURITY_SCHEMES = {
    "bearer": SecurityScheme(
        type="http", scheme="bearer", description="An API key (`provenance keys create`) as a bearer token."
    ),
    "apiKey": SecurityScheme(
        type="apiKey", name="X-API-Key", security_scheme_in="header", description="The same key in a header."
    ),
}
SECURITY_COMPONENTS = Components(security_schemes=SECURITY_SCHEMES)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Caller:
    """The key a request came with (``None``: none), or why the key it sent is refused."""

    key: Key | None = None
    refused: str | None = None


def _token(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[str | None, str | None]:
    """The token a request sends, or why its headers hold none that can be read. A page request
    (outside ``/v1``) may send it as the :data:`KEY_COOKIE` cookie instead; the API never reads
    the cookie, so no other site can act with a browser's key."""
    bearer, header = connection.headers.get("authorization"), connection.headers.get("x-api-key")
    if bearer is None and header is None and not str(connection.scope["path"]).startswith(API):
        header = connection.cookies.get(KEY_COOKIE) or None
    if bearer is not None:
        scheme, _, bearer = bearer.partition(" ")
        if scheme.lower() != "bearer" or not bearer.strip():
            return None, f"the Authorization header must be 'Bearer <token>'; {HOW}"
        bearer = bearer.strip()
    if bearer is not None and header is not None and bearer != header.strip():
        return None, "the Authorization and X-API-Key headers send two different keys"
    token = bearer if bearer is not None else header and header.strip()
    if header is not None and not token:
        return None, f"the X-API-Key header is empty; {HOW}"
    return token, None


def _identify(engine: Engine, token: str) -> Caller:
    key = keys.find(engine, token)
    if key is None:
        return Caller(refused="the API key is not known (it may have been mistyped)")
    refusal = key.refusal(utcnow())
    return Caller(key=None, refused=refusal) if refusal else Caller(key=key)


class KeyMiddleware(ASGIMiddleware):
    """Reads the request's key, if any, into ``scope["auth"]`` as a :class:`Caller`."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        token, problem = _token(ASGIConnection(scope))
        found = Caller(refused=problem)
        if token is not None:
            engine: Engine = scope["litestar_app"].state.engine
            found = await anyio.to_thread.run_sync(_identify, engine, token)
        scope["auth"] = found
        await next_app(scope, receive, send)


def caller(connection: ASGIConnection[Any, Any, Any, Any]) -> Caller:
    """Who sent the request (set by :class:`KeyMiddleware`)."""
    found = connection.scope.get("auth")
    return found if isinstance(found, Caller) else Caller()


def required_scope(handler: BaseRouteHandler, method: str, path: str, settings: Settings) -> KeyScope | None:
    """The scope an operation needs, or ``None`` when anyone may call it."""
    named = handler.opt.get(SCOPE_OPT) or (KeyScope.READ if method in SAFE_METHODS else KeyScope.WRITE)
    scope = KeyScope(named)
    keyed = path.startswith(API) or bool(handler.opt.get(PAGE_OPT))
    if scope is KeyScope.READ and not (keyed and settings.reads == "keyed"):
        return None
    return scope


def authorize(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """The app's guard: 401 for a missing, unknown, expired or revoked key where one is needed
    (or sent to the API), 403 naming the scope a key lacks."""
    settings: Settings = connection.app.state.settings
    path = connection.scope["path"]
    needed = required_scope(handler, str(connection.scope.get("method", "GET")), path, settings)
    if needed is None and not path.startswith(API):
        return
    who = caller(connection)
    if who.refused is not None:
        raise NotAuthorizedException(detail=who.refused, headers=_challenge())
    if needed is None:
        return
    if who.key is None:
        raise NotAuthorizedException(
            detail=f"this operation needs an API key with the {needed} scope; {HOW}", headers=_challenge()
        )
    if not who.key.grants(needed):
        held = ", ".join(sorted(who.key.scopes))
        raise PermissionDeniedException(
            detail=f"the API key {who.key.name!r} lacks the {needed} scope this operation needs "
            f"(it has {held})",
            extra={"missing_scope": str(needed)},
        )


def _challenge() -> dict[str, str]:
    return {"WWW-Authenticate": 'Bearer realm="provenance"'}


def actor(request: Request[Any, Any, Any]) -> str:
    """The name of the key that authorised a request: who an editorial action is recorded as."""
    key = caller(request).key
    assert key is not None, "the guard lets no editorial action through without a key"
    return key.name


def middleware(settings: Settings) -> list[Middleware]:
    """The key middleware, then the rate limiters the settings ask for (a limit of 0 is none)."""
    limiters = [
        RateLimitConfig(
            rate_limit=("minute", settings.rate_limit),
            identifier_for_request=lambda request: f"key:{caller(request).key.id}",  # type: ignore[union-attr]
            check_throttle_handler=lambda request: _under_api(request) and caller(request).key is not None,
        ),
        RateLimitConfig(
            rate_limit=("minute", settings.rate_limit_anonymous),
            identifier_for_request=lambda request: f"address:{get_remote_address(request)}",
            check_throttle_handler=lambda request: _under_api(request) and caller(request).key is None,
        ),
    ]
    return [KeyMiddleware(), *(limiter.middleware for limiter in limiters if limiter.rate_limit[1] > 0)]


def _under_api(request: Request[Any, Any, Any]) -> bool:
    return str(request.scope["path"]).startswith(API)


def document(app: Litestar, settings: Settings) -> None:
    """Add to the app's OpenAPI document what each operation needs: its security requirement
    (optional on public reads) and its 401, 403 and 429 answers."""
    openapi = app.openapi_schema
    anyone: list[SecurityRequirement] = [{}]
    keyed: list[SecurityRequirement] = [{name: []} for name in SECURITY_SCHEMES]
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path_format not in (openapi.paths or {}):
            continue
        item = (openapi.paths or {})[route.path_format]
        for handler in route.route_handlers:
            for method in handler.http_methods:
                operation = getattr(item, method.lower(), None)
                if operation is None or operation.responses is None:
                    continue
                needed = required_scope(handler, method, route.path_format, settings)
                if needed is None and not route.path_format.startswith(API):
                    continue
                operation.security = keyed if needed else anyone + keyed
                statuses = {"401": UNAUTHORIZED}
                if route.path_format.startswith(API):
                    statuses["429"] = TOO_MANY
                if needed:
                    statuses["403"] = FORBIDDEN.format(scope=needed)
                for status, description in statuses.items():
                    operation.responses[status] = OpenAPIResponse(description, content=PROBLEM_CONTENT)
                operation.responses = dict(sorted(operation.responses.items()))


PROBLEM_CONTENT = {PROBLEM_JSON: OpenAPIMediaType(schema=Reference("#/components/schemas/ProblemDetails"))}
UNAUTHORIZED = "No API key where one is needed, or one that is unknown, expired or revoked."
FORBIDDEN = "The API key lacks the {scope} scope this operation needs (admin grants every scope)."
TOO_MANY = (
    "More requests a minute than the key (or, without one, the client address) may make; "
    "Retry-After and the RateLimit-* headers say when to try again."
)
