"""Speaker names within an article: titles dropped, surnames expanded, pronouns resolved."""

import pytest

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


def test_description_names_the_person_introduced_with_that_title() -> None:
    text = (
        "Russian President Vladimir Putin met Chinese leader Xi Jinping on Thursday. Putin spoke first. "
        "The Russian leader was keen to show unity. The Chinese president said little."
    )
    names = ArticleSpeakers(text, ["Putin", "Xi Jinping"])
    assert names.resolve("The Russian leader") == ("Vladimir Putin", "Vladimir Putin")
    assert names.resolve("The Chinese president") == ("Xi Jinping", "Xi Jinping")
    assert names.resolve("the union leader") is None  # no one was introduced that way


def test_a_pronoun_never_refers_to_a_place_or_body_named_by_one_word() -> None:
    text = (
        "Omar Haddad moved to the coast in 2016. Toronto said the programme would expand. “We wait,” he said."
    )
    names = ArticleSpeakers(text, ["Omar Haddad", "Toronto", "he"])
    assert names.resolve("he", text.index("he said")) == ("Omar Haddad", "he")


def test_name_in_leaves_a_place_after_of_out() -> None:
    assert name_in("Sen. Maria Ortiz of Nevada") == "Maria Ortiz"


def test_a_pronoun_skips_people_named_only_as_objects() -> None:
    text = "Omar Haddad spoke first. Later he met with Tariq Aziz. “We will wait,” he said."
    names = ArticleSpeakers(text, ["Omar Haddad", "Tariq Aziz", "he"])
    assert names.resolve("he", text.index("he said")) == ("Omar Haddad", "he")


def test_a_pronoun_skips_a_person_whose_first_name_is_of_the_other_gender() -> None:
    # the only pronoun near either name is the "she" being resolved: the first names decide
    text = (
        "Margaret Olsen chairs the board. Later Thomas Reid, the treasurer, took the floor. "
        "“We pay,” she said."
    )
    names = ArticleSpeakers(text, ["Margaret Olsen", "Thomas Reid", "she"])
    assert names.resolve("she", text.index("she said")) == ("Margaret Olsen", "she")
    assert names.resolve("he", text.index("she said")) == ("Thomas Reid", "he")


def test_a_name_particle_is_not_a_first_name() -> None:
    # "Al" is a man's first name, but not in "Al Rashid": her pronouns decide
    text = "Al Rashid said she would stay. Later Thomas Reid spoke. “We stay,” she said."
    names = ArticleSpeakers(text, ["Al Rashid", "Thomas Reid", "she"])
    assert names.resolve("she", text.index("“We stay")) == ("Al Rashid", "she")


def test_a_pronoun_can_refer_to_someone_the_article_names_without_quoting_by_name() -> None:
    text = (
        "“We lost our shape,” coach Tom Reilly said.\n\n"
        "Martin Kowalski has four goals since the trade. The 24-year-old winger said the line suits him.\n\n"
        "“They find me in space,” he said."
    )
    names = ArticleSpeakers(text, ["coach Tom Reilly", "The 24-year-old winger", "he"])
    assert names.resolve("he", text.index("“They")) == ("Martin Kowalski", "he")


def test_a_pronoun_can_refer_to_a_surname_printed_after_a_title() -> None:
    text = (
        "“We will appeal,” said lawyer Paul Brennan.\n\n"
        "Justice Abernathy said the delay was unacceptable. “Nobody benefits from this,” he wrote."
    )
    names = ArticleSpeakers(text, ["lawyer Paul Brennan", "Justice Abernathy", "he"])
    assert names.resolve("he", text.index("“Nobody")) == ("Abernathy", "he")


def test_a_pronoun_skips_possessives_relatives_in_apposition_places_and_photo_credits() -> None:
    text = (
        "“Rents have doubled,” said tenant organiser Ana Ruiz.\n\n"
        "Maria Lopez’s report, published in May, found the same. (Laura Chen / Reuters)\n\n"
        "“Nobody is listening,” she said.\n\n"
        "“The dairy kept us going,” said farmer Kevin Marsh.\n\n"
        "He said a credit union run by his father’s friend, Martin Legere, helped too. "
        "Douglas County paid for the new road. “Those were good years,” he said."
    )
    phrases = ["tenant organiser Ana Ruiz", "she", "farmer Kevin Marsh", "He", "he"]
    names = ArticleSpeakers(text, phrases)
    assert names.resolve("she", text.index("“Nobody")) == ("Ana Ruiz", "she")
    assert names.resolve("he", text.index("“Those")) == ("Kevin Marsh", "he")


