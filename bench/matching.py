"""Matching at scale: a synthetic store of N claims with planted variants, on SQLite. Prints a table.

    .venv/bin/python -m bench.matching [--sizes 10000 100000 1000000] [--queries 1000] [--seed 7]
        [--speakers 200] [--semantic]

For each size: the store is filled through the same index functions the pipeline uses (bulk
inserts of claims and their ``claim_key`` rows, so a 1M store builds in minutes, not hours); then
planted variants of stored claims are traced back with ``match_text`` (the library) and with
``POST /v1/match`` (a real server on loopback), and a batch of new articles is ingested through
the full pipeline. The generator is seeded, so runs are comparable.

With ``--speakers N`` the claims are attributed to N made-up people, a few of them prolific
(Zipf-like), and the planted variants, match queries and new articles name the speaker of the
claim they vary; without it claims have no speaker, as in the figures first published. With
``--semantic`` (which needs speakers: it compares one person's claims) the plugin of
``plugins/provenance-semantic`` is registered as installed (pip-installed into a temporary folder
when it is not), its table is filled for the stored claims, and the table adds the time its
candidate source and matcher take per ingested claim, its table's bytes per claim, the memory
its model takes and the suggestions it leaves per ingested claim. The made-up words look alike to
its embeddings (98% of pairs of them reach its 0.55), so every claim gets its full ten proposals:
its cost here is a worst case.

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
import dataclasses
import functools
import importlib.util
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import httpx
from sqlalchemy import Connection, Engine, insert, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bench.server import served
from provenance import candidates
from provenance.articles import ArticleInput, IngestResult
from provenance.db import create_db_engine, session_scope, upgrade
from provenance.domain import CandidateSource, ClaimKind, ClaimText
from provenance.index import add_to_index, claim_keys
from provenance.matching import relations
from provenance.models import Claim, utcnow
from provenance.plugins import PluginRegistry
from provenance.queries import match_text
from provenance.services import ArticleService
from provenance.settings import Settings
from provenance.speakers import SpeakerResolver
from provenance.text import text_key

_SYLLABLES = "ka lo mi ne ru ta vo shi pe da gu lin mar tes ron bel cor fin gal hov".split()
_STOCK = ["we will", "the government", "in the coming weeks", "prime minister", "the people of"]
WARM_UP = 20  # articles ingested before the timed ones
BATCH = 100  # articles per timed batch
BATCHES = 3  # timed batches per way of ingesting: the median is reported, as the machine is noisy
KINDS = ("punctuation", "light", "heavy", "excerpt", "number", "unrelated")
SEMANTIC = Path(__file__).resolve().parents[1] / "plugins" / "provenance-semantic"


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
    speaker: str | None = None


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
    semantic: SemanticCost | None = None


@dataclass
class SemanticCost:
    """What the semantic plugin costs: its model's memory, its table, the time it took to fill
    that table for the stored claims, and its time per claim while articles were ingested."""

    model_mib: float
    index_bytes_per_claim: float = 0.0
    build_ms_per_claim: float = 0.0
    ingest_ms_per_claim: float = 0.0
    suggested_per_claim: float = 0.0  # pending suggestions it made, per ingested claim


class Stopwatch:
    """Time spent in the plugin's methods, wrapped."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def timed(self, method: Callable[..., object]) -> Callable[..., object]:
        def run(*args: object) -> object:
            started = time.perf_counter()
            try:
                return method(*args)
            finally:
                self.seconds += time.perf_counter() - started

        return run


class TimedSource:
    """A candidate source whose methods are timed by ``watch``."""

    def __init__(self, source: CandidateSource, watch: Stopwatch) -> None:
        self.name = source.name
        self.setup = watch.timed(source.setup)
        self.propose = watch.timed(source.propose)
        self.add = watch.timed(source.add)
        self.merged = watch.timed(source.merged)


class People:
    """Made-up people the claims are attributed to, a few of them prolific (Zipf-like)."""

    def __init__(self, rng: random.Random, count: int) -> None:
        surnames: set[str] = set()
        while len(surnames) < count:
            surnames.add("".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize())
        self.names = [
            f"{''.join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize()} {surname}"
            for surname in sorted(surnames)
        ]
        self.cumulative = list(accumulate(1 / (rank + 1) for rank in range(count)))
        self.rng = rng

    def pick(self) -> str:
        return self.rng.choices(self.names, cum_weights=self.cumulative)[0]


