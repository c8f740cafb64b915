"""Reports show what was said and what the article printed: a claim's text is the words said,
without the marks that framed them; each mention carries the quotation as printed it is part
of (its passage) and the person its speaker resolves to, and each claim its related claims (an
excerpt ``part_of`` its quote, which ``contains`` it), in the API, the JSON report and the CSV
report. On both stores; the texts are written for this test."""

from __future__ import annotations

import csv
import io
from typing import Any

from litestar.testing import TestClient

WHOLE = (
    "“The new ferry will run every hour from the first of May. Tickets will cost the same as the bus. "
    "Nobody on the island should be left waiting in the rain for a boat that never comes,”"
)
FIRST = f"The harbour board met on Monday. {WHOLE} said harbour master Elin Dusk after the vote."
FRAGMENT = (
    "Islanders cheered the plan. Harbour master Elin Dusk said nobody should be “left waiting in the "
    "rain for a boat that never comes” as she left the meeting."
)


def post(client: TestClient, text: str, url: str) -> dict[str, Any]:  # type: ignore[type-arg]
    response = client.post("/v1/articles", json={"text": text, "url": url})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_quote_of_three_sentences_is_three_mentions_of_one_passage(client: TestClient) -> None:  # type: ignore[type-arg]
    created = post(client, FIRST, "https://island.example/ferry")
    quotes = [c for c in created["claims"] if c["kind"] == "quote"]
    assert len(quotes) == 3  # one claim per sentence, as before
    assert [q["text"] for q in quotes] == [  # what was said; the mentions keep what was printed
        "The new ferry will run every hour from the first of May.",
        "Tickets will cost the same as the bus.",
        "Nobody on the island should be left waiting in the rain for a boat that never comes",
    ]
    assert quotes[0]["mentions"][0]["text"].startswith("“") and quotes[2]["mentions"][0]["text"].endswith(
        ",”"
    )
    passages = {
        (m["passage"]["start"], m["passage"]["end"], m["passage"]["text"])
        for q in quotes
        for m in q["mentions"]
    }
    (passage,) = passages
    stored = client.get(f"/v1/articles/{created['article']['id']}").json()["text"]
    assert passage[2] == WHOLE == stored[passage[0] : passage[1]]
    for quote in quotes:
        (mention,) = quote["mentions"]
        assert passage[0] <= mention["start"] < mention["end"] <= passage[1]
        assert mention["resolved_speaker"]["name"] == "Elin Dusk"  # beside the speaker as written

    exported = client.get("/v1/exports/json", params={"kind": "quote"}).json()["claims"]
    assert {m["passage"]["text"] for c in exported for m in c["mentions"]} == {WHOLE}
    rows = list(csv.DictReader(io.StringIO(client.get("/v1/exports/csv", params={"kind": "quote"}).text)))
    assert len(rows) == 3 and {r["passage"] for r in rows} == {WHOLE}
    assert {(r["passage_start"], r["passage_end"]) for r in rows} == {(str(passage[0]), str(passage[1]))}


def test_an_excerpt_printed_elsewhere_is_related_to_its_quote_in_every_report(client: TestClient) -> None:  # type: ignore[type-arg]
    post(client, FIRST, "https://island.example/ferry")
    fragment = post(client, FRAGMENT, "https://island.example/cheers")
    (excerpt,) = [c for c in fragment["claims"] if c["kind"] == "quote"]
    (whole,) = client.get("/v1/claims", params={"text": "Nobody on the island"}).json()["items"]
    assert excerpt["id"] != whole["id"]

    def related(claim: dict[str, Any]) -> list[tuple[int, str]]:
        return [(r["claim_id"], r["relation"]) for r in claim["related"]]

    assert related(excerpt) == [(whole["id"], "part_of")]
    assert related(client.get(f"/v1/claims/{whole['id']}").json()) == [(excerpt["id"], "contains")]
    report = {c["id"]: c for c in client.get("/v1/exports/json").json()["claims"]}
    (seen,) = report[excerpt["id"]]["related"]
    assert (seen["claim_id"], seen["relation"]) == (whole["id"], "part_of") and 0.9 <= seen["score"] <= 1
    assert related(report[whole["id"]]) == [(excerpt["id"], "contains")]
    rows = list(csv.DictReader(io.StringIO(client.get("/v1/exports/csv").text)))
    cells = {r["claim_id"]: r["related"] for r in rows}
    assert cells[str(excerpt["id"])].startswith(f"part_of {whole['id']} (")
    assert cells[str(whole["id"])].startswith(f"contains {excerpt['id']} (")


