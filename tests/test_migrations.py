"""Migrations upgrade, downgrade and match the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text
from sqlmodel import Session, SQLModel

from provenance import models  # noqa: F401  (registers the tables)
from provenance.db import alembic_config, database_url, downgrade, upgrade
from provenance.queries import ClaimFilter, list_claims
from provenance.search import is_search_object
from tests.conftest import postgres_admin

INITIAL_TABLES = {"article", "claim", "mention", "speaker", "speaker_alias", "claim_key"}
TABLES = INITIAL_TABLES | {
    "match_candidate",
    "claim_relation",
    "editorial_action",
    "match_rule",
    "claim_key_stop",
    "api_key",
    "webhook",
    "outbox_event",
    "webhook_delivery",
    "webhook_attempt",
    "job",
    "job_item",
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store with no tables at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin = postgres_admin()
    name = f"provenance_migrations_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def leave_out_search(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate's filter: the search tables and indexes are raw SQL (see ``migrations/env.py``)."""
    return not (type_ in ("table", "index") and is_search_object(name))


def tables(url: str) -> set[str]:
    """The store's tables but the search ones (whose names depend on the store)."""
    engine = create_engine(database_url(url))
    try:
        names = set(inspect(engine).get_table_names()) - {"alembic_version"}
        return {name for name in names if not is_search_object(name)}
    finally:
        engine.dispose()


def store_one_mention(engine: Engine, article_text: str, start: int, end: int) -> None:
    """Article 1 holding claim 1's mention 1 at ``start:end``, in the columns of revision 0001."""
    words = article_text[start:end]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO article (id, ingested_at, text, content_hash) VALUES (1, '2024-01-01', :t, 'h')"
            ),
            {"t": article_text},
        )
        connection.execute(
            text(
                "INSERT INTO claim (id, kind, text, key, created_at) "
                "VALUES (1, 'quote', :w, 'k', '2024-01-01')"
            ),
            {"w": words},
        )
        connection.execute(
            text(
                'INSERT INTO mention (id, claim_id, article_id, text, start, "end", extractor) '
                "VALUES (1, 1, 1, :w, :start, :end, 'quote')"
            ),
            {"w": words, "start": start, "end": end},
        )


def test_single_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()) == 1


def test_upgrade_downgrade_upgrade(empty_store: str) -> None:
    upgrade(empty_store)
    assert tables(empty_store) == TABLES
    downgrade(empty_store, "base")
    assert tables(empty_store) == set()
    upgrade(empty_store)
    assert tables(empty_store) == TABLES


def test_0002_keeps_the_mentions_of_0001_both_ways(empty_store: str) -> None:
    upgrade(empty_store, "0001")
    assert tables(empty_store) == INITIAL_TABLES
    engine = create_engine(database_url(empty_store))
    try:
        store_one_mention(engine, "x", 0, 1)
        upgrade(empty_store, "0002")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT matcher_version, threshold FROM mention")).all() == [
                (None, None)
            ]
        downgrade(empty_store, "0001")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id, claim_id FROM mention")).all() == [(1, 1)]
        assert tables(empty_store) == INITIAL_TABLES
    finally:
        engine.dispose()


def test_models_match_the_migrated_schema(empty_store: str) -> None:
    upgrade(empty_store)
    engine = create_engine(database_url(empty_store))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": leave_out_search})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations have drifted; generate a revision: {diff}"


def test_0003_keeps_articles_both_ways_and_refuses_to_drop_versions(empty_store: str) -> None:
    upgrade(empty_store, "0002")
    engine = create_engine(database_url(empty_store))
    insert = (
        "INSERT INTO article (id, url, ingested_at, text, content_hash) "
        "VALUES (:id, :url, '2024-01-01', 'x', :h)"
    )
    try:
        with engine.begin() as connection:
            connection.execute(text(insert), {"id": 1, "url": "https://a.example/1", "h": "h1"})
        upgrade(empty_store, "0003")
        with engine.begin() as connection:
            assert connection.execute(text("SELECT id, version, copy_of_id FROM article")).all() == [
                (1, 1, None)
            ]
            connection.execute(text(insert), {"id": 2, "url": "https://b.example/2", "h": "h1"})
            connection.execute(text("UPDATE article SET copy_of_id = 1 WHERE id = 2"))
        with pytest.raises(RuntimeError, match="1 article versions or copies"):
            downgrade(empty_store, "0002")
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM article WHERE id = 2"))
        downgrade(empty_store, "0002")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id, url FROM article")).all() == [
                (1, "https://a.example/1")
            ]
    finally:
        engine.dispose()


