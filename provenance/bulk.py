"""Bulk ingestion: articles are prepared (cleaned and mined for claims) in worker processes
while this process stores and links them, in the order given, one transaction each.

Linking is serial by nature (each article is matched against what the previous ones stored),
but preparing needs no store, so on a machine with a second core it runs beside linking instead
of before it. The workers (:mod:`provenance.workers`) hold each article to the time budget and end
with this process, however it ends.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from functools import partial
from typing import TypeVar

from sqlalchemy import Engine

from provenance.db import session_scope
from provenance.ingest import ArticleInput, IngestResult, InvalidArticle, PreparedArticle, prepare, store
from provenance.plugins import PluginRegistry
from provenance.workers import WorkerPool

W = TypeVar("W")
IN_FLIGHT_PER_WORKER = 8  # articles prepared ahead of linking, per worker: bounds memory on a long feed


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
    pool = WorkerPool(registry, workers, start_method="spawn")  # a short-lived command: no fork server
    try:
        pending: deque[tuple[W, Future[PreparedArticle]]] = deque()
        for where, article in articles:
            pending.append((where, pool.prepare(article)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                where, future = pending.popleft()
                yield where, _store(engine, registry, future.result)
        while pending:
            where, future = pending.popleft()
            yield where, _store(engine, registry, future.result)
    finally:
        pool.close()


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