def test_an_articles_quotations_are_shown_whole_in_the_order_printed(client: TestClient) -> None:  # type: ignore[type-arg]
    text = (
        f"{FIRST} Ticket prices rose by 12 percent last year. "
        "“We are grateful to every islander who wrote to us about the old timetable,” said Ivo Marr."
    )
    created = post(client, text, "https://island.example/ferry-whole")
    article_id = created["article"]["id"]
    page = client.get(f"/v1/articles/{article_id}/quotations").json()
    ferry, thanks = page["items"]
    assert page["total"] == 2 and ferry["passage"]["text"] == WHOLE
    assert [c["text"] for c in ferry["claims"]] == [
        "The new ferry will run every hour from the first of May.",
        "Tickets will cost the same as the bus.",
        "Nobody on the island should be left waiting in the rain for a boat that never comes",
    ]
    assert ferry["speaker"] == "harbour master Elin Dusk" and ferry["resolved_speaker"]["name"] == "Elin Dusk"
    assert {c["kind"] for c in ferry["claims"] + thanks["claims"]} == {
        "quote"
    }  # the 12 percent is no quotation
    assert thanks["resolved_speaker"]["name"] == "Ivo Marr" and len(thanks["claims"]) == 1
    stored = client.get(f"/v1/articles/{article_id}").json()["text"]
    for claim in ferry["claims"]:
        assert ferry["passage"]["start"] <= claim["start"] < claim["end"] <= ferry["passage"]["end"]
        assert stored[claim["start"] : claim["end"]] in ferry["passage"]["text"]
    second = client.get(f"/v1/articles/{article_id}/quotations", params={"limit": 1, "offset": 1}).json()
    assert second["total"] == 2 and second["items"] == [thanks]
    assert client.get("/v1/articles/999999/quotations").status_code == 404


def test_claim_views_carry_the_first_related_claims_and_count_them_all(client: TestClient) -> None:  # type: ignore[type-arg]
    for n in range(24):
        post(
            client,
            f"Turnout at the harbour vote reached {1200 + n} voters on Sunday, officials said.",
            f"https://h{n}.example/v",
        )
    claims = client.get("/v1/claims", params={"kind": "figure", "limit": 50}).json()["items"]
    first = min(claims, key=lambda c: c["id"])
    assert first["related_count"] == 23 and len(first["related"]) == 20  # the first 20 of 23 conflicts
    assert {r["relation"] for r in first["related"]} == {"conflicts_with"}
    assert len(client.get(f"/v1/claims/{first['id']}/provenance").json()["related"]) == 23  # all of them
    exported = {
        c["id"]: c for c in client.get("/v1/exports/json", params={"kind": "figure"}).json()["claims"]
    }
    assert len(exported[first["id"]]["related"]) == exported[first["id"]]["related_count"] == 23


def test_a_quote_inside_reported_speech_is_printed_in_that_passage(client: TestClient) -> None:  # type: ignore[type-arg]
    text = "The vote was close. Councillor Ida Marsh said the new tax would “hurt every small shop” in town."
    article = post(client, text, "https://example.org/marsh")
    (quotation,) = client.get(f"/v1/articles/{article['article']['id']}/quotations").json()["items"]
    assert quotation["passage"]["text"] == "the new tax would “hurt every small shop” in town"
    assert sorted(c["kind"] for c in quotation["claims"]) == ["attribution", "quote"]
