"""Linking on real news: the ECB+ development set and the seed corpus in one fresh store, scored
from the JSON report (what an analyst reads). Prints tables.

    .venv/bin/python -m bench.linking [--store sqlite|postgres]

Every article of ``../shared/corpus/ecbplus-links/docs.jsonl`` (486 web articles, 43 events) and
the five seed articles are ingested as ``provenance ingest`` does. Then, for each of the 223
labelled pairs (the same quotation printed in two articles; see that folder's README), each quote
is found among its article's mentions in the report (a mention holds the quote when one's words
contain the other's), and:

- **pair recall**: the share of pairs whose two quotes are on one claim, or on two claims the
  report relates as excerpt and whole (``part_of``/``contains``);
- **false links**: quotes of different groups, in different articles, on one claim (target 0);
- **largest quote claim**: the most articles on one quote claim (a chain of weak links shows);
- **seed claims mixed**: claims with mentions in both a seed article and an ECB+ one (target 0);
- **figure claims spanning two topics**: a figure claim in articles about unrelated stories (the
  seeds are one more topic), which should never share one (target 0); and those spanning the two
  events of one topic (two similar stories, which may report the same fact: read them);
- the seeds' claims printed in more than one seed article, beside them.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

from bench.server import fresh_store
from provenance.articles import ArticleInput, IngestResult
from provenance.db import create_db_engine
from provenance.domain import Report
from provenance.plugins import PluginRegistry
from provenance.queries import ClaimFilter, stream_report
from provenance.services import ArticleService
from provenance.settings import Settings
from provenance.text import normalize

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
ECB = SHARED / "ecbplus-links"
SEEDS = SHARED / "seeds-2022-09-15"


def articles() -> Iterator[tuple[str, ArticleInput]]:
    """The seed articles, then every ECB+ article, each keyed by where it came from."""
    for path in sorted(SEEDS.glob("0*.txt")):
        yield f"seed:{path.stem}", ArticleInput(text=path.read_text(), url=path.resolve().as_uri())
    for line in (ECB / "docs.jsonl").read_text().splitlines():
        record = json.loads(line)
        url = record["url"] or f"https://ecbplus.example/{record['doc']}"
        yield record["doc"], ArticleInput(text=record["text"], url=f"{url}#{record['doc']}")


def ecb_events() -> dict[str, str]:
    """Each ECB+ article's event (two events of one topic are two different stories)."""
    records = (json.loads(line) for line in (ECB / "docs.jsonl").read_text().splitlines())
    return {record["doc"]: record["event"] for record in records}


def report_claims(url: str) -> list[dict[str, Any]]:
    """The JSON report's claims, as the JSON exporter writes them."""
    engine = create_db_engine(url)
    registry = PluginRegistry.create(Settings(database_url=url), load_entrypoints=False)
    exporter = registry.exporter("json")
    assert exporter is not None
    document = b"".join(exporter.export(Report(datetime.now(UTC), stream_report(engine, ClaimFilter()))))
    engine.dispose()
    claims: list[dict[str, Any]] = json.loads(document)["claims"]
    return claims


def holders(claims: list[dict[str, Any]], article_id: int, quote: str) -> set[int]:
    """The quote claims holding ``quote`` in one article: a mention's words in the quote's, or
    the quote's in the mention's."""
    words = normalize(quote)
    return {
        c["id"]
        for c in claims
        if c["kind"] != "figure"
        for m in c["mentions"]
        if m["article"]["id"] == article_id
        and (normalize(m["text"]) in words or words in normalize(m["text"]))
        and normalize(m["text"])
    }


