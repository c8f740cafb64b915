"""PostgreSQL beside SQLite at scale, and the baselines a PostgreSQL shop would reach for first.

    .venv/bin/python -m bench.scale [--sizes 100000 1000000] [--stores sqlite postgres]
        [--queries 1200] [--baseline-queries 300] [--baseline-seconds 120]
        [--brute-force-up-to 100000] [--seed 7]
        [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

For each size, the synthetic store of ``bench.matching`` (the same seeded claims, planted variants
and new articles on every store) is built on each store; PostgreSQL gets a database of its own,
dropped afterwards. Ours: planted variants traced with ``match_text`` (the library, in process)
and ``POST /v1/match`` (a real server on loopback), recall per kind, the candidate index's bytes
per claim, and ingest through the whole pipeline (one article per call, as the API does; bulk,
as ``provenance ingest --workers 1`` does).

Beside it, on the same claims and the first ``--baseline-queries`` planted variants (as many as
``--baseline-seconds`` allow; the kinds take turns, so any prefix holds each kind alike):

- ``pg_trgm``: a GIN trigram index over ``claim.text`` on the PostgreSQL store, queried with
  ``WHERE text % q ORDER BY similarity(text, q) DESC LIMIT 10`` (the default threshold 0.3); the
  index is dropped before ingest is timed, so it does not slow ours.
- rapidfuzz brute force (sizes up to ``--brute-force-up-to``): every claim's text in memory,
  ``process.extractOne`` with ``token_set_ratio`` (our fuzzy matcher's scorer), a hit at 80 (our
  linking threshold).

A baseline finds a variant when its top hit is the planted claim (an excerpt too: it has no
``part_of``), and falsely matches a changed number or unrelated text when it returns any hit; ours
counts as ``bench.matching`` does (linked; excerpts related as ``part_of``). Ratios: the
baseline's figure over ours on the same store (rapidfuzz: over ours on SQLite, else PostgreSQL).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process
from sqlalchemy import Engine, text
from sqlmodel import Session

from bench.matching import (
    KINDS,
    Counted,
    Planted,
    Result,
    Vocabulary,
    articles,
    build_store,
    http_latency,
    index_bytes,
    ingest_in_bulk,
    ingest_in_calls,
    judge,
    median_rate,
    pct,
    plant,
    share,
)
from bench.server import DEFAULT_POSTGRES, fresh_store
from provenance.db import create_db_engine
from provenance.plugins import PluginRegistry
from provenance.settings import Settings

POSITIVE = ("punctuation", "light", "heavy", "excerpt")
FUZZY_LINK = 80  # our fuzzy matcher's linking threshold, in rapidfuzz's 0-100
TRGM_QUERY = text("SELECT id FROM claim WHERE text % :q ORDER BY similarity(text, :q) DESC LIMIT 10")


@dataclass
class Baseline:
    """A baseline's figures on one store and size."""

    name: str
    build_s: float = 0.0
    index_bytes_per_claim: float = float("nan")
    ms: list[float] = field(default_factory=list)
    found: dict[str, list[bool]] = field(default_factory=dict)

    @property
    def queries(self) -> int:
        return len(self.ms)

    def record(self, planted: Planted, hits: list[int], elapsed_s: float) -> None:
        self.ms.append(elapsed_s * 1000)
        top = hits[0] if hits else None
        ok = top == planted.claim_id if planted.kind in POSITIVE else top is not None
        self.found.setdefault(planted.kind, []).append(ok)


@dataclass
class Cell:
    """Ours on one store at one size, and the baselines measured beside it."""

    store: str
    ours: Result
    baselines: list[Baseline] = field(default_factory=list)


def postgres_index_bytes(engine: Engine) -> tuple[float, float]:
    """Bytes of the candidate index (``claim_key`` with its primary key, and its stop keys) and of
    the claim table's exact-text key index, as PostgreSQL stores them."""
    with engine.connect() as connection:
        index, text_keys = connection.execute(
            text(
                "SELECT pg_total_relation_size('claim_key') + pg_total_relation_size('claim_key_stop'),"
                " pg_relation_size('ix_claim_key')"
            )
        ).one()
    return float(index), float(text_keys)


