"""What a hostile client sends is refused at the edge, alike on both stores: a 4xx problem+json
naming the field, and nothing stored."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from litestar.testing import TestClient
from sqlmodel import SQLModel

from provenance.api import schemas
from provenance.api.app import create_app
from provenance.domain import Report
from provenance.plugins import PluginRegistry
from provenance.settings import Settings
from tests.conftest import with_key
from tests.test_api import QUOTE, assert_problem

BIG = 2**31
HUGE = 2**63
OVERFLOWING = "9999-12-31T23:59:59-12:00"  # year 10000 in UTC


def nothing_stored(client: TestClient) -> None:  # type: ignore[type-arg]
    assert client.get("/v1/articles").json()["total"] == 0
    assert client.get("/v1/claims").json()["total"] == 0


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"url": "https://n.example/\x00"}, "url"),
        ({"title": "A\x00title"}, "title"),
        ({"outlet": "Daily\x00"}, "outlet"),
        ({"author": "Jo\x07 Doe"}, "author"),
        ({"url": "https://n.example/" + "a" * 2048}, "url"),
        ({"title": "t" * 1025}, "title"),
        ({"outlet": "o" * 256}, "outlet"),
        ({"author": "a" * 513}, "author"),
        ({"published_at": 12345}, "published_at"),
        ({"published_at": OVERFLOWING}, "published_at"),
        ({"published_at": "0001-01-01T00:00:00+14:00"}, "published_at"),
        ({"published_at": "9999-06-01T00:00:00Z"}, "published_at"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_article_fields_are_refused_by_name(
    client: TestClient,  # type: ignore[type-arg]
    fields: dict[str, Any],
    named: str,
) -> None:
    assert_problem(client.post("/v1/articles", json={"text": QUOTE, **fields}), 400, named)
    nothing_stored(client)


def test_limits_are_the_store_column_lengths() -> None:
    columns = SQLModel.metadata.tables
    assert columns["article"].c.url.type.length == schemas.MAX_URL_CHARS  # type: ignore[attr-defined]
    assert columns["article"].c.title.type.length == schemas.MAX_TITLE_CHARS  # type: ignore[attr-defined]
    assert columns["article"].c.outlet.type.length == schemas.MAX_OUTLET_CHARS  # type: ignore[attr-defined]
    assert columns["article"].c.author.type.length == schemas.MAX_AUTHOR_CHARS  # type: ignore[attr-defined]
    assert columns["speaker"].c.name.type.length == schemas.MAX_NAME_CHARS  # type: ignore[attr-defined]
    assert columns["editorial_action"].c.actor.type.length == schemas.MAX_NAME_CHARS  # type: ignore[attr-defined]


def test_longest_accepted_fields_are_stored(client: TestClient) -> None:  # type: ignore[type-arg]
    fields = {
        "url": "https://n.example/" + "u" * (schemas.MAX_URL_CHARS - 18),
        "title": "t" * schemas.MAX_TITLE_CHARS,
        "outlet": "o" * schemas.MAX_OUTLET_CHARS,
        "author": "a" * schemas.MAX_AUTHOR_CHARS,
        "published_at": "9998-12-31T12:00:00-11:00",
    }
    created = client.post("/v1/articles", json={"text": QUOTE, **fields})
    assert created.status_code == 201, created.text
    article = created.json()["article"]
    assert {k: article[k] for k in ("url", "title", "outlet", "author")} == {
        k: fields[k] for k in ("url", "title", "outlet", "author")
    }
    assert article["published_at"] == "9998-12-31T23:00:00Z"


def test_control_characters_in_article_text_are_accepted(client: TestClient) -> None:  # type: ignore[type-arg]
    created = client.post("/v1/articles", json={"text": QUOTE.replace("three", "three\x00\x07")})
    assert created.status_code == 201, created.text
    assert "\x00" not in created.json()["article"]["text"]


def test_a_body_that_is_not_json_is_refused(client: TestClient) -> None:  # type: ignore[type-arg]
    body = b'{"text": "' + QUOTE.encode() + b'"}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"content-type": content_type} if content_type else {}
        assert_problem(client.post("/v1/articles", content=body, headers=headers), 415, "application/json")
    nothing_stored(client)
    decision = b'{"note": "ed"}'
    response = client.post("/v1/mentions/1/detach", content=decision, headers={"content-type": "text/plain"})
    assert_problem(response, 415)
    ok = client.post(
        "/v1/articles", content=body, headers={"content-type": "application/json; charset=utf-8"}
    )
    assert ok.status_code == 201, ok.text


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("/v1/claims", {"text": "a\x00b"}, "text"),
        ("/v1/claims", {"speaker": "Smith\x00"}, "speaker"),
        ("/v1/claims", {"text": "a" * 50_000}, "text"),
        ("/v1/claims", {"text": "a" * (schemas.MAX_FILTER_CHARS + 1)}, "text"),
        ("/v1/claims", {"article_id": BIG}, "article_id"),
        ("/v1/claims", {"article_id": HUGE}, "article_id"),
        ("/v1/claims", {"article_id": 0}, "article_id"),
        ("/v1/claims", {"offset": BIG}, "offset"),
        ("/v1/claims", {"offset": HUGE}, "offset"),
        ("/v1/claims", {"limit": 501}, "limit"),
        ("/v1/articles", {"outlet": "Daily\x00"}, "outlet"),
        ("/v1/articles", {"url": "x\x00"}, "url"),
        ("/v1/articles", {"url": "u" * 5000}, "url"),
        ("/v1/articles", {"published_after": OVERFLOWING}, "published_after"),
        ("/v1/articles", {"published_before": "0001-01-01T00:00:00+14:00"}, "published_before"),
        ("/v1/articles", {"offset": HUGE}, "offset"),
        ("/v1/exports/csv", {"speaker": "x\x00"}, "speaker"),
        ("/v1/exports/json", {"text": "a" * 50_000}, "text"),
        ("/v1/exports/csv", {"article_id": HUGE}, "article_id"),
        ("/v1/conflicts", {"offset": BIG}, "offset"),
        ("/v1/suggestions", {"offset": HUGE}, "offset"),
        ("/v1/editorial-actions", {"offset": BIG}, "offset"),
        ("/v1/claims/1/mentions", {"offset": BIG}, "offset"),
    ],
)
def test_bad_query_parameters_are_refused_by_name(
    client: TestClient,  # type: ignore[type-arg]
    path: str,
    params: dict[str, Any],
    named: str,
) -> None:
    body = assert_problem(client.get(path, params=params), 400, named)
    assert named in body["detail"]


@pytest.mark.parametrize("ident", [BIG, HUGE, 0])
@pytest.mark.parametrize(
    "path",
    [
        "/v1/articles/{}",
        "/v1/articles/{}/claims",
        "/v1/articles/{}/related",
        "/v1/claims/{}",
        "/v1/claims/{}/mentions",
        "/v1/claims/{}/provenance",
        "/v1/mentions/{}/candidates",
    ],
)
def test_ids_beyond_the_store_are_refused(client: TestClient, path: str, ident: int) -> None:  # type: ignore[type-arg]
    assert_problem(client.get(path.format(ident)), 400, "_id")


@pytest.mark.parametrize(
    ("path", "payload", "named"),
    [
        ("/v1/claims/{}/merge", {"other_claim_id": 1}, "claim_id"),
        ("/v1/mentions/{}/detach", {}, "mention_id"),
        ("/v1/suggestions/{}/confirm", {}, "candidate_id"),
        ("/v1/suggestions/{}/reject", {}, "candidate_id"),
    ],
)
def test_decisions_about_ids_beyond_the_store_are_refused(
    client: TestClient,  # type: ignore[type-arg]
    path: str,
    payload: dict[str, Any],
    named: str,
) -> None:
    for ident in (BIG, HUGE):
        assert_problem(client.post(path.format(ident), json=payload), 400, named)


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ({"other_claim_id": BIG}, "other_claim_id"),
        ({"other_claim_id": HUGE}, "other_claim_id"),
        ({"other_claim_id": "2"}, "other_claim_id"),
        ({"other_claim_id": 2, "actor": "ed"}, "actor"),  # the key's name is the actor
        ({"other_claim_id": 2, "note": "a\x00note"}, "note"),
        ({"other_claim_id": 2, "note": "n" * (schemas.MAX_NOTE_CHARS + 1)}, "note"),
    ],
)
def test_bad_decisions_are_refused_by_name(
    client: TestClient,  # type: ignore[type-arg]
    payload: dict[str, Any],
    named: str,
) -> None:
    assert_problem(client.post("/v1/claims/1/merge", json=payload), 400, named)
    assert client.get("/v1/editorial-actions").json()["total"] == 0


def test_a_note_may_have_lines_and_an_integral_float_is_an_id(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.post("/v1/claims/1/merge", json={"other_claim_id": 2.0, "note": "line one\n\tline two"})
    assert_problem(response, 404, "claim")


def test_match_takes_any_text_but_a_clean_speaker(client: TestClient) -> None:  # type: ignore[type-arg]
    assert client.post("/v1/articles", json={"text": QUOTE}).status_code == 201
    text = "We will open three\x00 new clinics in the north this year"
    found = client.post("/v1/match", json={"text": text})
    assert found.status_code == 200, found.text
    assert found.json() and found.json()[0]["kind"] == "quote"
    assert_problem(client.post("/v1/match", json={"text": "clinics", "speaker": "x\x00"}), 400, "speaker")
    assert_problem(client.post("/v1/match", json={"text": " \n "}), 400, "text")
    too_long = "w " * schemas.MAX_MATCH_CHARS
    assert_problem(client.post("/v1/match", json={"text": too_long}), 400, "text")


def test_every_error_is_documented_as_problem_json(client: TestClient) -> None:  # type: ignore[type-arg]
    document = client.get("/schema/openapi.json").json()
    problem = {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "500" in responses, (method, path)
            for status, response in responses.items():
                if status >= "400":
                    where = (method, path, status)
                    assert response["content"] == {"application/problem+json": problem}, where
            if "requestBody" in operation:
                assert {"400", "413", "415"} <= responses.keys(), (method, path)
            if "{" in path:
                assert {"400", "404"} <= responses.keys(), (method, path)
    create = document["paths"]["/v1/articles"]["post"]["responses"]
    assert {"200", "201", "422"} <= create.keys()
    merge = document["paths"]["/v1/claims/{claim_id}/merge"]["post"]["responses"]
    assert "409" in merge
    export = document["paths"]["/v1/exports/{fmt}"]["get"]["responses"]["200"]["content"]
    assert {"text/csv", "application/json", "*/*"} <= export.keys()


def test_the_docs_page_needs_no_network(client: TestClient) -> None:  # type: ignore[type-arg]
    page = client.get("/schema")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert not re.search(r"https?://", page.text)
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert len(assets) >= 3
    for asset in assets:
        assert asset.startswith("/schema/assets/"), asset
        assert client.get(asset).status_code == 200, asset


class BrokenExporter:
    """Writes a first chunk, then fails."""

    format = "broken"
    media_type = "text/plain"
    extension = "txt"

    def export(self, report: Report) -> Iterator[bytes]:
        yield b"first chunk\n"
        raise RuntimeError("the exporter broke")


@pytest.fixture
def served(settings: Settings, registry: PluginRegistry) -> Iterator[str]:
    """The app behind a real uvicorn server on a free port, with an exporter that breaks midway."""
    registry.exporters["broken"] = BrokenExporter()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings, registry), log_level="critical"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    server.should_exit = True
    thread.join(5)
    listener.close()


def test_an_export_failing_midway_breaks_the_download(served: str, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{served}/v1/exports/broken", timeout=10)
    assert "the broken export failed after its response started" in caplog.text
    refused = httpx.get(f"{served}/v1/exports/csv", params={"text": "a\x00"}, timeout=10)
    assert_problem(refused, 400, "text")
    whole = httpx.get(f"{served}/v1/exports/csv", timeout=10)
    assert whole.status_code == 200 and whole.text.startswith("claim_id,")


def test_a_body_over_the_limit_is_refused(database_url: str) -> None:
    settings = Settings(database_url=database_url, max_text_chars=100)
    registry = PluginRegistry.create(settings, load_entrypoints=False)
    with with_key(TestClient(create_app(settings, registry)), settings.database_url) as client:
        assert_problem(client.post("/v1/articles", json={"text": "word " * 20_000}), 413, "larger")
        nothing_stored(client)


def test_page_metadata_is_cut_to_the_columns(client: TestClient) -> None:  # type: ignore[type-arg]
    page = (
        f"<html><head><title>{'t' * 3000}</title><meta name='author' content='{'a' * 900}'>"
        f"<meta property='og:site_name' content='{'s' * 600}'></head><body><article><p>The mayor said "
        "on Monday that the new bridge would open in the spring of next year.</p></article></body></html>"
    )
    created = client.post("/v1/articles", json={"html": page})
    assert created.status_code == 201, created.text
    article = created.json()["article"]
    assert len(article["title"]) == schemas.MAX_TITLE_CHARS
    assert len(article["outlet"]) == schemas.MAX_OUTLET_CHARS
    assert len(article["author"] or "") <= schemas.MAX_AUTHOR_CHARS
