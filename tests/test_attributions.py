"""The reported-speech extractor on hand-written sentences."""

import pytest

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


def test_short_clauses_are_not_claims() -> None:
    assert attributions("The minister said no.") == []


def test_a_relative_clause_attributes_its_words_to_its_speaker() -> None:
    (island,) = attributions("The island, which the government claims is part of its territory, was quiet.")
    assert (island.text, island.speaker, island.cue) == (
        "is part of its territory",
        "the government",
        "claims",
    )
    (move,) = attributions(
        "The firm cut 75 jobs in a move the company said was needed to keep the business going."
    )
    assert (move.text, move.speaker) == ("was needed to keep the business going", "the company")
    (gap,) = attributions(
        "She blamed a lack of leadership she says has left the police without any oversight."
    )
    assert gap.text == "has left the police without any oversight"


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


def test_a_participle_cue_after_a_comma_reports_the_subjects_words() -> None:
    (found,) = attributions(
        "The ministry released the new figures on Monday, saying hospital waiting lists had fallen."
    )
    assert (found.text, found.speaker, found.cue) == (
        "hospital waiting lists had fallen",
        "The ministry",
        "saying",
    )
    (noting,) = attributions("The bank cut its rate again, noting that inflation had eased for months.")
    assert (noting.text, noting.speaker) == ("inflation had eased for months", "The bank")
    assert not attributions(  # other participles than "saying" take an object as often
        "Warm air moved north over the weekend, explaining the mild temperatures on the coast."
    )


def test_a_second_cue_of_the_same_speaker_starts_a_second_claim() -> None:
    found = attributions(
        "She said the clinic is badly understaffed this winter, and added she doubts the "
        "province will send more nurses."
    )
    assert [(a.text, a.cue) for a in found] == [
        ("the clinic is badly understaffed this winter", "said"),
        ("she doubts the province will send more nurses", "added"),
    ]
    assert {a.speaker for a in found} == {"She"}


def test_subjects_after_a_conjunction_a_long_relative_clause_or_a_long_fronted_phrase() -> None:
    (after_but,) = attributions(
        "Both rinks could stay open, but city staff confirmed there are no plans to do so this year."
    )
    assert (after_but.speaker, after_but.text) == ("city staff", "there are no plans to do so this year")
    (relative,) = attributions(
        "Okafor, who won two tournaments on the tour last season and finished third at the national "
        "championship in the fall of 2018 after a long injury, said she is ready to compete again."
    )
    assert (relative.speaker, relative.text) == ("Okafor", "she is ready to compete again")
    (fronted,) = attributions(
        "In response to a request for comment, which included a copy of the lawsuit, the league "
        "commissioner said the league had not yet been served with the claim."
    )
    assert fronted.speaker == "the league commissioner"


def test_a_cue_with_a_noun_phrase_object_reports_no_speech() -> None:
    assert not attributions("Speaking in Halifax on Thursday, the premier denied the substance of the story.")
    assert not attributions("The company reported a profit of $3.3 billion on revenue of $39 billion.")
    assert not attributions("The goalie denied the visitors on several prime chances in the third period.")
    (clause,) = attributions("The police chief denied that officers had used excessive force at the camp.")
    assert clause.text == "officers had used excessive force at the camp"
    (after_object,) = attributions("Patterson told investigators he fired twice through the front door.")
    assert after_object.text == "he fired twice through the front door"  # not the people told
    (present,) = attributions(
        "This week Li Wei, the party's deputy leader, met the delegates and told them Ottawa fully "
        "supports the new treaty."
    )
    assert (present.text, present.speaker) == ("Ottawa fully supports the new treaty", "Li Wei")
    (infinitive,) = attributions("The police chief warned the public Monday not to speculate about the case.")
    assert infinitive.cue == "warned"
    (before,) = attributions(  # the words came before the cue: "told reporters at the scene"
        "Emergency crews worked through the night, fire chief Dana Wu told reporters at the scene."
    )
    assert (before.text, before.speaker) == ("Emergency crews worked through the night", "fire chief Dana Wu")


