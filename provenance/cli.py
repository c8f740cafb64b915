"""The ``provenance`` command line: serve, ingest, export, plugins, keys, worker, webhooks, db
upgrade and the demo."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import click
import httpx
from tqdm import tqdm

from provenance import candidates, db, keys, queue, webhooks
from provenance.articles import ArticleInput, InvalidArticle
from provenance.clock import as_utc, utcnow
from provenance.corpus import CorpusError, discover, read_articles
from provenance.plugins import PluginRegistry
from provenance.queries import ClaimFilter, build_report
from provenance.services import ArticleService
from provenance.settings import Settings
from provenance.webhooks import Dispatcher

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
    """Migrate the store up to REVISION; installed candidate sources create their tables, and on
    PostgreSQL the job queue (procrastinate) its own."""
    db.upgrade(settings.database_url, revision)
    engine = db.create_db_engine(settings.database_url)
    try:
        candidates.setup(engine, PluginRegistry.create(settings).sources())
        queue.install(engine)
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


STARTUP_S = 60  # seconds a server process may take to start before its supervisor replaces it
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
    engine = db.create_db_engine(settings.database_url, background_checkpoints=True, settings=settings)
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
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Server processes. Default: PROVENANCE_SERVE_WORKERS or 1.",
)
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the REST API (uvicorn; with several workers, a process manager restarts any that dies)."""
    import os

    import uvicorn

    from provenance.api.app import create_app

    host, port, workers = host or settings.host, port or settings.port, workers or settings.serve_workers
    click.echo(
        f"Provenance API on http://{host}:{port}/v1  (OpenAPI: http://{host}:{port}/schema;"
        f" explorer: http://{host}:{port}/)"
    )
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port)
        return
    os.environ["PROVENANCE_DATABASE_URL"] = settings.database_url  # each worker reads its settings anew
    uvicorn.run(
        "provenance.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_worker_healthcheck=STARTUP_S,  # a worker builds the app before it answers
    )


@main.command()
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Chunks done at once in this process (PostgreSQL); run more processes to use more cores.",
)
@click.option("--webhooks/--no-webhooks", default=True, show_default=True, help="Deliver webhooks too.")
@click.pass_obj
def worker(settings: Settings, concurrency: int, webhooks: bool) -> None:
    """Do background jobs and deliver webhooks until stopped (SIGINT, SIGTERM). On PostgreSQL,
    any number of workers on any machine share the queue; on SQLite, jobs also run in the API."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo(f"worker on {settings.database_url}: jobs{' and webhooks' if webhooks else ''}")
    asyncio.run(queue.work(settings, concurrency, webhooks))


@main.group("webhooks")
def webhooks_group() -> None:
    """Webhook delivery."""


@webhooks_group.command("deliver")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop.")
@click.pass_obj
def webhooks_deliver(settings: Settings, once: bool) -> None:
    """Deliver due webhook deliveries (retries included) until stopped, or once; any number of
    dispatchers may run beside the API's."""
    engine = db.create_db_engine(settings.database_url, settings=settings)
    try:
        sent = asyncio.run(_deliver(Dispatcher(engine, settings), once))
    finally:
        engine.dispose()
    if once:
        click.echo(f"{sent} deliveries tried")


@webhooks_group.command("prune")
@click.option(
    "--days", type=click.IntRange(min=0), default=30, show_default=True, help="Keep this many days."
)
@click.pass_obj
def webhooks_prune(settings: Settings, days: int) -> None:
    """Delete deliveries settled more than DAYS ago, their log, and the events no delivery needs."""
    engine = db.create_db_engine(settings.database_url, settings=settings)
    try:
        gone = webhooks.prune(engine, utcnow() - timedelta(days=days))
    finally:
        engine.dispose()
    click.echo(f"{gone} deliveries pruned")


async def _deliver(dispatcher: Dispatcher, once: bool) -> int:
    if not once:
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopping.set)
        await dispatcher.run(stopping)
        return 0
    sent = 0
    async with httpx.AsyncClient(timeout=dispatcher.settings.webhook_timeout) as client:
        while tried := await dispatcher.deliver_due(client):
            sent += tried
    return sent


@main.group("keys")
def keys_group() -> None:
    """Manage API keys (the store keeps only a hash of each token)."""


@keys_group.command("create")
@click.option(
    "--name", required=True, help="Who holds the key: recorded as the actor of its editorial actions."
)
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice([s.value for s in keys.Scope]),
    help="Repeat for each scope; admin grants them all.",
)
@click.option("--expires", help="When it stops working: an ISO 8601 time (UTC unless it says), or days: 90d.")
@click.pass_obj
def keys_create(settings: Settings, name: str, scopes: tuple[str, ...], expires: str | None) -> None:
    """Create a key and print its token, which is never shown again."""
    key, token = _create_key(settings, name, {keys.Scope(s) for s in scopes}, _expiry(expires))
    click.echo(
        f"created key {key.name!r} ({', '.join(sorted(key.scopes))}{_until(key)}); its token, shown once:"
    )
    click.echo(token)


@keys_group.command("list")
@click.pass_obj
def keys_list(settings: Settings) -> None:
    """Every key with its scopes, expiry and state (never a token)."""
    engine = db.create_db_engine(settings.database_url)
    try:
        found = keys.listed(engine)
    finally:
        engine.dispose()
    if not found:
        click.echo("no keys yet: provenance keys create --name N --scope S")
    now = utcnow()
    for key in found:
        scopes, state = " ".join(sorted(key.scopes)), key.state(now)
        click.echo(f"{key.name}\t{scopes}\tcreated {key.created_at:%Y-%m-%d}{_until(key)}\t{state}")


@keys_group.command("revoke")
@click.argument("name")
@click.pass_obj
def keys_revoke(settings: Settings, name: str) -> None:
    """Revoke the key named NAME: it is refused from the next request on."""
    engine = db.create_db_engine(settings.database_url)
    try:
        key = keys.revoke(engine, name)
    except keys.ApiKeyError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()
    click.echo(f"revoked key {key.name!r}")


def _create_key(
    settings: Settings, name: str, scopes: set[keys.Scope], expires_at: datetime | None = None
) -> tuple[keys.Key, str]:
    engine = db.create_db_engine(settings.database_url)
    try:
        return keys.create(engine, name, scopes, expires_at)
    except keys.ApiKeyError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()


def _expiry(value: str | None) -> datetime | None:
    """``--expires`` as a time in UTC: ``90d`` is 90 days from now."""
    if value is None:
        return None
    try:
        if value.endswith("d") and value[:-1].isdigit():
            return utcnow() + timedelta(days=int(value[:-1]))
        return as_utc(datetime.fromisoformat(value))
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r} is neither an ISO 8601 time nor days (90d)", param_hint="--expires"
        ) from exc


def _until(key: keys.Key) -> str:
    return f", expires {key.expires_at.isoformat(timespec='seconds')}" if key.expires_at else ""


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
    key, token = _create_key(
        settings, f"demo {utcnow():%Y-%m-%d %H:%M:%S}", {keys.Scope.READ, keys.Scope.WRITE, keys.Scope.REVIEW}
    )
    click.echo(f"API key {key.name!r} (read, write, review), shown once: {token}")
    click.echo(f"  e.g. curl -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' \\")
    click.echo(f'       -d \'{{"text": "..."}}\' http://{settings.host}:{settings.port}/v1/articles')
    if then_serve:
        ctx.invoke(serve)
