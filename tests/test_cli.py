"""The command line, run in-process with click's runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from provenance import keys
from provenance.cli import main
from provenance.db import create_db_engine
from provenance.keys import Scope


def run(database_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--database-url", database_url, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_files_folders_and_json_lines_then_export(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("“The ferry will run twice a day from June,” the transport minister said.")
    (folder / "notes.md").write_text("not an article")
    (folder / "page.html").write_text(
        "<html><body><nav><a href='/'>Home</a></nav><article><p>“The ferry will run twice a day "
        "from June,” the transport minister said on the quay.</p></article></body></html>"
    )
    lines = tmp_path / "batch.jsonl"
    lines.write_text(
        json.dumps(
            {
                "text": "“The ferry will run twice a day from June,” the transport minister told MPs.",
                "url": "https://n.example/ferry",
                "outlet": "Coast News",
                "published_at": "2024-05-01T08:00:00",
            }
        )
        + "\n\n"
        + json.dumps({"text": "Officials said the harbour dredging will cost more than expected this year."})
        + "\n"
        + json.dumps({"html": "<p>The harbour master said the new pier will open to boats in May.</p>"})
        + "\n"
    )
    code, out, _ = run(database_url, "ingest", str(folder), str(lines))
    assert code == 0 and "5 ingested, 0 already stored, 0 failed" in out
    code, out, _ = run(database_url, "ingest", str(folder / "a.txt"))
    assert "0 ingested, 1 already stored" in out

    output = tmp_path / "report.csv"
    assert run(database_url, "export", "--format", "csv", "--output", str(output))[0] == 0
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    urls = {row["article_url"] for row in rows}
    assert (folder / "a.txt").resolve().as_uri() in urls and "https://n.example/ferry" in urls
    assert f"{lines.resolve().as_uri()}#line=3" in urls
    ferry = [row for row in rows if "ferry" in row["mention_text"]]
    assert (folder / "page.html").resolve().as_uri() in urls and f"{lines.resolve().as_uri()}#line=4" in urls
    assert len(ferry) == 3 and len({row["claim_id"] for row in ferry}) == 1

    code, out, _ = run(database_url, "export", "--format", "json", "--kind", "quote")
    assert code == 0 and {c["kind"] for c in json.loads(out)["claims"]} == {"quote"}


def test_bad_input_files_are_reported_and_the_rest_ingested(database_url: str, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("“We will publish the full audit next week,” the council leader said.")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"text": "fine"}\n{not json}\n{"text": ""}\n{"html": "<p>"}\n'
        '{"text": "“The ferry timetable changes on Monday,” the operator said."}\n'
    )
    code, out, err = run(database_url, "ingest", str(good), str(bad))
    assert code == 1
    assert "bad.jsonl:2: not JSON" in err and "bad.jsonl:3: text is empty" in err
    assert "bad.jsonl:4: no article text was found in the html" in err
    assert "3 ingested, 0 already stored, 3 failed" in out  # the line after the bad ones still counts
    code, _, err = run(database_url, "ingest", str(tmp_path / "missing.txt"))
    assert code != 0 and "no such file" in err


def test_unknown_export_format_and_plugins_listing(database_url: str) -> None:
    result = CliRunner().invoke(main, ["--database-url", database_url, "export", "--format", "xml"])
    assert result.exit_code != 0 and "available: csv, json" in result.output
    code, out, _ = run(database_url, "plugins")
    assert code == 0 and "provenance.extractors.quotes" in out


def test_db_upgrade_is_idempotent(database_url: str) -> None:
    code, out, _ = run(database_url, "db", "upgrade")
    assert code == 0 and "head" in out


def test_demo_migrates_ingests_and_summarises(database_url: str, seed_texts: dict[str, str]) -> None:
    from tests.conftest import SEEDS

    code, out, _ = run(database_url, "demo", "--no-serve", "--corpus", str(SEEDS))
    assert code == 0
    assert "5 ingested" in out and "claims appear in more than one article" in out
    assert "Vladimir Putin" in out
    # the demo prints a key it created, which the store knows by its hash only
    token = next(word for word in out.split() if word.startswith(keys.TOKEN_PREFIX))
    engine = create_db_engine(database_url)
    try:
        key = keys.find(engine, token)
    finally:
        engine.dispose()
    assert key is not None and key.grants(Scope.REVIEW) and key.grants(Scope.WRITE)
    assert not key.grants(Scope.ADMIN)
