"""Bulk ingestion: preparing in worker processes gives what ingesting one by one gives, and a bulk
ingest killed mid-way leaves whole articles only, which a rerun completes."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from provenance.articles import ArticleInput, IngestResult, InvalidArticle
from provenance.db import create_db_engine, upgrade
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService
from provenance.settings import Settings
from tests.feeds import (
    assert_whole,
    generated_articles,
    reference_store,
    sequential,
    snapshot,
    wait_for_articles,
    write_jsonl,
)
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


def test_a_bulk_ingest_killed_mid_way_leaves_no_partial_article_and_a_rerun_completes_the_set(
    database_url: str, tmp_path: Path, sqlite_template: Path
) -> None:
    feed = generated_articles(120)
    expected = sequential(reference_store(tmp_path, sqlite_template), feed)
    jsonl = write_jsonl(tmp_path / "feed.jsonl", feed)
    command = [sys.executable, "-m", "provenance", "--database-url", database_url, "ingest", "--workers", "1"]
    bulk = subprocess.Popen([*command, str(jsonl)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        wait_for_articles(database_url, 20)
    finally:
        bulk.send_signal(signal.SIGKILL)  # its preparing worker ends with it
        bulk.wait()
    killed = snapshot(database_url)
    assert 20 <= len(killed.mentions_per_article) < len(feed)
    assert_whole(killed, expected)
    rerun = subprocess.run([*command, str(jsonl)], capture_output=True, text=True, timeout=300, check=True)
    stored = len(killed.mentions_per_article)
    assert f"{len(feed) - stored} ingested, {stored} already stored, 0 failed" in rerun.stdout
    assert snapshot(database_url) == expected
