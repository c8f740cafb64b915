"""Pathological and long articles through a real server: time per article, and how fast
``/health`` answers meanwhile. Prints a table.

    .venv/bin/python -m bench.pathological [--chars 199000] [--store sqlite|postgres]

Each text is generated here (seeded, no corpus text): results tables, a run-on sentence,
repeated nested attributions, thousands of quotes, thousands of figures, unclosed quote marks,
"according to" chains, and a long article in ordinary news shape. They are posted one after
another to ``provenance serve`` (uvicorn, as deployed) on a fresh store, while a second client
asks ``/health`` every 20 ms. The idle ``/health`` latency, measured first on the same server,
is the baseline: the table gives the ratio. Targets: every article under 2 s, ``/health`` p99
under 50 ms during the run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from collections.abc import Callable, Iterator

import httpx

from bench.server import fresh_store, served, write_key

HEALTH_EVERY = 0.02  # seconds between /health probes
FIRST = ["Maria", "James", "Aisha", "Tomasz", "Lena", "Omar", "Grace", "Pedro", "Nadia", "Victor"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Haddad", "Kowalski", "Brennan", "Tanaka", "Silva", "Novak"]
PLACES = ["Riverton", "Eastfield", "Port Alma", "Kingsbridge", "Northvale", "Millbrook", "Stonehaven"]
NOUNS = ["budget", "council", "bridge", "school", "clinic", "harbour", "railway", "market", "report"]
VERBS = ["said", "told reporters", "added", "argued", "warned", "insisted", "noted", "explained"]
WORDS = (
    "the plan would cost more than expected and residents have asked for a vote before any work "
    "begins on the new road while officials say the money is already set aside for repairs"
).split()


def name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def results_table(rng: random.Random) -> Iterator[str]:
    ward = 0
    while True:
        ward += 1
        yield f"Ward {ward} ({rng.choice(PLACES)})\n"
        for _ in range(rng.randint(3, 6)):
            votes = rng.randint(80, 9000)
            yield f"{name(rng)}\t{votes:,}\t{rng.uniform(1, 70):.1f}%\n"
        voters, register = rng.randint(1000, 20000), rng.randint(20000, 40000)
        yield f"Turnout: {rng.randint(20, 80)}% ({voters:,} of {register:,})\n\n"


def run_on(rng: random.Random) -> Iterator[str]:
    yield "Residents "
    while True:
        yield rng.choice(WORDS) + " "


def nested_attributions(_: random.Random) -> Iterator[str]:
    while True:
        yield '"Yes," said Mr. A, who said that B said that C told D. '


def many_quotes(rng: random.Random) -> Iterator[str]:
    while True:
        yield f"“{sentence(rng, rng.randint(4, 9)).capitalize()},” {name(rng)} {rng.choice(VERBS)}. "


def many_figures(rng: random.Random) -> Iterator[str]:
    while True:
        yield (
            f"In {rng.randint(1990, 2025)} the {rng.choice(NOUNS)} in {rng.choice(PLACES)} cost "
            f"${rng.randint(1, 900)}.{rng.randint(0, 9)} million, {rng.randint(2, 95)} percent more than "
            f"the {rng.randint(3, 40)} projects before it, for {rng.randint(100, 90000):,} people. "
        )


def unclosed_quotes(rng: random.Random) -> Iterator[str]:
    while True:
        mark = rng.choice(["“", '"', "‘"])
        yield f"“{sentence(rng, 8)} {mark}{sentence(rng, 5)} "


def according_to(rng: random.Random) -> Iterator[str]:
    while True:
        yield (
            f"According to {name(rng)}, who cited {name(rng)}, according to a report by "
            f"{rng.choice(PLACES)} officials, {sentence(rng, 10)}, "
        )


def news_article(rng: random.Random) -> Iterator[str]:
    people = [name(rng) for _ in range(40)]
    while True:
        who = rng.choice(people)
        yield rng.choice(
            [
                f"{who}, the mayor of {rng.choice(PLACES)}, said {sentence(rng, 9)}. ",
                f"“{sentence(rng, 10).capitalize()},” {who} {rng.choice(VERBS)}. “{sentence(rng, 7)}.” ",
                f"She said {rng.randint(3, 400)} families {sentence(rng, 8)}. ",
                f"According to {who}, {sentence(rng, 11)}. ",
                f"The {rng.choice(NOUNS)} will cost ${rng.randint(2, 80)} million, {who} told reporters.\n\n",
                f"He added that {sentence(rng, 12)}. ",
            ]
        )


TEXTS: dict[str, Callable[[random.Random], Iterator[str]]] = {
    "results table": results_table,
    "run-on sentence": run_on,
    "nested attributions": nested_attributions,
    "thousands of quotes": many_quotes,
    "thousands of figures": many_figures,
    "unclosed quote marks": unclosed_quotes,
    "according-to chains": according_to,
    "long news article": news_article,
}


def generate(make: Callable[[random.Random], Iterator[str]], chars: int, seed: int) -> str:
    pieces: list[str] = []
    size = 0
    for piece in make(random.Random(seed)):
        if size + len(piece) > chars:
            break
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class HealthProbe:
    """Asks ``/health`` every :data:`HEALTH_EVERY` seconds in a thread and keeps the latencies."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.latencies: list[float] = []
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self._stop.is_set():
                started = time.perf_counter()
                try:
                    ok = client.get("/health").status_code == 200
                except httpx.HTTPError:  # a time-out counts, with the time it took
                    ok = False
                self.latencies.append(time.perf_counter() - started)
                self.failures += not ok
                self._stop.wait(HEALTH_EVERY)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chars", type=int, default=199_000, help="length of each text")
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    texts = {label: generate(make, args.chars, args.seed) for label, make in TEXTS.items()}
    with (
        fresh_store(args.store) as url,
        served(url) as server,
        httpx.Client(base_url=server.base_url, timeout=600, headers=write_key(url, "bench")) as client,
    ):
        base = server.base_url
        client.post("/v1/articles", json={"text": "Warming up the workers, the bench said."})
        with HealthProbe(base) as idle:
            time.sleep(3)
        rows = []
        with HealthProbe(base) as busy:
            for n, (label, body) in enumerate(texts.items()):
                started = time.perf_counter()
                response = client.post("/v1/articles", json={"text": body, "url": f"bench://{n}"})
                seconds = time.perf_counter() - started
                claims = len(response.json().get("claims", [])) if response.status_code < 300 else 0
                rows.append((label, len(body), response.status_code, seconds, claims))
    print(
        f"store: {args.store}; {len(texts)} texts of up to {args.chars:,} characters, posted one at a time\n"
    )
    print("| text | characters | status | seconds | claims (in response) |")
    print("|---|---|---|---|---|")
    for label, size, status, seconds, claims in rows:
        print(f"| {label} | {size:,} | {status} | {seconds:.2f} | {claims} |")
    slowest = max(r[3] for r in rows)
    print(f"\nslowest article: {slowest:.2f} s (target < 2 s): {'met' if slowest < 2 else 'NOT met'}")
    print("\n| /health | probes | p50 ms | p95 ms | p99 ms | max ms | failures |")
    print("|---|---|---|---|---|---|---|")
    for label, probe in (("idle (baseline)", idle), ("during the run", busy)):
        ms = [1000 * s for s in probe.latencies]
        print(
            f"| {label} | {len(ms)} | {statistics.median(ms):.1f} | {percentile(ms, 0.95):.1f} | "
            f"{percentile(ms, 0.99):.1f} | {max(ms):.1f} | {probe.failures} |"
        )
    p99_idle = percentile(idle.latencies, 0.99)
    p99_busy = percentile(busy.latencies, 0.99)
    print(
        f"\n/health p99 during the run: {1000 * p99_busy:.1f} ms, {p99_busy / p99_idle:.1f}x idle "
        f"(target < 50 ms): {'met' if p99_busy < 0.05 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
