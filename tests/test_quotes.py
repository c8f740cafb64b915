"""The quote extractor on hand-written news text: marks, nesting, spans, speakers and cues."""

import pytest

from provenance.domain import ArticleText, Extraction
from provenance.extractors.quotes import QuoteExtractor, find_quotes
from provenance.speakers import name_in


def quotes(text: str) -> list[Extraction]:
    found = list(QuoteExtractor().extract(ArticleText(text)))
    for q in found:
        assert text[q.start : q.end] == q.text  # offsets always point at the printed quote
    return found


def only(text: str) -> Extraction:
    found = quotes(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text",
    [
        "“We will build the bridge next year,” the mayor said.",
        '"We will build the bridge next year," the mayor said.',
        '“We will build the bridge next year," the mayor said.',
        "„We will build the bridge next year,” the mayor said.",
        "«We will build the bridge next year,» the mayor said.",
    ],
)
def test_curly_straight_and_mixed_marks(text: str) -> None:
    quote = only(text)
    assert "We will build the bridge next year" in quote.text
    assert (quote.speaker, quote.cue) == ("the mayor", "said")


def test_nested_single_quotes_stay_inside_the_outer_quote() -> None:
    quote = only("“They keep calling it a ‘temporary measure’ but it never ends,” Ms Alvarez said.")
    assert quote.text == "“They keep calling it a ‘temporary measure’ but it never ends,”"
    assert quote.speaker == "Ms Alvarez"


def test_quote_across_sentences_is_one_quote() -> None:
    quote = only("“The plant will close. Two hundred jobs will go. We tried everything,” said Karen Holt.")
    assert quote.text.count(".") == 2
    assert (quote.speaker, quote.cue) == ("Karen Holt", "said")


def test_quote_across_paragraphs_reopened_in_each() -> None:
    text = (
        "“We were told the river would never flood here.\n\n"
        "“Now the whole street is under water,” said resident Tom Reilly."
    )
    first, second = quotes(text)  # one piece per paragraph, each opening with its own mark
    assert first.text == "“We were told the river would never flood here."
    assert second.text == "“Now the whole street is under water,”"
    assert first.speaker == second.speaker == "resident Tom Reilly"


def test_split_quote_gives_both_halves_the_speaker() -> None:
    found = quotes("“The figures are clear,” she said, “and the trend will not reverse soon.”")
    assert [q.speaker for q in found] == ["she", "she"]


def test_quote_introduced_by_a_colon() -> None:
    quote = only("The governor was blunt, declaring: “This budget will not pass in its current form.”")
    assert (quote.speaker, quote.cue) == ("The governor", "declaring")


def test_speaker_before_the_quote() -> None:
    quote = only("Police chief Dana Wu told reporters that “the investigation is far from over.”")
    assert (quote.speaker, quote.cue) == ("Police chief Dana Wu", "told")


def test_quoted_as_saying_active_and_passive() -> None:
    active = only("State radio quoted the minister as saying “the talks will resume in spring.”")
    assert (active.speaker, active.cue) == ("the minister", "quoted as saying")
    passive = only("“The talks will resume in spring,” the minister was quoted as saying.")
    assert (passive.speaker, passive.cue) == ("the minister", "quoted as saying")


def test_according_to_after_the_quote() -> None:
    quote = only("“Prices will keep rising through the summer,” according to the central bank.")
    assert (quote.speaker, quote.cue) == ("the central bank", "according to")


def test_continuation_paragraph_takes_the_previous_speaker() -> None:
    found = quotes(
        "“We need more nurses on every ward,” said union leader Priya Nair.\n\n"
        "“Patients are waiting hours for basic care.”"
    )
    assert [q.speaker for q in found] == ["union leader Priya Nair", "union leader Priya Nair"]


