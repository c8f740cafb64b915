"""The figure extractor: values, units and what is counted, on hand-written sentences."""

import pytest

from provenance.domain import ArticleText, Extraction
from provenance.extractors.figures import FigureExtractor
from provenance.numbers import FIGURE_RE, read_figure


def figures(text: str) -> list[Extraction]:
    found = list(FigureExtractor().extract(ArticleText(text)))
    for f in found:
        assert text[f.start : f.end] == f.text
    return found


def only(text: str) -> Extraction:
    found = figures(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "printed", "value", "unit", "counted"),
    [
        ("Twelve ministers resigned on Friday.", "Twelve ministers", 12, None, "ministers"),
        ("About 1,200 troops crossed the border.", "About 1,200 troops", 1200, None, "troops"),
        ("Inflation hit 7.5% in March.", "7.5%", 7.5, "%", None),
        ("Turnout was 64 per cent this time.", "64 per cent", 64, "%", None),
        ("The deal is worth $4.5 billion in total.", "$4.5 billion", 4.5e9, "USD", None),
        ("Fines reached 300 million euros last year.", "300 million euros", 3e8, "EUR", None),
        ("The plant employs twenty-five engineers.", "twenty-five engineers", 25, None, "engineers"),
        ("Fifteen heads of state attended.", "Fifteen heads of state", 15, None, "heads of state"),
        ("He ruled for nearly three decades.", "nearly three decades", 3, None, "decades"),
        ("The army sent hundreds of troops north.", "hundreds of troops", 100, None, "troops"),
        ("They spent billions of dollars on it.", "billions of dollars", 1e9, "USD", None),
        ("The war lasted two and a half years.", "two and a half years", 2.5, None, "years"),
        ("The club paid US$12 million for him.", "US$12 million", 1.2e7, "USD", None),
        ("Tickets cost £40 at the door.", "£40", 40, "GBP", None),
        ("Ottawa pledged more than C$2 billion.", "more than C$2 billion", 2e9, "CAD", None),
    ],
)
def test_figure_values(text: str, printed: str, value: float, unit: str | None, counted: str | None) -> None:
    figure = only(text)
    assert (figure.text, figure.value, figure.unit, figure.counted) == (printed, value, unit, counted)
    assert figure.context == text


@pytest.mark.parametrize(
    ("printed", "value", "unit"),
    [
        ("3.40 pm", 15.4, "time"),
        ("3.40pm", 15.4, "time"),
        ("3:40 p.m.", 15.4, "time"),
        ("3:40pm", 15.4, "time"),
        ("2013", 2013, "year"),
        ("September 15, 2022", 20220915, "date"),
        ("15 September 2022", 20220915, "date"),
    ],
)
def test_times_dates_and_years_are_read_whole_but_are_not_claims(
    printed: str, value: float, unit: str
) -> None:
    """Read as one value in any style (so "3.40pm" is never the number 3.40), and left out."""
    match = FIGURE_RE.match(printed)
    assert match is not None and match.group() == printed
    assert read_figure(match) == (value, unit)
    assert figures(f"Leaders met at dawn and again on {printed} to sign it.") == []


@pytest.mark.parametrize(
    "text",
    [
        "It was the first time the two leaders met.",  # ordinal; "the two leaders" refers back
        "No one expected it.",  # the pronoun "one"
        "The COVID-19 pandemic changed travel.",  # part of a name
        "He scored 3 and left.",  # a bare small number counts nothing
    ],
)
def test_not_figures(text: str) -> None:
    assert figures(text) == []


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("The council met on March 3, 2021 at 3.40pm and approved 1,200 new homes.", ["1,200 new homes"]),
        ("In 2019, 45 percent of voters backed the plan.", ["45 percent"]),
        ("The 62-year-old mayor, who is 62 years old, said 300 jobs would go.", ["300 jobs"]),
        ("By 10:30 a.m. on Friday, 12 schools had closed.", ["12 schools"]),
        ("Born in 1954, she has lived here for 40 years.", ["40 years"]),
        ("Sales fell 8% between 2020 and 2023.", ["8%"]),
        ("The 2022 budget set aside $3 million for roads.", ["$3 million"]),
        ("Aged 71, he ran 26 marathons.", ["26 marathons"]),
        ("She won 1,978 votes in 2016.", ["1,978 votes"]),  # a thousands separator: never a year
    ],
)
def test_dates_times_years_and_ages_are_not_figure_claims(text: str, claims: list[str]) -> None:
    """A figure claim is a quantity of something; when something happened, or someone's age, is not."""
    assert [f.text for f in figures(text)] == claims


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("The factory closed three years ago, and 400 workers lost their jobs.", ["400 workers"]),
        ("Two weeks later, 12 families moved back.", ["12 families"]),
        ("The project will take five years to finish.", ["five years"]),
        ("Decades ago the town had 9,000 residents.", ["9,000 residents"]),
        ("Six months earlier the clinic had treated 300 patients.", ["300 patients"]),
    ],
)
def test_a_time_ago_or_later_says_when_not_how_many(text: str, claims: list[str]) -> None:
    """A span of time before "ago" dates an event, as a year does; "five years to finish" is a quantity."""
    assert [f.text for f in figures(text)] == claims


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("The S&P 500 index rose while the Nasdaq 100 fell, and 30 companies reported.", ["30 companies"]),
        ("Passengers on Flight 370 and Route 66 drivers waited; 200 were stranded.", []),
        ("Add 2 tsp of salt, 2 tbsp of flour and 60 ml of milk to feed 4 guests.", ["4 guests"]),
        (
            "Three cups of coffee a day cut the risk, a study of 4,000 nurses found.",
            ["Three cups of coffee", "4,000 nurses"],
        ),
        ("There are two things I want to say about the 14 projects.", ["14 projects"]),
        ("Three former ministers and five straight, ugly defeats.", ["Three former ministers"]),
        ("The team won five straight. Attendance was 2,651.", []),
        ("About 1,700 residents signed, and 12 of them spoke.", ["About 1,700 residents"]),
        ("The budget is $5 billion, up 47 per cent.", ["$5 billion", "47 per cent"]),
    ],
)
def test_a_figure_claim_is_a_quantity_of_something(text: str, claims: list[str]) -> None:
    """Numbers in names ("S&P 500"), kitchen measures, generic counts ("two things"), numbers
    with no thing counted, and numbers before a word that is not a plural noun count nothing a
    fact-checker checks; a quantity with what it counts, money and shares are claims."""
    assert [f.text for f in figures(text)] == claims