def test_a_place_before_the_comma_is_not_an_adjective_of_the_speaker() -> None:
    (found,) = attributions(
        "Flooding forced hundreds of families from their homes along the river, officials said on Sunday."
    )
    assert (found.text, found.speaker) == (
        "Flooding forced hundreds of families from their homes along the river",
        "officials",
    )


def test_a_second_verb_after_but_keeps_the_subject() -> None:
    (found,) = attributions(
        "The nurses' union welcomed the announcement but warned that pay was the real problem."
    )
    assert (found.text, found.speaker, found.cue) == (
        "pay was the real problem",
        "The nurses' union",
        "warned",
    )


def test_an_acronym_after_a_determiner_is_a_name_not_page_debris() -> None:
    (found,) = attributions("The NDP held the seat easily, saying voters had rejected the cuts to schools.")
    assert found.speaker == "The NDP"
    (trimmed,) = attributions("Niva Yau BIO BIO said the new rail link would open next spring at the latest.")
    assert trimmed.speaker == "Niva Yau"


def test_of_between_capitalised_words_stays_in_the_speakers_name() -> None:
    (found,) = attributions(
        "U.S. Secretary of State Mike Pompeo met the delegation and told them he expects a deal soon."
    )
    assert found.speaker == "U.S. Secretary of State Mike Pompeo"


def test_reminded_and_advised_report_what_to_do() -> None:
    (found,) = attributions("The utility reminded customers to check their freezers after the outage.")
    assert (found.speaker, found.cue) == ("The utility", "reminded")
    (advised,) = attributions("It advised people never to run a portable generator indoors.")
    assert advised.cue == "advised"


def test_a_quantified_subject_after_a_long_fronted_phrase() -> None:
    (found,) = attributions(
        "However, in the two years since the flood, some in the community say the support has dried up."
    )
    assert (found.speaker, found.text) == ("some in the community", "the support has dried up")


def test_and_a_second_cue_with_that_starts_a_second_claim() -> None:
    found = attributions(
        "The lawsuit says the player was in more than 70 fights and alleges that the league did "
        "too little to protect him."
    )
    assert [(a.text, a.cue) for a in found] == [
        ("the player was in more than 70 fights", "says"),
        ("the league did too little to protect him", "alleges"),
    ]
    (one,) = attributions("The mayor said she met the minister and told him the plan would fail.")
    assert one.text == "she met the minister and told him the plan would fail"


def test_a_dash_before_another_speakers_words_ends_the_first_claim() -> None:
    found = attributions(
        "The company has said it signed agreements with every band along the route — but the "
        "hereditary chiefs say those agreements do not cover their land."
    )
    assert [(a.text, a.speaker) for a in found] == [
        ("it signed agreements with every band along the route", "The company"),
        ("those agreements do not cover their land", "the hereditary chiefs"),
    ]


def test_a_bare_cue_verb_after_a_plural_subject() -> None:
    (found,) = attributions("The shelter residents report they want more help finding housing.")
    assert (found.speaker, found.cue) == ("The shelter residents", "report")
    assert not attributions("The annual report found that sales had risen for a third straight year.")


def test_a_person_before_the_organisation_they_work_at() -> None:
    (found,) = attributions(
        "Professor Kent Moore at the University of Toronto says the pattern is unusual for January."
    )
    assert found.speaker == "Professor Kent Moore"
    (body,) = attributions(  # no name before "with": a description of people with the organisation
        "Officials with the Nova Scotia Health Authority said the delays have many different causes."
    )
    assert body.speaker == "Officials with the Nova Scotia Health Authority"


def test_the_writers_aside_after_an_attribution_is_no_claim() -> None:
    (found,) = attributions(
        "Some groups were spreading hatred online, he said, though he did not name any of them."
    )
    assert found.text == "Some groups were spreading hatred online"
    (voice,) = attributions("The video was the kindest gift he had ever had, he said, his voice breaking.")
    assert voice.text == "The video was the kindest gift he had ever had"


def test_an_open_question_or_a_denial_is_no_claim() -> None:
    assert not attributions("Officials explained how the new system will work for most of the families.")
    assert not attributions("Singh won’t say what he will do if he loses the by-election next month.")
    assert not attributions("He did not say that the plan had failed in any of the provinces.")
    (found,) = attributions("The minister said what the country needs is a new plan for housing.")
    assert found.text == "what the country needs is a new plan for housing"