def test_continuation_after_a_narrative_paragraph_but_not_after_someone_else_is_named() -> None:
    found = quotes(
        "“Wait times doubled in two years,” said union leader Priya Nair.\n\n"
        "The longest waits were in the emergency wards, with some patients waiting overnight.\n\n"
        "“Nobody should sleep on a trolley.”\n\n"
        "On Monday the ward had a visit from health minister Tom Greer and his deputy.\n\n"
        "“Forty nurses will not fill the gap on nights.”"
    )
    assert [q.speaker for q in found] == ["union leader Priya Nair", "union leader Priya Nair", None]


def test_relative_clause_speaker_is_the_named_person() -> None:
    quote = only(
        "She met Lukas Berg, who was quoted by the agency as calling it “a very good first meeting.”"
    )
    assert quote.speaker == "Lukas Berg"


@pytest.mark.parametrize(
    "text",
    [
        "The so-called “reform” was rejected.",  # a scare quote of one word
        "Critics called it a “done deal” before the vote.",  # two words
        "She is reading “The Art of War” again.",  # a title
        "The team’s coach said the players’ spirits were high.",  # apostrophes only
        "It was the '90s and everyone's plans were 'big'.",  # apostrophes and a one-word quote
    ],
)
def test_no_false_quotes(text: str) -> None:
    assert quotes(text) == []


def test_quote_without_any_attribution_has_no_speaker() -> None:
    quote = only("The sign read “no entry after dark for any vehicle” in red letters.")
    assert quote.speaker is None and quote.cue is None


def test_find_quotes_ignores_stray_closing_marks() -> None:
    text = "He left.” Then: “Come back tomorrow morning,” she said."
    assert [text[q.start : q.end] for q in find_quotes(text)] == ["“Come back tomorrow morning,”"]


def test_speaker_with_an_appositive_after_the_quote() -> None:
    quote = only(
        "“The market will recover by spring,” Ana Silva, chief economist at Norbank, "
        "said in a note to clients."
    )
    assert (quote.speaker, quote.cue) == ("Ana Silva", "said")


def test_titled_name_after_the_quote() -> None:
    quote = only("“We will review the decision carefully,” league commissioner Ron Hale said on Friday.")
    assert quote.speaker == "league commissioner Ron Hale"


def test_descriptive_speaker_after_the_quote() -> None:
    quote = only("“He is gone, he is gone,” the grieving father repeated.")
    assert (quote.speaker, quote.cue) == ("the grieving father", "repeated")


def test_quote_paragraph_after_reported_speech_takes_its_speaker() -> None:
    text = (
        "Howell says she wants the province to look at the schools from the pupils' side.\n\n"
        "“When my kids come home and say they hate the toilets, that does not help anyone learn.”"
    )
    assert only(text).speaker == "Howell"


def test_continuation_after_an_attribution_with_an_abbreviation() -> None:
    found = quotes(
        "“The evidence is clear,” says Dr. Mira Osei, the chief coroner. "
        "“We see it in the morgue every week.”"
    )
    assert [q.speaker for q in found] == ["Dr. Mira Osei", "Dr. Mira Osei"]


def test_speaker_after_the_quote_with_an_organisation_in_front() -> None:
    found = only('"We are ready to bargain," Transit Workers Local 12 president Ada Brandt said.')
    assert (found.speaker, found.cue) == ("Transit Workers Local 12 president Ada Brandt", "said")


def test_question_attributed_by_a_short_sentence_of_its_own() -> None:
    found = only('"Who will pay for the new roof? Not the tenants?" Okafor asked.')
    assert (found.speaker, found.cue) == ("Okafor", "asked")


def test_colon_after_the_subject_without_a_cue() -> None:
    found = only('Dr. Imre Vass, the surgeon on call, was blunt: "We simply have too few beds tonight."')
    assert found.speaker == "Dr. Imre Vass"


def test_quote_deep_in_a_sentence_that_opens_with_its_speaker() -> None:
    found = only(
        "She said the council will review the budget this winter and expects a "
        '"much leaner plan that everyone can live with."'
    )
    assert (found.speaker, found.cue) == ("She", "said")


