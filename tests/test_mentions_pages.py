"""API views carry a mention count and a bounded sample; every mention is paged by
``GET /v1/claims/{id}/mentions``, every claim of an article by ``GET /v1/articles/{id}/claims``;
reports still carry every mention. On both stores."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine

from provenance.queries import CLAIM_SAMPLE, MENTION_SAMPLE, ClaimFilter, build_report
from tests.test_api import assert_problem

ARTICLES = MENTION_SAMPLE + 3
FERRY = "The new ferry timetable will cut waiting times for every commuter on the island"
BRIDGE = "Repairs to the old stone bridge must be finished before the autumn storms begin"


def article(n: int) -> dict[str, Any]:
    """Article ``n`` of a small run carrying both quotes; later ones are published earlier, so
    order of appearance is not order of ingestion."""
    text = (
        f"Island notes, issue {n}. Residents gathered at hall number {n} to hear the plans.\n\n"
        f"“{FERRY},” said harbour master Elin Dusk.\n\n"
        f"“{BRIDGE},” said county engineer Tomas Reyk."
    )
    published = datetime(2024, 3, 20, tzinfo=UTC) - timedelta(days=n)
    return {"text": text, "url": f"https://island.example/notes/{n}", "published_at": published.isoformat()}


def ingest_run(client: TestClient) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    """Post every article of the run; the stored articles, in posting order."""
    stored = []
    for n in range(ARTICLES):
        response = client.post("/v1/articles", json=article(n))
        assert response.status_code == 201, response.text
        stored.append(response.json())
    return stored


def claim_with(client: TestClient, words: str) -> dict[str, Any]:  # type: ignore[type-arg]
    (claim,) = client.get("/v1/claims", params={"text": words}).json()["items"]
    return claim  # type: ignore[no-any-return]


def all_pages(client: TestClient, claim_id: int, limit: int) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    mentions: list[dict[str, Any]] = []
    while True:
        page = client.get(f"/v1/claims/{claim_id}/mentions", params={"limit": limit, "offset": len(mentions)})
        assert page.status_code == 200, page.text
        body = page.json()
        assert body["total"] == ARTICLES and body["limit"] == limit
        if not body["items"]:
            return mentions
        mentions.extend(body["items"])


def test_views_carry_the_count_and_the_first_mentions_to_appear(client: TestClient) -> None:  # type: ignore[type-arg]
    stored = ingest_run(client)
    earliest_first = [a["article"]["id"] for a in reversed(stored)]
    listed = client.get("/v1/claims", params={"kind": "quote"}).json()["items"]
    assert len(listed) == 2  # one page holds both claims, each sampled on its own
    for claim in listed + [client.get(f"/v1/claims/{c['id']}").json() for c in listed]:
        assert claim["mention_count"] == ARTICLES
        assert [m["article"]["id"] for m in claim["mentions"]] == earliest_first[:MENTION_SAMPLE]
    # article views: the claim's whole count, the mentions in that article only
    last = stored[-1]
    for claims in (
        last["claims"],
        client.get(f"/v1/articles/{last['article']['id']}/claims").json()["items"],
    ):
        quotes = [c for c in claims if c["kind"] == "quote"]
        assert len(quotes) == 2
        for claim in quotes:
            assert claim["mention_count"] == ARTICLES
            assert [m["article"]["id"] for m in claim["mentions"]] == [last["article"]["id"]]


def test_pages_hold_every_mention_once_in_order_of_appearance(client: TestClient) -> None:  # type: ignore[type-arg]
    stored = ingest_run(client)
    claim = claim_with(client, "ferry timetable")
    mentions = all_pages(client, claim["id"], limit=3)
    assert len(mentions) == ARTICLES == len({m["id"] for m in mentions})
    assert [m["article"]["id"] for m in mentions] == [a["article"]["id"] for a in reversed(stored)]
    assert all(FERRY in m["text"] for m in mentions)
    assert mentions[:MENTION_SAMPLE] == claim["mentions"]
    assert all_pages(client, claim["id"], limit=500) == mentions
    assert_problem(client.get(f"/v1/claims/{claim['id']}/mentions", params={"limit": 0}), 400, "limit")


def test_unknown_and_merged_claims_have_no_mentions_page(client: TestClient) -> None:  # type: ignore[type-arg]
    ingest_run(client)
    assert_problem(client.get("/v1/claims/999999/mentions"), 404, "claim")
    ferry, bridge = claim_with(client, "ferry timetable"), claim_with(client, "stone bridge")
    merge = {"other_claim_id": bridge["id"]}
    assert client.post(f"/v1/claims/{ferry['id']}/merge", json=merge).status_code == 200
    gone = assert_problem(client.get(f"/v1/claims/{bridge['id']}/mentions"), 404, "merged into")
    assert gone["merged_into"] == ferry["id"]
    assert client.get(f"/v1/claims/{ferry['id']}").json()["mention_count"] == 2 * ARTICLES


def test_reports_still_carry_every_mention(client: TestClient, engine: Engine) -> None:  # type: ignore[type-arg]
    ingest_run(client)
    claim = claim_with(client, "ferry timetable")
    (reported,) = [c for c in build_report(engine, ClaimFilter(text="ferry timetable")).claims]
    assert reported.mention_count == len(reported.mentions) == ARTICLES
    assert [m.id for m in reported.mentions] == [m["id"] for m in all_pages(client, claim["id"], limit=50)]
    exported = client.get("/v1/exports/json", params={"text": "ferry timetable"}).json()["claims"]
    assert [(c["mention_count"], len(c["mentions"])) for c in exported] == [(ARTICLES, ARTICLES)]
    rows = list(csv.DictReader(io.StringIO(client.get("/v1/exports/csv", params={"kind": "quote"}).text)))
    assert len(rows) == 2 * ARTICLES


def test_an_article_of_many_claims_answers_with_a_sample_and_pages_them_all(client: TestClient) -> None:  # type: ignore[type-arg]
    words = (
        "ferry bridge council budget harbour school clinic road tax vote plan repair storm winter "
        "island market railway library wages rent water power park trees"
    ).split()
    rng = random.Random(7)
    quotes = [
        f"“{' '.join(rng.sample(words, 9)).capitalize()},” said councillor number {n}."
        for n in range(CLAIM_SAMPLE + 15)
    ]
    response = client.post(
        "/v1/articles", json={"text": "\n\n".join(quotes), "url": "https://town.example/c"}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["claim_count"] > CLAIM_SAMPLE and len(created["claims"]) == CLAIM_SAMPLE
    path = f"/v1/articles/{created['article']['id']}/claims"
    claims: list[dict[str, Any]] = []
    while page := client.get(path, params={"limit": 20, "offset": len(claims)}).json()["items"]:
        claims.extend(page)
    assert len(claims) == created["claim_count"] == len({c["id"] for c in claims})
    assert [c["id"] for c in claims[:CLAIM_SAMPLE]] == [c["id"] for c in created["claims"]]
    assert [c["id"] for c in claims] == sorted(c["id"] for c in claims)
    assert_problem(client.get(path, params={"limit": 501}), 400, "limit")
