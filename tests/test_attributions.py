"""The reported-speech extractor on hand-written sentences."""

from provenance.domain import ArticleText, ClaimKind, Extraction
from provenance.extractors.attributions import AttributionExtractor


def attributions(text: str) -> list[Extraction]:
    found = list(AttributionExtractor().extract(ArticleText(text)))
    for a in found:
        assert a.kind == ClaimKind.ATTRIBUTION and text[a.start : a.end] == a.text
    return found


def test_said_that_clause() -> None:
    (found,) = attributions(
        "The health minister said that hospital waiting lists had fallen for a third month."
    )
    assert found.text == "hospital waiting lists had fallen for a third month"
    assert (found.speaker, found.cue) == ("The health minister", "said")


def test_told_reporters_with_a_time_word() -> None:
    (found,) = attributions("Mayor Ana Ruiz told reporters Monday the new tram line will open in June.")
    assert found.text == "the new tram line will open in June"
    assert (found.speaker, found.cue) == ("Mayor Ana Ruiz", "told")


def test_according_to_in_front() -> None:
    (found,) = attributions(
        "According to the fire service, the blaze started in a kitchen on the ground floor."
    )
    assert found.text == "the blaze started in a kitchen on the ground floor"
    assert (found.speaker, found.cue) == ("the fire service", "according to")


def test_according_to_at_the_end() -> None:
    (found,) = attributions(
        "Unemployment rose to its highest level in a decade, according to official figures."
    )
    assert found.text == "Unemployment rose to its highest level in a decade"
    assert found.speaker == "official figures"


def test_sentences_with_direct_quotes_are_left_to_the_quote_extractor() -> None:
    assert attributions("Officials said “the bridge will reopen next week after repairs.”") == []


def test_relative_clauses_and_short_clauses_are_not_claims() -> None:
    assert attributions("The island, which the government claims is part of its territory, was quiet.") == []
    assert attributions("The minister said no.") == []


def test_speaker_with_an_appositive_before_the_cue() -> None:
    (found,) = attributions(
        "Nadia Jamil, principal researcher at the shelter, said the picture of homelessness is complex."
    )
    assert (found.text, found.speaker) == ("the picture of homelessness is complex", "Nadia Jamil")


def test_clause_first_then_the_speaker() -> None:
    (found,) = attributions(
        "The bridge will stay closed until the end of March, the transport ministry said."
    )
    assert (found.text, found.speaker) == (
        "The bridge will stay closed until the end of March",
        "the transport ministry",
    )
    (after,) = attributions(
        "The coast was badly hit by the waves, said Lena Park, a spokeswoman for the agency."
    )
    assert (after.text, after.speaker) == ("The coast was badly hit by the waves", "Lena Park")


def test_descriptive_subject_and_a_phrase_before_that() -> None:
    (found,) = attributions(
        "The 26-year-old winger said in an interview that his new teammates had helped him."
    )
    assert (found.text, found.speaker) == ("his new teammates had helped him", "The 26-year-old winger")


def test_according_to_in_the_middle() -> None:
    (found,) = attributions("The minister, according to the report, ignored three warnings about the dam.")
    assert found.speaker == "the report" and found.text.startswith("The minister")


def test_a_fronted_phrase_is_not_the_claim_when_a_clause_follows_the_cue() -> None:
    (found,) = attributions("Despite the long delays, Marta Quist said she remains hopeful about the bridge.")
    assert (found.text, found.speaker) == ("she remains hopeful about the bridge", "Marta Quist")
    (found,) = attributions("Mostly, though, he says he kept away from the crowded shelters downtown.")
    assert (found.text, found.speaker) == ("he kept away from the crowded shelters downtown", "he")


def test_a_trailing_attribution_after_a_long_clause() -> None:
    (found,) = attributions(
        "Forty people who were thought to have been inside the station when the roof fell in on Tuesday "
        "remained missing late in the evening, the regional Red Cross said, adding that searches continue."
    )
    assert found.text.startswith("Forty people") and found.text.endswith("late in the evening")
    assert (found.speaker, found.cue) == ("the regional Red Cross", "said")


def test_a_second_verb_takes_the_subject_of_the_first() -> None:
    (found,) = attributions(
        "In an interview on Monday, Governor Lena Ortiz praised the volunteers and said the county "
        "would repay every household by spring."
    )
    assert found.text == "the county would repay every household by spring"
    assert found.speaker == "Governor Lena Ortiz"


