"""Bulk ingestion: preparing in worker processes gives what ingesting one by one gives."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from provenance.articles import ArticleInput, IngestResult, InvalidArticle
from provenance.db import create_db_engine, upgrade
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService
from provenance.settings import Settings
from tests.test_ingest import all_claims


def summary(engine: Engine) -> list[tuple[str, str, int, str]]:
    """Each claim's kind, text, mention count and first appearance: what must not depend on workers."""
    return sorted(
        (c.kind, c.text, len(c.mentions), str(c.first_seen.article_id if c.first_seen else None))
        for c in all_claims(engine)
    )


def test_workers_store_the_same_claims_in_input_order_and_report_bad_articles_in_place(
    tmp_path: Path, seed_texts: dict[str, str]
) -> None:
    feed = [(name, ArticleInput(text=text, url=f"file:///seeds/{name}")) for name, text in seed_texts.items()]
    feed.insert(2, ("empty", ArticleInput(text="   ")))
    feed.append(("again", ArticleInput(text=feed[0][1].text)))  # the same text as the first: stored once
    stores = []
    for workers in (0, 2):
        url = f"sqlite:///{tmp_path}/bulk-{workers}.db"
        upgrade(url)
        settings = Settings(database_url=url)
        engine = create_db_engine(url)
        try:
            results = list(
                ArticleService(engine, PluginRegistry.create(settings, False)).ingest_many(feed, workers)
            )
            stores.append(summary(engine))
        finally:
            engine.dispose()
        assert [where for where, _ in results] == [where for where, _ in feed]  # input order
        refused = dict(results)["empty"]
        assert isinstance(refused, InvalidArticle) and "text is empty" in str(refused)
        stored = [r for _, r in results if isinstance(r, IngestResult)]
        assert [r.created for r in stored] == [True] * len(seed_texts) + [False]
        assert stored[-1].article_id == stored[0].article_id
    assert stores[0] == stores[1] and len(stores[0]) >= 40  # the seeds hold dozens of claims