def test_name_in_leaves_an_owner_before_the_name_out() -> None:
    assert name_in("Hockey Canada's Sarah Nurse") == "Sarah Nurse"


def test_it_refers_to_the_last_organisation_that_spoke() -> None:
    text = (
        "Northern Power Corp said crews were out all night. Mayor Ana Ruiz said residents were patient. "
        "“Most homes will have power by Friday,” it said."
    )
    names = ArticleSpeakers(text)
    assert names.resolve("it", text.index("“Most")) is None  # no organisation has spoken yet
    assert names.resolve("Northern Power Corp", 0) == ("Northern Power Corp", "Northern Power Corp")
    assert names.resolve("Mayor Ana Ruiz", text.index("Mayor")) == ("Ana Ruiz", "Ana Ruiz")
    assert names.resolve("it", text.index("“Most")) == ("Northern Power Corp", "it")


def test_a_bare_role_names_the_one_person_introduced_with_it() -> None:
    text = "Mayor Doug McCallum opened the meeting. Ana Reyes objected. The mayor said the debt was high."
    names = ArticleSpeakers(text, ["The mayor"])
    assert names.resolve("The mayor", text.index("said the debt")) == ("Doug McCallum", "Doug McCallum")


def test_a_description_of_what_someone_is_names_the_person_printed_last() -> None:
    text = (
        "Alfonso Espinos opened his comic shop in 2010. Forget superheroes: for Espinos they are the tip of "
        "the iceberg. “You are talking about one genre only,” says the laid-back Cambridge resident. "
        "“It broke my heart,” said the father, whose son was killed."
    )
    names = ArticleSpeakers(text, ["the laid-back Cambridge resident", "the father"])
    at = text.index("“You are")
    assert names.resolve("the laid-back Cambridge resident", at) == ("Alfonso Espinos", "Alfonso Espinos")
    assert names.resolve("the father", text.index("“It broke")) is None  # a relation: someone new
    assert names.resolve("the person who spoke on condition of anonymity", at) is None


def test_a_sentence_adverb_is_not_part_of_a_name() -> None:
    assert name_in("Besides Demi") == "Demi"
    assert name_in("Perhaps Nadia") == "Nadia"
    names = ArticleSpeakers("Perhaps Nadia was tired. Nadia said it was late.", ["Nadia"])
    assert names.resolve("Nadia") == ("Nadia", "Nadia")
    text = "Besides Demi, the others stayed home. Later, Demi said she was happy. “It was my rose,” she said."
    names = ArticleSpeakers(text, ["Demi", "she"])
    assert names.resolve("she", text.index("“It was")) == ("Demi", "she")  # a first name alone, quoted


def test_a_name_after_an_article_modifies_a_noun() -> None:
    text = (
        "Premier Doug Ford cut the school budget. "
        "Justin Trudeau urged people to send a message to the Ford government. "
        "“It would be a bad political choice,” he said."
    )
    names = ArticleSpeakers(text, ["he"])
    assert names.resolve("he", text.index("“It would")) == ("Justin Trudeau", "he")


def test_a_pronoun_can_refer_to_a_full_name_after_a_lowercase_title() -> None:
    text = (
        "Foreign Ministry spokesperson Geng Shuang gave no details about the schedule. "
        "But he said further information would be released in due course."
    )
    names = ArticleSpeakers(text, ["he"])
    assert names.resolve("he", text.index("further")) == ("Geng Shuang", "he")


def test_a_quantifier_opening_a_sentence_is_not_a_first_name() -> None:
    text = (
        "Anna Berg runs the shelter. Many Out of the Cold users report delays. “We need more beds,” she said."
    )
    names = ArticleSpeakers(text, ["Anna Berg", "Many Out of the Cold users", "she"])
    assert names.resolve("she", text.index("“We need")) == ("Anna Berg", "she")


def test_a_name_after_a_fronted_phrase_is_a_subject_and_after_tell_an_object() -> None:
    text = (
        "For his part, Dennis Brooks, who found a flat in May, is grateful. Asked what he would tell "
        "Mayor John Tory, he said: “Just listen to us.”"
    )
    names = ArticleSpeakers(text, ["he"])
    assert names.resolve("he", text.index("he said")) == ("Dennis Brooks", "he")


