"""speaker kinds

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 08:40:00.000000

What sort of source a speaker is (person, organisation, media, document, unknown): on the stored
speaker, and on each mention for the speaker as written there ("the letter" is a document even
when no stored speaker stands for it). Speakers stored before this revision are ``unknown``;
their mentions have no kind.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('speaker', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default='unknown'))
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.add_column(sa.Column('speaker_kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_column('speaker_kind')
    with op.batch_alter_table('speaker', schema=None) as batch_op:
        batch_op.drop_column('kind')