def test_quote_paragraph_looks_back_a_few_sentences_for_its_speaker() -> None:
    text = (
        "Lena Brooks says she found a flat with help from a charity. She moved in last month. "
        "The rent is paid by the city.\n\n"
        '"It feels warm. Nobody can bother me here."'
    )
    assert only(text).speaker == "Lena Brooks"


def test_a_subheading_in_single_quotes_is_not_a_quote() -> None:
    text = "The shelter opened in May.\n\n'Just listen to the residents'\n\nVolunteers cook every night."
    assert quotes(text) == []


def test_short_unattributed_phrases_in_quotes_are_not_claims() -> None:
    assert quotes("The results were “deeply troubling news” for the company.") == []
    (found,) = quotes("“Deeply troubling news,” the chief executive said.")
    assert found.speaker == "the chief executive"


def test_speaker_after_the_cue_with_a_place_and_a_descriptor_in_front() -> None:
    found = only("“Every gallery turned me down,” says Leeds painter Ada Brandt, whose show opens today.")
    assert found.speaker == "Leeds painter Ada Brandt"


def test_continuation_paragraph_after_more_sentences_about_the_speaker() -> None:
    found = quotes(
        "“The harvest came three weeks late,” said Lena Voss, who has farmed the valley since 1994. "
        "Her neighbours lost most of their barley.\n\n"
        "“Next year we plant earlier and hope for rain.”"
    )
    assert [q.speaker for q in found] == ["Lena Voss", "Lena Voss"]


def test_speaker_after_the_cue_with_joined_descriptors_in_front() -> None:
    found = only("“The shifts are getting longer every month,” said rail and port worker Dan Okafor.")
    assert found.speaker == "rail and port worker Dan Okafor"


def test_speaker_after_a_fronted_prepositional_phrase() -> None:
    found = only(
        "In a statement on Friday, Harbour Transit apologised for the delays and said "
        "“every missed connection will be refunded in full.”"
    )
    assert found.speaker == "Harbour Transit"


def test_a_document_speaks_for_its_owner() -> None:
    found = only("“Fares will rise by five per cent in spring,” says the council's budget report.")
    assert found.speaker == "the council"


def test_a_verb_between_two_names_ends_the_speaker() -> None:
    found = quotes(
        "Ines Moreau called Tom Baker a “trusted partner” and said that Paris was "
        "“ready to sign the accord within weeks.”"
    )
    assert found[-1].speaker == "Ines Moreau"


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ("“It was never about the money,” quipped Ruth Adeyemi.", "Ruth Adeyemi", "quipped"),
        ("“We need to act now,” echoes Tomas Berg.", "Tomas Berg", "echoes"),
        ("“That is one genre only,” points out the shop owner.", "the shop owner", "points out"),
        ("“You're late again,” Mark Ortiz blurted out.", "Mark Ortiz", "blurted"),
        ("“Not in a robe, you don’t,” scolded Elyse.", "Elyse", "scolded"),
    ],
)
def test_manner_and_phrasal_cue_verbs(text: str, speaker: str, cue: str) -> None:
    quote = only(text)
    assert (quote.speaker, quote.cue) == (speaker, cue)


@pytest.mark.parametrize("opening", ["Later that month,", "Nonetheless,", "First though,"])
def test_a_fronted_connective_is_not_the_speaker(opening: str) -> None:
    quote = only(
        f"{opening} Acme Corp sought a review, arguing the refusal was “an unreasonable use of discretion.”"
    )
    assert quote.speaker == "Acme Corp"


def test_a_cue_before_its_speaker_and_the_quote() -> None:
    quote = only(
        "Rather than waiting for the province, asks columnist Jane Doe, “why not build the houses ourselves?”"
    )
    assert (quote.speaker, quote.cue) == ("columnist Jane Doe", "asks")