def test_0004_makes_each_stored_mention_its_own_passage_and_downgrades(empty_store: str) -> None:
    upgrade(empty_store, "0003")
    engine = create_engine(database_url(empty_store))
    try:
        store_one_mention(engine, "a quote here", 2, 7)
        upgrade(empty_store, "0004")
        with engine.connect() as connection:
            passages = connection.execute(text("SELECT passage_start, passage_end FROM mention")).all()
            assert passages == [(2, 7)]
            assert [c["name"] for c in inspect(connection).get_columns("claim_relation")][-1] == "score"
        downgrade(empty_store, "0003")
        with engine.connect() as connection:
            assert "passage_start" not in {c["name"] for c in inspect(connection).get_columns("mention")}
            assert connection.execute(text('SELECT id, start, "end" FROM mention')).all() == [(1, 2, 7)]
    finally:
        engine.dispose()


def test_0005_reads_stored_claims_as_words(empty_store: str) -> None:
    upgrade(empty_store, "0003")
    engine = create_engine(database_url(empty_store))
    try:
        store_one_mention(engine, "He said “We will stay,” and left.", 8, 23)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO claim (id, kind, text, key, created_at) "
                    "VALUES (2, 'figure', '1,200 homes', 'k2', '2024-01-01')"
                )
            )
        upgrade(empty_store, "0005")
        with engine.connect() as connection:
            texts = connection.execute(text("SELECT id, text FROM claim ORDER BY id")).all()
            printed = connection.execute(text("SELECT text FROM mention")).scalar_one()
        assert texts == [(1, "We will stay"), (2, "1,200 homes")] and printed == "“We will stay,”"
        downgrade(empty_store, "0004")  # the words stay
        upgrade(empty_store, "0005")
    finally:
        engine.dispose()


def search_objects(url: str) -> set[str]:
    """The search tables and indexes (revision 0009) in the store at ``url``."""
    engine = create_engine(database_url(url))
    try:
        inspector = inspect(engine)
        names = set(inspector.get_table_names())
        for table in ("claim", "speaker", "mention"):
            names |= {index["name"] or "" for index in inspector.get_indexes(table)}
        return {name for name in names if is_search_object(name)}
    finally:
        engine.dispose()


def test_0009_indexes_stored_rows_and_downgrades(empty_store: str) -> None:
    upgrade(empty_store, "0003")
    engine = create_engine(database_url(empty_store))
    try:
        store_one_mention(engine, "We will stay", 0, 12)
        upgrade(empty_store, "0008")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO speaker (id, name) VALUES (1, 'Ana Silva')"))
            connection.execute(text("UPDATE claim SET speaker_id = 1"))
            connection.execute(text("UPDATE mention SET speaker_as_written = 'Mrs Silva'"))
        assert search_objects(empty_store) == set()
        upgrade(empty_store, "0009")
        if engine.dialect.name == "sqlite":
            assert search_objects(empty_store) >= {
                "search_claim_text",
                "search_speaker_name",
                "search_speaker_form",
                "search_speaker_form_trigrams",
                "ix_search_mention_speaker_as_written",
            }
        else:
            assert search_objects(empty_store) == {
                "ix_search_claim_text",
                "ix_search_speaker_name",
                "ix_search_mention_speaker_as_written",
            }
        with Session(engine) as session:
            for filters in (ClaimFilter(text="WILL st"), ClaimFilter(speaker="mrs sil")):
                assert [c.id for c in list_claims(session, filters, 10, 0)[0]] == [1], filters
        downgrade(empty_store, "0008")
        assert search_objects(empty_store) == set()
        with engine.begin() as connection:  # no trigger left behind
            connection.execute(text("UPDATE claim SET text = 'We will go'"))
            connection.execute(text("DELETE FROM mention"))
        upgrade(empty_store, "0009")
    finally:
        engine.dispose()
