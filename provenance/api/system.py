"""``/v1/plugins``, ``/v1/exports/{format}`` and ``/health``."""

from __future__ import annotations

from dataclasses import asdict

from litestar import get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Stream
from sqlalchemy import Engine, text

from provenance import __version__
from provenance.api.claims import ClaimKindParam
from provenance.api.schemas import Health, PluginOut, PluginsOut
from provenance.plugins import PluginRegistry
from provenance.queries import ClaimFilter, build_report


@get("/v1/plugins", operation_id="ListPlugins", tags=["system"], sync_to_thread=False)
def plugins(registry: NamedDependency[PluginRegistry]) -> PluginsOut:
    """Every plugin with its version, the hooks it implements and what it provides."""
    return PluginsOut(
        plugins=[
            PluginOut(p.name, p.version, p.builtin, list(p.hooks), p.provides) for p in registry.describe()
        ],
        errors=[asdict(e) for e in registry.errors],
    )


@get("/v1/exports/{fmt:str}", operation_id="ExportReport", tags=["exports"], sync_to_thread=False)
def export(
    fmt: FromPath[str],
    engine: NamedDependency[Engine],
    registry: NamedDependency[PluginRegistry],
    kind: ClaimKindParam = None,
    speaker: FromQuery[str | None] = None,
    text: FromQuery[str | None] = None,
    article_id: FromQuery[int | None] = None,
) -> Stream:
    """A provenance report in any registered format (``csv``, ``json``, …), streamed as a download."""
    exporter = registry.exporter(fmt)
    if exporter is None:
        raise NotFoundException(
            detail=f"unknown export format {fmt!r}; available: {', '.join(sorted(registry.exporters))}"
        )
    report = build_report(engine, ClaimFilter(kind.value if kind else None, speaker, text, article_id))
    return Stream(
        exporter.export(report),
        media_type=exporter.media_type,
        headers={"Content-Disposition": f'attachment; filename="provenance.{exporter.extension}"'},
    )


@get("/health", operation_id="Health", tags=["system"], sync_to_thread=True)
def health(engine: NamedDependency[Engine]) -> Health:
    """Liveness and database reachability."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return Health(status="ok", database=engine.dialect.name, version=__version__)
