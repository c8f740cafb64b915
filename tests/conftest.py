"""Shared fixtures: stores on SQLite and PostgreSQL, a plugin registry, the seed corpus."""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import SQLModel

from provenance import keys
from provenance.api.app import create_app
from provenance.db import create_db_engine, upgrade
from provenance.keys import Scope
from provenance.plugins import PluginRegistry
from provenance.settings import Settings

EDITOR = "desk editor Ana Silva"
"""The name of the key the ``client`` fixture sends."""
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds-2022-09-15"
POSTGRES_URL = os.environ.get(
    "PROVENANCE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def empty_postgres(url: str) -> None:
    """Delete every row of every table of the store at ``url`` (PostgreSQL)."""
    engine = create_engine(url)
    tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


def postgres_admin() -> Engine:
    """An autocommit engine on the PostgreSQL server, or skip (fail under ``PROVENANCE_REQUIRE_POSTGRES``)."""
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError:
        engine.dispose()
        reason = (
            f"no PostgreSQL server answers at {POSTGRES_URL} "
            "(set PROVENANCE_TEST_POSTGRES_URL; .ci/run starts one)"
        )
        if os.environ.get("PROVENANCE_REQUIRE_POSTGRES"):
            pytest.fail(reason)
        pytest.skip(reason)
    return engine


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database of its own for this test session."""
    admin = postgres_admin()
    name = f"provenance_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    gc.collect()  # pooled connections of engines no test holds any more end cleanly, not at exit
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite store, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """An empty, migrated store: SQLite, then PostgreSQL (skipped where no server answers)."""
    if request.param == "sqlite":
        path = tmp_path / "store.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    empty_postgres(url)
    yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def registry(settings: Settings) -> PluginRegistry:
    """The built-in plugins only: installed entry points must not change test outcomes."""
    return PluginRegistry.create(settings, load_entrypoints=False)


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """The five seed articles by file name."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS}")
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("0*.txt"))}


def with_key(
    client: TestClient,  # type: ignore[type-arg]
    database_url: str,
    *scopes: Scope,
    name: str | None = None,
) -> TestClient:  # type: ignore[type-arg]
    """``client`` sending a key created in the store at ``database_url`` (admin unless ``scopes``
    say otherwise; named ``name``, else uniquely)."""
    engine = create_db_engine(database_url)
    try:
        _, token = keys.create(
            engine, name or f"test key {uuid.uuid4().hex[:8]}", set(scopes) or {Scope.ADMIN}
        )
    finally:
        engine.dispose()
    client.headers["Authorization"] = f"Bearer {token}"
    return client


@pytest.fixture
def client(settings: Settings, registry: PluginRegistry) -> Iterator[TestClient]:  # type: ignore[type-arg]
    """The API on the test store, through Litestar's test client, with an admin key named
    ``EDITOR`` (so editorial actions are recorded as taken by it)."""
    with with_key(TestClient(create_app(settings, registry)), settings.database_url, name=EDITOR) as client:
        yield client
