"""passages and relation scores

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 16:15:00.000000

Every mention keeps the quotation as printed that it came from (``passage_start``/``passage_end``:
a three-sentence quote is three mentions of one passage); mentions stored before this revision
are their own passage. A relation between claims keeps its score (how closely an excerpt is
found in its quote, how alike two conflicting figures' sentences are); older ones have none.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.add_column(sa.Column('passage_start', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('passage_end', sa.Integer(), nullable=True))
    op.execute('UPDATE mention SET passage_start = start, passage_end = "end"')
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.alter_column('passage_start', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('passage_end', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('claim_relation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('score', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('claim_relation', schema=None) as batch_op:
        batch_op.drop_column('score')
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_column('passage_end')
        batch_op.drop_column('passage_start')
