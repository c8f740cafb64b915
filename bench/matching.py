"""Matching at scale: a synthetic store of N claims with planted variants, on SQLite. Prints a table.

    .venv/bin/python -m bench.matching [--sizes 10000 100000 1000000] [--queries 1000] [--seed 7]

For each size: the store is filled through the same index functions the pipeline uses (bulk
inserts of claims and their ``claim_key`` rows, so a 1M store builds in minutes, not hours); then
planted variants of stored claims are traced back with ``match_text`` (the library) and with
``POST /v1/match`` (a real server on loopback), and a batch of new articles is ingested through
the full pipeline. The generator is seeded, so runs are comparable.

Variants: punctuation only, light rewording (one or two words swapped), heavy rewording (clauses
reordered and three words swapped), an excerpt (a run of 40-60% of the words: expected as a
``part_of`` relation, not the same claim), a changed number (must not match), unrelated text
(must not match). A variant counts as found when the planted claim is the top hit with status
``linked`` (and, for the "linked or suggested" column, ``suggested`` too).

Ingest is measured twice, each time through the whole pipeline, one transaction per article,
on an engine with background WAL checkpoints as the API and ``provenance ingest`` have: the way
the API ingests (one article per call, cleaned and extracted in the calling thread), then the way
``provenance ingest --workers 1`` does (a second process cleans and extracts the next articles
while this one links; linking stays serial). Each rate is a steady one, timed after 20 untimed
articles (the first calls fill the process's caches, and the worker starts): the median of three
batches of 100 articles, since the machine's speed drifts by 10-20% from minute to minute. Its
claims/s counts every claim extracted and linked (the ten quotes of each article and the figures
in them).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import httpx
from sqlalchemy import Engine, insert, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from provenance import candidates
from provenance.articles import ArticleInput, IngestResult
from provenance.db import create_db_engine, session_scope, upgrade
from provenance.domain import ClaimKind, ClaimText
from provenance.index import add_to_index, claim_keys
from provenance.matching import relations
from provenance.models import Claim, utcnow
from provenance.plugins import PluginRegistry
from provenance.queries import match_text
from provenance.services import ArticleService
from provenance.settings import Settings
from provenance.text import text_key

_SYLLABLES = "ka lo mi ne ru ta vo shi pe da gu lin mar tes ron bel cor fin gal hov".split()
_STOCK = ["we will", "the government", "in the coming weeks", "prime minister", "the people of"]
WARM_UP = 20  # articles ingested before the timed ones
BATCH = 100  # articles per timed batch
BATCHES = 3  # timed batches per way of ingesting: the median is reported, as the machine is noisy
KINDS = ("punctuation", "light", "heavy", "excerpt", "number", "unrelated")


class Vocabulary:
    """A seeded vocabulary of made-up words, with Zipf-like frequencies, like a news lexicon."""

    def __init__(self, rng: random.Random, size: int = 20_000) -> None:
        words: set[str] = set()
        while len(words) < size:
            words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
        self.words = sorted(words)
        self.cumulative = list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(size)))
        self.rng = rng

    def sentence(self, length: int) -> list[str]:
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=length)
        if self.rng.random() < 0.3:  # stock phrases shared by many claims
            words[:0] = self.rng.choice(_STOCK).split()
        if self.rng.random() < 0.5:
            words.insert(self.rng.randrange(len(words)), str(self.rng.randint(2, 9999)))
        return words


def variant(kind: str, words: list[str], vocab: Vocabulary, rng: random.Random) -> str:
    """A planted variant of a claim's words."""
    words = list(words)
    if kind == "punctuation":
        return " ".join(words).capitalize().replace(" ", ", ", 1) + "!"
    if kind in {"light", "heavy"}:
        swaps = rng.randint(1, 2) if kind == "light" else 3
        for _ in range(swaps):
            at = rng.randrange(len(words))
            if not words[at].isdigit():
                words[at] = rng.choice(vocab.words)
        if kind == "heavy":
            cut = len(words) // 2
            words = words[cut:] + words[:cut]
        return " ".join(words)
    if kind == "excerpt":
        size = max(3, int(len(words) * rng.uniform(0.4, 0.6)))
        start = rng.randrange(len(words) - size + 1)
        return " ".join(words[start : start + size])
    if kind == "number":
        digits = [i for i, w in enumerate(words) if w.isdigit()]
        at = digits[0] if digits else rng.randrange(len(words) + 1)
        if digits:
            words[at] = str(int(words[at]) + rng.randint(1, 50))
        else:
            words.insert(at, str(rng.randint(2, 9999)))
        return " ".join(words)
    return " ".join(vocab.sentence(len(words)))