def test_a_participle_or_but_added_after_the_clause_starts_a_second_claim() -> None:
    found = attributions(
        "The premier has said the province will keep its pledge of $10 million, insisting his "
        "government won't spend another penny."
    )
    assert [(a.text, a.cue) for a in found] == [
        ("the province will keep its pledge of $10 million", "said"),
        ("his government won't spend another penny", "insisting"),
    ]
    added = attributions(
        "The prime minister said it was up to the council to pick the new king, but added that he "
        "hoped it would be done quickly."
    )
    assert [a.cue for a in added] == ["said", "added"]


def test_told_a_named_outlet_then_a_clause() -> None:
    (found,) = attributions(
        "Councillor Josh Matlow told HuffPost Canada the laws around renovations favour the owner."
    )
    assert (found.text, found.speaker) == (
        "the laws around renovations favour the owner",
        "Councillor Josh Matlow",
    )


def test_a_dateline_is_not_the_subject() -> None:
    (found,) = attributions(
        "OTTAWA, Ont. — Justin Trudeau spoke at a town hall on Thursday, saying the issue will "
        "dominate the campaign."
    )
    assert found.speaker == "Justin Trudeau"


def test_a_subject_before_an_auxiliary_and_after_but() -> None:
    (found,) = attributions(
        "The chain is for sale, and sources familiar with the talks have said it hopes to sign a deal soon."
    )
    assert (found.speaker, found.text) == ("sources familiar with the talks", "it hopes to sign a deal soon")
    (contrast,) = attributions(
        "The official measure improved in January but forecasters say economic activity is still sluggish."
    )
    assert contrast.speaker == "forecasters"


def test_according_to_a_document_names_its_owner() -> None:
    (found,) = attributions(
        "The union will represent all servers and cooks at both locations, according to the "
        "union's Friday release."
    )
    assert found.speaker == "the union"


def test_a_cue_that_yields_no_claim_does_not_end_the_search() -> None:
    # "added" is an adjective here; the attribution is the trailing "he said"
    (found,) = attributions(
        "Some cereals may contain added salt, so families should read every box, he said."
    )
    text = "Some cereals may contain added salt, so families should read every box"
    assert (found.text, found.speaker) == (text, "he")


def test_a_verb_after_a_comma_does_not_make_an_object_a_clause() -> None:
    assert attributions("Some cereals contain added salt, and it is up to families to read every box.") == []


def test_a_trailing_attribution_by_any_short_noun_phrase() -> None:
    (utility,) = attributions(
        "Every home in the valley should have its gas back on by Sunday, the utility said."
    )
    assert (utility.text, utility.speaker) == (
        "Every home in the valley should have its gas back on by Sunday",
        "the utility",
    )
    (aides,) = attributions("The bill will be tabled before the summer recess begins, aides said.")
    assert aides.speaker == "aides"
    (guard,) = attributions(
        "The van stopped twice before the bridge and nobody got out, a farmer working nearby told Reuters."
    )
    assert guard.text == "The van stopped twice before the bridge and nobody got out"
    assert guard.speaker == "a farmer working nearby"


def test_a_trailing_phrase_that_is_no_subject_is_no_speaker() -> None:
    assert (
        attributions("The storm knocked out power lines across the valley, and strong gusts said nothing.")
        == []
    )
    assert attributions("On the question of wages, both unions report seeing little change.") == []


def test_what_someone_said_names_a_thing_unless_it_is_said() -> None:
    assert (
        attributions("His remarks, such as what he said about the ferry, had no effect on the final vote.")
        == []
    )
    (found,) = attributions("What she will say is that the pool should stay open all summer.")
    assert (found.text, found.speaker) == ("the pool should stay open all summer", "she")


def test_a_comma_inside_closing_quotation_marks_ends_the_clause() -> None:
    first, added = attributions(
        'When the lights went out, the crowd moved "like a single animal," she said, '
        "adding that nobody was hurt in the rush."
    )
    assert (first.speaker, added.speaker) == ("she", "she")
    assert first.text == 'When the lights went out, the crowd moved "like a single animal,"'
    assert (added.text, added.cue) == ("nobody was hurt in the rush", "adding")


