"""Server render time of each explorer page on a large store (SQLite). Prints a table.

    .venv/bin/python -m bench.pages [--claims 1000000] [--store PATH] [--repeat 20] [--seed 7]

The store is built as ``bench.matching`` builds it (its made-up claims and their candidate index,
attributed to 200 made-up people), then given what pages read: an article for every ten claims
(each claim quoted where it was first printed, with its outlet, one of 40, and a publication time
over two years), round-up articles that quote popular claims again (so a few claims have hundreds
of mentions), and pending suggestions for the review queue; then the five seed articles are
ingested through the whole pipeline. With ``--store PATH`` the store is kept there and reused by
later runs with the same path (building 1M claims takes minutes), migrated to the latest revision
first.

Each page is requested through Litestar's test client (in process: routing, the read models and
the template, no network) ``--repeat`` times after two untimed requests; the table gives the
median and the slowest. The target is under 300 ms per page at 1M claims.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlencode

from litestar.testing import TestClient
from sqlalchemy import Engine, func, insert, select, text, update
from sqlmodel import Session, col

from bench.matching import People, Vocabulary, build_store
from provenance.api.app import create_app
from provenance.articles import ArticleInput
from provenance.cli import SEED_CORPUS
from provenance.db import create_db_engine, session_scope, upgrade
from provenance.models import Article, CandidateStatus, Claim, MatchCandidate, Mention, Speaker
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService
from provenance.settings import Settings
from provenance.text import text_key

CLAIMS_PER_ARTICLE = 10
OUTLETS = 40
ROUNDUP_EVERY = 500  # one round-up article per this many claims ...
ROUNDUP_QUOTES = 10  # ... quoting this many popular claims again ...
POPULAR = 5_000  # ... drawn (Zipf-like) from the first claims
SUGGESTIONS = 5_000
CHUNK = 5_000
SPEAKERS = 200
START = datetime(2023, 1, 1, tzinfo=UTC)
BALANCED = "We highly appreciate the balanced position of our Chinese friends"


def quoted(words: list[str], speaker: str | None) -> str:
    return f"“{' '.join(words)},” said {speaker or 'an official'}."


def add_articles(url: str, claims: list[list[str]], speakers: list[str | None], rng: random.Random) -> None:
    """An article for every :data:`CLAIMS_PER_ARTICLE` claims, round-ups quoting popular claims
    again, a mention for each quote, and pending suggestions."""
    engine = create_db_engine(url)
    speaker_ids = _speaker_ids(engine)
    popular = list(accumulate(1 / (rank + 1) for rank in range(min(POPULAR, len(claims)))))
    plan = [
        list(range(start, min(start + CLAIMS_PER_ARTICLE, len(claims))))
        for start in range(0, len(claims), 10)
    ]
    first_articles = len(plan)
    plan += [
        rng.choices(range(len(popular)), cum_weights=popular, k=ROUNDUP_QUOTES)
        for _ in range(len(claims) // ROUNDUP_EVERY)
    ]
    now = datetime.now(UTC)
    for start in range(0, len(plan), CHUNK // CLAIMS_PER_ARTICLE):
        articles, mentions = [], []
        for n in range(start, min(start + CHUNK // CLAIMS_PER_ARTICLE, len(plan))):
            body, offset = [], 0
            for index in plan[n]:
                sentence = quoted(claims[index], speakers[index])
                begin = offset + 1  # after the opening quote mark
                mentions.append(
                    {
                        "claim_id": index + 1,
                        "article_id": n + 1,
                        "text": " ".join(claims[index]),
                        "start": begin,
                        "end": begin + len(" ".join(claims[index])),
                        "passage_start": offset,
                        "passage_end": offset + len(sentence),
                        "speaker_as_written": speakers[index],
                        "speaker_id": speaker_ids.get(speakers[index]),
                        "speaker_kind": "person" if speakers[index] else None,
                        "cue": "said",
                        "extractor": "quotes",
                        "matcher": "exact" if n >= first_articles else None,
                        "score": 1.0 if n >= first_articles else None,
                    }
                )
                body.append(sentence)
                offset += len(sentence) + 2
            article_text = "\n\n".join(body)
            articles.append(
                {
                    "id": n + 1,
                    "url": f"https://bench.example/{'roundup' if n >= first_articles else 'story'}/{n + 1}",
                    "outlet": f"Outlet {rng.randrange(OUTLETS)}",
                    "title": f"Story {n + 1}",
                    "published_at": START + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)),
                    "ingested_at": now,
                    "text": article_text,
                    "content_hash": text_key(article_text),
                }
            )
        with session_scope(engine) as session:
            session.execute(insert(Article), articles)
            session.execute(insert(Mention), mentions)
    with session_scope(engine) as session:
        session.execute(update(Claim).values(first_article_id=(col(Claim.id) - 1) // CLAIMS_PER_ARTICLE + 1))
        mention_count = session.execute(select(func.count()).select_from(Mention)).scalar_one()
        session.execute(
            insert(MatchCandidate),
            [
                {
                    "mention_id": rng.randrange(1, mention_count + 1),
                    "claim_id": rng.randrange(1, len(claims) + 1),
                    "matcher": "fuzzy",
                    "matcher_version": "1",
                    "score": round(rng.uniform(0.65, 0.8), 3),
                    "threshold": 0.8,
                    "status": CandidateStatus.SUGGESTED.value,
                    "explanation": "made up for the benchmark",
                }
                for _ in range(SUGGESTIONS)
            ],
        )
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()


def _speaker_ids(engine: Engine) -> dict[str | None, int]:
    with Session(engine) as session:
        return {s.name: s.id for s in session.execute(select(Speaker)).scalars() if s.id is not None}


def ingest_seeds(url: str) -> None:
    """The seed articles, through the whole pipeline."""
    settings = Settings(database_url=url)
    engine = create_db_engine(url)
    service = ArticleService(engine, PluginRegistry.create(settings, load_entrypoints=False))
    for path in sorted(SEED_CORPUS.glob("0*.txt")):
        service.ingest(ArticleInput(text=path.read_text(encoding="utf-8"), url=path.as_uri()))
    engine.dispose()


def build(url: str, size: int, seed: int) -> None:
    rng = random.Random(seed)
    vocab, people = Vocabulary(rng), People(rng, SPEAKERS)
    upgrade(url)
    started = time.perf_counter()
    claims, speakers = build_store(url, size, vocab, rng, people)
    add_articles(url, claims, speakers, rng)
    ingest_seeds(url)
    print(f"built a store of {size:,} claims in {time.perf_counter() - started:.0f} s")


def pages(engine: Engine) -> dict[str, str]:
    """Each page measured, by what it shows, and its path."""
    with Session(engine) as session:
        balanced = session.execute(
            select(col(Claim.id)).where(col(Claim.text).contains(BALANCED))
        ).scalar_one()
        seed = session.execute(
            select(col(Article.id)).where(col(Article.url).like("file:%000_%"))
        ).scalar_one()
        busiest = session.execute(
            select(col(Mention.claim_id))
            .group_by(col(Mention.claim_id))
            .order_by(func.count().desc())
            .limit(1)
        ).scalar_one()
        mentions = session.execute(select(func.count()).where(col(Mention.claim_id) == busiest)).scalar_one()
        story = session.execute(select(func.count()).select_from(Article)).scalar_one() // 2
        speaker = session.execute(
            select(col(Speaker.name)).join(Claim, col(Claim.speaker_id) == col(Speaker.id)).limit(1)
        ).scalar_one()
    return {
        "search: a pasted quote": "/?" + urlencode({"q": BALANCED + " regarding the Ukraine crisis"}),
        "search: two words": "/?" + urlencode({"q": "balanced position"}),
        "search: a speaker": "/?" + urlencode({"speaker": speaker}),
        "search: an outlet in a month": "/?"
        + urlencode({"outlet": "Outlet 7", "from": "2023-03-01", "to": "2023-03-31"}),
        "claim: the seed quote (4 mentions)": f"/claims/{balanced}",
        f"claim: the most quoted ({mentions} mentions)": f"/claims/{busiest}",
        "article: seed 000": f"/articles/{seed}",
        "article: a story": f"/articles/{story}",
        "articles": "/articles",
        "articles: an outlet in a month": "/articles?"
        + urlencode({"outlet": "Outlet 7", "from": "2023-03-01", "to": "2023-03-31"}),
        "review queue": "/review",
    }


def measure(url: str, repeat: int) -> list[tuple[str, float, float]]:
    settings = Settings(database_url=url)
    engine = create_db_engine(url)
    found = pages(engine)
    engine.dispose()
    rows = []
    with TestClient(create_app(settings, PluginRegistry.create(settings, load_entrypoints=False))) as client:
        for name, path in found.items():
            times = []
            for n in range(repeat + 2):
                started = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (path, response.status_code, response.text[:500])
                if n >= 2:
                    times.append(elapsed)
            rows.append((name, statistics.median(times), max(times)))
    return rows


@contextmanager
def store_path(kept: Path | None) -> Iterator[Path]:
    if kept is not None:
        yield kept
        return
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder) / "pages.db"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, help="keep the store here, and reuse it when it exists")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with store_path(args.store) as path:
        url = f"sqlite:///{path}"
        if path.exists():
            print(f"reusing the store at {path}")
            upgrade(url)  # a store built before the latest revisions (0009: the search indexes)
        else:
            build(url, args.claims, args.seed)
        engine = create_db_engine(url)
        with Session(engine) as session:
            claims = session.execute(select(func.count()).select_from(Claim)).scalar_one()
            mentions = session.execute(select(func.count()).select_from(Mention)).scalar_one()
            articles = session.execute(select(func.count()).select_from(Article)).scalar_one()
        engine.dispose()
        rows = measure(url, args.repeat)
    print(
        f"\n{claims:,} claims, {mentions:,} mentions, {articles:,} articles; {args.repeat} requests a page\n"
    )
    print("| page | median ms | slowest ms |")
    print("|---|---|---|")
    for name, median, slowest in rows:
        print(f"| {name} | {median:.1f} | {slowest:.1f} |")


if __name__ == "__main__":
    main()