def test_a_country_that_spoke_is_not_she() -> None:
    text = (
        "Chrystia Freeland thanked allies. The United States said it stood with Canada. "
        "“We are grateful,” she said."
    )
    names = ArticleSpeakers(text, ["Chrystia Freeland", "The United States", "she"])
    assert names.resolve("she", text.index("“We are")) == ("Chrystia Freeland", "she")


def test_a_pronoun_is_not_someone_named_in_the_words_it_introduces() -> None:
    text = (
        "Ken Njoroge, a manager, was at work. Hiram Macharia was outside. "
        "Macharia and his colleagues hid under desks, he said."
    )
    names = ArticleSpeakers(text, ["Ken Njoroge", "Hiram Macharia", "he"])
    start = text.index("Macharia and")
    claim = (start, text.index(", he said"))
    assert names.resolve("he", start, claim) == ("Ken Njoroge", "he")
    assert names.resolve("he", start) == ("Hiram Macharia", "he")  # without the claim, the last man named


def test_name_in_keeps_two_people_named_together() -> None:
    assert name_in("His lawyers Carla Mendes and Peter Ruiz") == "Carla Mendes and Peter Ruiz"
    assert name_in("Trade, Industry and Coastal Development") == "Coastal Development"
    assert name_in("Mendes and Ruiz") == "Mendes and Ruiz"
    assert name_in("President Ana Mendes and") == "Ana Mendes"


def test_name_in_keeps_particles_inside_a_name() -> None:
    assert name_in("The Dutch prime minister, Willem de Groot") == "Willem de Groot"
    assert name_in("Commission President Ursula von der Leyen") == "Ursula von der Leyen"
    assert name_in("Jean de") is None


def test_a_description_of_what_someone_is_names_the_person_printed_last_too() -> None:
    text = "Lena Ortiz opens the kitchen at five. “Nobody eats before seven,” says the cheerful chef."
    names = ArticleSpeakers(text, ["the cheerful chef"])
    assert names.resolve("the cheerful chef", text.index("the cheerful")) == ("Lena Ortiz", "Lena Ortiz")


def test_people_speaking_together_are_one_joint_speaker_of_their_fullest_names() -> None:
    text = "Producers Craig Lunde and Nell Moreau spoke. “We are thrilled,” said Lunde and Moreau."
    names = ArticleSpeakers(text, ["Lunde and Moreau"])
    assert names.resolve("Lunde and Moreau") == ("Craig Lunde and Nell Moreau", "Lunde and Moreau")
    assert names.resolve("he", text.index("said")) == ("Craig Lunde", "he")  # never two people


def test_a_word_capitalised_only_because_it_opens_a_sentence_is_not_a_first_name() -> None:
    text = "Having Okafor on stage fits the theme. Emeka Okafor arrived late. “I am ready,” Okafor said."
    names = ArticleSpeakers(text, ["Okafor"])
    assert names.resolve("Okafor") == ("Emeka Okafor", "Okafor")


def test_a_pronoun_after_a_report_of_what_someone_said_about_others_is_the_reporter() -> None:
    text = (
        "Attorney General Wendell Oyelaran said Carl Brandt is charged, while Ivan Petrov is accused. "
        "“This has been a long case,” he said."
    )
    names = ArticleSpeakers(text, ["he"])
    quote = (text.index("“This"), text.index(" he said"))
    assert names.resolve("he", text.index("he said"), quote) == ("Wendell Oyelaran", "he")


def test_a_pronoun_goes_to_the_person_of_its_gender_named_in_a_role() -> None:
    text = (
        "“The roof has leaked since October,” said Layla Hussein, a tenant.\n\n"
        "The association's chief executive, Graham Cole, apologised. “We have let you down,” he said."
    )
    people = ArticleSpeakers(text, ["Layla Hussein", "he"])
    assert (
        people.resolve("he", text.index("he said"), (text.index("“We"), text.index("he said")))[0]
        == "Graham Cole"
    )


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("General Motors", "General Motors"),
        ("General Mills Co.", "General Mills Co"),
        ("General David Petraeus", "David Petraeus"),
        ("Northwind Airlines", "Northwind Airlines"),
    ],
)
def test_a_company_named_like_a_title_stays_whole(phrase: str, name: str) -> None:
    assert name_in(phrase) == name
