"""A load run on loopback against the served app: ``POST /v1/match``, ``GET /v1/claims`` and
``POST /v1/articles`` at several concurrencies, bounded in requests and time. Prints a table.

    .venv/bin/python -m bench.load [--store sqlite|postgres] [--claims 100000]
        [--concurrency 1 8 32] [--requests 400] [--seconds 60] [--serve-workers 1] [--seed 7]

The store is the synthetic one of ``bench.matching`` (a fresh SQLite file, or a PostgreSQL
database of its own, dropped afterwards); ``provenance serve`` runs on it in a subprocess (uvicorn,
``--serve-workers`` processes, two ingest workers each). For each endpoint and concurrency, that
many clients (asyncio, one connection each) send requests back to back until ``--requests`` are
answered or ``--seconds`` pass: match queries are planted variants of stored claims, claim pages
are ``limit=20`` at offsets up to 5,000, and articles are new ones of ten quotes, half of them
variants of stored claims (posted with a key holding the ``write`` scope). Every answer but 200
and 201 counts as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import httpx

from bench.matching import Vocabulary, articles, build_store, pct, plant
from bench.server import DEFAULT_POSTGRES, fresh_store, served, write_key

Request = tuple[str, str, dict[str, Any] | None]  # method, path, JSON body


@dataclass
class Workload:
    """An endpoint and the requests to send it, one after another."""

    name: str
    requests: Callable[[], Iterator[Request]]


@dataclass
class Row:
    """One endpoint at one concurrency."""

    endpoint: str
    concurrency: int
    ms: list[float] = field(default_factory=list)
    errors: dict[int | str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def answered(self) -> int:
        return len(self.ms)


def workloads(claims: list[list[str]], seed: int, rng: random.Random, vocab: Vocabulary) -> list[Workload]:
    """The three endpoints' requests, drawn from the store's own claims."""
    speakers: list[str | None] = [None] * len(claims)
    queries = [p.text for p in plant(claims, speakers, vocab, rng, 2_000)]
    pages = [rng.randrange(0, min(5_000, len(claims))) for _ in range(2_000)]
    serial = count()

    def match() -> Iterator[Request]:
        while True:
            yield from (("POST", "/v1/match", {"text": q}) for q in queries)

    def claim_pages() -> Iterator[Request]:
        while True:
            yield from (("GET", f"/v1/claims?limit=20&offset={o}", None) for o in pages)

    def new_articles() -> Iterator[Request]:
        batch = next(serial)  # each run of the workload posts articles of its own
        feed = articles(claims, speakers, None, vocab, random.Random(seed + batch), 1_000_000)
        for n, article in enumerate(feed):
            yield ("POST", "/v1/articles", {"text": article.text, "url": f"https://load.example/{batch}/{n}"})

    return [
        Workload("POST /v1/match", match),
        Workload("GET /v1/claims", claim_pages),
        Workload("POST /v1/articles", new_articles),
    ]


async def drive(
    base_url: str,
    headers: dict[str, str],
    workload: Workload,
    concurrency: int,
    requests: int,
    seconds: float,
) -> Row:
    """``concurrency`` clients sending ``workload``'s requests until ``requests`` are answered or
    ``seconds`` pass (after a warm-up of a few requests)."""
    row = Row(workload.name, concurrency)
    source = workload.requests()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=120, limits=limits) as client:
        for _ in range(3):
            method, path, body = next(source)
            await client.request(method, path, json=body)
        sent = 0
        started = time.perf_counter()
        deadline = started + seconds

        async def one_client() -> None:
            nonlocal sent
            while sent < requests and time.perf_counter() < deadline:
                sent += 1
                method, path, body = next(source)
                begun = time.perf_counter()
                try:
                    response = await client.request(method, path, json=body)
                    outcome: int | str = response.status_code
                except httpx.TransportError as exc:
                    outcome = type(exc).__name__
                row.ms.append((time.perf_counter() - begun) * 1000)
                if outcome not in (200, 201):
                    row.errors[outcome] = row.errors.get(outcome, 0) + 1

        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        row.seconds = time.perf_counter() - started
    return row


def load(
    base_url: str,
    headers: dict[str, str],
    loads: list[Workload],
    concurrencies: list[int],
    requests: int,
    seconds: float,
) -> list[Row]:
    """Every workload at every concurrency, one after another."""
    return [
        asyncio.run(drive(base_url, headers, w, c, requests, seconds)) for w in loads for c in concurrencies
    ]


def print_table(rows: list[Row], title: str) -> None:
    print(f"\n{title}\n")
    print("| endpoint | concurrency | answered | errors | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        errors = ", ".join(f"{k}: {v}" for k, v in r.errors.items()) or "0"
        print(
            f"| {r.endpoint} | {r.concurrency} | {r.answered} | {errors} | {r.answered / r.seconds:.0f} "
            f"| {pct(r.ms, 0.5):.1f} | {pct(r.ms, 0.95):.1f} | {pct(r.ms, 0.99):.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests", type=int, default=400, help="per endpoint and concurrency")
    parser.add_argument("--seconds", type=float, default=60, help="per endpoint and concurrency, at most")
    parser.add_argument("--serve-workers", type=int, default=1, help="server processes (uvicorn --workers)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vocab = Vocabulary(rng)
    with (
        tempfile.TemporaryDirectory() as folder,
        fresh_store(args.store, Path(folder), args.postgres_url) as url,
    ):
        started = time.perf_counter()
        claims, _ = build_store(url, args.claims, vocab, rng, None)
        built = time.perf_counter() - started
        key = write_key(url, "bench-load")
        with served(url, serve_workers=str(args.serve_workers)) as server:
            rows = load(
                server.base_url,
                key,
                workloads(claims, args.seed, rng, vocab),
                args.concurrency,
                args.requests,
                args.seconds,
            )
    print_table(
        rows,
        f"{args.store}, {args.claims:,} claims (built in {built:.0f} s), {args.serve_workers} server"
        f" process(es); at most {args.requests} requests or {args.seconds:g} s per row",
    )


if __name__ == "__main__":
    main()
