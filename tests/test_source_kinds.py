"""Who speaks, as US and Canadian outlets print it: party-state and title parentheticals, colon
attributions, organisations kept whole, and sources that are documents or media outlets, typed as
such. Through the pipeline's prepare step (no store); every text is written for this test."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from provenance.articles import ArticleInput
from provenance.pipeline import prepare
from provenance.plugins import PluginRegistry
from provenance.settings import Settings

REGISTRY = PluginRegistry.create(Settings(database_url="sqlite://"), load_entrypoints=False)


def speakers(text: str) -> list[tuple[str, str] | None]:
    """For each quote or attribution: (the resolved name, as written), or ``None``."""
    prepared = prepare(REGISTRY, ArticleInput(text=text))
    return [
        s for e, s in zip(prepared.extractions, prepared.speakers, strict=True) if e.kind.value != "figure"
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("“We have the votes to pass it this week,” Rep. John Mica (R-Fla.) said on Tuesday.", "John Mica"),
        ("“We will bring it to the floor in March,” Senate Majority Leader Mitch McConnell, R-Ky., said.",
         "Mitch McConnell"),
        ("“Nobody in my district wants this bill to pass,” said Rep. Ann Kuster, D-N.H., in a statement.",
         "Ann Kuster"),
        ("Rep. Maxine Waters (D-Calif.) told reporters: “The committee will subpoena the bank records.”",
         "Maxine Waters"),
        ("The race tightened. Sen. Bernie Sanders (Vt.), who lost the primary, said “the fight goes on in "
         "every state.”", "Bernie Sanders"),
        ("Reactions poured in.\n\nCarla Sanchez: “This is the best news our town has had in years.”",
         "Carla Sanchez"),
    ],
)  # fmt: skip
def test_us_house_style_names_the_person(text: str, name: str) -> None:
    (speaker,) = speakers(text)
    assert speaker is not None and speaker[0] == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("“The utility will raise rates by spring,” BC Hydro said in a statement.", "BC Hydro"),
        ("“Wait times will get longer before they get shorter,” the Nova Scotia Health Authority said.",
         "Nova Scotia Health Authority"),
        ("“The senator has not decided how he will vote on the measure,” The Hill reported.", "The Hill"),
        ("“Ticket sales rose for the third year in a row,” the New York Times reported on Sunday.",
         "New York Times"),
    ],
)  # fmt: skip
def test_an_organisation_or_outlet_is_named_whole(text: str, name: str) -> None:
    (speaker,) = speakers(text)
    assert speaker is not None and speaker[0] == name


def post_each(client: TestClient, texts: list[str]) -> None:  # type: ignore[type-arg]
    """Post each text as an article of its own outlet."""
    for n, text in enumerate(texts):
        response = client.post("/v1/articles", json={"text": text, "url": f"https://o{n}.example/a"})
        assert response.status_code == 201, response.text


def quote_claims(client: TestClient) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    return client.get("/v1/claims", params={"kind": "quote"}).json()["items"]  # type: ignore[no-any-return]


def test_an_organisations_last_word_alone_is_not_the_organisation(client: TestClient) -> None:  # type: ignore[type-arg]
    texts = [
        "“Wait times will get longer before they get shorter,” the Nova Scotia Health Authority said.",
        "“The review will take a year,” the Authority said, without naming which.",
    ]
    post_each(client, texts)
    speakers = {c["text"]: c["speaker"] for c in quote_claims(client)}
    assert (
        speakers["Wait times will get longer before they get shorter"]["name"]
        == "Nova Scotia Health Authority"
    )
    assert (speakers["The review will take a year"] or {}).get("name") != "Nova Scotia Health Authority"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("“The program will end in June for every applicant,” the letter said.", "document"),
        ("The plan changed. “All transfers stop at once,” a Homeland Security memo said.", "document"),
        ("“The senator has not decided how he will vote,” The Hill reported.", "media"),
        ("“Ticket sales rose for the third year,” the New York Times reported.", "media"),
        ("“The utility will raise rates by spring,” BC Hydro said.", "organisation"),
        ("“The border stays closed until further notice,” the ministry said.", "organisation"),
        ("“We have the votes to pass it this week,” Rep. John Mica (R-Fla.) said.", "person"),
        ("“We will appeal the ruling,” the mayor said.", "person"),
    ],
)
def test_each_source_is_typed(text: str, kind: str) -> None:
    prepared = prepare(REGISTRY, ArticleInput(text=text))
    (found,) = [
        k
        for e, k in zip(prepared.extractions, prepared.speaker_kinds, strict=True)
        if e.kind.value != "figure"
    ]
    assert found == kind


def test_an_outlet_that_printed_a_quote_is_no_other_person(client: TestClient) -> None:  # type: ignore[type-arg]
    quote = "The northern bridge will reopen to traffic before the first snow falls"
    texts = [f"“{quote},” said Mayor Ilse Varga on Monday.", f"“{quote},” the Harbour Gazette reported."]
    post_each(client, texts)
    (claim,) = [c for c in quote_claims(client) if "bridge" in c["text"]]
    mayor, gazette = claim["mentions"]
    assert (mayor["speaker_kind"], mayor["resolved_speaker"]["kind"]) == ("person", "person")
    assert (gazette["speaker_kind"], gazette["resolved_speaker"]["kind"]) == ("media", "media")
    assert claim["speaker"]["name"] == "Ilse Varga"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("We asked readers.\n\n“I voted for the first time in my life.” ― Marisol Reyes, 34, Tucson",
         "Marisol Reyes"),
        ("Readers wrote in.\n\n“My parents never had this chance.” — Tomas Ortega, Phoenix", "Tomas Ortega"),
        ("Senator Ada Quill called the plan “a disaster for the whole city” on Monday.", "Ada Quill"),
        ("The mayor described the budget as “the most careful in a decade” in her speech.", "the mayor"),
        ("According to Limbaugh, “the moderators will never ask her a hard question.”", "Limbaugh"),
        ("''We are not going to stop until every family has a home,'' said Lena Marsh, the director.",
         "Lena Marsh"),
    ],
)  # fmt: skip
def test_a_sign_off_a_naming_verb_a_fronted_source_and_doubled_marks_name_the_speaker(
    text: str, name: str
) -> None:
    prepared = prepare(REGISTRY, ArticleInput(text=text))
    (quote,) = [e for e in prepared.extractions if e.kind.value == "quote"]
    assert quote.speaker is not None and name.lower() in quote.speaker.lower()


def test_a_surname_alone_takes_the_kind_of_the_person_it_resolves_to(client: TestClient) -> None:  # type: ignore[type-arg]
    texts = [
        "“The harbour will stay open all winter,” said Mayor Ilse Varga on Monday.",
        "“Nobody will lose their mooring this year,” Varga said.",
    ]
    post_each(client, texts)
    (later,) = [c for c in quote_claims(client) if "mooring" in c["text"]]
    mention = later["mentions"][0]
    assert mention["speaker"] == "Varga" and mention["resolved_speaker"]["name"] == "Ilse Varga"
    assert (
        mention["speaker_kind"] == "person"
    )  # the text says only "Varga"; the person it resolves to says more
