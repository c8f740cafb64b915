"""Schemathesis against the app on both stores: generated requests, valid and invalid, to every
operation of the committed OpenAPI document (``test_openapi`` keeps it the app's); no answer may
be a server error, and each must have a status, content type and body the document lists."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

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

from provenance.api.app import create_app
from provenance.plugins import PluginRegistry
from provenance.settings import Settings

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


@pytest.fixture
def api(settings: Settings, registry: PluginRegistry) -> Iterator[ASGIClient]:
    """The app in-process on a store holding a few linked articles, as schemathesis calls it."""
    app = create_app(settings, registry)
    with TestClient(app) as client:  # runs the app's startup and shutdown around the test
        for number, text in enumerate(SEED_ARTICLES):
            response = client.post("/v1/articles", json={"text": text, "url": f"https://n.example/{number}"})
            assert response.status_code == 201, response.text
        yield ASGIClient(app)


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
    case.call_and_validate(base_url=api.base_url, session=api, checks=CHECKS)
    CASES[database_url.split(":")[0]] += 1


def test_enough_cases_ran() -> None:
    """Runs after the generated tests above (pytest keeps a module's order)."""
    if not CASES:
        pytest.skip("the schemathesis tests did not run")
    assert all(n >= MIN_CASES for n in CASES.values()), CASES
