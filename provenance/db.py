"""Engines, sessions and migrations for the two supported stores: SQLite (default) and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Dialect, Engine, Table, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session, SQLModel

import provenance
from provenance.settings import Settings

INGEST_LOCK_ID = 0x70726F76  # "prov": serialises linking on PostgreSQL
SQLITE_CACHE_KIB = 64 * 1024  # page cache per connection
SQLITE_MMAP_BYTES = 1 << 30  # address space mapped per connection (not memory used)
SQLITE_CHECKPOINT_EVERY_S = 0.25  # background checkpoints: how often the WAL is copied back
SQLITE_WAL_CEILING_PAGES = 10_000  # background checkpoints: a commit checkpoints itself past this (40 MB)
IN_CHUNK = 900
"""Values per ``IN`` list a statement binds: far under SQLite's 32,766 parameters, with room for
two such lists and a few more in one statement."""
_WRITE_LOCK = "provenance_write_lock"  # execution option: open the SQLite transaction with the write lock


def database_url(url: str) -> URL:
    """``url`` parsed, with a bare ``postgresql://`` pointed at the psycopg 3 driver."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+psycopg") if parsed.drivername == "postgresql" else parsed


def create_db_engine(
    url: str, background_checkpoints: bool = False, settings: Settings | None = None
) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout on every connection.

    The connection pool is sized by ``settings`` (``db_pool_size``, ``db_max_overflow``,
    ``db_pool_timeout``; the defaults without it). PostgreSQL connections are tested before use
    (``pool_pre_ping``), so connections a restarted server dropped are replaced instead of failing
    a request, and a connection attempt gives up after ``db_connect_timeout``.

    ``background_checkpoints`` is for long-running writers (the API, bulk ingest) on a SQLite
    file: a thread copies the WAL back into the database file every
    :data:`SQLITE_CHECKPOINT_EVERY_S`, instead of the commit that passes SQLite's 1,000 pages
    doing it (and syncing the file) while the write lock is held. The thread stops when the
    engine is disposed. Past :data:`SQLITE_WAL_CEILING_PAGES`, commits checkpoint as usual.
    """
    parsed = database_url(url)
    settings = settings or Settings()
    pool = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout,
    }
    if parsed.get_backend_name() != "sqlite":
        return create_engine(
            parsed, pool_pre_ping=True, connect_args={"connect_timeout": settings.db_connect_timeout}, **pool
        )

    on_file = parsed.database not in (None, "", ":memory:")
    engine = create_engine(
        parsed, connect_args={"check_same_thread": False, "timeout": 30}, **(pool if on_file else {})
    )
    in_background = background_checkpoints and on_file

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event open transactions
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never corrupt
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")  # the index's hot pages stay in memory
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")  # reads straight from the page cache
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if in_background:
            cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_WAL_CEILING_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection: Any) -> None:
        writing = connection.get_execution_options().get(_WRITE_LOCK, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    if in_background:
        assert parsed.database is not None
        stopped = threading.Event()
        threading.Thread(
            target=_checkpoint_until, args=(parsed.database, stopped), name="sqlite-checkpoints", daemon=True
        ).start()
        event.listen(engine, "engine_disposed", lambda _engine: stopped.set())
    return engine


def _checkpoint_until(database: str, stopped: threading.Event) -> None:
    """Checkpoint the WAL of ``database`` (passively: never waiting on readers or writers) until
    ``stopped`` is set."""
    connection = sqlite3.connect(database, timeout=30, check_same_thread=False)
    try:
        while not stopped.wait(SQLITE_CHECKPOINT_EVERY_S):
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        connection.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose work commits on success and rolls back entirely on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """A transaction that links claims (ingest, editorial actions): it takes the linking lock as
    its first statement, so concurrent writers never create the same claim twice, and commits on
    success or rolls back entirely on any error.

    SQLite opens the transaction with ``BEGIN IMMEDIATE`` (the write lock first, so no read goes
    stale and the busy timeout applies); PostgreSQL takes a transaction-scoped advisory lock.
    """
    with session_scope(engine) as session:
        if engine.dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": INGEST_LOCK_ID})
        else:
            session.connection(execution_options={_WRITE_LOCK: True})
        yield session


def insert_many(connection: Connection, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``model``'s table by one ``COPY`` on
    PostgreSQL, one ``executemany`` on SQLite, on the driver's cursor: values go through each
    column's bind processor, as SQLAlchemy would convert them, without its bookkeeping per row,
    which costs more than the insert itself.
    Ingest writes its many rows per article this way: new claims and mentions (through
    :func:`insert_rows`), review candidates, relations and index keys; the few stop keys still
    go through SQLAlchemy."""
    if not rows:
        return
    names = tuple(rows[0])
    statement, processors = _insert_statement(connection.dialect, model.__table__, names)  # type: ignore[attr-defined]
    converted = [(place, process) for place, process in enumerate(processors) if process is not None]
    values = []
    for row in rows:
        value = [row[name] for name in names]
        for place, process in converted:
            if value[place] is not None:
                value[place] = process(value[place])
        values.append(value)
    if connection.dialect.name == "postgresql":  # one COPY stream instead of a statement a row
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for value in values:
                copy.write_row(value)
        return
    cursor = connection.connection.cursor()
    try:
        cursor.executemany(statement, values)
    finally:
        cursor.close()


