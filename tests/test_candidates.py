"""Candidate sources through the ``register_candidate_sources`` hook, on both stores: a source
installed as a plugin (the docs/plugins.md example) shows the matchers stored claims the built-in
bigram index never proposes, indexes new claims in the ingest's own transaction, follows an
editor's merge, and its proposals pass the same guards as any other. The texts are written for
this test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, text

from provenance.api.app import create_app
from provenance.plugins import PluginRegistry
from provenance.settings import Settings
from tests.conftest import with_key
from tests.test_plugin_docs import example

STORED = "At the town hall on Monday, “Fuel taxes will be cut by the council,” said Mayor Ines Ruiz."
REWORDED = "Speaking on Tuesday, “Council will cut taxes on fuel,” Mayor Ines Ruiz told reporters."
ANOTHER_SPEAKER = "On Wednesday, “Council will cut taxes on fuel,” said councillor Tom Berg."
# the same shape, other words: ingested before the source is installed
BEFORE = "At the town hall, “Parking fees will be lowered by the city,” said Mayor Ines Ruiz."
BEFORE_REWORDED = "On Friday, “City lowered fees on parking,” Mayor Ines Ruiz told reporters."


@pytest.fixture
def same_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: Engine) -> Iterator[None]:
    """The docs example installed as a distribution (a module and its entry point) for one test;
    its table dropped afterwards, as PostgreSQL test stores outlive a test."""
    site = tmp_path / "site"
    (site / "same_words_source-0.1.dist-info").mkdir(parents=True)
    (site / "same_words_source.py").write_text(example("register_candidate_sources"), encoding="utf-8")
    (site / "same_words_source-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: same-words-source\nVersion: 0.1\n", encoding="utf-8"
    )
    (site / "same_words_source-0.1.dist-info" / "entry_points.txt").write_text(
        "[provenance]\nsame_words = same_words_source\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(site))
    yield
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS same_words"))


def post(client: TestClient, article: str, url: str) -> dict[str, Any]:  # type: ignore[type-arg]
    response = client.post("/v1/articles", json={"text": article, "url": url})
    assert response.status_code == 201, response.text
    (quote,) = [c for c in response.json()["claims"] if c["kind"] == "quote"]
    return quote  # type: ignore[no-any-return]


def trail(client: TestClient, quote: dict[str, Any]) -> dict[int, str]:  # type: ignore[type-arg]
    """The claims scored for the quote's mention in its article, with their status."""
    (mention,) = quote["mentions"]
    scored = client.get(f"/v1/mentions/{mention['id']}/candidates").json()
    return {c["claim_id"]: c["status"] for c in scored}


def test_hook_register_candidate_sources_an_installed_source_brings_what_bigrams_miss(
    client: TestClient,  # type: ignore[type-arg]
    settings: Settings,
    same_words: None,
) -> None:
    before = post(client, BEFORE, "https://town.example/parking-1")  # built-ins only: not installed
    unseen = post(client, BEFORE_REWORDED, "https://town.example/parking-2")
    assert unseen["id"] != before["id"] and before["id"] not in trail(client, unseen)

    registry = PluginRegistry.create(settings)  # the installed source is found: no setting names it
    assert [e for e in registry.errors if e.plugin == "same_words"] == []
    assert list(registry.candidate_sources) == ["bigrams", "same_words"]
    with with_key(
        TestClient(create_app(settings, registry)), settings.database_url
    ) as with_source:  # its start creates the table
        listed = {p["name"]: p for p in with_source.get("/v1/plugins").json()["plugins"]}
        assert listed["same_words"]["provides"] == {"candidate_sources": ["same_words"]}
        stored = post(with_source, STORED, "https://town.example/tax-1")
        reworded = post(with_source, REWORDED, "https://town.example/tax-2")
        scored = trail(with_source, reworded)
        assert stored["id"] in scored, "the source's proposal was scored by the matchers"
        # the core's guards apply to its proposals: another speaker's words are never scored
        other = post(with_source, ANOTHER_SPEAKER, "https://town.example/tax-3")
        assert stored["id"] not in trail(with_source, other)
