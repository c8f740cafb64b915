"""Indexed substring search for the claim list's ``text`` and ``speaker`` filters.

Both filters mean a case-insensitive substring (``ILIKE '%…%'``, the user's ``%`` and ``_`` kept
as wildcards, as they always were). On PostgreSQL the condition stays ``ILIKE``: ``pg_trgm`` GIN
indexes on ``claim.text``, ``speaker.name`` and ``mention.speaker_as_written`` answer it. On
SQLite, FTS5 tables with the ``trigram`` tokenizer find the candidate rows and SQLite checks
``LIKE`` on each (the same ASCII-only case folding as ``lower() LIKE lower()``), so the results
are the plain scan's: ``search_claim_text`` over claim texts, ``search_speaker_name`` over speaker
names, and ``search_speaker_form_trigrams`` over ``search_speaker_form``, the distinct speakers as
written in mentions (far fewer than mentions: 232 in the 1M bench store), whose mentions an index
on ``mention (speaker_as_written, claim_id)`` finds. Triggers keep them in step with every
insert, update and delete (migration 0009).

A value with no run of 3 characters between wildcards has no trigram to look up: a text falls
back to the scan on both stores (same results, about a second at 1M claims); a speaker ("Xi")
scans the speakers and the distinct forms on SQLite, which are few.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Column, Integer, MetaData, Table, Text, select, union_all
from sqlmodel import col

from provenance.models import Claim, Mention, Speaker

PREFIXES = ("search_", "ix_search_")
"""Names of the search tables, triggers and indexes: raw SQL of migration 0009, not models."""
MIN_RUN = 3
"""Characters between wildcards a trigram index needs."""

_TABLES = MetaData()  # never created from Python: only queried
CLAIM_TEXT = Table("search_claim_text", _TABLES, Column("rowid", Integer), Column("text", Text))
SPEAKER_NAME = Table("search_speaker_name", _TABLES, Column("rowid", Integer), Column("name", Text))
SPEAKER_FORM = Table("search_speaker_form", _TABLES, Column("id", Integer), Column("form", Text))
SPEAKER_FORMS = Table("search_speaker_form_trigrams", _TABLES, Column("rowid", Integer), Column("form", Text))


def is_search_object(name: str | None) -> bool:
    """Whether ``name`` is one of the search tables or indexes (which autogenerate leaves out)."""
    return (name or "").startswith(PREFIXES)


def indexable(value: str) -> bool:
    """Whether ``value`` holds a run of :data:`MIN_RUN` characters between wildcards."""
    return any(len(run) >= MIN_RUN for run in re.split("[%_]", value))


def text_condition(dialect: str, value: str) -> Any:
    """Claims whose text holds ``value``, case-insensitively."""
    pattern = f"%{value}%"
    if dialect != "sqlite" or not indexable(value):
        return col(Claim.text).ilike(pattern)
    return col(Claim.id).in_(select(CLAIM_TEXT.c.rowid).where(CLAIM_TEXT.c.text.like(pattern)))


def speaker_condition(dialect: str, value: str) -> Any:
    """Claims whose speaker's name, or any of whose mentions' speaker as written, holds ``value``,
    case-insensitively."""
    pattern = f"%{value}%"
    names: Any = select(col(Speaker.id)).where(col(Speaker.name).ilike(pattern))
    if dialect != "sqlite":
        written = select(col(Mention.claim_id)).where(col(Mention.speaker_as_written).ilike(pattern))
    else:
        if indexable(value):
            names = select(SPEAKER_NAME.c.rowid).where(SPEAKER_NAME.c.name.like(pattern))
            forms = select(SPEAKER_FORMS.c.form).where(SPEAKER_FORMS.c.form.like(pattern))
        else:  # "Xi": no trigram, but the distinct forms are few enough to scan
            forms = select(SPEAKER_FORM.c.form).where(SPEAKER_FORM.c.form.like(pattern))
        written = select(col(Mention.claim_id)).where(col(Mention.speaker_as_written).in_(forms))
    said_by: Any = union_all(  # one set of ids, each claim then found by its key: no scan of the claims
        select(col(Claim.id)).where(col(Claim.speaker_id).in_(names)), written
    )
    return col(Claim.id).in_(said_by)