@dataclass
class Planted:
    kind: str
    text: str
    claim_id: int


@dataclass
class Result:
    size: int
    build_s: float = 0.0
    index_bytes_per_claim: float = 0.0
    text_key_bytes_per_claim: float = 0.0
    library_ms: list[float] = field(default_factory=list)
    http_ms: list[float] = field(default_factory=list)
    found: dict[str, list[bool]] = field(default_factory=dict)
    found_or_suggested: dict[str, list[bool]] = field(default_factory=dict)
    ingest_rates: list[tuple[float, float]] = field(default_factory=list)  # per batch: claims/s, articles/s
    bulk_rates: list[tuple[float, float]] = field(default_factory=list)
    peak_rss_mib: float = 0.0


def build_store(url: str, size: int, vocab: Vocabulary, rng: random.Random) -> list[list[str]]:
    """Fill the store with ``size`` claims; returns each claim's words (claim id = position + 1)."""
    engine = create_db_engine(url)
    claims = [vocab.sentence(rng.randint(10, 24)) for _ in range(size)]
    now = utcnow()
    for start in range(0, size, 5_000):
        chunk = claims[start : start + 5_000]
        with session_scope(engine) as session:
            session.execute(
                insert(Claim),
                [
                    {
                        "id": start + n + 1,
                        "kind": "quote",
                        "text": " ".join(w),
                        "key": text_key(" ".join(w)),
                        "first_seen_at": now,
                        "created_at": now,
                    }
                    for n, w in enumerate(chunk)
                ],
            )
            rows = [
                (key, start + n + 1)
                for n, w in enumerate(chunk)
                for key in claim_keys(ClaimText(ClaimKind.QUOTE, " ".join(w)))
            ]
            add_to_index(session.connection(), rows)  # the pipeline's own cap on over-common keys
    connection = engine.raw_connection()  # outside any transaction: the store as a service has it
    try:
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    engine.dispose()
    return claims


