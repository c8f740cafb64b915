"""Ingest benchmark: the labelled development set (98 articles) and the seeds into a fresh SQLite
store, then trace quotes back with ``match_text``. Prints a table.

    .venv/bin/python -m bench.ingest [--repeat N] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from provenance.articles import ArticleInput
from provenance.db import create_db_engine, upgrade
from provenance.models import Claim, Mention
from provenance.pipeline import prepare
from provenance.plugins import PluginRegistry
from provenance.queries import match_text
from provenance.services import ArticleService
from provenance.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def load_articles() -> list[ArticleInput]:
    articles = [
        ArticleInput(
            text=record["text"].replace("\n .\n", "\n\n"), url=record["url"], outlet=record["outlet"]
        )
        for record in map(json.loads, (SHARED / "ggt-quotes" / "ggt_quotes.jsonl").read_text().splitlines())
    ]
    seeds = sorted((SHARED / "seeds-2022-09-15").glob("0*.txt"))
    return articles + [ArticleInput(text=p.read_text(), url=p.resolve().as_uri()) for p in seeds]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="ingest the corpus this many times (new URLs)")
    parser.add_argument(
        "--workers", type=int, default=1, help="extraction processes beside linking (0: none)"
    )
    args = parser.parse_args()
    articles = load_articles()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        settings = Settings(database_url=url)
        registry = PluginRegistry.create(settings, load_entrypoints=False)
        engine = create_db_engine(url, background_checkpoints=True)  # as the CLI and the API run

        extract_times = []
        for article in articles:
            started = time.perf_counter()
            prepare(registry, article)  # clean → extract → segment, as ingest runs them
            extract_times.append(time.perf_counter() - started)

        # each round is a new set of articles: vary the text so none is a duplicate
        feed = [
            (n, ArticleInput(text=f"{article.text}\n\nEdition {round_}-{n}.", url=f"{article.url}#r{round_}"))
            for round_ in range(args.repeat)
            for n, article in enumerate(articles)
        ]
        started = time.perf_counter()
        for _ in ArticleService(engine, registry).ingest_many(feed, args.workers):
            pass
        ingest_seconds = time.perf_counter() - started
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux

        with Session(engine) as session:
            claims = session.execute(select(func.count()).select_from(Claim)).scalar_one()
            mentions = session.execute(select(func.count()).select_from(Mention)).scalar_one()
            queries = [m for m in session.execute(select(Mention.text).limit(200)).scalars()]
            latencies = []
            for query in queries:
                started = time.perf_counter()
                match_text(session, registry, query, None)
                latencies.append((time.perf_counter() - started) * 1000)
        engine.dispose()

    n_articles = len(articles) * args.repeat
    rows = [
        ("articles ingested", f"{n_articles}"),
        ("claims / mentions stored", f"{claims} / {mentions}"),
        (
            "ingest rate",
            f"{n_articles / ingest_seconds:.1f} articles/s, {mentions / ingest_seconds:.0f} mentions/s",
        ),
        (
            "clean + extract per article",
            f"mean {statistics.mean(extract_times) * 1000:.1f} ms, "
            f"slowest {max(extract_times) * 1000:.1f} ms",
        ),
        (
            "match_text latency",
            f"p50 {percentile(latencies, 0.5):.2f} ms, p95 {percentile(latencies, 0.95):.2f} ms, "
            f"p99 {percentile(latencies, 0.99):.2f} ms",
        ),
        ("peak resident memory (whole process)", f"{peak_rss / 2**20:.0f} MiB"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"| {'measure'.ljust(width)} | value |\n|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")


if __name__ == "__main__":
    main()
