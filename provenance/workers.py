"""Worker processes that do CPU-bound work on an article, each article within a time budget.

Reading a page, cleaning, extracting, matching and scoring are CPU-bound: in a thread of the
server they would hold the interpreter lock and starve the event loop, so that ``/health`` and
every read would wait on a long article. :mod:`provenance.services` therefore hands each
article to a worker process: the API its whole ingest, bulk ingest its preparation. A worker
whose article runs past ``Settings.article_time_budget`` is stopped and replaced, and the
article refused with :class:`ArticleTooSlow`: any transaction dies with the worker, so nothing
of it is stored. Workers build their own plugin registry the way the caller's was built
(built-ins, and installed entry points when the caller loaded them) and open their own engine
on the same store, and end with the process that started them, however it ends (``kill -9``
included: a test holds them to that).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, TimeoutError
from functools import cached_property
from multiprocessing import get_context
from typing import TypeVar

from pebble import ProcessExpired, ProcessPool
from sqlalchemy import Engine

from provenance.articles import InvalidArticle
from provenance.db import create_db_engine
from provenance.plugins import PluginRegistry
from provenance.settings import Settings

T = TypeVar("T")
A = TypeVar("A")


class Worker:
    """What work done in a worker process is given: the worker's registry and, on first use, its
    engine on the caller's store."""

    def __init__(self, registry: PluginRegistry) -> None:
        self.registry = registry

    @cached_property
    def engine(self) -> Engine:
        """The worker's own engine (connections are never shared across processes)."""
        settings = self.registry.settings
        return create_db_engine(settings.database_url, settings=settings)


_worker: Worker | None = None  # in a worker process: built by _start_worker


class ArticleTooSlow(InvalidArticle):
    """The article ran past its time budget; the worker was stopped and nothing was stored."""


class WorkerPool:
    """Worker processes, started on first use.

    ``forkserver`` workers start in milliseconds once the fork server has imported the pipeline,
    and share none of the caller's connections or threads; ``spawn`` suits a short-lived command.
    """

    def __init__(
        self,
        registry: PluginRegistry,
        workers: int,
        start_method: str = "forkserver",
        preload: Sequence[str] = (),
    ) -> None:
        self.settings = registry.settings
        self._entrypoints = registry.entrypoints
        self._workers = workers
        self._start_method = start_method
        self._preload = ["provenance.workers", *preload]  # imported once by the fork server
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()

    def run(self, work: Callable[[Worker, A], T], article: A) -> Future[T]:
        """Run ``work(worker, article)`` in a worker process (``work`` is a module-level function);
        the future raises what ``work`` raised, and :class:`ArticleTooSlow` past the budget."""
        budget = self.settings.article_time_budget
        outcome: Future[T] = Future()
        task = self._started().schedule(_call, args=(work, article), timeout=budget)
        task.add_done_callback(lambda done: _settle(outcome, done, budget))
        outcome.add_done_callback(lambda _: task.cancel() if outcome.cancelled() else None)  # type: ignore[no-untyped-call]
        return outcome

    def close(self) -> None:
        """Stop the workers (an article still in hand is abandoned, its transaction rolled back)."""
        with self._lock:
            if self._pool is not None:
                self._pool.stop()  # type: ignore[no-untyped-call]
                self._pool.join()
                self._pool = None

    def _started(self) -> ProcessPool:
        with self._lock:
            if self._pool is None:
                context = get_context(self._start_method)
                if self._start_method == "forkserver":
                    context.set_forkserver_preload(self._preload)
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
    global _worker
    _worker = Worker(PluginRegistry.create(settings, load_entrypoints=entrypoints))
    # what the worker has loaded lives as long as it does: the collector's full passes, a few
    # per long article, need not go through it again (0.1-0.2 s of a 199k-character article)
    gc.freeze()


def _call(work: Callable[[Worker, A], T], article: A) -> T:
    assert _worker is not None, "worker started without its registry"
    return work(_worker, article)
