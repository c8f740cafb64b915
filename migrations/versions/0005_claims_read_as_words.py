"""claims read as words

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 16:30:00.000000

A claim's text is what was said, without the quote marks and the comma that framed it in the
article it was first seen in (mentions keep what was printed). Stored quote and attribution
claims are rewritten the same way, batch by batch. The rule is copied here, frozen, as a
migration must not change when the code does. Downgrading keeps the words: the marks they were
printed with are still in every mention.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DOUBLE_MARKS = "“”„‟\"«»‹›"
_SINGLE_MARKS = "‘’‚‛'"
_BATCH = 5000


def _words(printed: str) -> str:
    text = printed.strip()
    while True:
        bare = text.strip().strip(_DOUBLE_MARKS).rstrip(",;:").strip()
        if bare[:1] in _SINGLE_MARKS and bare[-1:] in _SINGLE_MARKS and len(bare) > 1:
            bare = bare[1:-1].strip()
        if bare == text or not bare:
            return text or printed
        text = bare


def upgrade() -> None:
    connection = op.get_bind()
    select = sa.text(
        "SELECT id, text FROM claim WHERE kind != 'figure' AND id > :after ORDER BY id LIMIT :batch"
    )
    update = sa.text("UPDATE claim SET text = :text WHERE id = :id")
    after = 0
    while rows := connection.execute(select, {"after": after, "batch": _BATCH}).all():
        changed = [{"id": i, "text": _words(t)} for i, t in rows if _words(t) != t]
        if changed:
            connection.execute(update, changed)
        after = rows[-1][0]


def downgrade() -> None:
    pass  # the words stay: every mention still holds the text as printed
