"""The services own a write to its end: a committed article's event fires once, and a caller
that leaves stops the worker still ingesting for it."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from sqlalchemy import Engine

from provenance.articles import ArticleInput, IngestResult, Outcome
from provenance.domain import IngestedArticle
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService


class HeldPool:
    """A worker pool whose one task the test finishes (or sees cancelled) itself."""

    def run(self, work: Any, article: Any) -> Future[IngestResult]:
        self.task: Future[IngestResult] = Future()
        return self.task


def test_an_article_committed_in_a_worker_is_told_to_the_plugins_once(
    engine: Engine, registry: PluginRegistry
) -> None:
    events: list[IngestedArticle] = []
    registry.notify_ingested = events.append  # type: ignore[method-assign]
    pool = HeldPool()
    told = ArticleService(engine, registry, pool).ingest_in_worker(ArticleInput(text="x"))  # type: ignore[arg-type]
    assert not told.done() and events == []
    event = IngestedArticle(7, None, [1], [1])
    pool.task.set_result(IngestResult(7, Outcome.CREATED, event))
    assert told.result(timeout=5).article_id == 7 and events == [event]


def test_a_caller_that_leaves_stops_the_worker(engine: Engine, registry: PluginRegistry) -> None:
    pool = HeldPool()
    told = ArticleService(engine, registry, pool).ingest_in_worker(ArticleInput(text="x"))  # type: ignore[arg-type]
    assert told.cancel()
    assert pool.task.cancelled()  # pebble stops a cancelled task's worker: its transaction dies with it
