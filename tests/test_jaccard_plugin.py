"""plugins/provenance-jaccard, installed for real, links what the built-in matchers miss.

The package is pip-installed into a throw-away directory (as the provenance-markdown test does) and
found through its ``provenance`` entry point. No setting names it: every installed matcher is
active (``PROVENANCE_MATCHERS_DENY`` switches it off). The texts are written for this test.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from litestar.testing import TestClient

from provenance.api.app import create_app
from provenance.plugins import PluginRegistry
from provenance.settings import Settings
from tests.conftest import with_key
from tests.installing import pip_install

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "provenance-jaccard"
MODULE = PACKAGE / "provenance_jaccard" / "__init__.py"
FIRST = "The harbour town's mayor spoke on Tuesday. “Rents will fall next spring,” she said at the town hall."
SECOND = "The mayor was asked about housing again on Friday. “Next spring rents will fall,” she said."
REORDERED = "Next spring rents will fall"  # five words: fuzzy compares them character by character


@pytest.fixture(scope="module")
def jaccard_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the installed provenance-jaccard distribution (not on sys.path yet)."""
    return pip_install(PACKAGE, tmp_path_factory.mktemp("jaccard") / "site")


@pytest.fixture
def jaccard_installed(jaccard_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """provenance-jaccard visible to ``importlib.metadata`` and imports, for one test."""
    monkeypatch.syspath_prepend(str(jaccard_site))
    yield
    sys.modules.pop("provenance_jaccard", None)


def test_the_matcher_is_one_file_of_at_most_30_lines() -> None:
    assert [p.name for p in MODULE.parent.glob("*.py")] == ["__init__.py"]
    lines = MODULE.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 30, f"{MODULE} has {len(lines)} lines; the example promises at most 30"


def test_hook_register_matchers_an_installed_jaccard_matcher_links_what_fuzzy_misses(
    client: TestClient,  # type: ignore[type-arg]
    settings: Settings,
    jaccard_installed: None,
) -> None:
    created = client.post("/v1/articles", json={"text": FIRST, "url": "https://harbour.example/rents"})
    assert created.status_code == 201, created.text
    (claim,) = created.json()["claims"]
    assert client.post("/v1/match", json={"text": REORDERED}).json() == []  # built-ins only

    registry = PluginRegistry.create(settings)  # installed entry points loaded; no setting names jaccard
    assert [e for e in registry.errors if e.plugin == "jaccard"] == []
    with with_key(TestClient(create_app(settings, registry)), settings.database_url) as with_jaccard:
        listed = {p["name"]: p for p in with_jaccard.get("/v1/plugins").json()["plugins"]}
        assert listed["jaccard"] == {
            "name": "jaccard",
            "version": "0.1.0",
            "builtin": False,
            "hooks": ["register_matchers"],
            "provides": {"matchers": ["jaccard"]},
        }
        hits = with_jaccard.post("/v1/match", json={"text": REORDERED}).json()
        assert [(h["claim_id"], h["matcher"], h["status"], h["score"]) for h in hits] == [
            (claim["id"], "jaccard", "linked", 1.0)
        ]
        assert "5 of 5 distinct words shared" in hits[0]["explanation"]

        second = with_jaccard.post(
            "/v1/articles", json={"text": SECOND, "url": "https://harbour.example/housing"}
        )
        assert second.status_code == 201, second.text
        (again,) = second.json()["claims"]
        assert again["id"] == claim["id"]
        assert [(m["matcher"], m["score"]) for m in again["mentions"]][-1] == ("jaccard", 1.0)

    denied = replace(settings, matchers_deny=("jaccard",))  # PROVENANCE_MATCHERS_DENY=jaccard
    with TestClient(create_app(denied, PluginRegistry.create(denied))) as without_jaccard:
        assert without_jaccard.post("/v1/match", json={"text": REORDERED}).json() == []