def test_a_name_in_apposition_after_a_possessive_description() -> None:
    quote = only(
        "“Most printers want a thousand copies at least,” says Smith’s business partner, Jason Louth."
    )
    assert quote.speaker == "Jason Louth"


def test_a_colon_after_a_thing_does_not_make_it_the_speaker() -> None:
    first, second = quotes(
        "“I think a beer together would help them,” Russ Klisch said. Then, after a pause: "
        "“A few beers. They need a few beers, and they will figure it out.”"
    )
    assert first.speaker == second.speaker == "Russ Klisch"
    assert (
        second.speaker_start == first.speaker_start
    )  # a continued quote reads its speaker where it was written


def test_an_unattributed_quote_takes_the_named_subject_before_it_when_that_person_speaks_elsewhere() -> None:
    text = (
        "“I always felt it deserved to be longer,” says Tom House. Durning did not need much coaxing. "
        "“I am thankful for the invitation and the chance to explore the work again.”\n\n"
        "Durning says the dancers are remarkable.\n\n"
        "“We open in May,” says Tom House. The theatre was built in 1907. “Tickets are already selling fast.”"
    )
    _, thankful, _, tickets = quotes(text)
    assert thankful.speaker == "Durning"
    assert tickets.speaker == "Tom House"  # "The theatre" does not speak in the article


def test_a_quote_ending_in_a_nested_question_is_attributed_by_the_short_sentence_after_it() -> None:
    quote = only("\"Some would say, 'Who cares? Why should I care about that stuff?'\" Moore said.")
    assert (quote.speaker, quote.cue) == ("Moore", "said")


def test_a_description_with_adjectives_in_a_row() -> None:
    quote = only(
        "“I know no carmaker that makes money in this category,” the lanky, bespectacled professor said."
    )
    assert quote.speaker == "the lanky, bespectacled professor"


def test_a_short_quote_opening_its_sentence_with_a_speaker_after_it() -> None:
    quote = only("He was taller than her. “You’re short,” Bardos blurted out. They laughed about it later.")
    assert (quote.text, quote.speaker) == ("“You’re short,”", "Bardos")
    assert only("“Really?” said the coach with a grin.").speaker == "the coach"
    assert quotes("The gunmen shot at them “like snipers,” he said.") == []  # a phrase inside a sentence
    assert quotes("“Sure,” and then he left the room.") == []  # no one is said to say it


def test_a_person_before_their_organisation_and_the_owner_of_a_statement() -> None:
    member = only("“The delays have many causes,” said Tim Guest with the Nova Scotia Health Authority.")
    assert member.speaker == "Tim Guest"
    statement = only(
        "“It is a pillar of our democracy that justice be free of interference,” her statement said."
    )
    assert statement.speaker == "her"


def test_a_capitalised_cue_word_inside_a_name_is_no_cue() -> None:
    quote = only(
        "She thanked the allies — France, the United States and Britain — for “speaking out against "
        "these arbitrary detentions so clearly.”"
    )
    assert quote.speaker != "United"


def test_a_few_lowercase_words_quoted_inside_a_sentence_are_a_phrase_not_a_claim() -> None:
    assert quotes("The premier called the report “deeply flawed” on Monday, her office said.") == []
    assert quotes("The port has “plenty of spare capacity” despite the strike.") == []
    # but a short quote right after its cue, opening its sentence, or in reported speech is speech
    assert only("Officials say the port has “plenty of spare capacity” despite it.").speaker == "Officials"
    assert only("But the chief said “we are nearly done.”").speaker == "the chief"
    assert only("“We are not there,” the chief said.").speaker == "the chief"


def test_a_short_quote_carrying_on_an_attributed_one_in_its_paragraph() -> None:
    found = quotes("“We did not guard anybody in the second half,” he said. “That's on me.”")
    assert [(q.text, q.speaker) for q in found][1] == ("“That's on me.”", "he")
    assert quotes("The book is called “Only The Brave.”\n\nIt was “thin on me.”") == []


