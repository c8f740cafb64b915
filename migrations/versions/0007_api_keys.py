"""api keys

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:20:00.000000

API keys: a name, the SHA-256 of the token (the token itself is never stored), the scopes it
grants, when it was created, and when it expires or was revoked, if ever.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'api_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('scopes', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_key')),
        sa.UniqueConstraint('name', name=op.f('uq_api_key_name')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_key_token_hash')),
    )


def downgrade() -> None:
    op.drop_table('api_key')
