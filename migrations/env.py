"""Alembic environment: the metadata of every table in ``provenance.models``."""

from alembic import context
from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

from provenance import models  # noqa: F401  (imports register every table)
from provenance.db import database_url
from provenance.search import is_search_object

config = context.config
target_metadata = SQLModel.metadata


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Make rendered ``sqlmodel`` types importable in generated revisions."""
    if type_ == "type" and type(obj).__module__.startswith("sqlmodel"):
        autogen_context.imports.add("import sqlmodel")  # type: ignore[attr-defined]
    return False


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the job queue's own tables (procrastinate's, on PostgreSQL) and the search tables and
    indexes (raw SQL of revision 0009: ``provenance.search``) out of autogenerate."""
    if type_ in ("table", "index") and is_search_object(name):
        return False
    return not (type_ == "table" and (name or "").startswith("procrastinate_"))


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        render_item=render_item,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = create_engine(database_url(url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            render_item=render_item,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
