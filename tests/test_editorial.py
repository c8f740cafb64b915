"""Editorial control through the API, on both stores: suggestions, confirm, reject, merge,
detach, the audit record, and later matching that respects these decisions."""

from __future__ import annotations

from litestar.testing import TestClient

from tests import conftest
from tests.test_api import assert_problem

ORIGINAL = "“The government will cut fuel duty for farmers and hauliers this winter,” the minister said."
REWORDED = "“Fuel duty for hauliers is to be cut by the government, ministers said,” the minister told MPs."
EDITOR = {"note": "checked against the transcript"}


def post(client: TestClient, text: str) -> dict:  # type: ignore[type-arg]
    response = client.post("/v1/articles", json={"text": text})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def quote_claim(article: dict) -> int:  # type: ignore[type-arg]
    (claim,) = [c for c in article["claims"] if c["kind"] == "quote"]
    return int(claim["id"])


def suggestions(client: TestClient) -> list[dict]:  # type: ignore[type-arg]
    response = client.get("/v1/suggestions")
    assert response.status_code == 200
    return response.json()["items"]  # type: ignore[no-any-return]


def test_a_reworded_quote_is_suggested_and_rejecting_it_sticks(client: TestClient) -> None:
    original = quote_claim(post(client, ORIGINAL))
    reworded = quote_claim(post(client, REWORDED))
    assert reworded != original
    (suggestion,) = suggestions(client)
    assert suggestion["claim"]["id"] == original and suggestion["mention"]["claim_id"] == reworded
    assert 0.65 <= suggestion["score"] < 0.8 and suggestion["matcher"] == "fuzzy"
    assert "shared words" in suggestion["explanation"] and suggestion["threshold"] == 0.8

    (trail,) = client.get(f"/v1/mentions/{suggestion['mention']['id']}/candidates").json()
    assert (trail["claim_id"], trail["status"], trail["matcher_version"]) == (original, "suggested", "1")
    assert_problem(client.get("/v1/mentions/999999/candidates"), 404, "mention")

    response = client.post(f"/v1/suggestions/{suggestion['id']}/reject", json=EDITOR)
    assert response.status_code == 200 and response.json()["action"] == "reject"
    assert suggestions(client) == []
    assert_problem(client.post(f"/v1/suggestions/{suggestion['id']}/reject", json=EDITOR), 409, "rejected")
    # the same wording again is never suggested for that claim
    post(client, "Earlier today. " + REWORDED)
    assert suggestions(client) == []


def test_confirming_a_suggestion_moves_the_mention(client: TestClient) -> None:
    original = quote_claim(post(client, ORIGINAL))
    reworded = quote_claim(post(client, REWORDED))
    (suggestion,) = suggestions(client)
    response = client.post(f"/v1/suggestions/{suggestion['id']}/confirm", json=EDITOR)
    assert response.status_code == 200
    assert (response.json()["claim_id"], response.json()["other_claim_id"]) == (original, reworded)
    claim = client.get(f"/v1/claims/{original}").json()
    assert len(claim["mentions"]) == 2
    gone = assert_problem(client.get(f"/v1/claims/{reworded}"), 404, f"merged into claim {original}")
    assert gone["merged_into"] == original  # it had no other mention: folded into the confirmed claim
    # later, the confirmed wording links straight to the claim
    again = post(client, "A later report. " + REWORDED)
    assert quote_claim(again) == original