def build_store(
    url: str, size: int, vocab: Vocabulary, rng: random.Random, people: People | None
) -> tuple[list[list[str]], list[str | None]]:
    """Fill the store with ``size`` claims; returns each claim's words and speaker (claim id =
    position + 1)."""
    engine = create_db_engine(url)
    claims = [vocab.sentence(rng.randint(10, 24)) for _ in range(size)]
    speakers: list[str | None] = [people.pick() if people else None for _ in range(size)]
    speaker_ids: dict[str | None, int | None] = {None: None}
    if people:
        with session_scope(engine) as session:
            resolver = SpeakerResolver(session)  # each person with the aliases ingest looks up
            for name in people.names:
                found = resolver.resolve((name, name))
                speaker_ids[name] = found[0] if found else None
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
                        "speaker_id": speaker_ids[speakers[start + n]],
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
    settle(engine)
    engine.dispose()
    return claims, speakers


def settle(engine: Engine) -> None:
    """Leave a freshly filled store as a service would have it: statistics gathered, SQLite's WAL
    copied back, PostgreSQL's claim ids sequence past the ids given explicitly."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence('claim', 'id'), MAX(id)) FROM claim")
            )
            connection.execute(text("VACUUM ANALYZE"))
        return
    connection = engine.raw_connection()  # outside any transaction: the store as a service has it
    try:
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def fill_source(
    url: str, source: CandidateSource, claims: list[list[str]], speakers: list[str | None]
) -> None:
    """Create a plugin source's table and index the stored claims in it, as ingest would have."""
    engine = create_db_engine(url)
    with session_scope(engine) as session:
        source.setup(session.connection())
    for start in range(0, len(claims), 5_000):
        with session_scope(engine) as session:
            source.add(
                session.connection(),
                [
                    ClaimText(ClaimKind.QUOTE, " ".join(words), speakers[start + n], claim_id=start + n + 1)
                    for n, words in enumerate(claims[start : start + 5_000])
                ],
            )
    engine.dispose()


def index_bytes(url: str) -> tuple[float, float]:
    """Bytes of the candidate index (the ``claim_key`` b-tree and its stop keys) and of the
    claim table's exact-text key index (``ix_claim_key``, which dedupe needs with or without the
    candidate index), from SQLite's ``dbstat``; NaN where it is not compiled in."""
    candidate_index = table_bytes(url, ("claim_key", "claim_key_stop", "sqlite_autoindex_claim_key_stop_1"))
    return candidate_index, table_bytes(url, ("ix_claim_key",))


