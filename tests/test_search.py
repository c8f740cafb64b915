"""The claim list's ``text`` and ``speaker`` filters go through the search indexes and find what
the plain ``ILIKE`` scan finds, on both stores, before and after ingest, merges and detaches."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, or_, select, text, update
from sqlmodel import Session, col

from provenance import search
from provenance.articles import ArticleInput
from provenance.db import session_scope
from provenance.models import Article, Claim, Mention, Speaker
from provenance.plugins import PluginRegistry
from provenance.queries import ClaimFilter, list_claims
from provenance.services import ArticleService, EditorialService

SPEAKERS = ["Jean-Luc Mélenchon", "ÉMILE ZOLA", "Dr. O'Neil", "Ana Silva", "the ministry"]
AS_WRITTEN = ["Mr Mélenchon", "Zola", "O’Neil", "ana silva", None, "a spokesman for the Ministry"]
TEXTS = [
    "We will not raise taxes",
    "WE WILL NOT raise taxes, ever",
    "Taxes: we will not raise them!",
    'He said "enough is enough" twice',
    "It is l'Élysée’s call, not ours",
    "l'élysée decides",
    "50% of homes, 1_200 in all",
    "Naïve café owners complained",
    "Straße closed (again)",
    "the ministry said nothing",
]
VALUES = [
    "will not",
    "WILL NOT RAISE",
    "taxes, ever",
    "axe",
    '"enough is enough"',
    "l'Élysée",
    "l'ÉLYSÉE",
    "élysée",
    "Élysée’s",
    "50%",
    "1_2",
    "% of",
    "naïve",
    "NAÏVE",
    "café",
    "straße",
    "(again)",
    "ab",
    "é",
    "nothing at all in here",
    "mélenchon",
    "MÉLENCHON",
    "Mélenchon",
    "zola",
    "o'neil",
    "O’Neil",
    "ministry",
    "spokesman",
    "ana silva",
    "Jean-Luc",
]
"""Cases, punctuation, accents (SQLite folds only ASCII letters, PostgreSQL all of them, as
``ILIKE`` always did on each), quotes, ``%`` and ``_`` (wildcards, as they always were), values
under three characters (the scan) and none found."""


def scanned(session: Session, filters: ClaimFilter) -> list[int]:
    """The claims ``filters`` select by the plain ``ILIKE`` scan."""
    conditions: list[Any] = [col(Claim.merged_into_id).is_(None)]
    if filters.text:
        conditions.append(col(Claim.text).ilike(f"%{filters.text}%"))
    if filters.speaker:
        pattern = f"%{filters.speaker}%"
        conditions.append(
            or_(
                col(Claim.speaker_id).in_(select(col(Speaker.id)).where(col(Speaker.name).ilike(pattern))),
                col(Claim.id).in_(
                    select(col(Mention.claim_id)).where(col(Mention.speaker_as_written).ilike(pattern))
                ),
            )
        )
    return list(session.execute(select(col(Claim.id)).where(*conditions).order_by(col(Claim.id))).scalars())


def assert_as_scanned(engine: Engine, values: list[str]) -> None:
    """Each value as ``text`` and as ``speaker`` lists what the scan finds, and the SQLite search
    tables are in step with their tables."""
    with Session(engine) as session:
        for value in values:
            for filters in (ClaimFilter(text=value), ClaimFilter(speaker=value)):
                claims, total = list_claims(session, filters, 1000, 0, sample=0)
                expected = scanned(session, filters)
                assert [c.id for c in claims] == expected and total == len(expected), filters
    if engine.dialect.name == "sqlite":
        with engine.begin() as connection:
            for table in ("search_claim_text", "search_speaker_name", "search_speaker_form_trigrams"):
                connection.execute(text(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')"))
            forms = connection.execute(text("SELECT form FROM search_speaker_form ORDER BY form")).scalars()
            written = connection.execute(
                text("SELECT DISTINCT speaker_as_written FROM mention WHERE speaker_as_written IS NOT NULL")
            ).scalars()
            assert list(forms) == sorted(written)


def store_claims(engine: Engine) -> None:
    """A claim per text, spoken by the speakers in turn, each with a mention whose speaker as
    written is another form (or none)."""
    with session_scope(engine) as session:
        speakers = [Speaker(name=name) for name in SPEAKERS]
        article = Article(text=" ".join(TEXTS), content_hash="h")
        session.add_all([*speakers, article])
        session.flush()
        for n, words in enumerate(TEXTS):
            claim = Claim(kind="quote", text=words, key=f"k{n}", speaker_id=speakers[n % len(speakers)].id)
            session.add(claim)
            session.flush()
            assert claim.id is not None and article.id is not None
            session.add(
                Mention(
                    claim_id=claim.id,
                    article_id=article.id,
                    text=words,
                    start=0,
                    end=len(words),
                    passage_start=0,
                    passage_end=len(words),
                    speaker_as_written=AS_WRITTEN[n % len(AS_WRITTEN)],
                    extractor="quotes",
                )
            )


def test_filters_find_what_the_scan_finds(engine: Engine) -> None:
    store_claims(engine)
    assert_as_scanned(engine, VALUES)
    with Session(engine) as session:
        claims, _ = list_claims(session, ClaimFilter(text="l'élysée", speaker="spokesman"), 10, 0)
    assert [c.text for c in claims] == ["l'élysée decides"]  # both filters: a claim meeting both


def test_renames_and_edits_keep_the_indexes_in_step(engine: Engine) -> None:
    store_claims(engine)
    with session_scope(engine) as session:
        session.execute(update(Claim).where(col(Claim.key) == "k0").values(text="We shall overcome"))
        session.execute(update(Speaker).where(col(Speaker.name) == "Ana Silva").values(name="Ana Souza"))
        session.execute(
            update(Mention).where(col(Mention.speaker_as_written) == "Zola").values(speaker_as_written="Nana")
        )
    assert_as_scanned(engine, ["will not", "overcome", "Silva", "Souza", "zola", "nana", "mélenchon"])


def test_the_indexed_path_is_taken(engine: Engine) -> None:
    """SQLite hands the ``LIKE`` to the FTS5 tables (``INDEX 0:L``); PostgreSQL's planner uses the
    trigram indexes (once sequential scans are off: a tiny table is read whole otherwise)."""
    store_claims(engine)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if not sqlite:
            connection.execute(text("SET enable_seqscan = off"))
        for value in ("taxes", "Silva"):
            plans = []
            for where in (
                search.text_condition(engine.dialect.name, value),
                search.speaker_condition(engine.dialect.name, value),
            ):
                compiled = select(col(Claim.id)).where(where).compile(connection)
                explain = "EXPLAIN QUERY PLAN" if sqlite else "EXPLAIN"
                params = compiled.params
                if compiled.positiontup:  # SQLite's qmark style
                    params = tuple(params[name] for name in compiled.positiontup)
                rows = connection.exec_driver_sql(f"{explain} {compiled}", params).all()
                plans.append("\n".join(str(row[-1]) for row in rows))
            if sqlite:
                assert "SCAN search_claim_text VIRTUAL TABLE INDEX 0:L" in plans[0]
                assert "SCAN search_speaker_name VIRTUAL TABLE INDEX 0:L" in plans[1]
                assert "SCAN search_speaker_form_trigrams VIRTUAL TABLE INDEX 0:L" in plans[1]
                assert "ix_search_mention_speaker_as_written" in plans[1]
                assert "SEARCH claim USING INTEGER PRIMARY KEY" in plans[1]  # claims found by key
                assert "SCAN claim" not in plans[1]  # never read whole for a speaker
            else:
                assert "ix_search_claim_text" in plans[0]
                assert "ix_search_speaker_name" in plans[1]
                assert "ix_search_mention_speaker_as_written" in plans[1]
    assert not search.indexable("ab") and not search.indexable("a%b_c") and search.indexable("a_bcd")


ARTICLES = [
    "“We will not raise taxes on working families,” said Ana Silva, the finance minister.",
    "Silva was blunt. “We will not raise taxes on working families,” the minister said.",
    "“Our schools need 1,200 more teachers this year,” said Jean-Luc Mélenchon on Tuesday.",
]


def test_ingest_merge_and_detach_keep_the_indexes_in_step(engine: Engine, registry: PluginRegistry) -> None:
    service = ArticleService(engine, registry)
    for n, words in enumerate(ARTICLES):
        service.ingest(ArticleInput(text=words, url=f"https://news.example/{n}"))
    values = ["raise taxes", "TEACHERS", "silva", "minister", "Mélenchon", "mélenchon", "1,200"]
    assert_as_scanned(engine, values)
    with Session(engine) as session:
        taxes = (
            session.execute(
                select(col(Claim.id)).where(col(Claim.text).contains("raise taxes")).order_by(col(Claim.id))
            )
            .scalars()
            .first()
        )
        schools = (
            session.execute(select(col(Claim.id)).where(col(Claim.text).contains("teachers")))
            .scalars()
            .first()
        )
    assert taxes is not None and schools is not None
    with Session(engine) as session:
        mention = (
            session.execute(
                select(col(Mention.id)).where(col(Mention.claim_id) == taxes).order_by(col(Mention.id).desc())
            )
            .scalars()
            .first()
        )
    assert mention is not None
    decisions = EditorialService(engine, registry)
    decisions.detach(mention, "an editor")
    assert_as_scanned(engine, values)
    with Session(engine) as session:
        claims, _ = list_claims(session, ClaimFilter(text="raise taxes"), 10, 0)
    assert len(claims) == 2  # the detached mention's claim is found too
    decisions.merge(taxes, claims[-1].id, "an editor")
    assert_as_scanned(engine, values)
    with Session(engine) as session:
        claims, _ = list_claims(session, ClaimFilter(text="raise taxes"), 10, 0)
    assert [c.id for c in claims] == [taxes]  # the merged claim is gone from the list


@pytest.mark.parametrize("value", ["ta", "%", "_", "a%"])
def test_short_values_scan_and_find_the_same(engine: Engine, value: str) -> None:
    store_claims(engine)
    assert_as_scanned(engine, [value])
