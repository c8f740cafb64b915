"""The committed OpenAPI document is what the app generates."""

from pathlib import Path

from provenance.api.app import openapi_document

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"


def test_committed_openapi_matches_the_app() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == openapi_document(), (
        "openapi/openapi.json is stale: run `provenance openapi` and commit the result"
    )


def test_schema_is_served(tmp_path: Path) -> None:
    from litestar.testing import TestClient

    from provenance.api.app import create_app
    from provenance.plugins import PluginRegistry
    from provenance.settings import Settings

    settings = Settings(database_url=f"sqlite:///{tmp_path / 's.db'}")
    with TestClient(create_app(settings, PluginRegistry.create(settings, load_entrypoints=False))) as client:
        assert client.get("/schema/openapi.json").json()["info"]["title"] == "Provenance"