def table_bytes(url: str, names: Sequence[str]) -> float:
    """Bytes of the named tables and indexes, from SQLite's ``dbstat``; NaN where it is not
    compiled in."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.exec_driver_sql(
                f"SELECT SUM(pgsize) FROM dbstat WHERE name IN ({', '.join('?' * len(names))})", tuple(names)
            ).scalar()
    except OperationalError:  # no dbstat in this SQLite build
        return float("nan")
    finally:
        engine.dispose()
    return float(found or 0)


def plant(
    claims: list[list[str]], speakers: list[str | None], vocab: Vocabulary, rng: random.Random, count: int
) -> list[Planted]:
    picks = rng.sample(range(len(claims)), min(count, len(claims)))
    return [
        Planted(
            KINDS[n % len(KINDS)], variant(KINDS[n % len(KINDS)], claims[i], vocab, rng), i + 1, speakers[i]
        )
        for n, i in enumerate(picks)
    ]


def judge(planted: Planted, session: Session, registry: PluginRegistry, result: Result) -> None:
    started = time.perf_counter()
    hits = match_text(session, registry, planted.text, planted.speaker)
    result.library_ms.append((time.perf_counter() - started) * 1000)
    top = hits[0] if hits else None
    if planted.kind == "excerpt":  # found when the excerpt relation to its quote is detected
        query = ClaimText(ClaimKind.QUOTE, planted.text, planted.speaker, claim_id=0)
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


def http_latency(url: str, queries: list[tuple[str, str | None]]) -> list[float]:
    """``POST /v1/match`` latency through a real server (uvicorn, one worker) on loopback, for
    ``(text, speaker)`` queries."""
    with served(url) as server, httpx.Client(base_url=server.base_url, timeout=30) as client:
        for t, speaker in queries[:20]:  # warm up
            client.post("/v1/match", json={"text": t, "speaker": speaker})
        times = []
        for t, speaker in queries:
            started = time.perf_counter()
            response = client.post("/v1/match", json={"text": t, "speaker": speaker})
            times.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
        return times


def articles(
    claims: list[list[str]],
    speakers: list[str | None],
    people: People | None,
    vocab: Vocabulary,
    rng: random.Random,
    count: int,
) -> Iterator[ArticleInput]:
    """New articles of ten quoted claims each: half of them variants of stored claims (said by
    their speaker, when claims have speakers)."""
    for n in range(count):
        quotes = []
        for _ in range(10):
            if rng.random() < 0.5:
                stored = rng.randrange(len(claims))
                words, speaker = claims[stored], speakers[stored]
            else:
                words, speaker = vocab.sentence(rng.randint(10, 24)), people.pick() if people else None
            said = f"said {speaker}" if speaker else "she said"
            quotes.append(f"“{variant(rng.choice(('punctuation', 'light')), words, vocab, rng)},” {said}.")
        yield ArticleInput(text="\n\n".join(quotes), url=f"https://bench.example/{n}")


def run(size: int, queries: int, seed: int, folder: Path, speakers: int, semantic: bool) -> Result:
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    people = People(rng, speakers) if speakers else None
    url = f"sqlite:///{folder}/bench-{size}.db"
    upgrade(url)
    result = Result(size)
    started = time.perf_counter()
    claims, said_by = build_store(url, size, vocab, rng, people)
    result.build_s = time.perf_counter() - started
    index, text_keys = index_bytes(url)
    result.index_bytes_per_claim, result.text_key_bytes_per_claim = index / size, text_keys / size
    # installed plugins only with --semantic (the server of http_latency loads them in any case)
    registry = PluginRegistry.create(Settings(database_url=url), load_entrypoints=semantic)
    watch = Stopwatch()
    if semantic:
        result.semantic = SemanticCost(model_mib())
        source = registry.candidate_sources["semantic"]
        started = time.perf_counter()
        fill_source(url, source, claims, said_by)
        result.semantic.build_ms_per_claim = (time.perf_counter() - started) * 1000 / size
        result.semantic.index_bytes_per_claim = (
            table_bytes(url, ("semantic_vector", "ix_semantic_vector_claim_id")) / size
        )
        registry.candidate_sources["semantic"] = TimedSource(source, watch)  # type: ignore[assignment]
        matcher = registry.matchers["semantic"]
        registry.matchers["semantic"] = dataclasses.replace(matcher, score=watch.timed(matcher.score))  # type: ignore[arg-type]
    planted = plant(claims, said_by, vocab, rng, queries)
    engine = create_db_engine(url, background_checkpoints=True)  # as the API runs
    with Session(engine) as session:
        for p in planted:
            judge(p, session, registry, result)
    result.http_ms = http_latency(url, [(p.text, p.speaker) for p in planted])
    feed = list(articles(claims, said_by, people, vocab, rng, 2 * (WARM_UP + BATCH * BATCHES)))
    watch.seconds, ingested = 0.0, Counted()
    result.ingest_rates = ingest_in_calls(engine, registry, feed[: len(feed) // 2], ingested)
    result.bulk_rates = ingest_in_bulk(engine, registry, feed[len(feed) // 2 :], ingested)
    if result.semantic:
        result.semantic.ingest_ms_per_claim = watch.seconds * 1000 / max(ingested.claims, 1)
        with engine.connect() as connection:
            result.semantic.suggested_per_claim = semantic_suggestions(connection) / max(ingested.claims, 1)
    engine.dispose()
    result.peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def semantic_suggestions(connection: Connection) -> int:
    """Review-trail rows the semantic matcher left as suggestions."""
    return int(
        connection.execute(
            text("SELECT COUNT(*) FROM match_candidate WHERE matcher = 'semantic' AND status = 'suggested'")
        ).scalar_one()
    )


@functools.cache  # loaded once per process: later sizes report the first load
def model_mib() -> float:
    """MiB the semantic plugin's model and a first embedding add to this process."""
    import provenance_semantic  # on the path: installed, or put there by main()

    before = rss_mib()
    provenance_semantic.embedding("warm up the model")
    return rss_mib() - before


