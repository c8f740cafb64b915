"""Worker processes that ingest or prepare articles, each article within a time budget.

Reading a page, cleaning, extracting, matching and scoring are CPU-bound: in a thread of the
server they would hold the interpreter lock and starve the event loop, so that ``/health`` and
every read would wait on a long article. The API therefore ingests each article whole in a
worker process (:meth:`WorkerPool.ingest`, its own engine on the same store), and bulk ingest
prepares articles in workers while it links them in order itself (:meth:`WorkerPool.prepare`).
A worker whose article runs past ``Settings.article_time_budget`` is stopped and replaced, and
the article refused with :class:`ArticleTooSlow`: its transaction dies with the worker, so
nothing of it is stored. Workers build their own plugin registry the way the caller's was built
(built-ins, and installed entry points when the caller loaded them), and end with the process
that started them, however it ends (``kill -9`` included: a test holds them to that).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, TimeoutError
from multiprocessing import get_context
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool
from sqlalchemy import Engine

from provenance.db import create_db_engine, session_scope
from provenance.html import WebPage
from provenance.ingest import ArticleInput, IngestResult, InvalidArticle, PreparedArticle, prepare, store
from provenance.plugins import PluginRegistry
from provenance.settings import Settings

T = TypeVar("T")

_registry: PluginRegistry | None = None  # the worker's own, built by _start_worker
_engine: Engine | None = None  # the worker's own, opened on its first ingest


class ArticleTooSlow(InvalidArticle):
    """The article ran past its time budget; the worker was stopped and nothing was stored."""


class WorkerPool:
    """Worker processes, started on first use.

    ``forkserver`` workers start in milliseconds once the fork server has imported the pipeline,
    and share none of the caller's connections or threads; ``spawn`` suits a short-lived command.
    """

    def __init__(self, registry: PluginRegistry, workers: int, start_method: str = "forkserver") -> None:
        self.settings = registry.settings
        self._entrypoints = registry.entrypoints
        self._workers = workers
        self._start_method = start_method
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()

    def ingest(self, article: ArticleInput | WebPage) -> Future[IngestResult]:
        """Ingest ``article`` (a web page: the article in it) as :func:`provenance.ingest.store`
        does, in one transaction of a worker; the future raises :class:`InvalidArticle` when there
        is nothing to ingest and :class:`ArticleTooSlow` past the budget."""
        return self._submit(_ingest_in_worker, article)

    def prepare(self, article: ArticleInput) -> Future[PreparedArticle]:
        """Clean ``article`` and extract its claims in a worker (see :func:`provenance.ingest.prepare`)."""
        return self._submit(_prepare_in_worker, article)

    def close(self) -> None:
        """Stop the workers (an article still in hand is abandoned, its transaction rolled back)."""
        with self._lock:
            if self._pool is not None:
                self._pool.stop()  # type: ignore[no-untyped-call]
                self._pool.join()
                self._pool = None

    def _submit(self, work: Callable[[Any], T], article: ArticleInput | WebPage) -> Future[T]:
        budget = self.settings.article_time_budget
        outcome: Future[T] = Future()
        task = self._started().schedule(work, args=(article,), timeout=budget)
        task.add_done_callback(lambda done: _settle(outcome, done, budget))
        outcome.add_done_callback(lambda _: task.cancel() if outcome.cancelled() else None)  # type: ignore[no-untyped-call]
        return outcome

    def _started(self) -> ProcessPool:
        with self._lock:
            if self._pool is None:
                context = get_context(self._start_method)
                if self._start_method == "forkserver":
                    context.set_forkserver_preload(["provenance.workers"])
                self._pool = ProcessPool(
                    self._workers,
                    initializer=_start_worker,
                    initargs=(self.settings, self._entrypoints),
                    context=context,
                )
            return self._pool


def _settle(outcome: Future[T], done: Future[T], budget: float) -> None:
    """Pass a worker's result on, naming the budget or the worker's end instead of pebble's errors."""
    if outcome.done():  # the caller gave up waiting
        return
    if done.cancelled():
        outcome.cancel()
        return
    error = done.exception()
    if isinstance(error, TimeoutError):
        error = ArticleTooSlow(
            f"the article took longer than its time budget of {budget:g} s "
            "(PROVENANCE_ARTICLE_TIME_BUDGET) and was stopped; nothing was stored"
        )
    elif isinstance(error, ProcessExpired):
        error = InvalidArticle(
            f"the worker handling the article ended abruptly ({error}); nothing was stored"
        )
    if error is not None:
        outcome.set_exception(error)
    else:
        outcome.set_result(done.result())


def _start_worker(settings: Settings, entrypoints: bool) -> None:
    global _registry
    _registry = PluginRegistry.create(settings, load_entrypoints=entrypoints)


def _prepare_in_worker(article: ArticleInput | WebPage) -> PreparedArticle:
    assert _registry is not None, "worker started without its registry"
    return prepare(_registry, article.article() if isinstance(article, WebPage) else article)


def _ingest_in_worker(article: ArticleInput | WebPage) -> IngestResult:
    global _engine
    prepared = _prepare_in_worker(article)
    assert _registry is not None
    if _engine is None:
        _engine = create_db_engine(_registry.settings.database_url)
    with session_scope(_engine) as session:
        return store(session, _registry, prepared)