def qmarks(count: int) -> str:
    """``count`` SQLite parameter marks for a list (``?, ?, ?``); ``NULL`` for none."""
    return ", ".join("?" * count) or "NULL"


@lru_cache(maxsize=64)
def _insert_statement(
    dialect: Dialect, table: Table, names: tuple[str, ...]
) -> tuple[str, tuple[Callable[[Any], Any] | None, ...]]:
    """The driver-level statement that writes the columns ``names`` into ``table`` (PostgreSQL's
    ``COPY … FROM STDIN``, else an ``INSERT`` for ``executemany``), and their bind processors."""
    quote = dialect.identifier_preparer.quote
    into = f"{quote(table.name)} ({', '.join(quote(n) for n in names)})"
    if dialect.name == "postgresql":
        statement = f"COPY {into} FROM STDIN"
    else:
        statement = f"INSERT INTO {into} VALUES ({qmarks(len(names))})"
    return statement, tuple(table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names)


def insert_rows(connection: Connection, model: type[SQLModel], rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` into ``model``'s table and return their new ids, in the order of ``rows``,
    in a few statements whatever the number of rows. Call it in a :func:`writing` transaction.

    PostgreSQL hands out the ids from the table's sequence in one statement, and the rows go in
    with them by :func:`insert_many` (SQLAlchemy's ordered ``INSERT … RETURNING`` cost 0.2 ms a
    row). SQLite has no sequence, but under the write lock a new rowid is one above the largest
    in the table, row after row: the ids run up to the last one inserted.
    """
    if not rows:
        return []
    table = model.__table__  # type: ignore[attr-defined]
    if connection.dialect.name != "sqlite":
        ids = sorted(connection.execute(_NEXT_IDS, {"table": table.name, "count": len(rows)}).scalars())
        insert_many(connection, model, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
        return ids
    insert_many(connection, model, rows)
    last = connection.exec_driver_sql("SELECT last_insert_rowid()").scalar_one()
    return list(range(last - len(rows) + 1, last + 1))


_NEXT_IDS = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)")


def migrations_dir() -> Path:
    """The Alembic scripts: inside the installed package, or ``migrations/`` of a source tree."""
    packaged = Path(provenance.__file__).parent / "migrations"
    return packaged if packaged.is_dir() else Path(provenance.__file__).parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` without needing an ``alembic.ini``."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the store at ``url`` up to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Migrate the store at ``url`` down to ``revision``."""
    command.downgrade(alembic_config(url), revision)
