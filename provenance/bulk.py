"""Bulk ingestion: articles are prepared (cleaned and mined for claims) in worker processes
while this process stores and links them, in the order given, one transaction each.

Linking is serial by nature (each article is matched against what the previous ones stored),
but preparing needs no store, so on a machine with a second core it runs beside linking instead
of before it. Workers build their own plugin registry the way the caller's was built (built-ins,
and installed entry points when the caller loaded them).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from multiprocessing import get_context
from typing import TypeVar

from sqlalchemy import Engine

from provenance.db import session_scope
from provenance.ingest import ArticleInput, IngestResult, InvalidArticle, PreparedArticle, prepare, store
from provenance.plugins import PluginRegistry
from provenance.settings import Settings

W = TypeVar("W")
IN_FLIGHT_PER_WORKER = 8  # articles prepared ahead of linking, per worker: bounds memory on a long feed

_worker_registry: PluginRegistry | None = None


def ingest_many(
    engine: Engine,
    registry: PluginRegistry,
    articles: Iterable[tuple[W, ArticleInput]],
    workers: int = 1,
) -> Iterator[tuple[W, IngestResult | InvalidArticle]]:
    """Ingest ``(where, article)`` pairs; yields ``(where, result or the reason it was refused)``
    in input order. ``workers`` processes prepare articles; with 0, everything runs here."""
    if workers < 1:
        for where, article in articles:
            yield where, _store(engine, registry, partial(prepare, registry, article))
        return
    context = get_context("spawn")  # no copy of this process's open connections in the workers
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(registry.settings, registry.entrypoints),
    ) as pool:
        pending: deque[tuple[W, Future[PreparedArticle]]] = deque()
        for where, article in articles:
            pending.append((where, pool.submit(_prepare_in_worker, article)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                where, future = pending.popleft()
                yield where, _store(engine, registry, future.result)
        while pending:
            where, future = pending.popleft()
            yield where, _store(engine, registry, future.result)


def _store(
    engine: Engine, registry: PluginRegistry, prepared: Callable[[], PreparedArticle]
) -> IngestResult | InvalidArticle:
    """Store the article ``prepared()`` gives, or return why it could not be prepared."""
    try:
        article = prepared()
    except InvalidArticle as exc:
        return exc
    with session_scope(engine) as session:
        return store(session, registry, article)


def _start_worker(settings: Settings, entrypoints: bool) -> None:
    global _worker_registry
    _worker_registry = PluginRegistry.create(settings, load_entrypoints=entrypoints)


def _prepare_in_worker(article: ArticleInput) -> PreparedArticle:
    assert _worker_registry is not None, "worker started without its registry"
    return prepare(_worker_registry, article)
