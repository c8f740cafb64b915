"""The REST API through Litestar's test client, on both stores."""

from __future__ import annotations

import csv
import io
import json

import pytest
from litestar.testing import TestClient

from provenance.api.app import create_app
from provenance.plugins import PluginRegistry
from provenance.settings import Settings
from tests.conftest import with_key

QUOTE = "“We will open three new clinics in the north this year,” the health minister said on Monday."


def assert_problem(response, status: int, *words: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    text = json.dumps(body).lower()
    for word in words:
        assert word.lower() in text, (word, body)
    return body  # type: ignore[no-any-return]


def test_post_article_returns_it_with_its_claims_and_reposts_are_idempotent(client: TestClient) -> None:  # type: ignore[type-arg]
    created = client.post(
        "/v1/articles",
        json={
            "text": QUOTE,
            "url": "https://n.example/1",
            "outlet": "Daily",
            "published_at": "2024-03-01T09:00:00+01:00",
        },
    )
    assert created.status_code == 201
    body = created.json()
    article = body["article"]
    assert article["outlet"] == "Daily" and article["published_at"] == "2024-03-01T08:00:00Z"
    (quote,) = [c for c in body["claims"] if c["kind"] == "quote"]
    mention = quote["mentions"][0]
    assert article["text"][mention["start"] : mention["end"]] == mention["text"]
    assert mention["speaker"] == "the health minister" and mention["cue"] == "said"
    again = client.post("/v1/articles", json={"text": QUOTE, "url": "https://n.example/1"})
    assert again.status_code == 200 and again.json()["article"]["id"] == article["id"]
    same_text = client.post("/v1/articles", json={"text": QUOTE})
    assert same_text.status_code == 200 and same_text.json()["article"]["id"] == article["id"]


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        ({"text": ""}, 422, ["empty"]),
        ({"text": "   "}, 422, ["empty"]),
        ({"text": 5}, 400, ["text", "str"]),
        ({"text": "ok text here", "html": "<p>ok</p>"}, 400, ["exactly one", "html"]),
        ({"html": "<html><body></body></html>"}, 422, ["html"]),
        ({"title": "no article in it"}, 400, ["text", "url"]),  # a url alone is fetched: test_fetching
        ({"text": "ok text here", "published_at": "yesterday"}, 400, ["published_at"]),
        ({"text": "ok text here", "colour": "red"}, 400, ["colour"]),
        ([1, 2], 400, []),
    ],
)
def test_bad_articles_get_a_problem(
    client: TestClient, payload: object, status: int, words: list[str]
) -> None:  # type: ignore[type-arg]
    assert_problem(client.post("/v1/articles", json=payload), status, *words)


def test_html_articles_are_stored_as_their_main_text(client: TestClient) -> None:  # type: ignore[type-arg]
    page = (
        "<html><head><title>Port strike ends</title></head><body><nav><a href='/'>Home</a></nav>"
        "<article><h1>Port strike ends</h1><p>Dock workers voted on Sunday to end a strike that had "
        "closed the port for nine days, the union said.</p><p>“We got what we came for,” union leader "
        "Mira Jansen told reporters outside the hall.</p></article>"
        "<footer>Subscribe to our newsletter</footer></body></html>"
    )
    response = client.post("/v1/articles", json={"html": page, "outlet": "Harbour Times"})
    assert response.status_code == 201, response.text
    article = response.json()["article"]
    assert "Home" not in article["text"] and "newsletter" not in article["text"]
    assert (article["title"], article["outlet"]) == ("Port strike ends", "Harbour Times")
    (quote,) = [c for c in response.json()["claims"] if c["kind"] == "quote"]
    assert quote["mentions"][0]["speaker"] == "union leader Mira Jansen"


