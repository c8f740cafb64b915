"""One person, one speaker, across outlets: the same quotation attributed to one person written
in different ways (surname only, with a title, with a middle initial, a long surname misspelt
by one letter, a joint statement, a first name) is one claim; the same words from clearly
different people are two. Through the API, on both stores; every text is written for this test."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

QUOTE = "We will rebuild the northern bridge before the first snow falls on the valley"


def quote_claims(client: TestClient, texts: list[str]) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    """Post each text as an article of its own outlet; the quote claims holding ``QUOTE``."""
    for n, text in enumerate(texts):
        response = client.post("/v1/articles", json={"text": text, "url": f"https://outlet{n}.example/a"})
        assert response.status_code == 201, response.text
    claims = client.get("/v1/claims", params={"kind": "quote", "limit": 100}).json()["items"]
    return [c for c in claims if "northern bridge" in c["text"]]


SAME_PERSON = {
    "surname only": [
        f"The council met on Monday. “{QUOTE},” said Mayor Marguerite Okonjo-Bell.",
        f"Roads were closed. “{QUOTE},” Okonjo-Bell told reporters.",
    ],
    "surname first, full name later": [
        f"Roads were closed. “{QUOTE},” Okonjo-Bell told reporters.",
        f"The council met on Monday. “{QUOTE},” said Mayor Marguerite Okonjo-Bell.",
    ],
    "a two-word surname alone": [
        f"“{QUOTE},” said council chair Rosalind Boyd Whitcombe on Monday.",
        f"Newly elected chair Boyd Whitcombe said: “{QUOTE}.”",
    ],
    "middle initial": [
        f"“{QUOTE},” said Tomasz J. Wielgosz, the regional engineer.",
        f"“{QUOTE},” said Tomasz Wielgosz, the regional engineer.",
    ],
    "title written two ways": [
        f"“{QUOTE},” Constable Petra Lindqvist said in a statement.",
        f"“{QUOTE},” Const. Petra Lindqvist said.",
    ],
    "a long surname misspelt by one letter": [
        f"“{QUOTE},” said Henrietta Vandermeulen, the county engineer.",
        f"“{QUOTE},” said Henrietta Vandermeulin, the county engineer.",
    ],
    "a joint statement and one of its authors": [
        f"The plan was announced. “{QUOTE},” producers Ana Ruiz and Tom Bexley said in a statement.",
        f"The plan was announced on Friday. Ruiz and Bexley added: “{QUOTE}.”",
        f"The plan was announced on Friday. “{QUOTE},” Bexley said.",
    ],
    "a first name in a feature and the full name": [
        f"Ollie Marchetti has farmed the valley for years. “{QUOTE},” Ollie Marchetti said.",
        f"The farmer has worked the valley for years. “{QUOTE},” said Ollie, smiling.",
    ],
    "a descriptor before the name after the quote": [
        f"“{QUOTE},” her spokesman Dario Keel said Thursday in a statement.",
        f"Spokesman Dario Keel said: “{QUOTE}.”",
    ],
    "a pronoun after a sentence naming others in a clause": [
        (
            "Transport Minister Wendell Oyelaran said Carla Brandt will lead the work, while Ivan "
            f"Petrov will audit it. “{QUOTE},” he told reporters."
        ),
        f"“{QUOTE},” Oyelaran said.",
    ],
}


@pytest.mark.parametrize("case", sorted(SAME_PERSON))
def test_one_person_written_two_ways_is_one_claim(client: TestClient, case: str) -> None:  # type: ignore[type-arg]
    claims = quote_claims(client, SAME_PERSON[case])
    assert len(claims) == 1, [(c["text"], c["speaker"]) for c in claims]
    assert len(claims[0]["mentions"]) == len(SAME_PERSON[case])


DIFFERENT_PEOPLE = {
    "same surname, other first name": [
        f"“{QUOTE},” said John Harrowgate, the mayor.",
        f"“{QUOTE},” said Jane Harrowgate, the engineer.",
    ],
    "a short surname one letter apart": [
        f"“{QUOTE},” said Mark Bell, the mayor.",
        f"“{QUOTE},” said Mark Bull, the mayor.",
    ],
    "a long surname one letter apart, other first name": [
        f"“{QUOTE},” said Henrietta Vandermeulen, the engineer.",
        f"“{QUOTE},” said Gustav Vandermeulin, the engineer.",
    ],
    "other surnames": [
        f"“{QUOTE},” said Amara Osei, the mayor.",
        f"“{QUOTE},” said Lukas Brenner, the mayor.",
    ],
}


@pytest.mark.parametrize("case", sorted(DIFFERENT_PEOPLE))
def test_the_same_words_from_different_people_are_two_claims(client: TestClient, case: str) -> None:  # type: ignore[type-arg]
    claims = quote_claims(client, DIFFERENT_PEOPLE[case])
    assert len(claims) == 2, [(c["text"], c["speaker"]) for c in claims]


def test_a_time_written_two_ways_and_an_editors_insertion_change_no_figure(client: TestClient) -> None:  # type: ignore[type-arg]
    claims = quote_claims(
        client,
        [
            f"“{QUOTE}, and the road opens at 6 p.m. on Friday,” said Amara Osei.",
            f"“{QUOTE}, and the road opens at 6:00 p.m. on Friday,” said Amara Osei.",
            f"“{QUOTE}, and the road opens at 18:00 on Friday [12 March],” said Amara Osei.",
        ],
    )
    assert len(claims) == 1, [c["text"] for c in claims]
    later = f"“{QUOTE}, and the road opens at 7 p.m. on Friday,” said Amara Osei."
    other_hour = quote_claims(client, [later])
    assert len(other_hour) == 2  # another hour is another claim


def test_same_person_reads_names_as_outlets_print_them() -> None:
    from provenance.names import same_person

    assert same_person("Cheryl Boone Isaacs", "Boone Isaacs")
    assert same_person("Isaacs", "Cheryl Boone Isaacs")
    assert same_person("Tomasz J. Wielgosz", "Tomasz Wielgosz")
    assert same_person("Ollie", "Ollie Marchetti")
    assert same_person("Henrietta Vandermeulen", "Henrietta Vandermeulin")
    assert same_person("Ana Ruiz and Tom Bexley", "Bexley")
    assert not same_person("John Harrowgate", "Jane Harrowgate")
    assert not same_person("Mark Bell", "Mark Bull")
    assert not same_person("Henrietta Vandermeulen", "Gustav Vandermeulin")
    assert not same_person("Vandermeulen", "Vandermeulin")  # a misspelling needs the first name to agree
    assert not same_person("Ana Ruiz and Tom Bexley", "Lukas Brenner")


def test_a_first_name_alone_is_not_someone_of_that_name_in_another_article(client: TestClient) -> None:  # type: ignore[type-arg]
    quote_claims(
        client,
        [
            "“We will vote against the budget,” said Green Party leader Rosa May on Tuesday.",
            "Talks in Brussels went on. “The deal on the table is the only deal,” Prime Minister May said.",
        ],
    )
    claims = client.get("/v1/claims", params={"kind": "quote"}).json()["items"]
    speakers = {c["text"]: c["mentions"][0]["resolved_speaker"] for c in claims}
    assert speakers["We will vote against the budget"]["name"] == "Rosa May"
    assert (speakers["The deal on the table is the only deal"] or {}).get("name") != "Rosa May"