def rss_mib() -> float:
    """This process's resident memory now, from /proc."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def with_semantic_plugin(folder: Path) -> None:
    """Make provenance-semantic importable and visible as an installed plugin, to this process and
    to the servers it starts: pip-installed into ``folder`` (without dependencies) unless it is
    installed already."""
    if importlib.util.find_spec("provenance_semantic") is not None:
        return
    site = folder / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run([*pip, "--target", str(site), str(SEMANTIC)], check=True)
    sys.path.insert(0, str(site))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))


@dataclass
class Counted:
    """Claims ingested (mentions stored), over both ways of ingesting."""

    claims: int = 0


def ingest(engine: Engine, registry: PluginRegistry, batch: list[ArticleInput], counted: Counted) -> int:
    """Ingest ``batch`` one article per transaction, as the API does; returns the mentions stored."""
    mentions = 0
    for article in batch:
        event = ArticleService(engine, registry).ingest(article).event
        mentions += len(event.mention_ids) if event else 0
    counted.claims += mentions
    return mentions


def ingest_in_calls(
    engine: Engine, registry: PluginRegistry, feed: list[ArticleInput], counted: Counted
) -> list[tuple[float, float]]:
    """Ingest ``feed`` one article per call, as the API does: :data:`WARM_UP` articles (the first
    calls fill the process's caches), then :data:`BATCHES` timed batches; each batch's claims/s
    and articles/s."""
    ingest(engine, registry, feed[:WARM_UP], counted)
    rates = []
    for start in range(WARM_UP, WARM_UP + BATCH * BATCHES, BATCH):
        started = time.perf_counter()
        mentions = ingest(engine, registry, feed[start : start + BATCH], counted)
        elapsed = time.perf_counter() - started
        rates.append((mentions / elapsed, BATCH / elapsed))
    return rates


def ingest_in_bulk(
    engine: Engine, registry: PluginRegistry, feed: list[ArticleInput], counted: Counted
) -> list[tuple[float, float]]:
    """Ingest ``feed`` as ``provenance ingest --workers 1`` does, timed as :func:`ingest_in_calls`
    times (the warm-up also starts the worker)."""
    rates: list[tuple[float, float]] = []
    mentions, started = 0, time.perf_counter()
    for n, result in ArticleService(engine, registry).ingest_many(enumerate(feed), workers=1):
        if isinstance(result, IngestResult) and result.event:
            mentions += len(result.event.mention_ids)
            counted.claims += len(result.event.mention_ids)
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
    costs = [(r.size, r.semantic) for r in results if r.semantic]
    if costs:
        print()
        print(
            "| stored claims | semantic model MiB | semantic table B/claim | semantic fill ms/claim "
            "| semantic ms per ingested claim | semantic suggestions per ingested claim |"
        )
        print("|---|---|---|---|---|---|")
        for size, cost in costs:
            print(
                f"| {size:,} | {cost.model_mib:.0f} | {cost.index_bytes_per_claim:.0f} "
                f"| {cost.build_ms_per_claim:.3f} | {cost.ingest_ms_per_claim:.3f} "
                f"| {cost.suggested_per_claim:.3f} |"
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
    parser.add_argument("--speakers", type=int, default=0, help="people the claims are attributed to")
    parser.add_argument("--semantic", action="store_true", help="with plugins/provenance-semantic")
    args = parser.parse_args()
    if args.semantic and not args.speakers:
        parser.error("--semantic needs --speakers: the plugin compares the claims of one person")
    with tempfile.TemporaryDirectory() as folder:
        if args.semantic:
            with_semantic_plugin(Path(folder))
        results = [
            run(size, args.queries, args.seed, Path(folder), args.speakers, args.semantic)
            for size in args.sizes
        ]
    print_table(results)


if __name__ == "__main__":
    main()
