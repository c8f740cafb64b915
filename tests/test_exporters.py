"""The built-in exporters on a hand-made report."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from provenance.domain import (
    ArticleSummary,
    FirstSeen,
    Passage,
    Report,
    ReportClaim,
    ReportMention,
    ReportRelation,
    ReportSpeaker,
)
from provenance.exporters.csv import COLUMNS, CSVExporter
from provenance.exporters.json import JSONExporter

ARTICLE = ArticleSummary(
    id=3,
    url="https://n.example/a,b",
    title='The "big" vote',
    outlet="Daily, Inc.",
    published_at=datetime(2024, 1, 2, 3, 4, tzinfo=UTC),
    ingested_at=datetime(2024, 1, 2, 5, 0, tzinfo=UTC),
)


def report() -> Report:
    mention = ReportMention(
        id=9,
        article=ARTICLE,
        text="“We said “no”,\nand meant it,”",
        start=10,
        end=40,
        passage=Passage(10, 62, "“We said “no”,\nand meant it,” she said. “And we will again.”"),
        speaker="Ms Ng",
        resolved_speaker=ReportSpeaker(id=2, name="Ana Ng", kind="person"),
        cue="said",
        matcher="fuzzy",
        score=0.91,
    )
    claim = ReportClaim(
        id=1,
        kind="quote",
        text="“We said “no”,\nand meant it,”",
        speaker=ReportSpeaker(id=2, name="Ana Ng", kind="person"),
        first_seen=FirstSeen(article_id=3, published_at=ARTICLE.published_at, seen_at=ARTICLE.ingested_at),
        value=None,
        unit=None,
        counted=None,
        mentions=(mention, mention),
        mention_count=2,
        related=(ReportRelation(5, "contains", 0.93, "an excerpt of its words"),),
    )
    empty = ReportClaim(
        id=2,
        kind="figure",
        text="12 ministers",
        speaker=None,
        first_seen=None,
        value=12.0,
        unit=None,
        counted="ministers",
        mentions=(),
        mention_count=0,
    )
    return Report(generated_at=datetime(2024, 5, 6, tzinfo=UTC), claims=iter([claim, empty]))


def test_csv_quotes_commas_quotes_and_newlines_per_rfc_4180() -> None:
    data = b"".join(CSVExporter().export(report())).decode("utf-8")
    assert data.startswith(",".join(COLUMNS) + "\r\n")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    assert len(rows) == 3  # header + one row per mention; a claim without mentions has none
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["mention_text"] == "“We said “no”,\nand meant it,”"
    assert row["article_title"] == 'The "big" vote' and row["article_outlet"] == "Daily, Inc."
    assert row["speaker_name"] == "Ana Ng" and row["score"] == "0.91"
    assert (row["passage_start"], row["passage_end"]) == ("10", "62")
    assert (row["resolved_speaker_id"], row["resolved_speaker_name"]) == ("2", "Ana Ng")
    assert row["resolved_speaker_kind"] == "person"
    assert row["passage"].endswith("“And we will again.”") and row["related"] == "contains 5 (0.93)"


def test_json_streams_one_valid_document() -> None:
    chunks = list(JSONExporter().export(report()))
    assert len(chunks) > 2  # streamed claim by claim
    document = json.loads(b"".join(chunks))
    assert document["generated_at"] == "2024-05-06T00:00:00+00:00"
    first, second = document["claims"]
    assert first["speaker"] == {"id": 2, "name": "Ana Ng", "kind": "person"} and len(first["mentions"]) == 2
    assert first["mention_count"] == 2  # a field added to the report shape
    assert first["mentions"][0]["article"]["outlet"] == "Daily, Inc."
    assert list(first["first_seen"]) == ["article_id", "published_at", "seen_at"]
    assert list(first["mentions"][0]["article"]) == [
        "id", "url", "title", "outlet", "published_at", "ingested_at",
    ]  # fmt: skip
    assert second["value"] == 12.0 and second["mentions"] == [] and second["related"] == []
    assert first["mentions"][0]["passage"]["start"] == 10
    assert first["mentions"][0]["resolved_speaker"] == {"id": 2, "name": "Ana Ng", "kind": "person"}
    assert first["related"] == [
        {"claim_id": 5, "relation": "contains", "score": 0.93, "detail": "an excerpt of its words"}
    ]
