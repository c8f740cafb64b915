"""Speaker names within an article: titles dropped, surnames expanded, pronouns resolved."""

from provenance.speakers import ArticleSpeakers, name_in


def test_name_in_drops_titles_and_descriptions() -> None:
    assert name_in("Russian President Vladimir Putin") == "Vladimir Putin"
    assert name_in("U.S. State Department spokesman Ned Price") == "Ned Price"
    assert name_in("Belarus's strongman leader Lukashenko") == "Lukashenko"
    assert name_in("the Russian leader") is None
    assert name_in("analysts") is None
    assert name_in("She") is None


def test_surname_expands_to_the_fullest_form_in_the_article() -> None:
    names = ArticleSpeakers("Prime Minister Ingrid Solberg spoke first. Later Solberg left.", ["Solberg"])
    assert names.resolve("Solberg") == ("Ingrid Solberg", "Solberg")


def test_pronoun_takes_the_last_named_speaker_of_its_gender() -> None:
    text = (
        "Anna Berg said the vote was fair and she would accept it. Peter Holm said he would appeal. "
        "Berg later spoke again. “We move on,” she said."
    )
    names = ArticleSpeakers(text, ["Anna Berg", "Peter Holm", "she"])
    assert names.resolve("she", text.index("“We move on")) == ("Anna Berg", "she")
    assert names.resolve("he", text.index("“We move on")) == ("Peter Holm", "he")