def test_a_pull_quote_that_lost_its_marks_names_its_speaker_after_it() -> None:
    text = (
        "The clinic opened in May.\n\n"
        "We turned nobody away, not even on the busiest nights. Dana Whitfield.\n\n"
        "Dana Whitfield runs the clinic.\n\n"
        "“We turned nobody away, not even on the busiest nights,” she said.\n\n"
        "A nurse checks a patient's blood pressure at the clinic on Monday. Carlos Romero."
    )
    found = quotes(text)
    pulled = [q for q in found if q.cue is None and not q.text.startswith("“")]
    assert [(q.text, q.speaker) for q in pulled] == [
        ("We turned nobody away, not even on the busiest nights", "Dana Whitfield")
    ]  # the photo caption with its credit is printed once, so no pull quote


def test_speakers_after_the_cue_one_of_a_group_or_an_aged_description() -> None:
    nurse = only("“We have not had a day off since March,” says one of the nurses on the ward.")
    assert nurse.speaker == "one of the nurses"
    owner = only(
        "“We bake everything before dawn,” says the 52-year-old owner of the bakery, who opened in May."
    )
    assert owner.speaker == "the 52-year-old owner"


def test_a_name_after_a_description_set_off_by_commas_after_the_quote() -> None:
    quote = only("“Eating well does not make up for short sleep,” the lead author, Christian Bauer, wrote.")
    assert (quote.speaker, quote.cue) == ("Christian Bauer", "wrote")


def test_a_straight_mark_after_a_comma_and_a_space_closes_an_open_quote() -> None:
    quote = only('"The suspect, a tall man, entered the shop before noon, "police said in a statement.')
    assert quote.text.endswith('noon, "') and quote.speaker == "police"
    opened = only('Later the officer said, "We will find him before the weekend."')
    assert opened.text == '"We will find him before the weekend."'  # after a comma, with none open: opens


def test_a_short_quote_in_reported_speech_is_the_speakers_claim() -> None:
    found = only("Senator Ruth Alvarez said the bill would “gut rural hospitals” if it passed.")
    assert (found.text, found.speaker) == ("“gut rural hospitals”", "Senator Ruth Alvarez")
    assert quotes("The plan was “dead on arrival” last week.") == []  # no one reports speech
    assert quotes("The mayor said the plan was “a mess” again.") == []  # two words: a scare quote


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Anyone who “tries to skip the queue at the clinic” will be fined, the council said.",
            "the council",
        ),
        (
            "A nurse who “works three double shifts a week” is not unusual, the union's president, "
            "Dana Ruiz, said.",
            "Dana Ruiz",
        ),
        (
            "Voters who “feel left behind by the economy” are the target, said aide Leo Brandt.",
            "aide Leo Brandt",
        ),
    ],
)
def test_a_quote_inside_a_sentence_takes_the_attribution_that_ends_it(text: str, speaker: str) -> None:
    assert only(text).speaker == speaker


@pytest.mark.parametrize(
    "text",
    [
        "The bridge, once labelled “the most dangerous crossing in the county”, reopened.",
        "He has been called “the best goalkeeper of his generation” by fans.",
    ],
)
def test_what_is_named_in_the_passive_is_not_the_speaker(text: str) -> None:
    assert only(text).speaker is None


def test_who_names_something_is_the_speaker() -> None:
    found = only("The deal, which officials called “the largest in the region's history,” closed Friday.")
    assert found.speaker == "officials"


