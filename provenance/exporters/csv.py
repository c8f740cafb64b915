"""The CSV exporter: one row per mention, claim fields repeated, RFC 4180 quoting, UTF-8."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from provenance import hookimpl
from provenance.domain import Exporter, Report, ReportClaim

COLUMNS = (
    "claim_id", "kind", "claim_text", "speaker_id", "speaker_name", "first_seen_article_id",
    "first_seen_published_at", "value", "unit", "counted", "mention_id", "article_id", "article_url",
    "article_title", "article_outlet", "article_published_at", "mention_text", "start", "end",
    "mention_speaker", "cue", "matcher", "score",
)  # fmt: skip


def rows(claim: ReportClaim) -> Iterator[tuple[Any, ...]]:
    """The CSV rows of one claim, one per mention."""
    speaker, first = claim.speaker, claim.first_seen
    speaker_id, speaker_name = (speaker.id, speaker.name) if speaker else (None, None)
    first_article_id, first_published_at = (first.article_id, first.published_at) if first else (None, None)
    for m in claim.mentions:
        article = m.article
        yield (
            claim.id, claim.kind, claim.text, speaker_id, speaker_name, first_article_id,
            first_published_at, claim.value, claim.unit, claim.counted, m.id, article.id,
            article.url, article.title, article.outlet, article.published_at, m.text, m.start,
            m.end, m.speaker, m.cue, m.matcher, m.score,
        )  # fmt: skip


class CSVExporter:
    """The provenance report as CSV."""

    format = "csv"
    media_type = "text/csv"
    extension = "csv"

    def export(self, report: Report) -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for claim in report.claims:
            writer.writerows(rows(claim))
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue().encode()


@hookimpl
def register_exporters() -> list[Exporter]:
    return [CSVExporter()]
