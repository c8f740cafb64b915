"""Dependencies injected into handlers: the store session, the engine and the plugin registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import QueryParameter
from sqlalchemy import Engine
from sqlmodel import Session

from provenance.db import session_scope
from provenance.plugins import PluginRegistry

Limit = Annotated[int, QueryParameter(ge=1, le=500, description="Page size (1-500).")]
Offset = Annotated[int, QueryParameter(ge=0, description="Items to skip.")]


def provide_engine(state: State) -> Engine:
    """The app's database engine."""
    engine: Engine = state.engine
    return engine


def provide_registry(state: State) -> PluginRegistry:
    """The app's plugin registry."""
    registry: PluginRegistry = state.registry
    return registry


def provide_session(state: State) -> Iterator[Session]:
    """A session per request: committed when the handler succeeds, rolled back when it fails."""
    with session_scope(state.engine) as session:
        yield session


def not_found(what: str, ident: object) -> NotFoundException:
    """A 404 naming what was not found."""
    return NotFoundException(detail=f"no {what} with id {ident}")