def test_a_named_appositive_is_preferred_to_a_description() -> None:
    (found,) = attributions("The victim's brother, Tomas, says the family was never told about the hearing.")
    assert (found.text, found.speaker) == ("the family was never told about the hearing", "Tomas")


def test_the_name_in_a_chain_of_appositives() -> None:
    (found,) = attributions(
        "Ada Brandt, a nurse based in Leeds, England, and a union steward at the hospital, said "
        "the night shift had been short of staff all winter."
    )
    assert found.speaker == "Ada Brandt"


def test_a_place_after_the_name_stays_with_it() -> None:
    (found,) = attributions(
        "Sen. Maria Ortiz of Nevada, the chair of the budget committee, said on Sunday that a deal "
        "was close at last."
    )
    assert found.speaker == "Sen. Maria Ortiz of Nevada"


def test_added_with_a_sum_is_not_speech() -> None:
    assert (
        attributions("The Nikkei added 0.6 per cent to 21,400 as exporters rallied on the weaker yen.") == []
    )
    assert (
        attributions("Okafor added a goal and an assist as the visitors won their fourth straight game.")
        == []
    )
    assert attributions("Brent crude added $1.60 to settle at $71.15 a barrel on the London exchange.") == []
    (found,) = attributions("Okafor added the team had finally learned to defend a lead late in games.")
    assert (found.speaker, found.cue) == ("Okafor", "added")


def test_a_phrase_after_in_or_on_is_not_the_claim_unless_a_clause_follows() -> None:
    assert attributions("“We will not move,” she said. She said in an interview at her home in Leeds.") == []
    (found,) = attributions("The premier said in his year-end speech he was ready to call an early election.")
    assert found.text == "he was ready to call an early election"
    (found,) = attributions("The premier said last week the budget would be balanced by the spring.")
    assert found.text == "the budget would be balanced by the spring"


def test_an_attribution_in_commas_splits_the_sentence_or_joins_a_short_part() -> None:
    both = attributions(
        "The pills have a narrow set of uses, the doctor says, and are meant for a few weeks at most."
    )
    assert [a.text for a in both] == [
        "The pills have a narrow set of uses",
        "and are meant for a few weeks at most",
    ]
    assert {(a.speaker, a.cue) for a in both} == {("the doctor", "says")}
    (whole,) = attributions("Too often, she says, the families hear nothing for months.")
    assert whole.text == "Too often, she says, the families hear nothing for months"
    assert (whole.speaker, whole.cue) == ("she", "says")
    found = attributions(
        "Forty people were still missing late on Tuesday, the regional Red Cross said, adding that "
        "rescue teams would search through the night."
    )
    assert [(a.text, a.cue) for a in found] == [
        ("Forty people were still missing late on Tuesday", "said"),
        ("rescue teams would search through the night", "adding"),
    ]


def test_a_short_quotation_inside_reported_speech_keeps_the_clause() -> None:
    (found,) = attributions(
        "Wang said the region still had “enormous growth potential” despite the slowdown."
    )
    assert found.text == "the region still had “enormous growth potential” despite the slowdown"
    assert attributions("Wang said “we will never accept these terms at all” on Friday.") == []


def test_a_phrasal_cue_verb() -> None:
    (found,) = attributions(
        "Fleming also pointed out that four new schools were built in the district since 2007."
    )
    assert (found.speaker, found.cue) == ("Fleming", "pointed out")
    assert not attributions(
        "The Raptors scored 10 points out of their last 12 possessions in the third quarter."
    )


def test_a_manner_of_speech_verb_reports_speech_only_with_that() -> None:
    (found,) = attributions("The coach joked that the team would need a bigger bus by next season.")
    assert (found.text, found.cue) == ("the team would need a bigger bus by next season", "joked")
    assert not attributions("The minister laughed at the idea of a merger with the rival bank next year.")
    assert not attributions(
        "The new policy echoes the concerns raised by several provincial premiers last year."
    )


def test_a_comma_before_the_speaker_ends_a_clause_unless_adjectives_join() -> None:
    (found,) = attributions(
        "A man shot his girlfriend and her mother in the home they shared, authorities said."
    )
    assert found.speaker == "authorities"