def test_malformed_json_gets_a_problem(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.post(
        "/v1/articles", content=b'{"text": "unfinished', headers={"content-type": "application/json"}
    )
    assert_problem(response, 400, "json")


def test_oversized_text_gets_a_problem(settings: Settings) -> None:
    small = Settings(database_url=settings.database_url, max_text_chars=50)
    with with_key(
        TestClient(create_app(small, PluginRegistry.create(small, load_entrypoints=False))),
        small.database_url,
    ) as client:
        assert_problem(client.post("/v1/articles", json={"text": "x " * 60}), 422, "limit is 50")
        huge = client.post("/v1/articles", json={"text": "x" * 300_000})
        assert_problem(huge, 413, "larger than this server accepts")


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/v1/articles/999", 404, ["article", "999"]),
        ("/v1/articles/999/claims", 404, ["article"]),
        ("/v1/claims/999", 404, ["claim", "999"]),
        ("/v1/claims/999/provenance", 404, ["claim"]),
        ("/v1/articles/abc", 404, []),
        ("/v1/exports/xml", 404, ["xml", "csv", "json"]),
        ("/v1/articles?limit=0", 400, ["limit"]),
        ("/v1/articles?limit=abc", 400, ["limit"]),
        ("/v1/claims?kind=rumour", 400, ["kind"]),
        ("/v1/claims?article_id=x", 400, ["article_id"]),
    ],
)
def test_bad_reads_get_a_problem(client: TestClient, path: str, status: int, words: list[str]) -> None:  # type: ignore[type-arg]
    assert_problem(client.get(path), status, *words)


def test_match_validates_its_body(client: TestClient) -> None:  # type: ignore[type-arg]
    assert_problem(client.post("/v1/match", json={"text": " "}), 400, "empty")
    assert_problem(client.post("/v1/match", json={"speaker": "x"}), 400, "text")


@pytest.fixture
def seeded_client(client: TestClient, seed_texts: dict[str, str]) -> TestClient:  # type: ignore[type-arg]
    for n, (name, text) in enumerate(seed_texts.items()):
        response = client.post(
            "/v1/articles",
            json={
                "text": text,
                "url": f"https://seed.example/{name}",
                "published_at": f"2022-09-15T1{n}:00:00Z",
            },
        )
        assert response.status_code == 201
    return client


def balanced_claim(client: TestClient) -> dict:  # type: ignore[type-arg]
    page = client.get("/v1/claims", params={"text": "balanced position", "kind": "quote"}).json()
    (claim,) = page["items"]
    return claim  # type: ignore[no-any-return]


def test_lists_filter_and_paginate(seeded_client: TestClient) -> None:  # type: ignore[type-arg]
    articles = seeded_client.get("/v1/articles", params={"limit": 2, "offset": 1}).json()
    assert articles["total"] == 5 and len(articles["items"]) == 2 and articles["items"][0]["text"] is None
    figures = seeded_client.get("/v1/claims", params={"kind": "figure", "limit": 500}).json()
    assert figures["total"] == len(figures["items"]) > 0 and {c["kind"] for c in figures["items"]} == {
        "figure"
    }
    putin = seeded_client.get("/v1/claims", params={"speaker": "Putin", "limit": 500}).json()["items"]
    assert putin and all(c["speaker"]["name"] == "Vladimir Putin" for c in putin)
    article_id = articles["items"][0]["id"]
    in_article = seeded_client.get("/v1/claims", params={"article_id": article_id, "limit": 500}).json()[
        "items"
    ]
    article_claims = seeded_client.get(f"/v1/articles/{article_id}/claims", params={"limit": 500}).json()[
        "items"
    ]
    assert [c["id"] for c in article_claims] == [c["id"] for c in in_article]
    assert all(
        c["mentions"] and {m["article"]["id"] for m in c["mentions"]} == {article_id} for c in article_claims
    )


def test_claim_detail_and_provenance(seeded_client: TestClient) -> None:  # type: ignore[type-arg]
    claim = balanced_claim(seeded_client)
    detail = seeded_client.get(f"/v1/claims/{claim['id']}").json()
    assert len(detail["mentions"]) == 4 and detail["speaker"]["name"] == "Vladimir Putin"
    provenance = seeded_client.get(f"/v1/claims/{claim['id']}/provenance").json()
    first = provenance["first_appearance"]
    assert first["article"]["url"].endswith("000_13b5eb0d5458f789.txt") and first["time_basis"] == "published"
    times = [a["seen_at"] for a in provenance["appearances"]]
    assert times == sorted(times) and len(times) == 4
    wordings = {a["text"] for a in provenance["appearances"]}
    assert len(wordings) == 4  # four outlets, four translations


