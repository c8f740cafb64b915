"""The stores' engines and writes: WAL checkpoints moved off the write path for long-running
SQLite writers, and driver-level inserts that store what SQLAlchemy would."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, insert, text
from sqlmodel import Session, col, select

from provenance.clock import as_utc
from provenance.db import (
    SQLITE_CHECKPOINT_EVERY_S,
    create_db_engine,
    insert_many,
    insert_rows,
    upgrade,
    writing,
)
from provenance.models import Claim


def rows_in_database_file(path: Path) -> int:
    """Rows of ``claim_key_stop`` in the database file itself, not counting the WAL."""
    connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)  # immutable: WAL unread
    try:
        return int(connection.execute("SELECT COUNT(*) FROM claim_key_stop").fetchone()[0])
    finally:
        connection.close()


def write_one_row(url: str, background_checkpoints: bool) -> tuple[Path, Engine]:
    engine = create_db_engine(url, background_checkpoints=background_checkpoints)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO claim_key_stop (key) VALUES (42)"))
    return Path(url.removeprefix("sqlite:///")), engine


def test_a_commit_leaves_its_pages_in_the_wal_without_background_checkpoints(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/store.db"
    upgrade(url)
    path, engine = write_one_row(url, background_checkpoints=False)
    time.sleep(4 * SQLITE_CHECKPOINT_EVERY_S)
    assert rows_in_database_file(path) == 0  # a small commit stays in the WAL until 1,000 pages
    engine.dispose()


def test_background_checkpoints_copy_the_wal_into_the_database_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/store.db"
    upgrade(url)
    before = set(threading.enumerate())
    path, engine = write_one_row(url, background_checkpoints=True)
    deadline = time.monotonic() + 40 * SQLITE_CHECKPOINT_EVERY_S
    while rows_in_database_file(path) == 0 and time.monotonic() < deadline:
        time.sleep(SQLITE_CHECKPOINT_EVERY_S / 2)
    assert rows_in_database_file(path) == 1

    (checkpoints,) = [t for t in set(threading.enumerate()) - before if t.name == "sqlite-checkpoints"]
    engine.dispose()
    checkpoints.join(timeout=10 * SQLITE_CHECKPOINT_EVERY_S)
    assert not checkpoints.is_alive(), "disposing the engine stops its checkpoints"


def test_driver_inserts_store_what_sqlalchemy_would(engine: Engine) -> None:
    """``insert_many`` (and ``insert_rows`` on SQLite) convert values with the columns' own bind
    processors: a timestamp, a float and a missing value read back as SQLAlchemy stored them."""
    moment = datetime(2022, 9, 15, 13, 40, 5, 123456, tzinfo=UTC)
    row = {
        "kind": "figure",
        "text": "Fifteen heads of state",
        "key": "k1",
        "value": 15,  # an int for a Float column: the processor makes it 15.0
        "unit": None,
        "first_seen_at": moment,
        "created_at": moment,
    }
    with writing(engine) as session:
        session.execute(insert(Claim), [{**row, "key": "by-sqlalchemy"}])
        (driver_id,) = insert_rows(session.connection(), Claim, [{**row, "key": "by-driver"}])
        insert_many(session.connection(), Claim, [{**row, "key": "by-insert-many"}])
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT key, id, value, unit, first_seen_at, created_at FROM claim ORDER BY id")
        ).all()
    assert [r[0] for r in stored] == ["by-sqlalchemy", "by-driver", "by-insert-many"]
    assert stored[1][1] == driver_id
    assert {tuple(r[2:]) for r in stored} == {tuple(stored[0][2:])}  # the same stored values, byte for byte
    with Session(engine) as session:
        claims = session.exec(select(Claim).order_by(col(Claim.id))).all()
    assert {(c.value, c.unit, as_utc(c.first_seen_at)) for c in claims} == {(15.0, None, moment)}