def test_a_sentence_inside_a_quote_is_not_reported_speech() -> None:
    text = '"We waited for hours. Nobody came to tell us anything about the flights," she said.'
    assert attributions(text) == []


def test_that_after_a_finite_verb_belongs_to_the_clause() -> None:
    (found,) = attributions("Mira Osei, the curator, says the gallery was built for that very purpose.")
    assert (found.text, found.speaker) == ("the gallery was built for that very purpose", "Mira Osei")


def test_two_people_named_together_and_names_after_a_particle() -> None:
    (lawyers,) = attributions(
        "The two founders, Carla Mendes and Peter Ruiz, have said they will not sell the company."
    )
    assert lawyers.speaker == "Carla Mendes and Peter Ruiz"
    (group,) = attributions(
        "The militia al-Nour, a faction based in the hills, said its fighters had left the town."
    )
    assert group.speaker == "militia al-Nour"


def test_a_speaker_after_a_dash_deep_in_a_long_sentence() -> None:
    (found,) = attributions(
        "Whatever the council decides about parking on the narrow streets around the new stadium "
        "before the season opens in the spring, and whoever pays for it — the mayor insists it is only ever "
        "in reaction to the other side."
    )
    assert (found.text, found.speaker) == ("it is only ever in reaction to the other side", "the mayor")


def test_another_speaker_inside_a_reported_clause_starts_a_claim_of_their_own() -> None:
    first, second = attributions(
        "According to the airline, most flights now leave within ten minutes of schedule "
        "but the union says it sees no such thing."
    )
    assert (first.text, first.speaker) == (
        "most flights now leave within ten minutes of schedule",
        "the airline",
    )
    assert (second.text, second.speaker) == ("it sees no such thing", "the union")


def test_according_to_inside_a_sentence_splits_it_or_keeps_it_whole() -> None:
    before, after = attributions(
        "The new library will replace the branch on Elm Street, which opened in 1962, according to the "
        "board, and the old building will be sold next year."
    )
    assert before.text == "The new library will replace the branch on Elm Street, which opened in 1962"
    assert after.text == "the old building will be sold next year"
    (whole,) = attributions("Bus drivers, according to the survey, are worried about losing their routes.")
    assert whole.text == "Bus drivers, according to the survey, are worried about losing their routes"
    (named,) = attributions(
        "The river rose above its banks twice on Sunday, according to the Office of Water, Soil "
        "and Coastal Planning (OWSCP)."
    )
    assert named.speaker == "the Office of Water, Soil and Coastal Planning (OWSCP)"
    assert named.text == "The river rose above its banks twice on Sunday"


def test_a_quote_after_a_manner_verb_is_the_quote_extractor_s() -> None:
    assert attributions("When the band stopped, the fans chanted “one more song!”") == []


def test_new_cue_verbs_confess_indicate_assure() -> None:
    (confessed,) = attributions("Later that night she confessed that she had never voted in her life.")
    assert (confessed.text, confessed.cue) == ("she had never voted in her life", "confessed")
    (assured,) = attributions("He assured her he would not sell the house without asking.")
    assert (assured.text, assured.speaker) == ("he would not sell the house without asking", "He")


def test_what_someone_called_something_is_their_claim() -> None:
    (called,) = attributions("The farmers called it a half measure that will not save the harvest.")
    assert (called.text, called.speaker, called.cue) == (
        "a half measure that will not save the harvest",
        "The farmers",
        "called",
    )
    (program,) = attributions(
        "The watchdog, an independent body, called the merger one of the riskiest deals it has reviewed."
    )
    assert program.text == "one of the riskiest deals it has reviewed"
    (described,) = attributions("Ms. Ortiz describes herself as a cautious optimist about the harbour plan.")
    assert (described.text, described.speaker) == ("a cautious optimist about the harbour plan", "Ms. Ortiz")
    (but,) = attributions("Police did not name the driver but described him as a local man in his forties.")
    assert (but.text, but.speaker) == ("a local man in his forties", "Police")
    (what,) = attributions("The review warns of what it calls a quiet decline in rural bus services.")
    assert (what.text, what.speaker) == ("a quiet decline in rural bus services", "it")


