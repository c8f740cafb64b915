"""Corpora for the load and crash tests, and what a store holds in a form two stores compare by.

Generated articles quote from a shared pool (so articles overlap in their claims) sentences of
random common words, far enough apart that no two pool quotes match each other: linking them does
not depend on the order articles arrive in.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from provenance.articles import ArticleInput
from provenance.db import create_db_engine
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService
from provenance.settings import Settings

WORDS = """
harbour budget winter council river school market bridge railway clinic station
tender island village summer transport pension doctors farmers teachers license highway
airport museum factory library stadium forest coastline reservoir hospital bakery
quickly never always openly quietly gladly firmly slowly rarely surely almost nearly
build close fund repair extend protect reduce double replace inspect delay approve
""".split()
PEOPLE = [
    "Maria Lopez",
    "Tom Becker",
    "Aisha Khan",
    "Jonas Berg",
    "Lena Fischer",
    "Omar Haddad",
    "Grace Otieno",
    "Pavel Novak",
]


def generated_articles(count: int, seed: int = 19, quotes_each: int = 4) -> list[ArticleInput]:
    """``count`` articles, each quoting ``quotes_each`` sentences from a shared pool of ``count``
    (every quote printed in about ``quotes_each`` articles), with a unique URL."""
    rng = random.Random(seed)
    pool = [
        (" ".join(rng.choices(WORDS, k=rng.randint(10, 14))).capitalize(), rng.choice(PEOPLE))
        for _ in range(count)
    ]
    feed = []
    for n in range(count):
        paragraphs = [f"Regional desk, report {n}"]
        for quote, who in rng.sample(pool, quotes_each):
            paragraphs.append(f"“{quote},” said {who}.")
        feed.append(ArticleInput(text="\n\n".join(paragraphs), url=f"https://news.example/report/{n}"))
    return feed


def seed_articles(seed_texts: dict[str, str]) -> list[ArticleInput]:
    """The seed corpus, each article with a URL of its own."""
    return [ArticleInput(text=t, url=f"file:///seeds/{name}") for name, t in seed_texts.items()]


def as_json(article: ArticleInput) -> dict[str, str | None]:
    """The body of ``POST /v1/articles`` (a line of a JSON-lines feed)."""
    return {"text": article.text, "url": article.url}


def write_jsonl(path: Path, feed: list[ArticleInput]) -> Path:
    path.write_text("".join(json.dumps(as_json(a)) + "\n" for a in feed), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Snapshot:
    """What a store holds, independent of ids and of the order articles came in: the articles by
    URL with their mention counts, and the claims as the groups of mentions (article URL, start,
    end) each holds."""

    mentions_per_article: dict[str, int]
    claims: frozenset[frozenset[tuple[str, int, int]]]
    duplicate_urls: int  # articles stored twice under one URL and text
    duplicate_claim_keys: int  # live claims sharing a kind and exact-text key

    def whole_articles_of(self, complete: Snapshot) -> list[str]:
        """URLs of the articles here whose mentions differ from ``complete``'s: partly stored."""
        return [u for u, n in self.mentions_per_article.items() if complete.mentions_per_article.get(u) != n]


def snapshot(database_url: str) -> Snapshot:
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            articles = connection.execute(text("SELECT id, url, content_hash FROM article")).all()
            rows = connection.execute(
                text(
                    'SELECT m.claim_id, a.url, m.start, m."end"'
                    " FROM mention m JOIN article a ON a.id = m.article_id"
                )
            ).all()
            duplicate_keys = connection.execute(
                text(
                    "SELECT COUNT(*) FROM (SELECT kind, key FROM claim WHERE merged_into_id IS NULL"
                    " GROUP BY kind, key HAVING COUNT(*) > 1) AS twice"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    groups: dict[int, set[tuple[str, int, int]]] = {}
    per_article = Counter[str]()
    for claim_id, url, start, end in rows:
        groups.setdefault(claim_id, set()).add((url, start, end))
        per_article[url] += 1
    stored = Counter((url, content_hash) for _, url, content_hash in articles)
    return Snapshot(
        mentions_per_article={url: per_article[url] for _, url, _ in articles},
        claims=frozenset(frozenset(g) for g in groups.values()),
        duplicate_urls=sum(n - 1 for n in stored.values()),
        duplicate_claim_keys=int(duplicate_keys),
    )


def sequential(database_url: str, feed: list[ArticleInput]) -> Snapshot:
    """What ingesting ``feed`` one article after another, in this process, stores."""
    engine = create_db_engine(database_url)
    registry = PluginRegistry.create(Settings(database_url=database_url), load_entrypoints=False)
    try:
        for _, result in ArticleService(engine, registry).ingest_many(enumerate(feed), workers=0):
            assert not isinstance(result, Exception), result
    finally:
        engine.dispose()
    return snapshot(database_url)


def stored_articles(database_url: str) -> int:
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT COUNT(*) FROM article")).scalar_one())
    finally:
        engine.dispose()


def wait_for_articles(database_url: str, count: int, within_s: float = 60) -> None:
    deadline = time.monotonic() + within_s
    while stored_articles(database_url) < count:
        assert time.monotonic() < deadline, f"fewer than {count} articles stored in {within_s} s"
        time.sleep(0.05)


def assert_whole(partial: Snapshot, complete: Snapshot) -> None:
    """Every article ``partial`` holds is stored once, with all its mentions."""
    assert partial.duplicate_urls == 0 and partial.duplicate_claim_keys == 0
    assert partial.whole_articles_of(complete) == []


def reference_store(folder: Path, template: Path) -> str:
    """An empty SQLite store in ``folder`` for the sequential run a test compares with."""
    path = folder / "reference.db"
    shutil.copy(template, path)
    return f"sqlite:///{path}"
