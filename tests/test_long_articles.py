"""Long and pathological articles through the API, on both stores: stored or refused with a
clear 422, never a 500. (How fast is measured by ``bench.pathological``, not here.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from provenance.api.app import create_app
from provenance.db import create_db_engine
from provenance.models import Article
from provenance.plugins import PluginRegistry
from provenance.settings import Settings
from tests.conftest import with_key

NESTED = '"Yes," said Mr. A, who said that B said that C told D. '


def results_table(wards: int) -> str:
    rows = []
    for ward in range(1, wards + 1):
        rows.append(f"Ward {ward}")
        rows.extend(
            f"Candidate {ward}-{n}\t{(ward * 37 + n * 101) % 9000:,}\t{n * 7.5:.1f}%" for n in range(5)
        )
        rows.append(f"Turnout: {20 + ward % 60}% ({ward * 13 % 9000:,} of 20,000)\n")
    return "\n".join(rows)


@pytest.fixture
def slow_client(settings: Settings) -> Iterator[TestClient]:  # type: ignore[type-arg]
    """The API with a time budget no article can meet."""
    tight = Settings(database_url=settings.database_url, article_time_budget=0.001)
    with with_key(
        TestClient(create_app(tight, PluginRegistry.create(tight, load_entrypoints=False))),
        tight.database_url,
    ) as client:
        yield client


def test_repeated_nested_attributions_are_stored(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.post("/v1/articles", json={"text": NESTED * 800})
    assert response.status_code == 201, response.text
    assert any(claim["kind"] == "quote" for claim in response.json()["claims"])


def test_a_long_results_table_is_stored(client: TestClient) -> None:  # type: ignore[type-arg]
    text = results_table(600)
    assert len(text) > 30_000
    response = client.post("/v1/articles", json={"text": text, "url": "https://results.example/wards"})
    assert response.status_code == 201, response.text


def test_an_article_over_its_time_budget_is_a_422_and_nothing_is_stored(
    slow_client: TestClient,  # type: ignore[type-arg]
    settings: Settings,
) -> None:
    response = slow_client.post("/v1/articles", json={"text": NESTED * 2000})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "time budget" in response.json()["detail"]
    engine = create_db_engine(settings.database_url)
    try:
        with Session(engine) as session:
            assert session.execute(select(func.count()).select_from(Article)).scalar_one() == 0
    finally:
        engine.dispose()