def test_a_sign_off_after_a_no_break_space_names_the_reader() -> None:
    found = quotes(
        "Readers wrote in.\n\n“Nobody here trusts the council any more.”\xa0― Lena Voss\n"
        "“The buses never come on time.” ― Tom Reyes\n"
    )
    assert [q.speaker for q in found] == ["Lena Voss", "Tom Reyes"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "“The plan is dead and everyone knows it,” said 9/11 survivor Tom Reyes.",
            "9/11 survivor Tom Reyes",
        ),
        ("“We lost everything in the flood last spring,” said 34-year-old Jane Doe.", "34-year-old Jane Doe"),
    ],
)
def test_a_number_describing_the_speaker(text: str, speaker: str) -> None:
    assert only(text).speaker == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "“Why is this still allowed after all these years?” Senator Ruth Alvarez demanded.",
            "Senator Ruth Alvarez",
        ),
        ("“We built the best team in the whole league,” the coach bragged.", "the coach"),
        ("“This is a disgrace to the whole city,” fumed the mayor.", "the mayor"),
    ],
)
def test_demanded_bragged_and_fumed_are_cues(text: str, speaker: str) -> None:
    assert only(text).speaker == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The memo says the agency “could not trace where the money came from.”", "The memo"),
        (
            "The 30-second spot says the senator “voted against every raise for teachers.”",
            "The 30-second spot",
        ),
        (
            "In a post on Friday evening, the mayor said the plan had “no chance of passing this year.”",
            "the mayor",
        ),
        (
            "House Speaker Ann Cole, R-Ohio, called the bill “a promise kept to every family.”",
            "House Speaker Ann Cole",
        ),
        ("The video shows the governor saying, “We will not back down from this fight.”", "the governor"),
        ("“The numbers simply do not add up this year,” as one auditor put it.", "one auditor"),
        ("The budget, as one auditor put it, “simply does not add up this year.”", "one auditor"),
        (
            "“We will appeal,” Maria Lopez, a lawyer for one of the states suing the agency, said on Monday.",
            "Maria Lopez",
        ),
        (
            "Ana Ruiz, a city planner, called Mr. Hale's remarks “a gift to every developer in town.”",
            "Ana Ruiz",
        ),
        (
            "Tenants may not sublet “for any period longer than thirty days,” per the building's rules.",
            "the building's rules",
        ),
        ("“Our members have waited long enough for an answer,” the letter reads.", "the letter"),
        ("“The river has never risen this fast before,” the narrator says.", "the narrator"),
        (
            "On Monday's edition of “Morning Desk,” the senator said the deal was “dead on arrival here.”",
            "the senator",
        ),
    ],
)
def test_us_house_style_speakers_documents_and_asides(text: str, speaker: str) -> None:
    assert only(text).speaker == speaker


def test_the_second_part_of_a_split_quote_keeps_the_speaker_between() -> None:
    found = quotes("“We tried,” the old farmer says, “and the river won anyway.”")
    assert [q.speaker for q in found] == ["the old farmer", "the old farmer"]


def test_a_nickname_in_quotes_is_part_of_the_name() -> None:
    found = only('"We start over tomorrow," state Sen. William "Bill" Tanaka (D-Portland) told reporters.')
    assert found.speaker == 'state Sen. William "Bill" Tanaka'
    assert name_in(found.speaker) == "William Tanaka"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The company called the results “deeply troubling news” in a filing.", "The company"),
        ("Critics dismissed the plan as “dead on arrival” last week.", "Critics"),
        ("Mayor Ana Ruiz likened the cuts to “pulling the fire alarm” in a crowded hall.", "Mayor Ana Ruiz"),
        ("What Senator Dale Cho called the “worst budget in decades” passed on Friday.", "Senator Dale Cho"),
    ],
)
def test_a_few_words_someone_names_or_judges_something_with_are_their_claim(text: str, speaker: str) -> None:
    assert only(text).speaker == speaker


def test_a_naming_verb_in_the_passive_or_without_a_speaker_names_nothing() -> None:
    assert quotes("The bridge, once labelled “the road to nowhere”, opened on Monday.") == []
    assert quotes("The plan was described as “dead on arrival” by some.") == []


def test_a_quote_a_cue_governs_deep_in_a_sentence_is_the_speakers_claim() -> None:
    found = only(
        "Her lawyers read the file on Monday, and said they came away with “more questions than answers.”"
    )
    assert found.speaker == "Her lawyers"
