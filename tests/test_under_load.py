"""The served app (uvicorn in a subprocess) under concurrent writers and a SIGKILL, on both stores:
every article stored once and whole, every mention kept, the same claims as a sequential run."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bench.server import served, write_key
from provenance.articles import ArticleInput
from tests.feeds import (
    as_json,
    assert_whole,
    generated_articles,
    reference_store,
    seed_articles,
    sequential,
    snapshot,
    wait_for_articles,
)

CLIENTS = 16


@pytest.fixture
def reference_url(tmp_path: Path, sqlite_template: Path) -> str:
    return reference_store(tmp_path, sqlite_template)


def post_all(base_url: str, key: dict[str, str], feed: list[ArticleInput]) -> list[int]:
    """Post ``feed`` one article after another; the statuses answered."""
    with httpx.Client(base_url=base_url, headers=key, timeout=120) as client:
        return [client.post("/v1/articles", json=as_json(a)).status_code for a in feed]


def test_sixteen_concurrent_clients_store_what_a_sequential_run_stores(
    database_url: str, reference_url: str, seed_texts: dict[str, str]
) -> None:
    feed = seed_articles(seed_texts) + generated_articles(27)
    expected = sequential(reference_url, feed)
    rng = random.Random(5)
    # every client posts an overlapping share of the corpus in its own order; the first posts it all
    shares = [rng.sample(feed, len(feed) if n == 0 else len(feed) // 2) for n in range(CLIENTS)]
    key = write_key(database_url, "load-test")
    with (
        served(database_url, serve_workers="2", ingest_workers="2") as server,
        ThreadPoolExecutor(CLIENTS) as pool,
    ):
        statuses = [
            s for answered in pool.map(lambda f: post_all(server.base_url, key, f), shares) for s in answered
        ]
    assert set(statuses) <= {200, 201}, statuses
    assert statuses.count(201) == len(feed)  # each article created once, "unchanged" after
    stored = snapshot(database_url)
    assert stored.duplicate_urls == 0 and stored.duplicate_claim_keys == 0
    assert stored.mentions_per_article == expected.mentions_per_article  # no mention lost
    assert stored.claims == expected.claims


def test_a_server_killed_mid_ingest_leaves_no_partial_article_and_a_rerun_completes_the_set(
    database_url: str, reference_url: str
) -> None:
    feed = generated_articles(100)
    expected = sequential(reference_url, feed)
    key = write_key(database_url, "crash-test")
    with served(database_url, ingest_workers="2") as server, ThreadPoolExecutor(8) as pool:
        posting = [pool.submit(post_all, server.base_url, key, feed[n::8]) for n in range(8)]
        wait_for_articles(database_url, 20)
        server.kill()
        for future in posting:  # the clients see the connection go
            with pytest.raises(httpx.TransportError):
                future.result()
    killed = snapshot(database_url)
    assert 20 <= len(killed.mentions_per_article) < len(feed)
    assert_whole(killed, expected)
    with served(database_url, ingest_workers="2") as server, ThreadPoolExecutor(8) as pool:
        shares = pool.map(lambda n: post_all(server.base_url, key, feed[n::8]), range(8))
        statuses = [status for share in shares for status in share]
    assert statuses.count(201) == len(feed) - len(killed.mentions_per_article)
    assert snapshot(database_url) == expected
