"""The services that own every write: API controllers and the command line call them, never the
pipeline or the store directly.

A write is one transaction under the linking lock (:func:`provenance.db.writing`), committed
here; once an article is committed, the plugins hear of it (``article_ingested``) from here
too. Reads need no service: they go through :mod:`provenance.queries` and :mod:`provenance.lineage`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, InvalidStateError
from contextlib import suppress
from functools import partial
from typing import TypeVar

from sqlalchemy import Engine

from provenance import editorial
from provenance.articles import ArticleInput, IngestResult, InvalidArticle
from provenance.db import writing
from provenance.editorial import ActionOut
from provenance.html import WebPage
from provenance.pipeline import PreparedArticle, prepare, store
from provenance.plugins import PluginRegistry
from provenance.workers import Worker, WorkerPool

W = TypeVar("W")
IN_FLIGHT_PER_WORKER = 8  # articles prepared ahead of linking, per worker: bounds memory on a long feed


class ArticleService:
    """Ingest: one article here or in a worker process, or a feed of them in order."""

    def __init__(self, engine: Engine, registry: PluginRegistry, workers: WorkerPool | None = None) -> None:
        self.engine = engine
        self.registry = registry
        self.workers = workers

    def ingest(self, article: ArticleInput) -> IngestResult:
        """Ingest ``article`` in this process (raises :class:`InvalidArticle`)."""
        return self._committed(_write(self.engine, self.registry, prepare(self.registry, article)))

    def ingest_in_worker(self, article: ArticleInput | WebPage) -> Future[IngestResult]:
        """Ingest ``article`` (a web page: the article in it) whole in a worker process, within
        the time budget; the future resolves once the article is committed and the plugins
        told, or raises :class:`InvalidArticle` (:class:`provenance.workers.ArticleTooSlow`)."""
        assert self.workers is not None, "an ArticleService made without workers ingests here only"
        told: Future[IngestResult] = Future()
        running = self.workers.run(worker_ingest, article)
        running.add_done_callback(lambda done: self._tell(done, told))
        told.add_done_callback(lambda _: running.cancel() if told.cancelled() else None)  # caller left
        return told

    def ingest_many(
        self, articles: Iterable[tuple[W, ArticleInput]], workers: int = 1
    ) -> Iterator[tuple[W, IngestResult | InvalidArticle]]:
        """Ingest ``(where, article)`` pairs in the order given, one transaction each; yields
        ``(where, result or the reason it was refused)``. ``workers`` processes clean and
        extract the next articles while this one links (linking is serial by nature: each
        article is matched against what the previous ones stored); with 0, all runs here."""
        if workers < 1:
            for where, article in articles:
                yield where, self._ingest_prepared(partial(prepare, self.registry, article))
            return
        pool = WorkerPool(self.registry, workers, start_method="spawn")  # short-lived: no fork server
        try:
            pending: deque[tuple[W, Future[PreparedArticle]]] = deque()
            for where, article in articles:
                pending.append((where, pool.run(worker_prepare, article)))
                if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                    where, future = pending.popleft()
                    yield where, self._ingest_prepared(future.result)
            while pending:
                where, future = pending.popleft()
                yield where, self._ingest_prepared(future.result)
        finally:
            pool.close()

    def _ingest_prepared(self, prepared: Callable[[], PreparedArticle]) -> IngestResult | InvalidArticle:
        try:
            article = prepared()
        except InvalidArticle as exc:
            return exc
        return self._committed(_write(self.engine, self.registry, article))

    def _committed(self, result: IngestResult) -> IngestResult:
        if result.event is not None:
            self.registry.notify_ingested(result.event)
        return result

    def _tell(self, done: Future[IngestResult], told: Future[IngestResult]) -> None:
        """Pass a worker's outcome on; a committed article's event fires even if the caller left."""
        try:
            result = self._committed(done.result())
        except BaseException as exc:  # the worker's refusal or its cancellation
            with suppress(InvalidStateError):  # the caller left meanwhile
                told.set_exception(exc)
            return
        with suppress(InvalidStateError):
            told.set_result(result)


def _write(engine: Engine, registry: PluginRegistry, prepared: PreparedArticle) -> IngestResult:
    """Store one prepared article: its own transaction, under the linking lock."""
    with writing(engine) as session:
        return store(session, registry, prepared)


def worker_prepare(worker: Worker, article: ArticleInput | WebPage) -> PreparedArticle:
    """In a worker process: clean and extract an article (a web page: the article in it)."""
    return prepare(worker.registry, article.article() if isinstance(article, WebPage) else article)


def worker_ingest(worker: Worker, article: ArticleInput | WebPage) -> IngestResult:
    """In a worker process: ingest an article whole, in the worker's own transaction."""
    return _write(worker.engine, worker.registry, worker_prepare(worker, article))


class EditorialService:
    """Editorial decisions (:mod:`provenance.editorial`), each in its own transaction under the
    linking lock, so no ingest links against a claim halfway through a merge."""

    def __init__(self, engine: Engine, registry: PluginRegistry) -> None:
        self.engine = engine
        self.registry = registry

    def merge(self, claim_id: int, other_id: int, actor: str, note: str | None = None) -> ActionOut:
        """Fold ``other_id`` into ``claim_id`` (see :func:`provenance.editorial.merge`)."""
        with writing(self.engine) as session:
            return editorial.merge(session, self.registry.sources(), claim_id, other_id, actor, note)

    def detach(self, mention_id: int, actor: str, note: str | None = None) -> ActionOut:
        """Give a mention a claim of its own (see :func:`provenance.editorial.detach`)."""
        with writing(self.engine) as session:
            return editorial.detach(session, self.registry.sources(), mention_id, actor, note)

    def review(self, candidate_id: int, accept: bool, actor: str, note: str | None = None) -> ActionOut:
        """Confirm or reject a suggestion (see :func:`provenance.editorial.review`)."""
        with writing(self.engine) as session:
            return editorial.review(session, self.registry.sources(), candidate_id, accept, actor, note)
