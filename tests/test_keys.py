"""API keys, scopes and limits on both stores: the key's life from the command line, hashed
storage, 401 and 403 answers, expiry and revocation, the key's name as the editorial actor,
keyed reads, rate limits and the page-size cap."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import Engine, text

from provenance import keys
from provenance.api.app import create_app
from provenance.cli import main
from provenance.clock import utcnow
from provenance.keys import ApiKeyError, Scope
from provenance.plugins import PluginRegistry
from provenance.settings import Settings
from tests.test_api import assert_problem

QUOTE = "“The ferry will run twice a day from June,” the transport minister said."
OTHER = "“Bus fares will be frozen until the election,” the mayor said on Monday."


def run(database_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--database-url", database_url, *args])
    return result.exit_code, result.output


@pytest.fixture
def anonymous(settings: Settings, registry: PluginRegistry) -> Iterator[TestClient]:  # type: ignore[type-arg]
    """The API with no key sent."""
    with TestClient(create_app(settings, registry)) as client:
        yield client


def keyed(settings: Settings, registry: PluginRegistry, **changes: object) -> TestClient:  # type: ignore[type-arg]
    """A client of the API under ``settings`` with ``changes``, sending no key yet."""
    return TestClient(create_app(replace(settings, **changes), registry))  # type: ignore[arg-type]


def token(engine: Engine, name: str, *scopes: Scope) -> str:
    return keys.create(engine, name, set(scopes))[1]


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def test_keys_are_created_listed_and_revoked_from_the_command_line(database_url: str, engine: Engine) -> None:
    code, out = run(
        database_url, "keys", "create", "--name", "Night desk", "--scope", "read", "--scope", "review"
    )
    assert code == 0, out
    shown = out.strip().splitlines()[-1]
    assert shown.startswith(keys.TOKEN_PREFIX) and len(shown) > 40
    code, out = run(database_url, "keys", "create", "--name", "bot", "--scope", "write", "--expires", "30d")
    assert code == 0 and "expires" in out
    assert run(database_url, "keys", "create", "--name", "bot", "--scope", "read")[1].count("exists already")
    assert run(database_url, "keys", "create", "--name", "x", "--scope", "read", "--expires", "soon")[0] == 2
    past = run(database_url, "keys", "create", "--name", "x", "--scope", "read", "--expires", "2020-01-01")
    assert past[0] == 1 and "past" in past[1]
    assert run(database_url, "keys", "create", "--name", "x", "--scope", "root")[0] == 2

    code, out = run(database_url, "keys", "revoke", "bot")
    assert code == 0 and "revoked" in out
    assert "no key named 'nobody'" in run(database_url, "keys", "revoke", "nobody")[1]
    code, listing = run(database_url, "keys", "list")
    rows = [line.split("\t") for line in listing.strip().splitlines()]
    assert [(r[0], r[1], r[-1]) for r in rows] == [
        ("Night desk", "read review", "valid"),
        ("bot", "write", "revoked"),
    ]
    assert keys.TOKEN_PREFIX not in listing

    # the store keeps the token's SHA-256, never the token
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT * FROM api_key WHERE name = 'Night desk'")).one()
    assert hashlib.sha256(shown.encode()).hexdigest() in stored
    assert not any(shown in str(value) for value in stored)
    found = keys.find(engine, shown)
    assert found is not None and found.name == "Night desk" and found.grants(Scope.REVIEW)
    assert not found.grants(Scope.WRITE) and keys.find(engine, shown + "x") is None


def test_a_key_is_refused_a_blank_name_and_no_scopes(engine: Engine) -> None:
    with pytest.raises(ApiKeyError, match="blank"):
        keys.create(engine, "  ", {Scope.READ})
    with pytest.raises(ApiKeyError, match="scope"):
        keys.create(engine, "empty", set())
    admin, _ = keys.create(engine, "admin", {Scope.ADMIN})
    assert all(admin.grants(scope) for scope in Scope)


def test_writes_need_a_key_with_the_write_scope(
    anonymous: TestClient,  # type: ignore[type-arg]
    engine: Engine,
) -> None:
    missing = assert_problem(
        anonymous.post("/v1/articles", json={"text": QUOTE}), 401, "write", "bearer", "x-api-key"
    )
    assert missing["type"] == "about:blank"
    assert (
        anonymous.post("/v1/articles", json={"text": QUOTE}).headers["www-authenticate"].startswith("Bearer")
    )
    unknown = anonymous.post("/v1/articles", json={"text": QUOTE}, headers=bearer("prov_nonsense"))
    assert_problem(unknown, 401, "not known")
    basic = anonymous.post("/v1/articles", json={"text": QUOTE}, headers={"Authorization": "Basic eDp5"})
    assert_problem(basic, 401, "bearer")

    reader = token(engine, "reader", Scope.READ)
    refused = assert_problem(
        anonymous.post("/v1/articles", json={"text": QUOTE}, headers=bearer(reader)), 403
    )
    assert refused["missing_scope"] == "write" and "'reader' lacks the write scope" in refused["detail"]

    writer = token(engine, "writer", Scope.WRITE)
    created = anonymous.post("/v1/articles", json={"text": QUOTE}, headers={"X-API-Key": writer})
    assert created.status_code == 201, created.text
    both = {**bearer(writer), "X-API-Key": reader}
    assert_problem(
        anonymous.post("/v1/articles", json={"text": QUOTE}, headers=both), 401, "two different keys"
    )
    # reads stay public by default, and so does tracing a text
    assert anonymous.get("/v1/claims").status_code == 200
    assert anonymous.post("/v1/match", json={"text": "ferry"}).status_code == 200
    # a key sent to the API is checked even where none is needed
    assert_problem(anonymous.get("/v1/claims", headers=bearer("prov_nonsense")), 401, "not known")


def test_editorial_actions_need_review_and_record_the_key_name(
    anonymous: TestClient,  # type: ignore[type-arg]
    engine: Engine,
) -> None:
    writer, editor = token(engine, "wire bot", Scope.WRITE), token(engine, "Night desk", Scope.REVIEW)
    claims = []
    for article in (QUOTE, OTHER):
        created = anonymous.post("/v1/articles", json={"text": article}, headers=bearer(writer))
        claims.append(created.json()["claims"][0]["id"])
    merge = f"/v1/claims/{claims[0]}/merge"
    assert_problem(anonymous.post(merge, json={"other_claim_id": claims[1]}), 401, "review")
    refused = assert_problem(
        anonymous.post(merge, json={"other_claim_id": claims[1]}, headers=bearer(writer)), 403
    )
    assert refused["missing_scope"] == "review"
    for path in ("/v1/mentions/1/detach", "/v1/suggestions/1/confirm", "/v1/suggestions/1/reject"):
        assert_problem(anonymous.post(path, json={}, headers=bearer(writer)), 403, "review")
    forged = {"other_claim_id": claims[1], "actor": "the editor in chief"}
    assert_problem(anonymous.post(merge, json=forged, headers=bearer(editor)), 400, "actor")

    merged = anonymous.post(
        merge, json={"other_claim_id": claims[1], "note": "same story"}, headers=bearer(editor)
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["actor"] == "Night desk"
    actions = anonymous.get("/v1/editorial-actions").json()["items"]
    assert [(a["action"], a["actor"], a["note"]) for a in actions] == [("merge", "Night desk", "same story")]


def test_expired_and_revoked_keys_are_refused(
    anonymous: TestClient,  # type: ignore[type-arg]
    engine: Engine,
) -> None:
    soon = keys.create(engine, "temp", {Scope.WRITE}, utcnow() + timedelta(hours=1))[1]
    assert anonymous.post("/v1/articles", json={"text": QUOTE}, headers=bearer(soon)).status_code == 201
    with engine.begin() as connection:  # an hour later
        connection.execute(text("UPDATE api_key SET expires_at = :t WHERE name = 'temp'"), {"t": utcnow()})
    assert_problem(anonymous.post("/v1/articles", json={"text": QUOTE}, headers=bearer(soon)), 401, "expired")

    kept = token(engine, "kept", Scope.WRITE)
    assert anonymous.post("/v1/articles", json={"text": OTHER}, headers=bearer(kept)).status_code == 201
    keys.revoke(engine, "kept")
    assert_problem(anonymous.post("/v1/articles", json={"text": OTHER}, headers=bearer(kept)), 401, "revoked")
    assert_problem(anonymous.get("/v1/claims", headers=bearer(kept)), 401, "revoked")


def test_keyed_reads_need_the_read_scope(
    settings: Settings, registry: PluginRegistry, engine: Engine
) -> None:
    reader, writer = token(engine, "reader", Scope.READ), token(engine, "writer", Scope.WRITE)
    with keyed(settings, registry, reads="keyed") as client:
        assert_problem(client.get("/v1/claims"), 401, "read scope")
        assert_problem(client.post("/v1/match", json={"text": "ferry"}), 401, "read scope")
        assert_problem(client.get("/v1/claims", headers=bearer(writer)), 403, "read")
        assert client.get("/v1/claims", headers=bearer(reader)).status_code == 200
        assert client.get("/v1/exports/csv", headers={"X-API-Key": reader}).status_code == 200
        assert client.post("/v1/match", json={"text": "ferry"}, headers=bearer(reader)).status_code == 200
        assert client.get("/health").status_code == 200  # never keyed
        assert client.get("/schema/openapi.json").status_code == 200


def test_rate_limits_answer_429_with_retry_after(
    settings: Settings, registry: PluginRegistry, engine: Engine
) -> None:
    first, second = token(engine, "first", Scope.READ), token(engine, "second", Scope.READ)
    with keyed(settings, registry, rate_limit=3, rate_limit_anonymous=2) as client:
        answers = [client.get("/v1/claims") for _ in range(2)]
        assert [a.headers["ratelimit-remaining"] for a in answers] == ["1", "0"]
        assert (
            answers[0].headers["ratelimit-limit"] == "2"
            and answers[0].headers["ratelimit-policy"] == "2; w=60"
        )
        over = assert_problem(client.get("/v1/claims"), 429, "2 requests a minute", "retry after")
        limited = client.get("/v1/claims")
        assert 0 < int(limited.headers["retry-after"]) <= 60
        assert limited.headers["retry-after"] == limited.headers["ratelimit-reset"]
        assert over["type"] == "about:blank"
        # each key has its own budget, apart from unkeyed requests from the same address
        assert [client.get("/v1/claims", headers=bearer(first)).status_code for _ in range(4)] == [
            200
        ] * 3 + [429]
        assert client.get("/v1/claims", headers=bearer(second)).status_code == 200
        assert client.get("/health").status_code == 200  # not limited
    with keyed(settings, registry, rate_limit=0, rate_limit_anonymous=0) as unlimited:
        answers = [unlimited.get("/v1/claims") for _ in range(5)]
        assert all(a.status_code == 200 and "ratelimit-limit" not in a.headers for a in answers)


def test_the_page_size_cap_is_a_setting(settings: Settings, registry: PluginRegistry) -> None:
    with keyed(settings, registry, max_page_size=10) as client:
        assert client.get("/v1/claims?limit=10").status_code == 200
        assert_problem(
            client.get("/v1/claims?limit=11"), 400, "limit", "at most 10", "PROVENANCE_MAX_PAGE_SIZE"
        )
        assert_problem(client.get("/v1/articles?limit=501"), 400, "limit")


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("READS", "private", "public, keyed"),
        ("MAX_PAGE_SIZE", "501", "from 1 to 500"),
        ("RATE_LIMIT", "-1", "from 0"),
    ],
)
def test_bad_limit_settings_are_refused(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    monkeypatch.setenv(f"PROVENANCE_{variable}", value)
    with pytest.raises(ValueError, match=words):
        Settings.from_env()


def test_the_openapi_document_says_what_each_operation_needs() -> None:
    document = json.loads((Path(__file__).resolve().parents[1] / "openapi" / "openapi.json").read_text())
    assert set(document["components"]["securitySchemes"]) == {"bearer", "apiKey"}
    post = document["paths"]["/v1/articles"]["post"]
    assert post["security"] == [{"bearer": []}, {"apiKey": []}]
    assert {"401", "403", "429"} <= set(post["responses"]) and "write" in post["responses"]["403"][
        "description"
    ]
    merge = document["paths"]["/v1/claims/{claim_id}/merge"]["post"]
    assert "review" in merge["responses"]["403"]["description"]
    assert "actor" not in document["components"]["schemas"]["MergeRequest"]["properties"]
    read = document["paths"]["/v1/claims"]["get"]
    assert read["security"][0] == {} and "403" not in read["responses"] and "429" in read["responses"]
