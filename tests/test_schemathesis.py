"""Schemathesis against the app on both stores: generated requests, valid and invalid, to every
operation of the committed OpenAPI document (``test_openapi`` keeps it the app's); no answer may
be a server error, and each must have a status, content type and body the document lists."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar.testing import TestClient
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.python.asgi import ASGIClient
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from provenance import jobs
from provenance.api import articles as articles_api
from provenance.api.app import create_app
from provenance.fetching import FetchedPage, FetchFailed
from provenance.plugins import PluginRegistry
from provenance.settings import Settings
from tests.conftest import with_key

DOCUMENT = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"
EXAMPLES = 100  # per operation, phase and mode (valid, invalid data)
MIN_CASES = 2000  # per store, across every operation
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
]
ACCEPTED = ["2xx", "404", "409", "422"]
"""What valid data may get: unknown ids, editorial conflicts and unprocessable articles are valid requests."""
SEED_ARTICLES = [
    "“We will open three new clinics in the north this year,” the health minister said on Monday.",
    "The health minister said on Monday: “We will open three new clinics in the north this year.” "
    "Opposition leader Dana Kerr said the plan was 12 years late.",
    "Opposition leader Dana Kerr said the plan was 15 years late, and that “nobody believes it.”",
]
CASES: Counter[str] = Counter()
"""Cases run on each store."""

schema = schemathesis.openapi.from_path(
    DOCUMENT,
    config=SchemathesisConfig.from_dict(
        {"seed": 1, "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}}
    ),
)


@schemathesis.serializer("application/x-ndjson")
def _json_lines(_: Any, value: Any) -> bytes:
    """A generated upload of JSON lines (``POST /v1/jobs/ingest``): the string as UTF-8."""
    return (value if isinstance(value, str) else json.dumps(value)).encode("utf-8", "replace")


async def _no_fetch(url: str, settings: Settings) -> FetchedPage:
    raise FetchFailed(f"{url} is not fetched: these tests never reach the network")


@pytest.fixture
def api(
    settings: Settings, registry: PluginRegistry, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ASGIClient]:
    """The app in-process on a store holding a few linked articles, as schemathesis calls it with
    an admin key (so every operation is reached) and no rate limit (its cases come faster)."""
    monkeypatch.setattr(articles_api, "fetch_page", _no_fetch)  # a generated URL alone is never fetched
    monkeypatch.setattr(jobs, "fetch_page", _no_fetch)  # nor one in a job of URLs
    app = create_app(replace(settings, rate_limit=0, webhook_dispatch=False), registry)  # no deliveries out
    with with_key(TestClient(app), settings.database_url) as client:  # runs the app's startup and shutdown
        for number, text in enumerate(SEED_ARTICLES):
            response = client.post("/v1/articles", json={"text": text, "url": f"https://n.example/{number}"})
            assert response.status_code == 201, response.text
        schemathesis_client = ASGIClient(app)
        token = client.headers["Authorization"].removeprefix("Bearer ")
        schemathesis_client.headers.update({"Authorization": f"Bearer {token}", "X-API-Key": token})
        yield schemathesis_client


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # one store for all cases of an operation, as a server has
    ],
)
def test_api_answers_as_its_openapi_document_says(case: Case, api: ASGIClient, database_url: str) -> None:
    # the key in both headers its security schemes name, over any value generated for them
    key = {name: api.headers[name] for name in ("Authorization", "X-API-Key")}
    case.call_and_validate(base_url=api.base_url, session=api, checks=CHECKS, headers=key)
    CASES[database_url.split(":")[0]] += 1


def test_enough_cases_ran() -> None:
    """Runs after the generated tests above (pytest keeps a module's order)."""
    if not CASES:
        pytest.skip("the schemathesis tests did not run")
    assert all(n >= MIN_CASES for n in CASES.values()), CASES
