"""search indexes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 13:30:00.000000

Indexed substring search for the claim list's ``text`` and ``speaker`` filters (see
``provenance/search.py``). PostgreSQL: the ``pg_trgm`` extension and GIN trigram indexes on
``claim.text``, ``speaker.name`` and ``mention.speaker_as_written``, which ``ILIKE '%…%'`` uses.
SQLite: FTS5 ``trigram`` tables over claim texts and speaker names (external content: the rows
stay in their tables), the distinct speakers as written in mentions with one over them, an index
from a form to its mentions' claims, and triggers keeping them in step. On SQLite they took 53 s
to build for a million claims; PostgreSQL's indexes are built in the migration's transaction
(not ``CONCURRENTLY``), so writes to those tables wait for them.

The triggers belong to ``claim``, ``speaker`` and ``mention``: a later revision that rebuilds one
of those tables on SQLite (``batch_alter_table`` dropping or altering a column copies the table)
drops them, and must create them again (the statements of ``SQLITE_TRIGGERS`` here). Downgrade
drops everything but the ``pg_trgm`` extension, which other objects in the database may use.
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRES_INDEXES = {
    'ix_search_claim_text': ('claim', 'text'),
    'ix_search_speaker_name': ('speaker', 'name'),
    'ix_search_mention_speaker_as_written': ('mention', 'speaker_as_written'),
}

SQLITE_TABLES = [
    "CREATE VIRTUAL TABLE search_claim_text USING fts5("
    "text, content='claim', content_rowid='id', tokenize='trigram', detail='none')",
    "CREATE VIRTUAL TABLE search_speaker_name USING fts5("
    "name, content='speaker', content_rowid='id', tokenize='trigram', detail='none')",
    "CREATE TABLE search_speaker_form (id INTEGER PRIMARY KEY, form TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE search_speaker_form_trigrams USING fts5("
    "form, content='search_speaker_form', content_rowid='id', tokenize='trigram', detail='none')",
    "CREATE INDEX ix_search_mention_speaker_as_written ON mention (speaker_as_written, claim_id)",
    "INSERT INTO search_speaker_form (form) "
    "SELECT DISTINCT speaker_as_written FROM mention WHERE speaker_as_written IS NOT NULL",
    "INSERT INTO search_claim_text (search_claim_text) VALUES ('rebuild')",
    "INSERT INTO search_speaker_name (search_speaker_name) VALUES ('rebuild')",
    "INSERT INTO search_speaker_form_trigrams (search_speaker_form_trigrams) VALUES ('rebuild')",
]


def _external_content(table: str, column: str, fts: str, key: str = 'id') -> list[str]:
    """Triggers keeping the FTS5 table ``fts`` over ``table.column`` in step."""
    add = f"INSERT INTO {fts} (rowid, {column}) VALUES (new.{key}, new.{column});"
    drop = f"INSERT INTO {fts} ({fts}, rowid, {column}) VALUES ('delete', old.{key}, old.{column});"
    return [
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {drop} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {column} ON {table} BEGIN {drop} {add} END",
    ]


_FORM_ADDED = (
    "INSERT INTO search_speaker_form (form) SELECT new.speaker_as_written "
    "WHERE new.speaker_as_written IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM search_speaker_form WHERE form = new.speaker_as_written);"
)
_FORM_LEFT = (
    "DELETE FROM search_speaker_form WHERE form = old.speaker_as_written AND NOT EXISTS "
    "(SELECT 1 FROM mention WHERE speaker_as_written = old.speaker_as_written);"
)
SQLITE_TRIGGERS = [
    *_external_content('claim', 'text', 'search_claim_text'),
    *_external_content('speaker', 'name', 'search_speaker_name'),
    *_external_content('search_speaker_form', 'form', 'search_speaker_form_trigrams'),
    f"CREATE TRIGGER search_mention_insert AFTER INSERT ON mention BEGIN {_FORM_ADDED} END",
    f"CREATE TRIGGER search_mention_delete AFTER DELETE ON mention BEGIN {_FORM_LEFT} END",
    "CREATE TRIGGER search_mention_update AFTER UPDATE OF speaker_as_written ON mention "
    f"BEGIN {_FORM_ADDED} {_FORM_LEFT} END",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        for name, (table, column) in POSTGRES_INDEXES.items():
            op.execute(f'CREATE INDEX {name} ON {table} USING gin ({column} gin_trgm_ops)')
        return
    for statement in SQLITE_TABLES + SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for name in POSTGRES_INDEXES:
            op.execute(f'DROP INDEX {name}')
        return
    for statement in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER {statement.split()[2]}")
    for table in ('search_claim_text', 'search_speaker_name', 'search_speaker_form_trigrams'):
        op.execute(f'DROP TABLE {table}')
    op.execute('DROP INDEX ix_search_mention_speaker_as_written')
    op.execute('DROP TABLE search_speaker_form')