def print_miss(pair: dict[str, Any], claims: list[dict[str, Any]], held: set[int]) -> None:
    """One missed pair: its two quotes, then each claim holding either, with its mentions' speakers."""
    print(f"\nMISS {pair['a']['doc']} / {pair['b']['doc']}")
    for side in ("a", "b"):
        print(f"  {side}: {pair[side]['quote'][:110]!r}")
    for claim in claims:
        if claim["id"] in held:
            print(f"  claim {claim['id']} [{claim['kind']}] {claim['text'][:90]!r}")
            for m in claim["mentions"]:
                speaker = m["resolved_speaker"] and m["resolved_speaker"]["name"]
                print(f"    article {m['article']['id']}: speaker {m['speaker']!r} -> {speaker!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--misses", action="store_true", help="print each missed pair with its claims")
    args = parser.parse_args()
    with fresh_store(args.store) as url:  # a fresh, migrated store, dropped afterwards
        engine = create_db_engine(url, background_checkpoints=True)
        registry = PluginRegistry.create(Settings(database_url=url), load_entrypoints=False)
        ids: dict[str, int] = {}
        for where, result in ArticleService(engine, registry).ingest_many(articles(), workers=1):
            assert isinstance(result, IngestResult), f"{where}: {result}"
            ids[where] = result.article_id
        engine.dispose()
        claims = report_claims(url)

    pairs = [json.loads(line) for line in (ECB / "pairs.jsonl").read_text().splitlines()]
    related = {
        (c["id"], r["claim_id"]) for c in claims for r in c["related"] if r["relation"] != "conflicts_with"
    }
    quotes: dict[tuple[str, str], tuple[str, set[int]]] = {}  # (doc, quote) -> (group, claims)
    found = 0
    missing = 0
    for pair in pairs:
        sides = []
        for side in (pair["a"], pair["b"]):
            held = holders(claims, ids[side["doc"]], side["quote"])
            quotes[side["doc"], side["quote"]] = (pair["group"], held)
            sides.append(held)
        a, b = sides
        missing += not a or not b
        linked = bool(a & b or any((x, y) in related for x in a for y in b))
        found += linked
        if args.misses and not linked:
            print_miss(pair, claims, a | b)
    apart = [
        (ca, cb)
        for (qa, (ga, ca)), (qb, (gb, cb)) in combinations(quotes.items(), 2)
        if ga != gb and qa[0] != qb[0]
    ]
    false_links = sum(1 for ca, cb in apart if ca & cb)
    false_relations = sum(1 for ca, cb in apart if any((x, y) in related for x in ca for y in cb))
    seed_ids = {i for where, i in ids.items() if where.startswith("seed:")}
    events = {ids[doc]: event for doc, event in ecb_events().items()}

    def stories(claim: dict[str, Any], of: Callable[[str], str]) -> set[str]:
        return {of(events.get(m["article"]["id"], "seed")) for m in claim["mentions"]}

    figure_claims = [c for c in claims if c["kind"] == "figure"]
    across_topics = [c for c in figure_claims if len(stories(c, lambda event: event.split("_")[0])) > 1]
    across_events = [c for c in figure_claims if len(stories(c, str)) > 1 and c not in across_topics]
    quote_claims = [c for c in claims if c["kind"] != "figure"]
    largest = max(quote_claims, key=lambda c: len({m["article"]["id"] for m in c["mentions"]}))
    mixed = [
        c
        for c in claims
        if {m["article"]["id"] for m in c["mentions"]} & seed_ids
        and {m["article"]["id"] for m in c["mentions"]} - seed_ids
    ]
    print(f"\n{len(ids)} articles ingested ({len(seed_ids)} seeds), {len(claims)} claims in the report\n")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| pair recall | {found / len(pairs):.3f} ({found} of {len(pairs)}) | ≥ 0.97 |")
    print(f"| pairs with a quote not found among the mentions | {missing} | 0 |")
    print(f"| false links (quotes of different groups on one claim) | {false_links} | 0 |")
    print(f"| false relations (quotes of different groups as excerpt and whole) | {false_relations} | 0 |")
    articles_on_largest = len({m["article"]["id"] for m in largest["mentions"]})
    print(f"| largest quote claim | {articles_on_largest} articles: {largest['text'][:60]!r} | |")
    print(f"| claims mixing a seed article with an ECB+ one | {len(mixed)} | 0 |")
    for c in mixed:
        print(f"|  mixed: [{c['kind']}] {c['text'][:60]!r} | | |")
    print(f"| figure claims spanning two topics (of {len(figure_claims)}) | {len(across_topics)} | 0 |")
    print(f"| figure claims spanning the two events of one topic | {len(across_events)} | read them |")
    if args.misses:
        for c in across_topics + across_events:
            print(f"|  {c['text']!r} in {sorted(stories(c, str))} | | |")
    seeds_shared = defaultdict(set)
    for c in claims:
        seen = {m["article"]["id"] for m in c["mentions"]} & seed_ids
        if len(seen) > 1:
            seeds_shared[c["kind"]].add((len(seen), c["text"][:70]))
    print("\nSeed claims printed in more than one seed article:")
    for kind, shared in sorted(seeds_shared.items()):
        for count, text in sorted(shared, reverse=True):
            print(f"  [{kind}] {count} articles: {text}")


if __name__ == "__main__":
    main()