def test_calling_someone_on_the_phone_or_for_something_is_no_claim() -> None:
    assert attributions("She called her mother every day during the long weeks of the lockdown.") == []
    assert attributions("He called it quits after twenty years in the same job.") == []
    assert attributions("The minister called for an inquiry into the deaths of three workers.") == []
    assert attributions("The council called the police to the scene of the crash on the highway.") == []
    assert attributions("Green called Schultz on Thursday night to confirm the deal.") == []


def test_a_description_ends_where_the_writer_resumes() -> None:
    called, agreed = sorted(
        attributions(
            "She called the map the best guide to the old town, though she admitted the printing was poor."
        ),
        key=lambda e: e.start,
    )
    assert called.text == "the best guide to the old town"
    assert agreed.text == "the printing was poor"


def test_a_speaker_after_a_subordinator_or_who_deep_in_a_long_sentence() -> None:
    (staff,) = attributions(
        "Our questions to the school board about the cost of repairing the roof of the gym, which "
        "has leaked since the spring, went unanswered for weeks as board staff said they were "
        "waiting for the engineers."
    )
    assert (staff.text, staff.speaker) == ("they were waiting for the engineers", "board staff")
    (mps,) = attributions(
        "The coach has to manage injuries, a short bench and a long road trip, not to mention the "
        "senior players who say they want more minutes next season."
    )
    assert (mps.text, mps.speaker) == ("they want more minutes next season", "the senior players")


def test_the_subject_of_a_second_verb_with_an_auxiliary_is_the_speaker() -> None:
    (found,) = attributions(
        "The tenants are planning a rent strike that could begin in April, and have claimed in "
        "letters that the repairs were never done."
    )
    assert (found.text, found.speaker) == ("the repairs were never done", "The tenants")


def test_a_clause_after_the_means_of_saying_it() -> None:
    (text,) = attributions("Aiko, a ferry captain, said by text message the crossing had been calm.")
    assert (text.text, text.speaker) == ("the crossing had been calm", "Aiko")
    (statement,) = attributions(
        "The company said in a statement the plant would close by the end of the year."
    )
    assert statement.text == "the plant would close by the end of the year"
    assert attributions("She said in an interview at her home in the suburbs.") == []


def test_reported_speech_beside_a_quote_in_the_same_sentence() -> None:
    (before,) = attributions(
        "Miners were paid in tokens that only the company store accepted, Ortiz writes; the tokens "
        "“kept whole families in debt for a generation.”"
    )
    assert (before.text, before.speaker) == (
        "Miners were paid in tokens that only the company store accepted",
        "Ortiz",
    )
    (after,) = attributions(
        "“Nobody draws a city the way it really looks,” says the painter, noting that she works only "
        "from memory."
    )
    assert (after.text, after.speaker) == ("she works only from memory", "the painter")


def test_a_plural_noun_that_looks_like_a_cue_before_its_verb() -> None:
    (found,) = attributions(
        "Leaders failed to agree on a plan, after two member states refused to back a joint scheme."
    ) or [None]
    assert found is None or found.cue != "states"
    (reports,) = attributions("Surveys indicated there was little support for the new toll road.")
    assert (reports.text, reports.speaker, reports.cue) == (
        "there was little support for the new toll road",
        "Surveys",
        "indicated",
    )


def test_a_description_with_its_organisation() -> None:
    (analysts,) = attributions(
        "The drug would compete with two existing treatments, analysts at Morgan Hale wrote in a note."
    )
    assert analysts.speaker == "analysts at Morgan Hale"
    (researchers,) = attributions("Researchers at the University of Toronto say the ice is melting faster.")
    assert researchers.speaker == "Researchers at the University of Toronto"


def test_this_after_a_cue_can_be_the_subject_of_the_clause() -> None:
    (found,) = attributions("But he said this would leave the club without a home ground next season.")
    assert found.text == "this would leave the club without a home ground next season"
    (week,) = attributions("The minister said this week the plan would be delayed until spring.")
    assert week.text == "the plan would be delayed until spring"


