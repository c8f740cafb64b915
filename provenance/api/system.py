"""``/v1/plugins``, ``/v1/exports/{format}`` and ``/health``."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from itertools import islice
from typing import Annotated

from litestar import get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.openapi.spec import (
    Example,
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    Reference,
    Schema,
)
from litestar.params import Parameter
from litestar.response import Stream
from sqlalchemy import Engine, text

from provenance import __version__
from provenance.api.claims import ClaimKindParam, claim_filter
from provenance.api.deps import IdFilter, TextFilter, TimeFilter
from provenance.api.errors import problems
from provenance.api.schemas import Health, PluginOut, PluginsOut
from provenance.domain import Exporter, Report
from provenance.plugins import PluginRegistry
from provenance.queries import build_report

log = logging.getLogger(__name__)


@dataclass
class ExportOperation(Operation):
    """The export in the OpenAPI document: its 200 is a CSV file, the JSON report (README, Report
    shapes), or whatever a plugin's format declares."""

    def __post_init__(self) -> None:
        assert self.responses is not None
        report = Schema(
            type=OpenAPIType.OBJECT,
            required=["claims", "generated_at"],
            properties={
                "generated_at": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE_TIME),
                "claims": Schema(type=OpenAPIType.ARRAY, items=Reference("#/components/schemas/ReportClaim")),
            },
        )
        self.responses["200"].content = {  # type: ignore[union-attr]
            "text/csv": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING)),  # the built-in exporters'
            "application/json": OpenAPIMediaType(schema=report),
            "*/*": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING)),
        }


def _chunks(exporter: Exporter, report: Report) -> Iterator[bytes]:
    """The export's chunks, the first made before anything is sent (so a failing exporter answers
    500); a failure later is logged and ends the stream without its final chunk, which the
    client sees as a broken download."""
    chunks = iter(exporter.export(report))
    first = list(islice(chunks, 1))

    def stream() -> Iterator[bytes]:
        try:
            yield from first
            yield from chunks
        except Exception:
            log.exception("the %s export failed after its response started; aborting it", exporter.format)
            raise

    return stream()


@get("/v1/plugins", operation_id="ListPlugins", tags=["system"], sync_to_thread=False, responses=problems())
def plugins(registry: NamedDependency[PluginRegistry]) -> PluginsOut:
    """Every plugin with its version, the hooks it implements and what it provides."""
    return PluginsOut(
        plugins=[
            PluginOut(p.name, p.version, p.builtin, list(p.hooks), p.provides) for p in registry.describe()
        ],
        errors=[asdict(e) for e in registry.errors],
    )


@get(
    "/v1/exports/{fmt:str}",
    operation_id="ExportReport",
    tags=["exports"],
    sync_to_thread=True,
    responses=problems(400, 404),
    operation_class=ExportOperation,
)
def export(
    fmt: Annotated[
        str,
        Parameter(description="A registered format.", examples=[Example(value="csv"), Example(value="json")]),
    ],
    engine: NamedDependency[Engine],
    registry: NamedDependency[PluginRegistry],
    kind: ClaimKindParam = None,
    speaker: TextFilter = None,
    text: TextFilter = None,
    article_id: IdFilter = None,
    outlet: TextFilter = None,
    published_after: TimeFilter = None,
    published_before: TimeFilter = None,
) -> Stream:
    """A provenance report in any registered format (``csv``, ``json``, …) of the claims ``GET
    /v1/claims`` lists with the same filters, streamed as a download.
    Its parameters are checked and its first claims read before anything is sent; a failure while
    streaming breaks the download (the response ends without its final chunk)."""
    exporter = registry.exporter(fmt)
    if exporter is None:
        raise NotFoundException(
            detail=f"unknown export format {fmt!r}; available: {', '.join(sorted(registry.exporters))}"
        )
    filters = claim_filter(kind, speaker, text, article_id, outlet, published_after, published_before)
    report = build_report(engine, filters)
    return Stream(
        _chunks(exporter, report),
        media_type=exporter.media_type,
        headers={"Content-Disposition": f'attachment; filename="provenance.{exporter.extension}"'},
    )


@get("/health", operation_id="Health", tags=["system"], sync_to_thread=True, responses=problems())
def health(engine: NamedDependency[Engine]) -> Health:
    """Liveness and database reachability."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return Health(status="ok", database=engine.dialect.name, version=__version__)