def test_provenance_without_publication_times_uses_each_article_s_ingestion(client: TestClient) -> None:  # type: ignore[type-arg]
    first = client.post("/v1/articles", json={"text": QUOTE, "url": "https://n.example/first"}).json()
    second_text = QUOTE.replace("on Monday", "in a radio interview on Tuesday")
    second = client.post("/v1/articles", json={"text": second_text, "url": "https://n.example/second"}).json()
    (quote,) = [c for c in second["claims"] if c["kind"] == "quote"]
    appearances = client.get(f"/v1/claims/{quote['id']}/provenance").json()["appearances"]
    assert [a["time_basis"] for a in appearances] == ["ingested", "ingested"]
    assert [a["seen_at"] for a in appearances] == [
        first["article"]["ingested_at"],
        second["article"]["ingested_at"],
    ]


def test_match_traces_a_quote_back(seeded_client: TestClient) -> None:  # type: ignore[type-arg]
    hits = seeded_client.post(
        "/v1/match",
        json={"text": "We value the balanced position of our Chinese friends on the crisis in Ukraine"},
    ).json()
    assert hits[0]["claim_id"] == balanced_claim(seeded_client)["id"]
    assert (
        0.8 <= hits[0]["score"] <= 1 and hits[0]["matcher"] in {"fuzzy", "exact"} and hits[0]["explanation"]
    )
    assert (
        seeded_client.post(
            "/v1/match", json={"text": "The harvest festival starts on Sunday in the old town"}
        ).json()
        == []
    )
    (fragment,) = seeded_client.post(
        "/v1/match", json={"text": "the balanced position of our Chinese friends"}
    ).json()
    assert (fragment["claim_id"], fragment["status"]) == (balanced_claim(seeded_client)["id"], "part_of")
    wrong_speaker = seeded_client.post(
        "/v1/match", json={"text": balanced_claim(seeded_client)["text"], "speaker": "Someone Else"}
    ).json()
    assert wrong_speaker == []


def test_json_export_has_the_report_shape(seeded_client: TestClient) -> None:  # type: ignore[type-arg]
    response = seeded_client.get("/v1/exports/json", params={"kind": "quote"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert 'filename="provenance.json"' in response.headers["content-disposition"]
    report = response.json()
    assert set(report) == {"generated_at", "claims"}
    claim = report["claims"][0]
    assert {"id", "kind", "text", "speaker", "first_seen", "mentions", "mention_count"} <= set(claim)
    assert claim["mention_count"] == len(claim["mentions"])  # a report carries every mention
    assert {"id", "article", "text", "start", "end", "speaker", "cue", "matcher", "score"} <= set(
        claim["mentions"][0]
    )
    assert {"id", "url", "title", "outlet", "published_at"} <= set(claim["mentions"][0]["article"])
    assert {c["kind"] for c in report["claims"]} == {"quote"}


def test_csv_export_is_one_row_per_mention(seeded_client: TestClient) -> None:  # type: ignore[type-arg]
    response = seeded_client.get("/v1/exports/csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    total_mentions = sum(
        c["mention_count"] for c in seeded_client.get("/v1/claims", params={"limit": 500}).json()["items"]
    )
    assert len(rows) == total_mentions
    articles = {a["id"]: a for a in seeded_client.get("/v1/articles").json()["items"]}
    row = rows[0]
    text = seeded_client.get(f"/v1/articles/{row['article_id']}").json()["text"]
    assert text[int(row["start"]) : int(row["end"])] == row["mention_text"]
    assert int(row["article_id"]) in articles


def test_plugins_and_health(client: TestClient) -> None:  # type: ignore[type-arg]
    body = client.get("/v1/plugins").json()
    provided = {name for p in body["plugins"] for names in p["provides"].values() for name in names}
    assert {"quotes", "attributions", "figures", "exact", "fuzzy", "figure", "csv", "json"} <= provided
    assert body["errors"] == []
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["database"] in {"sqlite", "postgresql"}