def test_a_semicolon_after_the_cue_leaves_the_claim_before_it() -> None:
    (found,) = attributions(
        "The bridge was never meant to carry trucks, the engineer writes; it now carries hundreds."
    )
    assert (found.text, found.speaker) == ("The bridge was never meant to carry trucks", "the engineer")


def test_adverbs_between_speaker_and_cue_and_passive_cues() -> None:
    (found,) = attributions("The winner was Priya, who eventually admitted that she had never sailed.")
    assert (found.text, found.speaker) == ("she had never sailed", "Priya")
    assert attributions("Last spring, the tenants were sternly warned that the rent would double.") == []


def test_the_people_told_are_not_part_of_the_claim() -> None:
    (found,) = attributions("She told investors the new mine would open two years early.")
    assert found.text == "the new mine would open two years early"
    (workers,) = attributions("The firm also told workers to bring their own laptops on Monday.")
    assert workers.text == "workers to bring their own laptops on Monday"


def test_a_quote_naming_something_leaves_the_sentence_to_reported_speech() -> None:
    (found,) = attributions(
        'At the reunion, she said the band broke up in 1999 after what she called "the worst tour '
        'anyone ever survived."'
    )
    assert found.text.startswith("the band broke up in 1999")


def test_reported_speech_around_a_quote_after_a_subordinator_or_and_that() -> None:
    (though,) = attributions(
        "Although the coach said the team had played well, he thought the referee had been "
        "“blind to half of what happened out there.”"
    )
    assert (though.text, though.speaker) == ("the team had played well", "the coach")
    (added,) = attributions(
        "A review by the water board said it was “alarmed that no one has tested the wells in "
        "years,” and that the pumps would be replaced before winter."
    )
    assert added.text == "the pumps would be replaced before winter"
    assert added.speaker == "the water board"


def test_a_prepositional_phrase_after_a_cue_is_no_clause() -> None:
    text = "She blamed the weather for the delay, a view she has maintained since the early days of it."
    assert attributions(text) == []


def test_a_split_at_a_comma_inside_quote_marks_keeps_the_closing_mark() -> None:
    first, second = attributions(
        'She said sales were "holding up nicely," while the chief economist told reporters that '
        "prices would keep rising into spring."
    )
    assert first.text == 'sales were "holding up nicely,"'
    assert (second.text, second.speaker) == (
        "prices would keep rising into spring",
        "the chief economist",
    )


def test_a_second_cue_after_but_that_is_a_second_claim() -> None:
    said, warned = attributions(
        "The minister said power had been restored to most of the city by evening but warned that "
        "rolling blackouts could return."
    )
    assert said.text == "power had been restored to most of the city by evening"
    assert (warned.text, warned.cue) == ("rolling blackouts could return", "warned")


def test_a_date_between_speaker_and_cue_is_not_the_speaker() -> None:
    (found,) = attributions(
        "Ukraine's president on Friday said allies must speed up deliveries of air defences."
    )
    assert found.speaker == "Ukraine's president"
    (may,) = attributions("Theresa May said the deal was the best one available to the country.")
    assert may.speaker == "Theresa May"


def test_according_to_without_a_comma_and_with_an_aside_in_dashes() -> None:
    (found,) = attributions(
        "Bike sales rose 8 per cent in the spring according to the retailers and prices have risen too."
    )
    assert (found.text, found.speaker) == ("Bike sales rose 8 per cent in the spring", "the retailers")
    (this,) = attributions(
        "Days later the club sold its best player, angering the fans, this according to two people."
    )
    assert (this.text, this.speaker) == (
        "Days later the club sold its best player, angering the fans",
        "two people",
    )
    (two,) = attributions(
        "Unemployment rose to a ten-year high, according to the agency and the central bank."
    )
    assert two.speaker == "the agency and the central bank"
    (aside,) = attributions(
        "According to the census — which counted every household for the first time — the town "
        "has grown by a third."
    )
    assert (aside.text, aside.speaker) == ("the town has grown by a third", "the census")


def test_a_participle_right_after_a_quote_that_ends_in_a_comma() -> None:
    (found,) = attributions(
        'Okafor said she is "nowhere near ready to retire," noting that she still swims every day.'
    )
    assert (found.text, found.speaker, found.cue) == ("she still swims every day", "Okafor", "noting")


