"""The SQLite store's engine: WAL checkpoints moved off the write path for long-running writers."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import Engine, text

from provenance.db import SQLITE_CHECKPOINT_EVERY_S, create_db_engine, upgrade


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
