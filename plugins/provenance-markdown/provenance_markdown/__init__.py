"""A Markdown provenance report: one section per claim, its appearances in order with their wording."""

from __future__ import annotations

from collections.abc import Iterator

from provenance import hookimpl
from provenance.domain import Report


class MarkdownExporter:
    """Claims as Markdown sections, for pasting into an editor's notes."""

    format = "md"
    media_type = "text/markdown"
    extension = "md"

    def export(self, report: Report) -> Iterator[bytes]:
        yield f"# Provenance report\n\nGenerated {report.generated_at.isoformat()}\n".encode()
        for claim in report.claims:
            speaker = (claim.speaker.name if claim.speaker else None) or "unattributed"
            lines = [f"\n## {claim.kind} #{claim.id}: {claim.text}\n", f"Speaker: {speaker}\n"]
            for mention in claim.mentions:
                article = mention.article
                where = article.outlet or article.url or f"article {article.id}"
                lines.append(f"- {where}: {mention.text}")
            yield ("\n".join(lines) + "\n").encode()


@hookimpl
def register_exporters() -> list[MarkdownExporter]:
    return [MarkdownExporter()]