def index_bytes(url: str) -> tuple[float, float]:
    """Bytes of the candidate index (the ``claim_key`` b-tree and its stop keys) and of the
    claim table's exact-text key index (``ix_claim_key``, which dedupe needs with or without the
    candidate index), from SQLite's ``dbstat``; NaN where it is not compiled in."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            sizes = dict(
                connection.execute(
                    text(
                        "SELECT name, SUM(pgsize) FROM dbstat WHERE name IN ('claim_key', 'claim_key_stop',"
                        " 'sqlite_autoindex_claim_key_stop_1', 'ix_claim_key') GROUP BY name"
                    )
                ).all()
            )
    except OperationalError:  # no dbstat in this SQLite build
        return float("nan"), float("nan")
    finally:
        engine.dispose()
    return sum(b for name, b in sizes.items() if name != "ix_claim_key"), sizes.get("ix_claim_key", 0)


def plant(claims: list[list[str]], vocab: Vocabulary, rng: random.Random, count: int) -> list[Planted]:
    picks = rng.sample(range(len(claims)), min(count, len(claims)))
    return [
        Planted(KINDS[n % len(KINDS)], variant(KINDS[n % len(KINDS)], claims[i], vocab, rng), i + 1)
        for n, i in enumerate(picks)
    ]


def judge(planted: Planted, session: Session, registry: PluginRegistry, result: Result) -> None:
    started = time.perf_counter()
    hits = match_text(session, registry, planted.text, None)
    result.library_ms.append((time.perf_counter() - started) * 1000)
    top = hits[0] if hits else None
    if planted.kind == "excerpt":  # found when the excerpt relation to its quote is detected
        query = ClaimText(ClaimKind.QUOTE, planted.text, claim_id=0)
        (shortlist,) = candidates.shortlists(session.connection(), registry.sources(), [query])
        related = {r.related.claim_id for r in relations(query, shortlist, 0.6)}
        ok = planted.claim_id in related
        result.found.setdefault(planted.kind, []).append(ok)
        result.found_or_suggested.setdefault(planted.kind, []).append(ok)
        return
    linked = top is not None and top.status == "linked"
    if planted.kind in {"number", "unrelated"}:  # a false match is any linked hit
        result.found.setdefault(planted.kind, []).append(linked)
        result.found_or_suggested.setdefault(planted.kind, []).append(top is not None)
        return
    result.found.setdefault(planted.kind, []).append(
        linked and top is not None and top.claim_id == planted.claim_id
    )
    result.found_or_suggested.setdefault(planted.kind, []).append(
        any(h.claim_id == planted.claim_id for h in hits[:1])
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_latency(url: str, texts: list[str]) -> list[float]:
    """``POST /v1/match`` latency through a real server (uvicorn, one worker) on loopback."""
    port = free_port()
    env = {**os.environ, "PROVENANCE_DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "provenance", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for _ in range(200):
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            for t in texts[:20]:  # warm up
                client.post("/v1/match", json={"text": t})
            times = []
            for t in texts:
                started = time.perf_counter()
                response = client.post("/v1/match", json={"text": t})
                times.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
            return times
    finally:
        server.terminate()
        server.wait(10)


def articles(
    claims: list[list[str]], vocab: Vocabulary, rng: random.Random, count: int
) -> Iterator[ArticleInput]:
    """New articles of ten quoted claims each: half of them variants of stored claims."""
    for n in range(count):
        quotes = []
        for _ in range(10):
            words = rng.choice(claims) if rng.random() < 0.5 else vocab.sentence(rng.randint(10, 24))
            quotes.append(f"“{variant(rng.choice(('punctuation', 'light')), words, vocab, rng)},” she said.")
        yield ArticleInput(text="\n\n".join(quotes), url=f"https://bench.example/{n}")


def run(size: int, queries: int, seed: int, folder: Path) -> Result:
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    url = f"sqlite:///{folder}/bench-{size}.db"
    upgrade(url)
    result = Result(size)
    started = time.perf_counter()
    claims = build_store(url, size, vocab, rng)
    result.build_s = time.perf_counter() - started
    index, text_keys = index_bytes(url)
    result.index_bytes_per_claim, result.text_key_bytes_per_claim = index / size, text_keys / size
    registry = PluginRegistry.create(Settings(database_url=url), load_entrypoints=False)
    planted = plant(claims, vocab, rng, queries)
    engine = create_db_engine(url, background_checkpoints=True)  # as the API runs
    with Session(engine) as session:
        for p in planted:
            judge(p, session, registry, result)
    result.http_ms = http_latency(url, [p.text for p in planted])
    feed = list(articles(claims, vocab, rng, 2 * (WARM_UP + BATCH * BATCHES)))
    result.ingest_rates = ingest_in_calls(engine, registry, feed[: len(feed) // 2])
    result.bulk_rates = ingest_in_bulk(engine, registry, feed[len(feed) // 2 :])
    engine.dispose()
    result.peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def ingest(engine: Engine, registry: PluginRegistry, batch: list[ArticleInput]) -> int:
    """Ingest ``batch`` one article per transaction, as the API does; returns the mentions stored."""
    mentions = 0
    for article in batch:
        event = ArticleService(engine, registry).ingest(article).event
        mentions += len(event.mention_ids) if event else 0
    return mentions


def ingest_in_calls(
    engine: Engine, registry: PluginRegistry, feed: list[ArticleInput]
) -> list[tuple[float, float]]:
    """Ingest ``feed`` one article per call, as the API does: :data:`WARM_UP` articles (the first
    calls fill the process's caches), then :data:`BATCHES` timed batches; each batch's claims/s
    and articles/s."""
    ingest(engine, registry, feed[:WARM_UP])
    rates = []
    for start in range(WARM_UP, WARM_UP + BATCH * BATCHES, BATCH):
        started = time.perf_counter()
        mentions = ingest(engine, registry, feed[start : start + BATCH])
        elapsed = time.perf_counter() - started
        rates.append((mentions / elapsed, BATCH / elapsed))
    return rates


def ingest_in_bulk(
    engine: Engine, registry: PluginRegistry, feed: list[ArticleInput]
) -> list[tuple[float, float]]:
    """Ingest ``feed`` as ``provenance ingest --workers 1`` does, timed as :func:`ingest_in_calls`
    times (the warm-up also starts the worker)."""
    rates: list[tuple[float, float]] = []
    mentions, started = 0, time.perf_counter()
    for n, result in ArticleService(engine, registry).ingest_many(enumerate(feed), workers=1):
        if isinstance(result, IngestResult) and result.event:
            mentions += len(result.event.mention_ids)
        done = n - (WARM_UP - 1)  # articles stored since the warm-up
        if done >= 0 and done % BATCH == 0:
            if done:
                elapsed = time.perf_counter() - started
                rates.append((mentions / elapsed, BATCH / elapsed))
            mentions, started = 0, time.perf_counter()
    return rates


def median_rate(rates: list[tuple[float, float]]) -> str:
    """The median batch's claims/s (articles/s), and the range of claims/s over all batches."""
    ordered = sorted(rates)
    claims, articles = ordered[len(ordered) // 2]
    return f"{claims:,.0f} ({articles:.1f}; {ordered[0][0]:,.0f}-{ordered[-1][0]:,.0f})"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


def print_table(results: list[Result]) -> None:
    print(
        "| stored claims | build s | index B/claim (text key index) | library p50/p95/p99 ms "
        "| HTTP p50/p95/p99 ms | ingest claims/s | bulk ingest claims/s "
        "| peak RSS MiB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r.size:,} | {r.build_s:.0f} "
            f"| {r.index_bytes_per_claim:.0f} ({r.text_key_bytes_per_claim:.0f}) "
            f"| {pct(r.library_ms, 0.5):.2f} / {pct(r.library_ms, 0.95):.2f} / {pct(r.library_ms, 0.99):.2f} "
            f"| {pct(r.http_ms, 0.5):.2f} / {pct(r.http_ms, 0.95):.2f} / {pct(r.http_ms, 0.99):.2f} "
            f"| {median_rate(r.ingest_rates)} | {median_rate(r.bulk_rates)} | {r.peak_rss_mib:.0f} |"
        )
    print()
    print("| stored claims | " + " | ".join(KINDS) + " |")
    print("|---|" + "---|" * len(KINDS))
    for r in results:
        cells = []
        for kind in KINDS:
            linked, either = share(r.found.get(kind, [])), share(r.found_or_suggested.get(kind, []))
            cells.append(f"{linked:.3f} ({either:.3f})")
        print(f"| {r.size:,} | " + " | ".join(cells) + " |")
    print(
        "\nCells: share found as linked (linked or suggested). For number and unrelated, the share"
        " falsely linked (any hit). For excerpt, the share related as part_of."
        "\nindex B/claim: the candidate index (claim_key and its stop keys); in brackets, the claim"
        " table's exact-text key index."
        "\ningest: one article per call, as the API ingests; bulk ingest: as `provenance ingest"
        " --workers 1` does, a second process cleaning and extracting ahead of linking. Each: the"
        f" median of {BATCHES} batches of {BATCH} articles, claims/s (articles/s; range of claims/s)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=1_200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = [run(size, args.queries, args.seed, Path(folder)) for size in args.sizes]
    print_table(results)


if __name__ == "__main__":
    main()
