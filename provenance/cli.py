"""The ``provenance`` command line: serve, ingest, export, plugins, db upgrade and the demo."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import click
from tqdm import tqdm

from provenance import candidates, db
from provenance.articles import ArticleInput, InvalidArticle
from provenance.corpus import CorpusError, discover, read_articles
from provenance.plugins import PluginRegistry
from provenance.queries import ClaimFilter, build_report
from provenance.services import ArticleService
from provenance.settings import Settings

SEED_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "seeds-2022-09-15"


@click.group()
@click.option(
    "--database-url", envvar="PROVENANCE_DATABASE_URL", help="Store URL (default: sqlite:///provenance.db)."
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """Provenance: claim provenance and fact tracking for newsrooms."""
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        raise click.ClickException(f"bad setting: {exc}") from exc
    if database_url:
        settings = Settings(**{**vars(settings), "database_url": database_url})
    ctx.obj = settings


@main.group("db")
def db_group() -> None:
    """Manage the store's schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@click.pass_obj
def db_upgrade(settings: Settings, revision: str) -> None:
    """Migrate the store up to REVISION; installed candidate sources create their tables."""
    db.upgrade(settings.database_url, revision)
    engine = db.create_db_engine(settings.database_url)
    try:
        candidates.setup(engine, PluginRegistry.create(settings).sources())
    finally:
        engine.dispose()
    click.echo(f"store at {settings.database_url} is at {revision}")


@db_group.command("downgrade")
@click.argument("revision")
@click.pass_obj
def db_downgrade(settings: Settings, revision: str) -> None:
    """Migrate the store down to REVISION ("base" empties it)."""
    db.downgrade(settings.database_url, revision)
    click.echo(f"store at {settings.database_url} is at {revision}")


WORKERS_HELP = "Processes that clean and extract while this one links (0: all in this process)."


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--workers", type=click.IntRange(min=0), default=1, show_default=True, help=WORKERS_HELP)
@click.pass_obj
def ingest(settings: Settings, paths: tuple[Path, ...], workers: int) -> None:
    """Ingest text files, folders of them, and JSON-lines files of articles, in the order given."""
    created, existing, failed = _ingest(settings, list(paths), workers)
    click.echo(f"{created} ingested, {existing} already stored, {failed} failed")
    if failed:
        sys.exit(1)


def _ingest(settings: Settings, paths: list[Path], workers: int) -> tuple[int, int, int]:
    try:
        files = discover(paths)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from exc
    registry = PluginRegistry.create(settings)
    engine = db.create_db_engine(settings.database_url, background_checkpoints=True)
    candidates.setup(engine, registry.sources())
    counts = Counter[str]()

    def readable() -> Iterator[tuple[str, ArticleInput]]:
        for path in tqdm(files, desc="ingesting", unit="file", disable=None):
            for where, article in read_articles(path):
                if isinstance(article, CorpusError):
                    counts["failed"] += 1
                    click.echo(f"error: {article}", err=True)
                else:
                    yield where, article

    try:
        for where, result in ArticleService(engine, registry).ingest_many(readable(), workers):
            if isinstance(result, InvalidArticle):
                counts["failed"] += 1
                click.echo(f"error: {where}: {result}", err=True)
                continue
            counts["created" if result.created else "existing"] += 1
    finally:
        engine.dispose()
    return counts["created"], counts["existing"], counts["failed"]


@main.command()
@click.option("--format", "fmt", default="json", show_default=True, help="Any registered export format.")
@click.option("--output", type=click.Path(path_type=Path), help="Write here instead of standard output.")
@click.option("--kind", type=click.Choice(["quote", "attribution", "figure"]))
@click.option("--speaker")
@click.option("--text")
@click.option("--article-id", type=int)
@click.pass_obj
def export(
    settings: Settings,
    fmt: str,
    output: Path | None,
    kind: str | None,
    speaker: str | None,
    text: str | None,
    article_id: int | None,
) -> None:
    """Write a provenance report (CSV, JSON or any plugin format)."""
    registry = PluginRegistry.create(settings)
    exporter = registry.exporter(fmt)
    if exporter is None:
        raise click.BadParameter(
            f"unknown format {fmt!r}; available: {', '.join(sorted(registry.exporters))}"
        )
    engine = db.create_db_engine(settings.database_url)
    report = build_report(engine, ClaimFilter(kind, speaker, text, article_id))
    with output.open("wb") if output else click.open_file("-", "wb") as out:
        for chunk in exporter.export(report):
            out.write(chunk)
    engine.dispose()


@main.command()
@click.pass_obj
def plugins(settings: Settings) -> None:
    """List plugins, what each provides, and any that failed to load."""
    registry = PluginRegistry.create(settings)
    for info in registry.describe():
        provided = "; ".join(f"{what}: {', '.join(names)}" for what, names in info.provides.items()) or "-"
        origin = "built-in" if info.builtin else "installed"
        click.echo(f"{info.name} {info.version or ''} ({origin}) hooks={','.join(info.hooks)} {provided}")
    for error in registry.errors:
        click.echo(f"skipped {error.plugin}: {error.error}", err=True)


@main.command()
@click.option("--host", default=None, help="Default: PROVENANCE_HOST or 127.0.0.1.")
@click.option("--port", type=int, default=None, help="Default: PROVENANCE_PORT or 8000.")
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None) -> None:
    """Serve the REST API."""
    import uvicorn

    from provenance.api.app import create_app

    host, port = host or settings.host, port or settings.port
    click.echo(f"Provenance API on http://{host}:{port}/v1  (OpenAPI: http://{host}:{port}/schema)")
    uvicorn.run(create_app(settings), host=host, port=port)


@main.command()
@click.option(
    "--output", type=click.Path(path_type=Path), default=Path("openapi/openapi.json"), show_default=True
)
def openapi(output: Path) -> None:
    """Write the API's OpenAPI document (the committed ``openapi/openapi.json``)."""
    from provenance.api.app import openapi_document

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(openapi_document(), encoding="utf-8")
    click.echo(f"wrote {output}")


@main.command()
@click.option(
    "--corpus",
    type=click.Path(path_type=Path, exists=True),
    default=None,
    help="Default: the seed corpus in ../shared/corpus/seeds-2022-09-15.",
)
@click.option("--serve/--no-serve", "then_serve", default=True, help="Serve the API afterwards.")
@click.pass_context
def demo(ctx: click.Context, corpus: Path | None, then_serve: bool) -> None:
    """Migrate the store, ingest the seed corpus, print a summary and serve the API."""
    settings: Settings = ctx.obj
    corpus = corpus or SEED_CORPUS
    if not corpus.exists():
        raise click.ClickException(f"seed corpus not found at {corpus}; pass --corpus")
    db.upgrade(settings.database_url)
    created, existing, failed = _ingest(settings, [corpus], workers=0)  # five articles: no pool
    click.echo(f"{created} ingested, {existing} already stored, {failed} failed from {corpus}")
    engine = db.create_db_engine(settings.database_url)
    shared = [
        c for c in build_report(engine, ClaimFilter()).claims if len({m.article.id for m in c.mentions}) > 1
    ]
    engine.dispose()
    click.echo(f"{len(shared)} claims appear in more than one article, for example:")
    for claim in sorted(shared, key=lambda c: -len(c.mentions))[:5]:
        who = (claim.speaker.name if claim.speaker else None) or "-"
        click.echo(f"  [{claim.kind}] {who}: {claim.text[:80]}  ({len(claim.mentions)} mentions)")
    if then_serve:
        ctx.invoke(serve)
