"""A small, bounded ``bench.load`` run on both stores: at concurrency 1, 8 and 32 every request to
``POST /v1/match``, ``GET /v1/claims`` and ``POST /v1/articles`` is answered, none with an error."""

from __future__ import annotations

import random

import pytest

from bench.load import load, print_table, workloads
from bench.matching import Vocabulary, build_store, pct
from bench.server import served, write_key

REQUESTS = 40  # per endpoint and concurrency
SECONDS = 30  # per endpoint and concurrency, at most


def test_load_at_concurrency_1_8_and_32_answers_every_request(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(3)
    vocab = Vocabulary(rng, size=2_000)
    claims, _ = build_store(database_url, 2_000, vocab, rng, None)
    key = write_key(database_url, "load-test")
    with served(database_url, ingest_workers="2") as server:
        rows = load(server.base_url, key, workloads(claims, 3, rng, vocab), [1, 8, 32], REQUESTS, SECONDS)
    with capsys.disabled():
        print_table(rows, f"tests/test_load.py on {database_url.split(':')[0]}")
    for row in rows:
        assert row.errors == {}, (row.endpoint, row.concurrency, row.errors)
        assert row.answered == REQUESTS, (row.endpoint, row.concurrency)
        assert pct(row.ms, 0.99) < 10_000, (row.endpoint, row.concurrency)