def test_saying_something_or_little_reports_no_claim() -> None:
    assert attributions("She must have said something to calm them, because the shouting stopped.") == []
    (found,) = attributions("The minister said nothing had changed since the last council meeting.")
    assert found.text == "nothing had changed since the last council meeting"


def test_a_modal_between_speaker_and_cue() -> None:
    (found,) = attributions("The mayor could say the budget will be balanced by the end of next year.")
    assert found.speaker == "The mayor"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Members of the national assembly said the vote would be delayed until spring.",
            "Members of the national assembly",
        ),
        ("Organisers of the rally said the march would go ahead despite the ban.", "Organisers of the rally"),
        ("He quickly said the deal was off and left the room.", "He"),
    ],
)
def test_a_noun_in_ly_is_part_of_the_speaker_an_adverb_is_not(text: str, speaker: str) -> None:
    (found,) = attributions(text)
    assert found.speaker == speaker


def test_speech_going_on_is_reported_speech() -> None:
    (found,) = attributions("Doctors have been saying that hospitals need more beds in the winter months.")
    assert (found.text, found.speaker, found.cue) == (
        "hospitals need more beds in the winter months",
        "Doctors",
        "saying",
    )
    (found,) = attributions("Residents are telling officials that the water still smells of chlorine.")
    assert found.speaker == "Residents"
    assert attributions("The children were singing songs about the sea all afternoon.") == []


def test_saying_goodbye_or_a_prayer_is_no_claim() -> None:
    assert attributions("She was saying goodbye to her friends at the station before the train left.") == []
    assert attributions("The crowd said a prayer for the victims of the fire.") == []


def test_what_someone_demanded_is_reported_speech_and_their_demands_are_not() -> None:
    (found,) = attributions("Protesters demanded that the minister resign before the end of the week.")
    assert (found.text, found.speaker) == ("the minister resign before the end of the week", "Protesters")
    assert (
        attributions("The union's demands were rejected by the board on Tuesday after a long meeting.") == []
    )


@pytest.mark.parametrize(
    ("text", "speaker", "claim"),
    [
        (
            "The ministry issued a statement on Friday saying the talks had failed.",
            "The ministry",
            "the talks had failed",
        ),
        (
            "The firm will pay to settle a lawsuit alleging that it had hidden the defects.",
            "a lawsuit",
            "it had hidden the defects",
        ),
        (
            "Rep. Ana Torres (D-Calif.) said the agency had misled the committee.",
            "Rep. Ana Torres",
            "the agency had misled the committee",
        ),
        (
            "Its sponsor, state Sen. Ruth Bell (R), said the ruling was wrong.",
            "state Sen. Ruth Bell",
            "the ruling was wrong",
        ),
        ("The county's chief planner, Omar Said, said he would resign.", "Omar Said", "he would resign"),
        (
            "The driver who found the wallet says the money was never there.",
            "The driver",
            "the money was never there",
        ),
    ],
)
def test_texts_and_us_house_style_in_reported_speech(text: str, speaker: str, claim: str) -> None:
    (found,) = attributions(text)
    assert (found.speaker, found.text) == (speaker, claim)


def test_a_short_phrase_before_the_attribution_is_no_claim() -> None:
    found = attributions("Three years later, Ana Torres said, the plant is still closed to the public.")
    assert "Three years later" not in [a.text for a in found]


@pytest.mark.parametrize(
    "text",
    [
        "Later, the coach told an audience about the first time he had lost a final at home.",
        "This spring, the province added the drug to its monitoring program for prescriptions.",
        "Director, research at the security firm Veritan, Ana Ruiz, agreed with the finding.",
    ],
)
def test_a_topic_or_an_addition_after_a_cue_is_no_claim(text: str) -> None:
    assert attributions(text) == []


def test_told_people_counted_with_about_still_reports_speech() -> None:
    (found,) = attributions("She told a crowd of about 100 members that the vote would be close this year.")
    assert found.text.endswith("the vote would be close this year")


def test_a_clause_before_a_name_and_its_role_is_the_claim() -> None:
    (found,) = attributions("Members of the board resigned, Ana Ruiz, the director, said.")
    assert (found.speaker, found.text) == ("Ana Ruiz", "Members of the board resigned")
