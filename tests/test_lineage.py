"""The provenance graph on both stores: appearances with wording diffs, copies and rewrites,
excerpts, conflicting figures, and the same result whatever the ingest order or concurrency."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from provenance.articles import ArticleInput
from provenance.db import create_db_engine, upgrade
from provenance.domain import ClaimKind, ClaimText
from provenance.lineage import claim_provenance, related_articles, word_changes
from provenance.models import Claim, ClaimRelation, Mention
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService
from provenance.settings import Settings
from provenance.text import normalize
from tests.conftest import empty_postgres
from tests.test_ingest import all_claims, find, ingest

SEED_ORDER = [
    "001_d43e4ba3b98ca47f.txt",
    "000_13b5eb0d5458f789.txt",
    "002_a135feee11866434.txt",
    "003_21813e5746ce38d4.txt",
    "004_6c7625486aecb8cd.txt",
]


def seed_with_times(
    engine: Engine, registry: PluginRegistry, seed_texts: dict[str, str], order: list[str]
) -> dict[str, int]:
    """The seeds as a newsroom gets them: 001 published first, then 000 (its rewrite), then the rest."""
    ids = {}
    for name in order:
        hour = SEED_ORDER.index(name)
        published = datetime(2022, 9, 15, 12 + hour, tzinfo=UTC)
        ids[name] = ingest(
            engine, registry, seed_texts[name], url=f"file:///seeds/{name}", published_at=published
        ).article_id
    return ids


def test_word_changes_show_what_a_variant_changed() -> None:
    changes = word_changes(
        "We highly appreciate the balanced position", "We highly value the well-balanced position"
    )
    assert [(c.op, c.first, c.this) for c in changes] == [
        ("replace", "appreciate", "value"),
        ("replace", "balanced", "well-balanced"),
    ]
    assert word_changes("same words here", "same words here") == []
    # quote-mark style, a trailing comma, a dash and spacing are not changes of wording
    assert word_changes("“We will not move,” — ever", '"We  will not move" ever.') == []
    assert [(c.op, c.first, c.this) for c in word_changes("“We will not move,”", "We will move")] == [
        ("delete", "not", "")
    ]


def test_balanced_position_has_four_appearances_with_diffs(
    engine: Engine, registry: PluginRegistry, seed_texts: dict[str, str]
) -> None:
    ids = seed_with_times(engine, registry, seed_texts, SEED_ORDER)
    (claim,) = find(all_claims(engine), "balanced position of our chinese friends")
    with Session(engine) as session:
        provenance = claim_provenance(session, claim.id)
    assert provenance is not None
    appearances = provenance.appearances
    assert [a.article.id for a in appearances] == [ids[n] for n in SEED_ORDER[:4]]
    assert all(a.time_basis == "published" for a in appearances)
    assert provenance.first_appearance == appearances[0] and appearances[0].same_wording
    assert all(not a.same_wording and a.changes for a in appearances[1:])
    first = appearances[0].text
    for a in appearances[1:]:  # the diff rebuilds each variant from the first wording
        assert {c.this for c in a.changes if c.op != "delete"} <= set(a.text.split()) | {
            c.this for c in a.changes if " " in c.this
        }
        assert all(c.first in first for c in a.changes)


def test_seed_000_is_flagged_as_a_rewrite_of_001(
    engine: Engine, registry: PluginRegistry, seed_texts: dict[str, str]
) -> None:
    ids = seed_with_times(engine, registry, seed_texts, SEED_ORDER)
    with Session(engine) as session:
        related = related_articles(session, ids["000_13b5eb0d5458f789.txt"])
        unknown = related_articles(session, 10_000)
    assert unknown is None and related
    top = related[0]
    assert top.article.id == ids["001_d43e4ba3b98ca47f.txt"]
    assert (top.relation, top.earlier) == ("rewrite", "other")
    assert top.share_of_this >= 0.5 and top.order >= 0.8 and top.shared_claims >= 10
    assert any("balanced" in e.this_text and "balanced" in e.other_text for e in top.evidence)
    others = [r for r in related if r.article.id != ids["001_d43e4ba3b98ca47f.txt"]]
    assert others and all(r.relation == "shares_claims" for r in others)


def test_a_verbatim_copy_is_a_copy_and_the_original_knows_it(
    engine: Engine, registry: PluginRegistry
) -> None:
    story = (
        "“We will reopen the northern line by March,” transport minister Ilse Varga said on Monday. "
        "“The repairs cost more than we planned, but the bridge is safe,” she said. "
        "The opposition said the delay had cost commuters dearly over the whole winter season. "
        "“Nobody has told us when the buses will stop,” said Anton Reyes, who commutes from Kettering."
    )
    original = ingest(engine, registry, story, published_at=datetime(2024, 1, 1, 9, tzinfo=UTC)).article_id
    copied = ingest(
        engine,
        registry,
        "Rail news. " + story + " Subscribe.",
        published_at=datetime(2024, 1, 1, 11, tzinfo=UTC),
    ).article_id
    with Session(engine) as session:
        (of_copy,) = related_articles(session, copied) or []
        (of_original,) = related_articles(session, original) or []
    assert (of_copy.relation, of_copy.earlier, of_copy.same_wording) == ("copy", "other", 1.0)
    assert (of_original.relation, of_original.earlier) == ("copy", "this")


def test_an_excerpt_is_related_to_the_full_quote_in_either_order(
    engine: Engine, registry: PluginRegistry
) -> None:
    full = (
        "“The West wants to create a unipolar world and keep its grip on every region of the planet,” "
        "the foreign minister said."
    )
    fragment = "The minister accused the West of seeking “to create a unipolar world” in a speech on Friday."
    ingest(engine, registry, fragment)
    ingest(engine, registry, full)
    with Session(engine) as session:
        (relation,) = session.execute(select(ClaimRelation)).scalars().all()
        part, whole = (
            session.get_one(Claim, relation.claim_id),
            session.get_one(Claim, relation.related_claim_id),
        )
        assert relation.kind == "part_of"
        assert normalize(part.text) == "to create a unipolar world" and "planet" in whole.text
        provenance = claim_provenance(session, whole.id)
        assert provenance is not None
        assert [(r.kind, r.claim_id) for r in provenance.related] == [("contains", part.id)]


def test_conflicting_figures_are_flagged(engine: Engine, registry: PluginRegistry) -> None:
    ingest(
        engine, registry, "Fifteen heads of state attended the summit in Samarkand on Friday, officials said."
    )
    ingest(engine, registry, "Sixteen heads of state attended the summit in Samarkand on Friday.")
    ingest(engine, registry, "Sixteen heads of state signed the water treaty in Geneva in 2019.")
    with Session(engine) as session:
        relations = session.execute(select(ClaimRelation)).scalars().all()
    assert [(r.kind, r.detail.split(";")[0]) for r in relations] == [
        ("conflicts_with", "16 vs 15 heads of state")
    ]


def snapshot(engine: Engine) -> dict[frozenset[str], str]:
    """Each claim as the set of "article URL|normalised wording" that carry it, with the URL of
    its first appearance."""
    return {
        frozenset(f"{m.article.url}|{normalize(m.text)}" for m in c.mentions): str(c.mentions[0].article.url)
        for c in all_claims(engine)
        if c.mentions
    }


def test_any_ingest_order_gives_the_same_claims_and_first_appearances(
    settings: Settings,
    registry: PluginRegistry,
    seed_texts: dict[str, str],
    tmp_path,
    database_url: str,  # type: ignore[no-untyped-def]
) -> None:
    results = []
    for n, order in enumerate([SEED_ORDER, SEED_ORDER[::-1], random.Random(7).sample(SEED_ORDER, 5)]):
        url = f"sqlite:///{tmp_path / f'order{n}.db'}" if database_url.startswith("sqlite") else None
        if url is None:  # one PostgreSQL store: start it empty for each order
            url = database_url
            empty_postgres(url)
        else:
            upgrade(url)
        engine = create_db_engine(url)
        try:
            seed_with_times(engine, registry, seed_texts, order)
            results.append(snapshot(engine))
        finally:
            engine.dispose()
    assert results[0] == results[1] == results[2]


def test_concurrent_ingests_create_no_duplicate_claims_and_lose_no_mentions(
    engine: Engine, registry: PluginRegistry
) -> None:
    quote = "“We will not raise the fuel tax this year or the next, whatever the deficit,” the minister said."
    texts = [f"Report {n} from the capital. {quote} Markets closed {n} points higher." for n in range(8)]
    errors: list[BaseException] = []

    def worker(chunk: list[str]) -> None:
        try:
            for text in chunk:
                ArticleService(engine, registry).ingest(ArticleInput(text=text))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(texts[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Session(engine) as session:
        quote_claims = session.execute(
            select(Claim.id).where(Claim.text.contains("fuel tax"))  # type: ignore[attr-defined]
        ).all()
        mentions = session.execute(
            select(func.count())
            .select_from(Mention)
            .where(
                Mention.text.contains("fuel tax")  # type: ignore[attr-defined]
            )
        ).scalar_one()
    assert len(quote_claims) == 1 and mentions == 8


def _ingest_in_a_process(url: str, texts: list[str]) -> int:
    engine = create_db_engine(url)
    registry = PluginRegistry.create(Settings(database_url=url))
    try:
        for text in texts:
            ArticleService(engine, registry).ingest(ArticleInput(text=text))
    finally:
        engine.dispose()
    return len(texts)


def test_concurrent_processes_create_no_duplicate_claims(engine: Engine, database_url: str) -> None:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    quote = (
        "“The port will stay open through the strike, whatever the unions decide,” the harbour master said."
    )
    texts = [f"Dispatch {n} from the coast. {quote} Ships waited {n} hours." for n in range(6)]
    with ProcessPoolExecutor(3, mp_context=get_context("spawn")) as pool:
        assert sum(pool.map(_ingest_in_a_process, [database_url] * 3, [texts[i::3] for i in range(3)])) == 6
    with Session(engine) as session:
        claims = session.execute(select(Claim.id).where(Claim.text.contains("port will stay open"))).all()  # type: ignore[attr-defined]
        mentions = session.execute(
            select(func.count()).select_from(Mention).where(Mention.text.contains("port will stay open"))  # type: ignore[attr-defined]
        ).scalar_one()
    assert len(claims) == 1 and mentions == 6


def test_a_cluster_does_not_drift_by_chaining(engine: Engine, registry: PluginRegistry) -> None:
    first = "the new bridge over the river will open to traffic in the spring after years of delay"
    close = "the new bridge across the river will open to cars in the spring after years of delay"
    drifted = "the new crossing across the river will open to cars in the summer after years of waiting"
    fuzzy = registry.matchers["fuzzy"]
    score = lambda a, b: fuzzy.score(*(ClaimText(ClaimKind.QUOTE, t) for t in (a, b))).score  # type: ignore[union-attr]  # noqa: E731
    assert score(first, close) >= 0.8 and score(close, drifted) >= 0.8 > score(first, drifted)
    ids = [
        quote_claim_of(
            ingest(engine, registry, f"Report {n}. “{text},” the engineer said.").article_id, engine
        )
        for n, text in enumerate((first, close, drifted))
    ]
    assert ids[0] == ids[1] != ids[2]  # the third matches the second's words, not the claim's


def quote_claim_of(article_id: int, engine: Engine) -> int:
    with Session(engine) as session:
        (claim_id,) = session.execute(
            select(Mention.claim_id).where(Mention.article_id == article_id, Mention.extractor == "quote")
        ).scalars()
    return int(claim_id)


def test_a_sentence_a_rewrite_rewords_is_linked_to_the_claim_it_rewords(
    engine: Engine, registry: PluginRegistry
) -> None:
    said = "Mayor Lena Brandt said that the council will step up to the task this winter."
    story = (
        "“We will reopen the northern line by March,” transport minister Ilse Varga said on Monday. "
        "“The repairs cost more than we planned, but the bridge is safe,” she said. "
        "“Nobody has told us when the buses will stop,” said Anton Reyes, who commutes from Kettering. "
        + said
    )
    reworded = "Mayor Lena Brandt said the council would rise to the challenge this winter."
    source = ingest(engine, registry, story).article_id
    rewrite = ingest(engine, registry, "Rail news. " + story.replace(said, reworded)).article_id
    elsewhere = ingest(
        engine, registry, f"Snow fell overnight across the region. {reworded} Schools stayed open."
    ).article_id
    with Session(engine) as session:
        brandt = {
            m.article_id: m
            for m in session.execute(select(Mention).where(Mention.text.startswith("the council"))).scalars()  # type: ignore[attr-defined]
        }
    assert brandt[rewrite].claim_id == brandt[source].claim_id  # a rewrite's rewording: one claim
    assert brandt[rewrite].threshold == registry.settings.fuzzy_suggest_threshold
    assert brandt[elsewhere].claim_id != brandt[source].claim_id  # the same words elsewhere: suggested only
