"""Articles keyed as newsrooms key them, through the API: reprints, corrections, idempotency."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

STORY = (
    "“The ferry will run 12 times a day from March,” the harbour master said on Tuesday. "
    "Residents of the island said they had waited ten years for a reliable crossing."
)
CORRECTED = STORY.replace("12 times", "16 times")


def post(client: TestClient, **body: Any) -> tuple[int, dict[str, Any]]:  # type: ignore[type-arg]
    response = client.post("/v1/articles", json=body)
    return response.status_code, response.json()


def outlets_of(client: TestClient, claim_id: int) -> set[str]:  # type: ignore[type-arg]
    found = client.get(f"/v1/claims/{claim_id}/provenance").json()
    return {a["article"]["outlet"] for a in found["appearances"]}


def test_verbatim_reprints_are_articles_of_their_own(client: TestClient) -> None:  # type: ignore[type-arg]
    answers = [
        post(client, text=STORY, url=f"https://{outlet.lower()}.example/ferry", outlet=outlet)
        for outlet in ("Wire", "Herald", "Courier")
    ]
    assert [status for status, _ in answers] == [201, 201, 201]
    assert [body["outcome"] for _, body in answers] == ["created"] * 3
    first = answers[0][1]["article"]["id"]
    assert [body["article"]["copy_of_id"] for _, body in answers] == [None, first, first]
    quote = next(c for c in answers[0][1]["claims"] if c["text"].startswith("The ferry"))
    assert outlets_of(client, quote["id"]) == {"Wire", "Herald", "Courier"}


def test_a_corrected_text_at_a_known_url_is_a_new_version(client: TestClient) -> None:  # type: ignore[type-arg]
    _, first = post(client, text=STORY, url="https://news.example/ferry")
    status, again = post(client, text=STORY, url="https://news.example/ferry")
    assert (status, again["outcome"], again["article"]["id"]) == (200, "unchanged", first["article"]["id"])
    assert again["changes"] is None

    status, corrected = post(client, text=CORRECTED, url="https://news.example/ferry")
    assert (status, corrected["outcome"]) == (201, "new_version")
    article = corrected["article"]
    assert (article["version"], article["previous_version_id"]) == (2, first["article"]["id"])
    assert "16 times a day" in article["text"]
    changes = corrected["changes"]
    assert changes["previous_version_id"] == first["article"]["id"]
    assert changes["claims_added"] and len(changes["claims_added"]) == len(changes["claims_removed"])
    assert changes["claims_kept"] >= 1  # the residents' words did not change

    earlier = client.get(f"/v1/articles/{first['article']['id']}").json()
    assert "12 times a day" in earlier["text"] and earlier["version"] == 1
    kept = client.get(f"/v1/articles/{first['article']['id']}/claims").json()["items"]
    assert {c["id"] for c in kept} >= set(changes["claims_removed"])


def test_text_without_a_url_is_idempotent_by_content(client: TestClient) -> None:  # type: ignore[type-arg]
    status, first = post(client, text=STORY)
    assert (status, first["outcome"]) == (201, "created")
    status, again = post(client, text=STORY + "\n")
    assert (status, again["outcome"], again["article"]["id"]) == (200, "unchanged", first["article"]["id"])