def test_merge_and_detach_are_recorded_and_respected(client: TestClient) -> None:
    first = quote_claim(post(client, ORIGINAL))
    second = quote_claim(
        post(client, "“Bus fares will be frozen until the election,” the mayor said on Monday.")
    )
    assert_problem(
        client.post(f"/v1/claims/{first}/merge", json={"other_claim_id": first, **EDITOR}), 409, "itself"
    )
    assert_problem(
        client.post(f"/v1/claims/{first}/merge", json={"other_claim_id": 999_999, **EDITOR}), 404, "999999"
    )
    # who decides is the key's name: a body cannot say it
    forged = {"other_claim_id": second, "actor": "someone else"}
    assert_problem(client.post(f"/v1/claims/{first}/merge", json=forged), 400, "actor")

    merged = client.post(f"/v1/claims/{first}/merge", json={"other_claim_id": second, **EDITOR})
    assert merged.status_code == 200 and merged.json()["action"] == "merge"
    assert assert_problem(client.get(f"/v1/claims/{second}"), 404)["merged_into"] == first
    assert_problem(
        client.post(f"/v1/claims/{second}/merge", json={"other_claim_id": first, **EDITOR}), 409, "merged"
    )
    mentions = client.get(f"/v1/claims/{first}").json()["mentions"]
    assert len(mentions) == 2
    # the merged wording now links straight to the kept claim
    bus_again = post(client, "Evening news. “Bus fares will be frozen until the election,” the mayor said.")
    assert quote_claim(bus_again) == first

    bus = next(m for m in mentions if "Bus fares" in m["text"])
    detached = client.post(f"/v1/mentions/{bus['id']}/detach", json=EDITOR)
    assert detached.status_code == 200
    fresh = detached.json()["claim_id"]
    assert fresh != first and len(client.get(f"/v1/claims/{first}").json()["mentions"]) == 2
    assert_problem(client.post(f"/v1/mentions/{bus['id']}/detach", json=EDITOR), 409, "only mention")
    # the same wording later joins the detached claim, never the one it was taken from
    later = post(
        client, "Morning briefing. “Bus fares will be frozen until the election,” the mayor said on Monday."
    )
    assert quote_claim(later) == fresh

    log = client.get("/v1/editorial-actions").json()
    assert [a["action"] for a in log["items"]] == ["detach", "merge"] and log["total"] == 2
    assert all(a["actor"] == conftest.EDITOR and a["at"] for a in log["items"])
    assert_problem(client.post("/v1/mentions/999999/detach", json=EDITOR), 404, "mention")
    assert_problem(client.post("/v1/suggestions/999999/confirm", json=EDITOR), 404, "suggestion")


def test_provenance_related_and_conflicts_through_the_api(client: TestClient) -> None:
    a = post(client, "Fifteen heads of state attended the summit in Samarkand on Friday, officials said.")
    post(client, "Sixteen heads of state attended the summit in Samarkand on Friday.")
    conflicts = client.get("/v1/conflicts").json()
    assert conflicts["total"] == 1
    (conflict,) = conflicts["items"]
    assert {conflict["claim"]["value"], conflict["other"]["value"]} == {15.0, 16.0}
    figure = next(c for c in a["claims"] if c["kind"] == "figure")
    related = client.get(f"/v1/claims/{figure['id']}/provenance").json()["related"]
    assert [r["kind"] for r in related] == ["conflicts_with"]
    assert client.get(f"/v1/articles/{a['article']['id']}/related").json() == []
    assert_problem(client.get("/v1/articles/999999/related"), 404, "article")


def figure_claim(article: dict) -> dict:  # type: ignore[type-arg]
    (claim,) = [c for c in article["claims"] if c["kind"] == "figure"]
    return claim  # type: ignore[no-any-return]


def test_detaching_a_figure_mention_is_respected_when_the_figure_is_printed_again(
    client: TestClient,
) -> None:
    sentence = "Fourteen ferries were cancelled across the northern isles on Tuesday because of the storm."
    first = figure_claim(post(client, sentence))["id"]
    assert figure_claim(post(client, "Ferry news. " + sentence))["id"] == first
    second = next(m for m in client.get(f"/v1/claims/{first}").json()["mentions"] if m["start"] > 0)
    fresh = client.post(f"/v1/mentions/{second['id']}/detach", json=EDITOR).json()["claim_id"]
    # the figure printed again in that wording joins the detached claim, never the one it left
    assert figure_claim(post(client, "Island travel. " + sentence))["id"] == fresh
