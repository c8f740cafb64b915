"""The JSON exporter: ``{"generated_at", "claims": [{…, "mentions": […]}]}``, streamed claim by claim."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from typing import Any

from provenance import hookimpl
from provenance.domain import Exporter, Report, ReportClaim


def claim_document(claim: ReportClaim) -> dict[str, Any]:
    """One claim as the JSON report prints it."""
    document = asdict(claim)
    document["mentions"] = [asdict(m) for m in claim.mentions]
    return document


def _json_value(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


class JSONExporter:
    """The provenance report as one JSON document."""

    format = "json"
    media_type = "application/json"
    extension = "json"

    def export(self, report: Report) -> Iterator[bytes]:
        yield f'{{"generated_at": {json.dumps(report.generated_at.isoformat())}, "claims": ['.encode()
        for n, claim in enumerate(report.claims):
            document = json.dumps(claim_document(claim), ensure_ascii=False, default=_json_value)
            yield (("," if n else "") + "\n" + document).encode()
        yield b"\n]}\n"


@hookimpl
def register_exporters() -> list[Exporter]:
    return [JSONExporter()]
