"""Migrations upgrade, downgrade and match the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from provenance import models  # noqa: F401  (registers the tables)
from provenance.db import alembic_config, database_url, downgrade, upgrade
from tests.conftest import postgres_admin

INITIAL_TABLES = {"article", "claim", "mention", "speaker", "speaker_alias", "claim_key"}
TABLES = INITIAL_TABLES | {
    "match_candidate",
    "claim_relation",
    "editorial_action",
    "match_rule",
    "claim_key_stop",
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


def tables(url: str) -> set[str]:
    engine = create_engine(database_url(url))
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


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
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO article (id, ingested_at, text, content_hash) "
                    "VALUES (1, '2024-01-01', 'x', 'h')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO claim (id, kind, text, key, created_at) "
                    "VALUES (1, 'quote', 'x', 'k', '2024-01-01')"
                )
            )
            connection.execute(
                text(
                    'INSERT INTO mention (id, claim_id, article_id, text, start, "end", extractor) '
                    "VALUES (1, 1, 1, 'x', 0, 1, 'quote')"
                )
            )
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
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations have drifted; generate a revision: {diff}"