def measure_ours(
    url: str, store: str, size: int, queries: int, seed: int, baseline: tuple[int, float], brute_force: bool
) -> tuple[Cell, Baseline | None]:
    """Build the store, measure ours, pg_trgm on PostgreSQL, rapidfuzz brute force when asked
    (it needs the claims in memory), then ingest."""
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    result = Result(size)
    started = time.perf_counter()
    claims, said_by = build_store(url, size, vocab, rng, None)
    result.build_s = time.perf_counter() - started
    registry = PluginRegistry.create(Settings(database_url=url), load_entrypoints=False)
    engine = create_db_engine(url, background_checkpoints=True)
    if store == "sqlite":
        index, text_keys = index_bytes(url)
    else:
        index, text_keys = postgres_index_bytes(engine)
    result.index_bytes_per_claim, result.text_key_bytes_per_claim = index / size, text_keys / size
    planted = plant(claims, said_by, vocab, rng, queries)
    with Session(engine) as session:
        for p in planted:
            judge(p, session, registry, result)
    result.http_ms = http_latency(url, [(p.text, p.speaker) for p in planted])
    cell = Cell(store, result)
    sample, seconds = planted[: baseline[0]], baseline[1]
    if store == "postgres":
        cell.baselines.append(trigram_baseline(engine, sample, size, seconds))
    texts = [" ".join(words) for words in claims]
    brute = brute_force_baseline(texts, sample, seconds) if brute_force else None
    feed = list(articles(claims, said_by, None, vocab, rng, 2 * (20 + 100 * 3)))
    counted = Counted()
    result.ingest_rates = ingest_in_calls(engine, registry, feed[: len(feed) // 2], counted)
    result.bulk_rates = ingest_in_bulk(engine, registry, feed[len(feed) // 2 :], counted)
    engine.dispose()
    return cell, brute


def trigram_baseline(engine: Engine, sample: list[Planted], size: int, seconds: float) -> Baseline:
    """pg_trgm with a GIN index over the claims' text: built, sized, queried, then dropped."""
    baseline = Baseline("pg_trgm GIN")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        started = time.perf_counter()
        connection.execute(text("CREATE INDEX ix_claim_text_trgm ON claim USING gin (text gin_trgm_ops)"))
        baseline.build_s = time.perf_counter() - started
        connection.execute(text("ANALYZE claim"))
        size_bytes = connection.execute(text("SELECT pg_relation_size('ix_claim_text_trgm')")).scalar_one()
        baseline.index_bytes_per_claim = size_bytes / size
        connection.execute(TRGM_QUERY, {"q": sample[0].text}).all()  # warm up
        deadline = time.perf_counter() + seconds
        for p in sample:
            started = time.perf_counter()
            hits = list(connection.execute(TRGM_QUERY, {"q": p.text}).scalars())
            baseline.record(p, hits, time.perf_counter() - started)
            if started > deadline:
                break
        connection.execute(text("DROP INDEX ix_claim_text_trgm"))
    return baseline


def brute_force_baseline(texts: list[str], sample: list[Planted], seconds: float) -> Baseline:
    """rapidfuzz over every claim in memory (texts preprocessed once, as a caller would)."""
    baseline = Baseline("rapidfuzz brute force")
    started = time.perf_counter()
    processed = [default_process(t) for t in texts]
    baseline.build_s = time.perf_counter() - started
    deadline = started + seconds
    for p in sample:
        if time.perf_counter() > deadline:
            break
        started = time.perf_counter()
        best = process.extractOne(
            default_process(p.text), processed, scorer=fuzz.token_set_ratio, score_cutoff=FUZZY_LINK
        )
        baseline.record(p, [best[2] + 1] if best else [], time.perf_counter() - started)
    return baseline


def run(
    sizes: list[int],
    stores: list[str],
    queries: int,
    baseline: tuple[int, float],
    brute_force_up_to: int,
    seed: int,
    postgres_url: str,
) -> list[Cell]:
    cells = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            brute_wanted = size <= brute_force_up_to
            for store in stores:
                with fresh_store(store, Path(folder), postgres_url) as url:
                    cell, brute = measure_ours(url, store, size, queries, seed, baseline, brute_wanted)
                if brute:
                    cell.baselines.append(brute)
                    brute_wanted = False  # the same in-memory search whatever the store
                cells.append(cell)
                print_table(cells)  # as it goes: a 1M run takes long
    return cells


def three(values: list[float]) -> str:
    return f"{pct(values, 0.5):.2f} / {pct(values, 0.95):.2f} / {pct(values, 0.99):.2f}"


def ratio(theirs: float, ours: float) -> str:
    return f"×{theirs / ours:.1f}" if ours else "-"


def print_table(cells: list[Cell]) -> None:
    print(
        "\n| claims | store | method | build s | index B/claim | match p50 / p95 / p99 ms "
        "| p50, p99 × ours | HTTP p50 / p95 / p99 ms | found: "
        + " / ".join(POSITIVE)
        + " | false: number / unrelated | ingest claims/s, one per call | bulk claims/s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for cell in cells:
        r = cell.ours
        found = " / ".join(f"{share(r.found.get(k, [])):.3f}" for k in POSITIVE)
        false = " / ".join(f"{share(r.found.get(k, [])):.3f}" for k in KINDS if k not in POSITIVE)
        print(
            f"| {r.size:,} | {cell.store} | ours | {r.build_s:.0f} "
            f"| {r.index_bytes_per_claim:.0f} ({r.text_key_bytes_per_claim:.0f}) | {three(r.library_ms)} | "
            f"| {three(r.http_ms)} | {found} | {false} | {median_rate(r.ingest_rates)} "
            f"| {median_rate(r.bulk_rates)} |"
        )
        for b in cell.baselines:
            found = " / ".join(f"{share(b.found.get(k, [])):.3f}" for k in POSITIVE)
            false = " / ".join(f"{share(b.found.get(k, [])):.3f}" for k in KINDS if k not in POSITIVE)
            lat = (
                f"{ratio(pct(b.ms, 0.5), pct(r.library_ms, 0.5))}, "
                f"{ratio(pct(b.ms, 0.99), pct(r.library_ms, 0.99))}"
            )
            size_ratio = ratio(b.index_bytes_per_claim, r.index_bytes_per_claim)
            index = (
                f"{b.index_bytes_per_claim:.0f} ({size_ratio})"
                if b.index_bytes_per_claim == b.index_bytes_per_claim
                else "in memory"
            )
            print(
                f"| {r.size:,} | {cell.store} | {b.name} ({b.queries} queries) | {b.build_s:.1f} | {index} "
                f"| {three(b.ms)} "
                f"| {lat} | - | {found} | {false} | - | - |"
            )
    print(
        "\nindex B/claim: ours, the candidate index (in brackets the exact-text key index dedupe needs"
        " anyway); pg_trgm, its GIN index (× ours). match: ours through match_text in process; pg_trgm"
        " one statement through SQLAlchemy; rapidfuzz in process. found: share of planted variants"
        " whose top hit is the claim (ours: linked; excerpt: related part_of); false: share of changed"
        " numbers and unrelated texts given a hit (ours: linked)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--stores", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--queries", type=int, default=1_200, help="planted variants traced by ours")
    parser.add_argument("--baseline-queries", type=int, default=300, help="of them, traced by the baselines")
    parser.add_argument("--baseline-seconds", type=float, default=120, help="per baseline, at most")
    parser.add_argument("--brute-force-up-to", type=int, default=100_000, help="largest size brute-forced")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help="a server to create databases on")
    args = parser.parse_args()
    run(
        args.sizes,
        args.stores,
        args.queries,
        (args.baseline_queries, args.baseline_seconds),
        args.brute_force_up_to,
        args.seed,
        args.postgres_url,
    )


if __name__ == "__main__":
    main()
