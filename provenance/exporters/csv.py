"""The CSV exporter: one row per mention, claim fields repeated, RFC 4180 quoting, UTF-8. Each row
carries the quotation as printed that the mention is part of (``passage``), the person its
speaker as written resolves to (``resolved_speaker_*``), what sort of source each is
(``speaker_kind``, ``resolved_speaker_kind``: person, organisation, media, document, unknown), and
the claim's related claims
(``related``: ``part_of 12 (0.93); conflicts_with 40 (0.71)``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from provenance import hookimpl
from provenance.domain import Exporter, Report, ReportClaim, ReportRelation

COLUMNS = (
    "claim_id", "kind", "claim_text", "speaker_id", "speaker_name", "first_seen_article_id",
    "first_seen_published_at", "value", "unit", "counted", "mention_id", "article_id", "article_url",
    "article_title", "article_outlet", "article_published_at", "mention_text", "start", "end",
    "mention_speaker", "cue", "matcher", "score", "passage_start", "passage_end", "passage", "related",
    "resolved_speaker_id", "resolved_speaker_name", "speaker_kind", "resolved_speaker_kind",
)  # fmt: skip


def rows(claim: ReportClaim) -> Iterator[tuple[Any, ...]]:
    """The CSV rows of one claim, one per mention."""
    speaker, first = claim.speaker, claim.first_seen
    speaker_id, speaker_name = (speaker.id, speaker.name) if speaker else (None, None)
    first_article_id, first_published_at = (first.article_id, first.published_at) if first else (None, None)
    related = "; ".join(related_cell(r) for r in claim.related)
    for m in claim.mentions:
        article, person = m.article, m.resolved_speaker
        yield (
            claim.id, claim.kind, claim.text, speaker_id, speaker_name, first_article_id,
            first_published_at, claim.value, claim.unit, claim.counted, m.id, article.id,
            article.url, article.title, article.outlet, article.published_at, m.text, m.start,
            m.end, m.speaker, m.cue, m.matcher, m.score, m.passage.start, m.passage.end, m.passage.text,
            related, person.id if person else None, person.name if person else None, m.speaker_kind,
            person.kind if person else None,
        )  # fmt: skip


def related_cell(relation: ReportRelation) -> str:
    """A related claim as a cell lists it: ``part_of 12 (0.93)``."""
    score = "" if relation.score is None else f" ({relation.score:.2f})"
    return f"{relation.relation} {relation.claim_id}{score}"


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
